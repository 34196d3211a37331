import Decimal from 'decimal.js';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Department, Policy } from '../entities';
import { PolicyCategory, PolicyStatus, Role } from '../entities/enums';
import { recordAudit } from './audit';
import { isUuid } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import { latestPenalties, policyProblems } from './policy/eligibility';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from './user-error';
import { count, eligibilityRules, isoDate, likeContains, money, text } from './validation';
import { viewerEnterpriseOrFail } from './viewer-enterprise';

const eligibilityInput = eligibilityRules().extend({
  noPenaltyMonths: count('无行政处罚月数', 1, 120).nullish(),
});

const createInput = z.object({
  title: text('政策标题', 2, 200),
  summary: text('政策摘要', 2, 1000),
  body: text('政策正文', 1, 50_000),
  category: z.enum(PolicyCategory),
  eligibility: eligibilityInput.nullish(),
  maxAmountPerClaim: money(),
  budget: money(),
  applyFrom: isoDate('申报开始日期'),
  applyUntil: isoDate('申报截止日期'),
});

export interface PolicyFilter {
  search?: string | null;
  categories?: PolicyCategory[] | null;
  departmentIds?: string[] | null;
  openOnly?: boolean | null;
  status?: PolicyStatus | null;
}

export interface PolicyMatch {
  policy: Policy;
  eligible: boolean;
  unmetCriteria: string[];
}

/** Rules across fields, checked once each field is valid on its own: window order, claim cap within budget. */
function crossFieldErrors(data: z.infer<typeof createInput>): UserError[] {
  const errors: UserError[] = [];
  if (data.applyFrom > data.applyUntil) {
    errors.push({
      code: UserErrorCode.INVALID,
      message: '申报截止日期不能早于开始日期',
      field: ['input', 'applyUntil'],
    });
  }
  if (new Decimal(data.maxAmountPerClaim).gt(data.budget)) {
    errors.push({
      code: UserErrorCode.INVALID,
      message: '单笔最高兑现金额不能超过政策预算',
      field: ['input', 'maxAmountPerClaim'],
    });
  }
  return errors;
}

/**
 * The policy supermarket (政策超市): a department's regulators draft, publish and close their own
 * policies; everyone reads the published ones; an enterprise sees which it qualifies for.
 */
export class PolicyService {
  async create(ctx: RequestContext, input: unknown): Promise<Result<Policy>> {
    const parsed = parseInput(createInput, input);
    if (!parsed.ok) return parsed;
    const { eligibility: e, ...data } = parsed.value;
    const errors = crossFieldErrors(parsed.value);
    if (errors.length) return failMany(errors);
    return transaction(ctx, async (em) => {
      const now = ctx.now();
      const policy = em.create(Policy, {
        ...data,
        department: em.getReference(Department, ctx.viewer.departmentId!),
        minGrade: e?.minGrade ?? null,
        industryCodes: e?.industryCodes ?? [],
        regionCodes: e?.regionCodes ?? [],
        sizes: e?.sizes ?? [],
        minYearsEstablished: e?.minYearsEstablished ?? null,
        noPenaltyMonths: e?.noPenaltyMonths ?? null,
        budgetCommitted: '0.00',
        status: PolicyStatus.DRAFT,
        createdAt: now,
        updatedAt: now,
      });
      recordAudit(ctx, em, { action: 'createPolicy', targetType: 'Policy', targetId: policy.id });
      return ok(policy);
    });
  }

  publish(ctx: RequestContext, input: { id: string }): Promise<Result<Policy>> {
    return this.transition(ctx, input.id, 'publishPolicy', PolicyStatus.DRAFT, PolicyStatus.PUBLISHED);
  }

  /** Closing stops new claims; claims already in review go on to payment. */
  close(ctx: RequestContext, input: { id: string }): Promise<Result<Policy>> {
    return this.transition(ctx, input.id, 'closePolicy', PolicyStatus.PUBLISHED, PolicyStatus.CLOSED);
  }

  async get(ctx: RequestContext, id: string): Promise<Policy | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Policy, { $and: [{ id }, this.visibility(ctx)] });
  }

  /**
   * Published (and closed) policies for everyone, newest published first; the owning department's
   * regulators also see its drafts. `status` narrows further; `openOnly` keeps those taking
   * applications today (PUBLISHED, today within the window).
   */
  list(ctx: RequestContext, filter: PolicyFilter, page: PageArgs): Promise<Page<Policy>> {
    const where: FilterQuery<Policy>[] = [this.visibility(ctx)];
    const search = filter.search?.trim();
    if (search) {
      const pattern = likeContains(search);
      where.push({ $or: [{ title: { $ilike: pattern } }, { summary: { $ilike: pattern } }] });
    }
    if (filter.categories?.length) where.push({ category: { $in: filter.categories } });
    if (filter.departmentIds?.length) where.push({ department: { $in: filter.departmentIds.filter(isUuid) } });
    if (filter.status) where.push({ status: filter.status });
    if (filter.openOnly) where.push(this.openToday(ctx));
    // Drafts have no publication time: where they can appear, order by creation instead.
    const draftsVisible = ctx.viewer.role === Role.REGULATOR && filter.status !== PolicyStatus.PUBLISHED;
    return keysetPage(ctx.em, Policy, page, {
      where: { $and: where },
      sortBy: draftsVisible ? 'createdAt' : 'publishedAt',
      direction: 'desc',
    });
  }

  /**
   * For the signed-in enterprise: every policy open today with whether it qualifies and, when
   * not, why (concise Chinese sentences naming its own value). Eligible ones first, then the
   * application deadline nearest first.
   */
  async matched(ctx: RequestContext, first: number): Promise<PolicyMatch[]> {
    const enterprise = await viewerEnterpriseOrFail(ctx);
    const today = shanghaiDate(ctx.now());
    const policies = await ctx.em.find(Policy, this.openToday(ctx), {
      orderBy: { applyUntil: 'asc', publishedAt: 'desc', id: 'asc' },
    });
    const penalties = await latestPenalties(ctx.em, [enterprise], today);
    const matches = policies.map((policy) => {
      const unmetCriteria = policyProblems(policy, enterprise, today, penalties.get(enterprise.id));
      return { policy, eligible: unmetCriteria.length === 0, unmetCriteria };
    });
    // A stable sort keeps the deadline order within each group.
    return matches.sort((a, b) => Number(b.eligible) - Number(a.eligible)).slice(0, first);
  }

  /** PUBLISHED and taking applications on today's Shanghai date. */
  openToday(ctx: RequestContext): FilterQuery<Policy> {
    const today = shanghaiDate(ctx.now());
    return { status: PolicyStatus.PUBLISHED, applyFrom: { $lte: today }, applyUntil: { $gte: today } };
  }

  /** Everyone sees published and closed policies; regulators also their own department's drafts. */
  private visibility(ctx: RequestContext): FilterQuery<Policy> {
    const shown: FilterQuery<Policy> = { status: { $in: [PolicyStatus.PUBLISHED, PolicyStatus.CLOSED] } };
    if (ctx.viewer.role !== Role.REGULATOR) return shown;
    return { $or: [shown, { department: ctx.viewer.departmentId }] };
  }

  /** A regulator acts only on its own department's policies (another's is NOT_FOUND); the update is conditional. */
  private async transition(
    ctx: RequestContext,
    id: string,
    action: string,
    from: PolicyStatus,
    to: PolicyStatus,
  ): Promise<Result<Policy>> {
    return transaction(ctx, async (em) => {
      const policy = isUuid(id) ? await em.findOne(Policy, { id, department: ctx.viewer.departmentId }) : null;
      if (!policy) return fail(UserErrorCode.NOT_FOUND, '政策不存在', ['input', 'id']);
      const now = ctx.now();
      const changed = await em.nativeUpdate(
        Policy,
        { id: policy.id, status: from },
        { status: to, updatedAt: now, ...(to === PolicyStatus.PUBLISHED ? { publishedAt: now } : {}) },
      );
      if (changed === 0) {
        return fail(UserErrorCode.INVALID_STATE, `政策当前状态为 ${policy.status}，不能执行该操作`, ['input', 'id']);
      }
      await em.refresh(policy);
      recordAudit(ctx, em, { action, targetType: 'Policy', targetId: policy.id });
      return ok(policy);
    });
  }
}
