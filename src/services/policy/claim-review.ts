import Decimal from 'decimal.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { FundClaim, FundClaimEvent, Policy, User } from '../../entities';
import { ClaimStatus, ReviewDecision } from '../../entities/enums';
import { recordAudit } from '../audit';
import type { DomainEvent } from '../events';
import { isUuid } from '../ids';
import type { RequestContext } from '../request-context';
import { sql } from '../sql';
import { formatDateTime, shanghaiDate, DAY_MS } from '../time';
import { transaction } from '../transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from '../user-error';
import { count, money, text } from '../validation';

/**
 * The department's side of a fund claim (政策兑现): review, publicity (公示) and payment.
 *
 *   SUBMITTED ──review APPROVE──► APPROVED ──publicize──► PUBLICIZED ──(publicity over) disburse──► DISBURSED
 *       │ └────review REJECT──► REJECTED
 *       └──────withdraw (enterprise)──► WITHDRAWN
 *
 * Only approval commits budget, and nothing leads back from APPROVED, PUBLICIZED or DISBURSED, so
 * no transition ever has budget to release: rejection and withdrawal happen before any is committed.
 */

/** Statuses in the order a claim passes through them: events of one instant sort by it. */
const STATUS_RANK = new Map<ClaimStatus, number>([
  [ClaimStatus.SUBMITTED, 0],
  [ClaimStatus.WITHDRAWN, 1],
  [ClaimStatus.REJECTED, 1],
  [ClaimStatus.APPROVED, 1],
  [ClaimStatus.PUBLICIZED, 2],
  [ClaimStatus.DISBURSED, 3],
]);

/** Oldest first; the status rank breaks a tie of instants (two steps within one millisecond). */
export function historyOrder(a: FundClaimEvent, b: FundClaimEvent): number {
  const at = a.at.getTime() - b.at.getTime();
  if (at !== 0) return at;
  const rank = STATUS_RANK.get(a.status)! - STATUS_RANK.get(b.status)!;
  return rank !== 0 ? rank : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The owning enterprise and the policy's department hear of every committed status change. */
export function claimUpdated(claim: FundClaim, departmentId: string): DomainEvent {
  return { type: 'fundClaimUpdated', claimId: claim.id, enterpriseId: claim.enterprise.id, departmentId };
}

/** The history entry every status change writes (reviews are the entries with a decision). */
export function addClaimEvent(
  ctx: RequestContext,
  em: EntityManager,
  claim: FundClaim,
  extra: { decision?: ReviewDecision; approvedAmount?: string | null; comment?: string | null } = {},
): void {
  em.create(FundClaimEvent, {
    claim,
    status: claim.status,
    actor: em.getReference(User, ctx.viewer.userId!),
    decision: extra.decision ?? null,
    approvedAmount: extra.approvedAmount ?? null,
    comment: extra.comment ?? null,
    at: ctx.now(),
    createdAt: ctx.now(),
  });
}

export function wrongState(claim: FundClaim, action: string, field: string) {
  return fail<FundClaim>(UserErrorCode.INVALID_STATE, `兑现申请当前状态为 ${claim.status}，不能${action}`, [
    'input',
    field,
  ]);
}

export interface ClaimChange {
  /** The claim's id as the input names it, and the input field that carries it (for userErrors). */
  id: string;
  field: string;
  /** The mutation's name: the audit action. */
  action: string;
  /** The claims this viewer may act on; any other answers NOT_FOUND. */
  scope: FilterQuery<FundClaim>;
  work(em: EntityManager, claim: FundClaim, policy: Policy): Promise<Result<FundClaim>>;
}

/**
 * One status change of one claim, in one transaction: the claim is found within the viewer's
 * scope, then locked FOR UPDATE and re-read, so two changes of one claim (two reviewers, a review
 * and a withdrawal) run one after the other and the second sees the first's status. The history
 * entry and the audit event commit with the change; subscribers hear of it after the commit.
 */
export async function changeClaim(ctx: RequestContext, change: ClaimChange): Promise<Result<FundClaim>> {
  const result = await transaction(ctx, async (em) => {
    const found = isUuid(change.id)
      ? await em.findOne(FundClaim, { $and: [{ id: change.id }, change.scope] }, { fields: ['id'] })
      : null;
    if (!found) return fail(UserErrorCode.NOT_FOUND, '兑现申请不存在', ['input', change.field]);
    const claim = await em.findOneOrFail(
      FundClaim,
      { id: found.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const policy = await em.findOneOrFail(Policy, { id: claim.policy.id });
    const before = claim.status;
    const done = await change.work(em, claim, policy);
    if (!done.ok) return failMany(done.errors);
    claim.updatedAt = ctx.now();
    recordAudit(ctx, em, {
      action: change.action,
      targetType: 'FundClaim',
      targetId: claim.id,
      detail: { from: before, to: claim.status },
    });
    return ok({ claim, departmentId: policy.department.id });
  });
  if (!result.ok) return result;
  ctx.events.publish(claimUpdated(result.value.claim, result.value.departmentId));
  return ok(result.value.claim);
}

/** A regulator acts on the claims of its own department's policies only. */
export const departmentClaims = (ctx: RequestContext): FilterQuery<FundClaim> => ({
  policy: { department: ctx.viewer.departmentId },
});

const reviewInput = z
  .object({
    claimId: z.string(),
    decision: z.enum(ReviewDecision),
    approvedAmount: money().nullish(),
    comment: text('审核意见', 2, 500),
  })
  .superRefine((data, issues) => {
    if (data.decision === ReviewDecision.APPROVE && !data.approvedAmount) {
      issues.addIssue({ code: 'custom', message: '批准时必须填写核定金额', path: ['approvedAmount'] });
    }
    if (data.decision === ReviewDecision.REJECT && data.approvedAmount) {
      issues.addIssue({ code: 'custom', message: '驳回时不能填写核定金额', path: ['approvedAmount'] });
    }
  });

/**
 * Approval commits budget in one conditional UPDATE: the row changes only while the sum stays
 * within the budget, and PostgreSQL re-checks that condition against the latest committed row
 * when concurrent approvals queue on it. Zero rows back means the budget would be exceeded. The
 * CHECK policy_money_check is the last guard whatever happens here.
 */
async function commitBudget(em: EntityManager, policy: Policy, amount: string, now: Date): Promise<UserError | null> {
  const updated = await sql<{ id: string }>(
    em,
    `update policy set budget_committed = budget_committed + ?::numeric, updated_at = ?
      where id = ? and budget_committed + ?::numeric <= budget
      returning id`,
    [amount, now.toISOString(), policy.id, amount],
  );
  if (updated.length === 1) {
    // The entity still holds the old figure; the payload's policy must show the new one.
    await em.refresh(policy);
    return null;
  }
  const [{ remaining }] = await sql<{ remaining: string }>(
    em,
    'select (budget - budget_committed)::text as remaining from policy where id = ?',
    [policy.id],
  );
  return {
    code: UserErrorCode.LIMIT_EXCEEDED,
    message: `预算不足：政策剩余可核定预算 ${new Decimal(remaining).toFixed(2)} 元，核定金额 ${amount} 元`,
    field: ['input', 'approvedAmount'],
  };
}

/** An approved amount outside what the claim asked for or the policy allows per claim: INVALID, like a product's range. */
function amountProblem(claim: FundClaim, policy: Policy, amount: string): UserError | null {
  const field = ['input', 'approvedAmount'];
  if (new Decimal(amount).gt(claim.requestedAmount)) {
    return { code: UserErrorCode.INVALID, message: `核定金额不能超过申请金额 ${claim.requestedAmount} 元`, field };
  }
  if (new Decimal(amount).gt(policy.maxAmountPerClaim)) {
    return {
      code: UserErrorCode.INVALID,
      message: `核定金额不能超过政策单笔最高兑现金额 ${policy.maxAmountPerClaim} 元`,
      field,
    };
  }
  return null;
}

export async function reviewClaim(ctx: RequestContext, input: unknown): Promise<Result<FundClaim>> {
  const parsed = parseInput(reviewInput, input);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  return changeClaim(ctx, {
    id: data.claimId,
    field: 'claimId',
    action: 'reviewFundClaim',
    scope: departmentClaims(ctx),
    work: async (em, claim, policy) => {
      if (claim.status !== ClaimStatus.SUBMITTED) return wrongState(claim, '审核', 'claimId');
      if (data.decision === ReviewDecision.REJECT) {
        claim.status = ClaimStatus.REJECTED;
        addClaimEvent(ctx, em, claim, { decision: data.decision, comment: data.comment });
        return ok(claim);
      }
      const amount = data.approvedAmount!;
      const problem = amountProblem(claim, policy, amount) ?? (await commitBudget(em, policy, amount, ctx.now()));
      if (problem) return failMany([problem]);
      claim.status = ClaimStatus.APPROVED;
      claim.approvedAmount = amount;
      addClaimEvent(ctx, em, claim, { decision: data.decision, approvedAmount: amount, comment: data.comment });
      return ok(claim);
    },
  });
}

const publicizeInput = z.object({
  policyId: z.string(),
  claimIds: z.array(z.string()).min(1, '至少选择一项兑现申请').max(100, '一次最多公示 100 项兑现申请'),
  days: count('公示天数', 1, 30),
});

export interface Publicized {
  claims: FundClaim[];
  departmentId: string;
}

/**
 * APPROVED claims of one policy go on public display (公示) for `days` days from now. All or
 * nothing: every listed claim must be an APPROVED claim of this policy of the regulator's
 * department, and each one that is not is reported at its position in claimIds.
 */
export async function publicizeClaims(ctx: RequestContext, input: unknown): Promise<Result<FundClaim[]>> {
  const parsed = parseInput(publicizeInput, input);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  const result = await transaction(ctx, async (em): Promise<Result<Publicized>> => {
    const policy = isUuid(data.policyId)
      ? await em.findOne(Policy, { id: data.policyId, department: ctx.viewer.departmentId })
      : null;
    if (!policy) return fail(UserErrorCode.NOT_FOUND, '政策不存在', ['input', 'policyId']);
    // Locked in id order, so two overlapping publications cannot deadlock.
    const locked = await em.find(
      FundClaim,
      { id: { $in: [...new Set(data.claimIds.filter(isUuid))] }, policy: policy.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
    );
    const byId = new Map(locked.map((c) => [c.id, c]));
    const errors: UserError[] = [];
    const seen = new Set<string>();
    data.claimIds.forEach((id, i) => {
      const field = ['input', 'claimIds', String(i)];
      const claim = byId.get(id);
      if (seen.has(id)) errors.push({ code: UserErrorCode.INVALID, message: '兑现申请重复', field });
      else if (!claim) errors.push({ code: UserErrorCode.NOT_FOUND, message: '该政策下没有此兑现申请', field });
      else if (claim.status !== ClaimStatus.APPROVED) {
        errors.push({
          code: UserErrorCode.INVALID_STATE,
          message: `兑现申请当前状态为 ${claim.status}，只能公示已批准的申请`,
          field,
        });
      }
      seen.add(id);
    });
    if (errors.length) return failMany(errors);
    const now = ctx.now();
    const endsAt = new Date(now.getTime() + data.days * DAY_MS);
    const claims = data.claimIds.map((id) => byId.get(id)!);
    for (const claim of claims) {
      claim.status = ClaimStatus.PUBLICIZED;
      claim.publicityEndsAt = endsAt;
      claim.updatedAt = now;
      addClaimEvent(ctx, em, claim, { comment: `公示 ${data.days} 天，至 ${formatDateTime(endsAt)}` });
      recordAudit(ctx, em, {
        action: 'publicizeFundClaims',
        targetType: 'FundClaim',
        targetId: claim.id,
        detail: { from: ClaimStatus.APPROVED, to: ClaimStatus.PUBLICIZED, days: data.days },
      });
    }
    return ok({ claims, departmentId: policy.department.id });
  });
  if (!result.ok) return result;
  for (const claim of result.value.claims) ctx.events.publish(claimUpdated(claim, result.value.departmentId));
  return ok(result.value.claims);
}

/** The payment's reference: ZF, the Shanghai date and the claim id's first eight hex digits. */
export function paymentReference(now: Date, claimId: string): string {
  return `ZF${shanghaiDate(now).replaceAll('-', '')}${claimId.slice(0, 8).toUpperCase()}`;
}

/** Money goes out only once the publicity period has ended (DESIGN.md: PUBLICIZED → DISBURSED). */
export function disburseClaim(ctx: RequestContext, input: { id: string }): Promise<Result<FundClaim>> {
  return changeClaim(ctx, {
    id: input.id,
    field: 'id',
    action: 'disburseFundClaim',
    scope: departmentClaims(ctx),
    work: async (em, claim) => {
      if (claim.status !== ClaimStatus.PUBLICIZED) return wrongState(claim, '拨付', 'id');
      const now = ctx.now();
      if (claim.publicityEndsAt! > now) {
        return fail(
          UserErrorCode.INVALID_STATE,
          `公示期至 ${formatDateTime(claim.publicityEndsAt!)} 结束，公示期满后才能拨付`,
          ['input', 'id'],
        );
      }
      const reference = paymentReference(now, claim.id);
      claim.status = ClaimStatus.DISBURSED;
      claim.disbursedAt = now;
      claim.paymentReference = reference;
      addClaimEvent(ctx, em, claim, {
        approvedAmount: claim.approvedAmount,
        comment: `已拨付 ${claim.approvedAmount} 元，支付凭证号 ${reference}`,
      });
      return ok(claim);
    },
  });
}
