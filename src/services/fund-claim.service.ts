import Decimal from 'decimal.js';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Enterprise, FundClaim, FundClaimEvent, Policy } from '../entities';
import { ClaimStatus, PolicyStatus, Role, VerificationStatus } from '../entities/enums';
import { recordAudit } from './audit';
import { BadInputError, ForbiddenError } from './errors';
import { isUuid, pgArray } from './ids';
import { Lazy } from './lazy';
import { decodeCursor, encodeCursor, firstPagesByParent, keysetPage, type Page, type PageArgs } from './pagination';
import {
  addClaimEvent,
  changeClaim,
  claimUpdated,
  departmentClaims,
  disburseClaim,
  historyOrder,
  publicizeClaims,
  reviewClaim,
  wrongState,
} from './policy/claim-review';
import { latestPenalties, policyProblems } from './policy/eligibility';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { money, text } from './validation';

const submitInput = z.object({
  policyId: z.string(),
  requestedAmount: money(),
  statement: text('申请说明', 10, 5000),
});

/** Policy.claims' first page for one policy: the loader batches these across policies. */
export interface ClaimPageKey {
  policyId: string;
  first: number;
  statuses: readonly ClaimStatus[];
}

export const claimPageKey = (k: ClaimPageKey) => `${k.policyId}:${k.first}:${[...k.statuses].sort().join(',')}`;

/** A publicised approval (公示) as anyone may read it. */
export interface PublicClaimNotice {
  claimId: string;
  policyId: string;
  policyTitle: string;
  enterpriseName: string;
  approvedAmount: string;
  publicityEndsAt: Date;
}

interface NoticeRow {
  claim_id: string;
  policy_id: string;
  policy_title: string;
  enterprise_name: string;
  approved_amount: string;
  publicity_ends_at: Date | string;
  publicized_at: Date | string;
}

/** The ENTERPRISE's userError when it already has a live claim on the policy. */
const oneActiveOnly = () =>
  fail(UserErrorCode.LIMIT_EXCEEDED, '本企业对该政策已有在办的兑现申请（可撤回待审核的申请后重新提交）', [
    'input',
    'policyId',
  ]);

/**
 * Fund claims (政策兑现): an enterprise applies for a policy's funds; the policy's department
 * reviews, publicises and pays (policy/claim-review.ts). Every status change writes a history
 * entry and an audit event in its transaction and is announced (fundClaimUpdated) after commit.
 */
export class FundClaimService {
  /**
   * A VERIFIED, eligible enterprise applies to a PUBLISHED policy within its window, for at most the
   * per-claim cap, while budget remains. One live claim per policy per enterprise: the partial
   * unique index fund_claim_one_active settles two submissions at once.
   */
  async submit(ctx: RequestContext, input: unknown): Promise<Result<FundClaim>> {
    const parsed = parseInput(submitInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    const result = await transaction(ctx, async (em): Promise<Result<{ claim: FundClaim; departmentId: string }>> => {
      // Drafts are nobody's business but their department's: NOT_FOUND, like an unknown id.
      const policy = isUuid(data.policyId)
        ? await em.findOne(Policy, {
            id: data.policyId,
            status: { $in: [PolicyStatus.PUBLISHED, PolicyStatus.CLOSED] },
          })
        : null;
      if (!policy) return fail(UserErrorCode.NOT_FOUND, '政策不存在', ['input', 'policyId']);
      const enterprise = await em.findOneOrFail(Enterprise, { id: ctx.viewer.enterpriseId! });
      if (enterprise.verificationStatus !== VerificationStatus.VERIFIED) {
        return fail(UserErrorCode.NOT_ELIGIBLE, '企业通过实名认证后才能申请政策兑现');
      }
      if (policy.status !== PolicyStatus.PUBLISHED) {
        return fail(UserErrorCode.INVALID_STATE, '该政策已关闭，不再受理兑现申请', ['input', 'policyId']);
      }
      const now = ctx.now();
      const today = shanghaiDate(now);
      if (today < policy.applyFrom || today > policy.applyUntil) {
        const when = today < policy.applyFrom ? '尚未开始' : '已截止';
        return fail(UserErrorCode.INVALID_STATE, `政策申报期为 ${policy.applyFrom} 至 ${policy.applyUntil}，${when}`, [
          'input',
          'policyId',
        ]);
      }
      const penalties = await latestPenalties(em, [enterprise], today);
      const unmet = policyProblems(policy, enterprise, today, penalties.get(enterprise.id));
      if (unmet.length) {
        return fail(UserErrorCode.NOT_ELIGIBLE, `企业不符合政策申报条件：${unmet.join('；')}`, ['input', 'policyId']);
      }
      if (new Decimal(data.requestedAmount).gt(policy.maxAmountPerClaim)) {
        return fail(UserErrorCode.INVALID, `申请金额不能超过政策单笔最高兑现金额 ${policy.maxAmountPerClaim} 元`, [
          'input',
          'requestedAmount',
        ]);
      }
      // A claim may ask for more than what remains (the review may approve less), not for nothing.
      if (new Decimal(policy.budget).minus(policy.budgetCommitted).lte(0)) {
        return fail(UserErrorCode.LIMIT_EXCEEDED, '政策预算已全部核定，不再受理兑现申请', ['input', 'policyId']);
      }
      const live = await em.count(FundClaim, {
        policy: policy.id,
        enterprise: enterprise.id,
        status: { $nin: [ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN] },
      });
      if (live > 0) return oneActiveOnly();
      const claim = em.create(FundClaim, {
        policy,
        enterprise,
        requestedAmount: data.requestedAmount,
        approvedAmount: null,
        statement: data.statement,
        status: ClaimStatus.SUBMITTED,
        submittedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      addClaimEvent(ctx, em, claim);
      recordAudit(ctx, em, { action: 'submitFundClaim', targetType: 'FundClaim', targetId: claim.id });
      await em.flush();
      return ok({ claim, departmentId: policy.department.id });
    }).catch((err: unknown) => {
      if (err instanceof UniqueConstraintViolationException) return oneActiveOnly();
      throw err;
    });
    if (!result.ok) return result;
    ctx.events.publish(claimUpdated(result.value.claim, result.value.departmentId));
    return ok(result.value.claim);
  }

  /** The enterprise takes back its own claim while nobody has reviewed it yet. */
  withdraw(ctx: RequestContext, input: { id: string }): Promise<Result<FundClaim>> {
    return changeClaim(ctx, {
      id: input.id,
      field: 'id',
      action: 'withdrawFundClaim',
      scope: { enterprise: ctx.viewer.enterpriseId },
      work: async (em, claim) => {
        if (claim.status !== ClaimStatus.SUBMITTED) return wrongState(claim, '撤回', 'id');
        claim.status = ClaimStatus.WITHDRAWN;
        addClaimEvent(ctx, em, claim);
        return ok(claim);
      },
    });
  }

  review(ctx: RequestContext, input: unknown): Promise<Result<FundClaim>> {
    return reviewClaim(ctx, input);
  }

  publicize(ctx: RequestContext, input: unknown): Promise<Result<FundClaim[]>> {
    return publicizeClaims(ctx, input);
  }

  disburse(ctx: RequestContext, input: { id: string }): Promise<Result<FundClaim>> {
    return disburseClaim(ctx, input);
  }

  async get(ctx: RequestContext, id: string): Promise<FundClaim | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(FundClaim, { $and: [{ id }, this.scope(ctx)] });
  }

  /** Enterprise: its own claims; regulator: claims on its department's policies. Newest first. */
  list(ctx: RequestContext, statuses: ClaimStatus[] | null | undefined, page: PageArgs): Promise<Page<FundClaim>> {
    const where: FilterQuery<FundClaim>[] = [this.scope(ctx)];
    if (statuses?.length) where.push({ status: { $in: statuses } });
    return keysetPage(ctx.em, FundClaim, page, { where: { $and: where }, sortBy: 'submittedAt', direction: 'desc' });
  }

  /** Policy.claims is for the regulators of the policy's department only; anyone else is refused at the field. */
  checkPolicyClaimsReader(ctx: RequestContext, policy: Policy): void {
    const { viewer } = ctx;
    if (viewer.role !== Role.REGULATOR || !viewer.departmentId || policy.department.id !== viewer.departmentId) {
      throw new ForbiddenError('只有政策所属部门的监管人员可以查看兑现申请');
    }
  }

  /** Policy.claims after the first page. */
  forPolicy(ctx: RequestContext, policyId: string, statuses: readonly ClaimStatus[], page: PageArgs) {
    const where: FilterQuery<FundClaim>[] = [{ policy: policyId }];
    if (statuses.length) where.push({ status: { $in: [...statuses] } });
    return keysetPage(ctx.em, FundClaim, page, { where: { $and: where }, sortBy: 'submittedAt', direction: 'desc' });
  }

  /**
   * First pages of Policy.claims for many policies: one statement per distinct page size and
   * status filter. The resolver has checked the reader (the department's regulators see all).
   */
  async firstPagesForPolicies(ctx: RequestContext, keys: readonly ClaimPageKey[]): Promise<Page<FundClaim>[]> {
    const groups = new Map<string, { first: number; statuses: readonly ClaimStatus[]; ids: string[] }>();
    for (const key of keys) {
      const group = `${key.first}:${[...key.statuses].sort().join(',')}`;
      const entry = groups.get(group) ?? { first: key.first, statuses: key.statuses, ids: [] };
      entry.ids.push(key.policyId);
      groups.set(group, entry);
    }
    const pages = new Map<string, Page<FundClaim>>();
    for (const { first, statuses, ids } of groups.values()) {
      const found = await firstPagesByParent(ctx.em, FundClaim, {
        parentColumn: 'policy_id',
        parentIds: ids,
        sortColumn: 'submitted_at',
        sortProp: 'submittedAt',
        where: statuses.length ? { sql: 't.status = any(?::text[])', params: [pgArray(statuses)] } : undefined,
        first,
      });
      for (const [id, page] of found) pages.set(claimPageKey({ policyId: id, first, statuses }), page);
    }
    return keys.map((k) => pages.get(claimPageKey(k))!);
  }

  /** The history of many claims in one statement, each oldest first (reviews are the entries with a decision). */
  async eventsFor(ctx: RequestContext, claimIds: readonly string[]): Promise<FundClaimEvent[]> {
    const rows = await ctx.em.find(FundClaimEvent, { claim: { $in: [...claimIds] } });
    return rows.sort(historyOrder);
  }

  /**
   * Publicised approvals (公示) anyone may read: PUBLICIZED claims whose publicity has not ended,
   * newest publicity first (the moment the claim was publicised, then id). The policy title and
   * the enterprise name come from the same statement.
   */
  async notices(ctx: RequestContext, policyId: string | null | undefined, page: PageArgs) {
    const conditions = [`c.status = 'PUBLICIZED'`, 'c.publicity_ends_at > ?::timestamptz'];
    const params: unknown[] = [ctx.now().toISOString()];
    if (policyId != null) {
      conditions.push(isUuid(policyId) ? 'c.policy_id = ?' : 'false');
      if (isUuid(policyId)) params.push(policyId);
    }
    const from = `from fund_claim c
      join fund_claim_event ev on ev.claim_id = c.id and ev.status = 'PUBLICIZED'`;
    const where = conditions.join(' and ');
    const pageConditions = [where];
    const pageParams = [...params];
    if (page.after) {
      const { value, id } = decodeCursor(page.after);
      if (!(value instanceof Date)) throw new BadInputError('after 游标无效', 'after');
      pageConditions.push('(ev.at, c.id) < (?::timestamptz, ?::uuid)');
      pageParams.push(value.toISOString(), id);
    }
    const rows = await sql<NoticeRow>(
      ctx.em,
      `select c.id as claim_id, c.policy_id, p.title as policy_title, e.name as enterprise_name,
              c.approved_amount::text as approved_amount, c.publicity_ends_at, ev.at as publicized_at
         ${from}
         join policy p on p.id = c.policy_id
         join enterprise e on e.id = c.enterprise_id
        where ${pageConditions.join(' and ')}
        order by ev.at desc, c.id desc
        limit ?`,
      [...pageParams, page.first + 1],
    );
    const shown = rows.slice(0, page.first);
    return {
      edges: shown.map((r) => ({
        node: {
          claimId: r.claim_id,
          policyId: r.policy_id,
          policyTitle: r.policy_title,
          enterpriseName: r.enterprise_name,
          approvedAmount: r.approved_amount,
          publicityEndsAt: new Date(r.publicity_ends_at),
        } satisfies PublicClaimNotice,
        cursor: encodeCursor(new Date(r.publicized_at), r.claim_id),
      })),
      hasNextPage: rows.length > page.first,
      hasPreviousPage: Boolean(page.after),
      totalCount: new Lazy(async () => {
        const [{ n }] = await sql<{ n: string }>(ctx.em, `select count(*) as n ${from} where ${where}`, params);
        return Number(n);
      }),
    } satisfies Page<PublicClaimNotice>;
  }

  /** Enterprise: its own claims; regulator: those on its department's policies; nobody else. */
  scope(ctx: RequestContext): FilterQuery<FundClaim> {
    const { viewer } = ctx;
    if (viewer.role === Role.ENTERPRISE && viewer.enterpriseId) return { enterprise: viewer.enterpriseId };
    if (viewer.role === Role.REGULATOR && viewer.departmentId) return departmentClaims(ctx);
    return { id: { $in: [] } };
  }
}
