import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { Enterprise } from '../entities';
import { CreditGrade, EnterpriseSize, Role, VerificationStatus } from '../entities/enums';
import { isValidIndustryCode, isValidIndustryFilterCode } from '../reference/industries';
import { isValidRegionCode } from '../reference/regions';
import { recordAudit } from './audit';
import { deriveEnterpriseSize } from './enterprise-size';
import { BadInputError } from './errors';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { insertUser } from './user.service';
import { count, login, money, password, text } from './validation';
import { usccProblem, usccProblemMessage } from './uscc';

/** Money is stored as numeric(18,2); answer with the same two places the database will hold. */
const twoPlaces = (value: string | null | undefined) =>
  typeof value === 'string' ? new Decimal(value).toFixed(2) : value;

const profileFields = {
  registeredCapital: money().nullish().transform(twoPlaces),
  employees: count('从业人数', 0, 10_000_000).nullish(),
  annualRevenue: money({ allowZero: true }).nullish().transform(twoPlaces),
};

/** Built per request: "not after today" needs today's date (Asia/Shanghai, from the request clock). */
const registerInput = (today: string) =>
  z.object({
    uscc: z
      .string()
      .trim()
      .toUpperCase()
      .superRefine((code, ctx) => {
        const problem = usccProblem(code);
        if (problem) ctx.addIssue({ code: 'custom', message: usccProblemMessage(problem) });
      }),
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

export interface EnterpriseFilter {
  search?: string | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
  sizes?: EnterpriseSize[] | null;
  grades?: CreditGrade[] | null;
  verificationStatus?: VerificationStatus | null;
}

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
    if (!z.uuid().safeParse(id).success) return null;
    return ctx.em.findOne(Enterprise, { id });
  }

  async mine(ctx: RequestContext): Promise<Enterprise | null> {
    return ctx.viewer.enterpriseId ? ctx.em.findOne(Enterprise, { id: ctx.viewer.enterpriseId }) : null;
  }

  /** Regulators and the operator see all; an enterprise itself; banks those related to them. */
  list(ctx: RequestContext, filter: EnterpriseFilter, page: PageArgs): Promise<Page<Enterprise>> {
    const where: FilterQuery<Enterprise>[] = [scopeOf(ctx), ...filterConditions(filter)];
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

function scopeOf(ctx: RequestContext): FilterQuery<Enterprise> {
  switch (ctx.viewer.role) {
    case Role.REGULATOR:
    case Role.ADMIN:
      return {};
    case Role.ENTERPRISE:
      return { id: ctx.viewer.enterpriseId };
    default:
      // Banks: enterprises that authorised them, have a demand open to them or were dispatched
      // to them. Those relations arrive with the credit and marketplace areas; until then, none.
      return { id: { $in: [] } };
  }
}

/** Region codes match hierarchically: a province (xx0000) or city (xxxx00) includes what lies in it. */
function regionPrefix(code: string): string {
  if (!isValidRegionCode(code)) throw new BadInputError(`行政区划代码无效：${code}`, 'filter.regionCodes');
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterConditions(filter: EnterpriseFilter): FilterQuery<Enterprise>[] {
  const conditions: FilterQuery<Enterprise>[] = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${search.slice(0, 100).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push({ $or: [{ name: { $ilike: pattern } }, { uscc: { $like: likePrefix(search.toUpperCase()) } }] });
  }
  if (filter.regionCodes?.length) {
    conditions.push({ $or: filter.regionCodes.map((c) => ({ regionCode: { $like: likePrefix(regionPrefix(c)) } })) });
  }
  if (filter.industryCodes?.length) {
    for (const code of filter.industryCodes) {
      if (!isValidIndustryFilterCode(code)) throw new BadInputError(`行业代码无效：${code}`, 'filter.industryCodes');
    }
    conditions.push({ $or: filter.industryCodes.map((c) => ({ industryCode: { $like: likePrefix(c) } })) });
  }
  if (filter.sizes?.length) conditions.push({ size: { $in: filter.sizes } });
  if (filter.verificationStatus) conditions.push({ verificationStatus: filter.verificationStatus });
  // Grades come from credit reports; until an enterprise has one, no grade filter matches it.
  if (filter.grades?.length) conditions.push({ id: { $in: [] } });
  return conditions;
}
