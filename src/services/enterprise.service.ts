import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { CreditAuthorization, Enterprise } from '../entities';
import { EnterpriseSize, Role, VerificationStatus } from '../entities/enums';
import { isValidIndustryCode } from '../reference/industries';
import { isValidRegionCode } from '../reference/regions';
import { recordAudit } from './audit';
import { deriveEnterpriseSize } from './enterprise-size';
import { asSystem } from '../db/row-security';
import { evaluateEnterprises } from './credit/evaluator';
import { enterpriseFilterConditions, type EnterpriseFilter } from './enterprise-filter';
import { isUuid } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { insertUser } from './user.service';
import { count, login, money, password, text, uscc } from './validation';
import { viewerEnterprise } from './viewer-enterprise';

const profileFields = {
  registeredCapital: money().nullish(),
  employees: count('从业人数', 0, 10_000_000).nullish(),
  annualRevenue: money({ allowZero: true }).nullish(),
};

/** Built per request: "not after today" needs today's date (Asia/Shanghai, from the request clock). */
const registerInput = (today: string) =>
  z.object({
    uscc: uscc(),
    name: text('企业名称', 2, 100),
    legalRepresentative: text('法定代表人', 1, 50),
    industryCode: z
      .string()
      .trim()
      .refine(isValidIndustryCode, '行业代码无效（GB/T 4754 门类字母加大类两位数字，如 C39）'),
    regionCode: z.string().trim().refine(isValidRegionCode, '行政区划代码无效（应为 6 位 GB/T 2260 代码）'),
    establishedOn: z
      .string()
      .refine((d) => d >= '1900-01-01', '成立日期无效')
      .refine((d) => d <= today, '成立日期不能晚于今天'),
    ...profileFields,
    login: login(),
    password: password(),
    displayName: text('显示名称', 1, 50),
  });

const updateInput = z.object(profileFields);

export class EnterpriseService {
  /**
   * Self-registration: the enterprise (PENDING verification) and its first user in one
   * transaction, so a failure (taken USCC or login) leaves nothing behind.
   */
  async register(ctx: RequestContext, input: unknown) {
    // Every problem at once (a future founding date included), so the user fixes them in one go.
    const parsed = parseInput(registerInput(shanghaiDate(ctx.now())), input);
    if (!parsed.ok) return parsed;
    const { login: userLogin, password: pw, displayName, ...data } = parsed.value;
    const passwordHash = await hashPassword(pw);
    const usccTaken = () => fail(UserErrorCode.ALREADY_EXISTS, '该统一社会信用代码已注册', ['input', 'uscc']);
    try {
      return await transaction(ctx, async (em) => {
        if (await em.count(Enterprise, { uscc: data.uscc })) return usccTaken();
        const enterprise = em.create(Enterprise, {
          ...data,
          size: deriveSize(data),
          verificationStatus: VerificationStatus.PENDING,
          createdAt: ctx.now(),
          updatedAt: ctx.now(),
        });
        // Insert the enterprise on its own first: a concurrent registration of the same USCC
        // then fails on the USCC's unique index here (→ ALREADY_EXISTS on uscc, below), not
        // inside insertUser, which would report every unique violation as a taken login.
        await em.flush();
        const user = await insertUser(ctx, em, {
          login: userLogin,
          passwordHash,
          displayName,
          role: Role.ENTERPRISE,
          enterprise,
        } as never);
        if (!user.ok) return user;
        // Its first report at once: records filed before it registered count from day one.
        // Row-level security: the registrant is anonymous until this commits; the evaluation is the platform's.
        await asSystem(em, ctx.viewer, (sys) => evaluateEnterprises(sys, { ids: [enterprise.id] }, ctx.now()));
        await em.refresh(enterprise);
        recordAudit(ctx, em, {
          action: 'registerEnterprise',
          targetType: 'Enterprise',
          targetId: enterprise.id,
          actor: { id: user.value.id, role: Role.ENTERPRISE },
        });
        return ok({ enterprise, user: user.value });
      });
    } catch (err) {
      // Two registrations of one USCC at once: the unique index lets exactly one through.
      if (err instanceof UniqueConstraintViolationException) return usccTaken();
      throw err;
    }
  }

  /** The signed-in enterprise edits its own figures; the size is derived again. */
  async updateProfile(ctx: RequestContext, input: unknown): Promise<Result<Enterprise>> {
    const parsed = parseInput(updateInput, input);
    if (!parsed.ok) return parsed;
    return transaction(ctx, async (em) => {
      const enterprise = await em.findOneOrFail(Enterprise, { id: ctx.viewer.enterpriseId! });
      for (const [key, value] of Object.entries(parsed.value)) {
        if (value !== undefined) Object.assign(enterprise, { [key]: value });
      }
      enterprise.size = deriveSize(enterprise);
      enterprise.updatedAt = ctx.now();
      recordAudit(ctx, em, { action: 'updateEnterpriseProfile', targetType: 'Enterprise', targetId: enterprise.id });
      return ok(enterprise);
    });
  }

  /** Every viewer may see an enterprise's public fields; sensitive ones are masked by the resolver. */
  async get(ctx: RequestContext, id: string): Promise<Enterprise | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Enterprise, { id });
  }

  async mine(ctx: RequestContext): Promise<Enterprise | null> {
    return viewerEnterprise(ctx);
  }

  /** Regulators and the operator see all; an enterprise itself; banks those related to them. */
  async list(ctx: RequestContext, filter: EnterpriseFilter, page: PageArgs): Promise<Page<Enterprise>> {
    const where: FilterQuery<Enterprise>[] = [await scopeOf(ctx), ...enterpriseFilterConditions(filter)];
    return keysetPage(ctx.em, Enterprise, page, { where: { $and: where }, sortBy: 'createdAt', direction: 'desc' });
  }
}

function deriveSize(e: {
  industryCode: string;
  employees?: number | null;
  annualRevenue?: string | null;
  registeredCapital?: string | null;
}): EnterpriseSize {
  return deriveEnterpriseSize({
    industryCode: e.industryCode,
    employees: e.employees,
    annualRevenueYuan: e.annualRevenue,
    registeredCapitalYuan: e.registeredCapital,
  }) as EnterpriseSize;
}

async function scopeOf(ctx: RequestContext): Promise<FilterQuery<Enterprise>> {
  switch (ctx.viewer.role) {
    case Role.REGULATOR:
    case Role.ADMIN:
      return {};
    case Role.ENTERPRISE:
      return { id: ctx.viewer.enterpriseId };
    case Role.BANK:
      // Banks: enterprises that authorised them (now), have a demand open to them or were
      // dispatched to them; the last two arrive with the marketplace.
      return { id: { $in: await authorisedEnterpriseIds(ctx) } };
    default:
      return { id: { $in: [] } };
  }
}

/** Enterprises whose consent this bank holds right now (one indexed query). */
async function authorisedEnterpriseIds(ctx: RequestContext): Promise<string[]> {
  const rows = await ctx.em.find(
    CreditAuthorization,
    { institutionId: ctx.viewer.institutionId!, revokedAt: null, expiresAt: { $gt: ctx.now() } },
    { fields: ['enterpriseId'] },
  );
  return [...new Set(rows.map((r) => r.enterpriseId))];
}
