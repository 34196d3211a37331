import Decimal from 'decimal.js';
import { Enterprise, Policy, User } from '../../entities';
import { CreditDataSource, PolicyStatus, RiskLevel, Role, VerificationStatus } from '../../entities/enums';
import { evaluateEnterprises } from '../../services/credit/evaluator';
import { upsertCreditRecords } from '../../services/credit/record-upsert';
import type { CreditRecordRow } from '../../services/credit/record-validation';
import { pgArray } from '../../services/ids';
import { addMonthsClamped } from '../../services/loan/schedule';
import { policyProblems } from '../../services/policy/eligibility';
import { sql } from '../../services/sql';
import { seedArticles } from './articles';
import { placeClaim } from './claims';
import type { DepartmentKey } from './demo-organisations';
import { at, type DemoWorld } from './demo-world';
import { DAY_MS, addDays } from '../../services/time';
import { POLICY_PLANS, type Anchor, type ClaimPlan, type PolicyPlan } from './policy-plans';

/** The regulator of each demo department who reviews its claims and signs its articles. */
const REVIEWERS: Record<DepartmentKey, string> = { ndrc: 'demo-regulator', finance: 'demo-finance', tech: 'demo-tech' };

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`demo seed: ${what}`);
}

/** Last year's round was paid on the 5th of the month twelve months ago: a year of records has accrued since. */
export function lastYearPaymentDay(today: string): string {
  return `${addMonthsClamped(today, -12).slice(0, 8)}05`;
}

/** What picking claimants needs: each enterprise's penalty dates (one query) and claims so far. */
interface Claimants {
  world: DemoWorld;
  penalties: Map<string, string[]>;
  claims: Map<string, number>;
}

async function penaltyDates(world: DemoWorld): Promise<Map<string, string[]>> {
  const rows = await sql<{ uscc: string; on: string }>(
    world.em,
    `select uscc, occurred_on::text as on from credit_record where kind = 'ADMIN_PENALTY' and uscc = any(?::text[])`,
    [pgArray(world.enterprises.map((e) => e.uscc))],
  );
  const byUscc = new Map<string, string[]>();
  for (const r of rows) byUscc.set(r.uscc, [...(byUscc.get(r.uscc) ?? []), r.on]);
  return byUscc;
}

/** As the claim service checks it on the day of submission: policyProblems with the latest penalty by then. */
function eligible(c: Claimants, policy: Policy, enterprise: Enterprise, on: string): boolean {
  const last = (c.penalties.get(enterprise.uscc) ?? []).filter((d) => d <= on).sort();
  return (
    enterprise.verificationStatus === VerificationStatus.VERIFIED &&
    policyProblems(policy, enterprise, on, last[last.length - 1]).length === 0
  );
}

/**
 * demo-enterprise for its own claims; otherwise the eligible enterprise (demo-enterprise's excluded)
 * with no risk signal first, then in the plan's industries, then (for last year's beneficiaries,
 * who must be free of every other part of the demo) with 15 staff or more, then with the fewest
 * claims so far, then in seed order. Null when none is eligible: the caller skips the claim.
 */
function pickClaimant(
  c: Claimants,
  policy: Policy,
  plan: ClaimPlan,
  on: string,
  taken: Set<string>,
): Enterprise | null {
  const { world } = c;
  if (plan.who === 'demo') {
    const demo = world.enterprises[0];
    return !taken.has(demo.id) && eligible(c, policy, demo, on) ? demo : null;
  }
  const { industries = [], history = false } = plan.who;
  const rank = (e: Enterprise) => [
    (e.riskLevel ?? RiskLevel.GREEN) === RiskLevel.GREEN ? 0 : 1,
    industries.some((code) => e.industryCode.startsWith(code)) ? 0 : 1,
    history && (e.employees ?? 0) < 15 ? 1 : 0,
    c.claims.get(e.id) ?? 0,
  ];
  const candidates = world.enterprises
    .slice(1)
    .filter((e) => !taken.has(e.id) && !(history && world.used.has(e.id)) && eligible(c, policy, e, on))
    .map((e) => ({ e, rank: rank(e) }));
  // A stable sort: equal ranks stay in seed order.
  candidates.sort((a, b) => compare(a.rank, b.rank));
  return candidates[0]?.e ?? null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The year before last year's payment for its beneficiaries: monthly VAT and insured staff below
 * the year since (which the demo's credit data already holds), so Policy.effect shows how their
 * taxes and jobs grew. The same shape as demo-credit.ts: the 15th of each month, 13 to 24 months back.
 */
function historyBefore(world: DemoWorld, beneficiaries: Enterprise[]): CreditRecordRow[] {
  return beneficiaries.flatMap((e) => {
    const monthlyVat = Math.round((Number(e.annualRevenue ?? 0) * 0.06) / 12);
    return Array.from({ length: 12 }, (_, i) => {
      const monthsAgo = 13 + i;
      const on = `${addMonthsClamped(world.today, -monthsAgo).slice(0, 8)}15`;
      const share = 0.91 - i * 0.01;
      const row = (source: CreditDataSource, kind: string, amount: string): CreditRecordRow => ({
        uscc: e.uscc,
        source,
        kind,
        external_id: `demo-${e.uscc}-${kind}-${on}`,
        period: on.slice(0, 7),
        amount,
        description: null,
        occurred_on: on,
        subject_name: null,
        legal_representative: null,
      });
      return [
        row(CreditDataSource.TAX, 'VAT_PAID', `${Math.round(monthlyVat * share)}.00`),
        row(
          CreditDataSource.SOCIAL_SECURITY,
          'EMPLOYEES_INSURED',
          String(Math.max(1, Math.round((e.employees ?? 1) * (share + 0.04)))),
        ),
      ];
    }).flat();
  });
}

function createPolicy(world: DemoWorld, plan: PolicyPlan, anchor: string): Policy {
  const { eligibility: e } = plan;
  const applyFrom = addDays(anchor, plan.applyFrom);
  const publishedAt = plan.published === null ? null : at(world, addDays(anchor, plan.published));
  const createdAt = publishedAt ? new Date(publishedAt.getTime() - DAY_MS) : new Date(world.now.getTime() - 2 * DAY_MS);
  check((plan.status === PolicyStatus.DRAFT) === (publishedAt === null), `policy ${plan.title}: draft iff unpublished`);
  const closedAt = plan.closed === undefined ? null : at(world, addDays(anchor, plan.closed), 300);
  check(
    (plan.status === PolicyStatus.CLOSED) === (closedAt !== null),
    `policy ${plan.title}: closed iff a closing day`,
  );
  return world.em.create(Policy, {
    department: world.departments[plan.department],
    title: plan.title.replace('{year}', applyFrom.slice(0, 4)),
    summary: plan.summary,
    body: plan.body,
    category: plan.category,
    minGrade: e.minGrade ?? null,
    industryCodes: e.industryCodes ?? [],
    regionCodes: e.regionCodes ?? [],
    sizes: e.sizes ?? [],
    minYearsEstablished: e.minYearsEstablished ?? null,
    noPenaltyMonths: e.noPenaltyMonths ?? null,
    maxAmountPerClaim: plan.maxAmountPerClaim,
    budget: plan.budget,
    budgetCommitted: '0.00',
    applyFrom,
    applyUntil: addDays(anchor, plan.applyUntil),
    status: plan.status,
    publishedAt,
    createdAt,
    updatedAt: closedAt ?? publishedAt ?? createdAt,
  });
}

/**
 * The policy supermarket on top of the marketplace: the plans' policies of three departments,
 * their claims in every status with each step's event (the enterprise's own user submits and
 * withdraws, a regulator of the department reviews, publicises and pays), each policy's committed
 * budget the exact sum of its approved claims, last year's beneficiaries given the records that
 * make Policy.effect show a change, and the departments' articles. One flush writes it.
 */
export async function seedPolicySupermarket(world: DemoWorld): Promise<void> {
  const { em } = world;
  const logins = [...Object.values(REVIEWERS), 'demo-enterprise'];
  const users = new Map((await em.find(User, { login: { $in: logins } })).map((u) => [u.login, u]));
  const reviewers = Object.fromEntries(
    Object.entries(REVIEWERS).map(([key, login]) => [key, users.get(login)!]),
  ) as Record<DepartmentKey, User>;
  const applicants = new Map<string, User>([[world.enterprises[0].id, users.get('demo-enterprise')!]]);
  const applicantOf = (e: Enterprise) => {
    let user = applicants.get(e.id);
    if (!user) {
      // Each claimant enterprise's own user, numbered by its place in the demo list.
      const index = String(world.enterprises.indexOf(e)).padStart(2, '0');
      user = em.create(User, {
        login: `demo-enterprise-${index}`,
        passwordHash: world.passwordHash,
        displayName: `${e.name} 财务`,
        role: Role.ENTERPRISE,
        enterprise: e,
        createdAt: new Date(e.createdAt.getTime() + 3_600_000),
      });
      applicants.set(e.id, user);
    }
    return user;
  };

  const anchors: Record<Anchor, string> = { today: world.today, lastYear: lastYearPaymentDay(world.today) };
  const claimants: Claimants = { world, penalties: await penaltyDates(world), claims: new Map() };
  const policies = POLICY_PLANS.map((plan) => createPolicy(world, plan, anchors[plan.anchor]));
  const picked = new Map<ClaimPlan, Enterprise>();
  const taken = policies.map(() => new Set<string>());
  const pick = (p: number, claim: ClaimPlan) => {
    const on = addDays(anchors[POLICY_PLANS[p].anchor], claim.submitted);
    const enterprise = pickClaimant(claimants, policies[p], claim, on, taken[p]);
    if (!enterprise) return;
    picked.set(claim, enterprise);
    taken[p].add(enterprise.id);
    claimants.claims.set(enterprise.id, (claimants.claims.get(enterprise.id) ?? 0) + 1);
  };

  // Last year's beneficiaries first: their new records re-evaluate them (a moment after the first
  // evaluation, so their reports keep an order) before anyone's grade decides this year's claims.
  POLICY_PLANS.forEach((plan, p) =>
    plan.claims.forEach((claim) => claim.who !== 'demo' && claim.who.history && pick(p, claim)),
  );
  const beneficiaries = [...picked.values()];
  beneficiaries.forEach((e) => world.used.add(e.id));
  if (beneficiaries.length) {
    await upsertCreditRecords(em, historyBefore(world, beneficiaries), world.now);
    const ids = beneficiaries.map((e) => e.id);
    await evaluateEnterprises(em, { ids }, new Date(world.now.getTime() + 1));
    await em.find(Enterprise, { id: { $in: ids } }, { refresh: true });
  }
  POLICY_PLANS.forEach((plan, p) => plan.claims.forEach((claim) => picked.has(claim) || pick(p, claim)));

  let sequence = 0;
  POLICY_PLANS.forEach((plan, p) => {
    const policy = policies[p];
    let committed = new Decimal(0);
    for (const claim of plan.claims) {
      const enterprise = picked.get(claim);
      if (!enterprise) continue;
      sequence += 1;
      const parties = { enterprise, applicant: applicantOf(enterprise), reviewer: reviewers[plan.department] };
      const placed = placeClaim(world, policy, claim, parties, anchors[plan.anchor], sequence);
      if (!placed.approvedAt) continue;
      committed = committed.plus(placed.claim.approvedAmount!);
      // Approval raises the committed budget, and with it the policy's updatedAt (as the review does).
      if (placed.approvedAt > policy.updatedAt) policy.updatedAt = placed.approvedAt;
    }
    check(committed.lte(policy.budget), `policy ${policy.title} committed ${committed} over its budget`);
    policy.budgetCommitted = committed.toFixed(2);
  });

  seedArticles(world, reviewers);
  await em.flush();
}
