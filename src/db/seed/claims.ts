import Decimal from 'decimal.js';
import { FundClaim, FundClaimEvent, type Enterprise, type Policy, type User } from '../../entities';
import { ClaimStatus, ReviewDecision } from '../../entities/enums';
import { paymentReference } from '../../services/policy/claim-review';
import { formatDateTime } from '../../services/time';
import { at, type DemoWorld } from './demo-world';
import { DAY_MS, addDays } from '../../services/time';
import type { ClaimPlan } from './policy-plans';

const { SUBMITTED, APPROVED, REJECTED, PUBLICIZED, DISBURSED, WITHDRAWN } = ClaimStatus;

/** The status changes a claim went through to reach its status, in order. */
const PATH: Record<ClaimStatus, ClaimStatus[]> = {
  SUBMITTED: [SUBMITTED],
  WITHDRAWN: [SUBMITTED, WITHDRAWN],
  REJECTED: [SUBMITTED, REJECTED],
  APPROVED: [SUBMITTED, APPROVED],
  PUBLICIZED: [SUBMITTED, APPROVED, PUBLICIZED],
  DISBURSED: [SUBMITTED, APPROVED, PUBLICIZED, DISBURSED],
};

export interface ClaimParties {
  enterprise: Enterprise;
  /** The enterprise's user: submits and withdraws. */
  applicant: User;
  /** A regulator of the policy's department: reviews, publicises and pays. */
  reviewer: User;
}

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`demo seed: claim ${what}`);
}

/**
 * A claim as FundClaimService and policy/claim-review.ts would have left it after the plan's
 * steps, with one history entry per status change written as they write it: submitted inside the
 * policy's window, reviewed (approved amount ≤ requested ≤ the policy's cap), publicised for 1..30
 * days and paid only after the publicity ended. A plan that breaks a rule is a mistake in
 * policy-plans.ts, so it throws. `anchor` is the day the plan's offsets count from; `sequence`
 * spreads the claims over the office hours. Returns the claim and, when approved (its amount then
 * committed against the budget), the moment of the approval.
 */
export function placeClaim(
  world: DemoWorld,
  policy: Policy,
  plan: ClaimPlan,
  parties: ClaimParties,
  anchor: string,
  sequence: number,
): { claim: FundClaim; approvedAt: Date | null } {
  const { em, today, now } = world;
  const path = PATH[plan.status];
  const day = (offset: number | undefined, step: string) => {
    check(offset !== undefined, `${plan.status} without its ${step} day`);
    const date = addDays(anchor, offset);
    check(date < today, `${step} on ${date}, not before today`);
    return date;
  };
  const requested = new Decimal(plan.requested);
  check(requested.gt(0) && requested.lte(policy.maxAmountPerClaim), `requests ${plan.requested} over the cap`);
  const approves = path.includes(APPROVED);
  check(approves === (plan.approved !== undefined), `${plan.status} with approved amount ${plan.approved}`);
  const approved = approves ? new Decimal(plan.approved!) : null;
  check(!approved || (approved.gt(0) && approved.lte(requested)), `approves ${plan.approved} of ${plan.requested}`);

  const submittedOn = day(plan.submitted, 'submission');
  check(
    submittedOn >= policy.applyFrom && submittedOn <= policy.applyUntil && policy.publishedAt,
    `submitted on ${submittedOn}, outside the window ${policy.applyFrom}..${policy.applyUntil}`,
  );
  const submittedAt = at(world, submittedOn, 20 + ((sequence * 37) % 300));
  check(submittedAt > policy.publishedAt!, 'submitted before the policy was published');

  const events: { status: ClaimStatus; at: Date; actor: User; extra?: Partial<FundClaimEvent> }[] = [
    { status: SUBMITTED, at: submittedAt, actor: parties.applicant },
  ];
  const claim = em.create(FundClaim, {
    policy,
    enterprise: parties.enterprise,
    requestedAmount: requested.toFixed(2),
    approvedAmount: approved?.toFixed(2) ?? null,
    statement: plan.statement,
    status: plan.status,
    publicityEndsAt: null,
    disbursedAt: null,
    paymentReference: null,
    submittedAt,
    createdAt: submittedAt,
    updatedAt: submittedAt,
  });

  if (plan.status === WITHDRAWN) {
    const moment = at(world, day(plan.withdrawn, 'withdrawal'), 40 + sequence);
    events.push({ status: WITHDRAWN, at: moment, actor: parties.applicant });
  }
  if (plan.status === REJECTED || approves) {
    const moment = at(world, day(plan.reviewed, 'review'), 90 + sequence);
    check(plan.comment, 'reviewed without a comment');
    events.push({
      status: approves ? APPROVED : REJECTED,
      at: moment,
      actor: parties.reviewer,
      extra: {
        decision: approves ? ReviewDecision.APPROVE : ReviewDecision.REJECT,
        approvedAmount: approved?.toFixed(2) ?? null,
        comment: plan.comment,
      },
    });
  }
  if (path.includes(PUBLICIZED)) {
    const days = plan.publicityDays ?? 0;
    check(days >= 1 && days <= 30, `publicised for ${days} days`);
    const moment = at(world, day(plan.publicized, 'publicity'), 150 + sequence);
    claim.publicityEndsAt = new Date(moment.getTime() + days * DAY_MS);
    check(
      claim.publicityEndsAt > now === (plan.status === PUBLICIZED),
      `${plan.status} with publicity ending ${claim.publicityEndsAt.toISOString()}`,
    );
    events.push({
      status: PUBLICIZED,
      at: moment,
      actor: parties.reviewer,
      extra: { comment: `公示 ${days} 天，至 ${formatDateTime(claim.publicityEndsAt)}` },
    });
  }
  if (plan.status === DISBURSED) {
    const paidOn = day(plan.disbursed, 'payment');
    const moment = at(world, paidOn, 240 + sequence);
    check(moment > claim.publicityEndsAt!, 'paid before its publicity ended');
    claim.disbursedAt = moment;
    claim.paymentReference = paymentReference(moment, claim.id);
    events.push({
      status: DISBURSED,
      at: moment,
      actor: parties.reviewer,
      extra: {
        approvedAmount: claim.approvedAmount,
        comment: `已拨付 ${claim.approvedAmount} 元至${plan.paidTo ?? '企业基本账户'}，支付凭证号 ${claim.paymentReference}`,
      },
    });
  }

  events.forEach((e, i) => {
    check(i === 0 || e.at > events[i - 1].at, `${e.status} not after ${events[i - 1]?.status}`);
    check(e.at <= now, `${e.status} in the future`);
    em.create(FundClaimEvent, {
      claim,
      status: e.status,
      actor: e.actor,
      decision: null,
      approvedAmount: null,
      comment: null,
      ...e.extra,
      at: e.at,
      createdAt: e.at,
    });
  });
  check(events.map((e) => e.status).join() === path.join(), `steps ${events.map((e) => e.status).join()}`);
  claim.updatedAt = events[events.length - 1].at;
  return { claim, approvedAt: events.find((e) => e.status === APPROVED)?.at ?? null };
}
