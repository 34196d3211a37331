import { randomUUID } from 'node:crypto';
import type { Enterprise } from '../../src/entities';
import type { World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Policy.effect on a dataset small enough to compute by hand. Rows go straight into the tables
 * (the claim workflow has its own tests); the figures are read through the API.
 */

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const EFFECT_FIELDS =
  'claimCount approvedCount disbursedAmount beneficiaryCount taxChangePercent employeeChangePercent';
const POLICY = `query($id: ID!) { policy(id: $id) { id effect { ${EFFECT_FIELDS} } } }`;

async function insertPolicy(departmentId: string, title: string): Promise<string> {
  const id = randomUUID();
  await server.sql(
    `insert into policy (id, department_id, title, summary, body, category, industry_codes, region_codes, sizes,
       max_amount_per_claim, budget, budget_committed, apply_from, apply_until, status, published_at)
     values (?, ?, ?, '摘要', '正文', 'SUBSIDY', '[]', '[]', '[]', '200000.00', '10000000.00', '0.00',
       '2024-01-01', '2027-12-31', 'PUBLISHED', ?)`,
    [id, departmentId, title, new Date(Date.now() - 86_400_000).toISOString()],
  );
  return id;
}

interface ClaimRow {
  status: 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'PUBLICIZED' | 'DISBURSED' | 'WITHDRAWN';
  approved?: string;
  disbursedAt?: string;
}

async function insertClaim(policyId: string, enterprise: Enterprise, claim: ClaimRow): Promise<void> {
  await server.sql(
    `insert into fund_claim (id, policy_id, enterprise_id, requested_amount, approved_amount, statement, status,
       disbursed_at, submitted_at)
     values (?, ?, ?, '200000.00', ?, '申请说明', ?, ?, '2024-12-01T09:00:00+08:00')`,
    [randomUUID(), policyId, enterprise.id, claim.approved ?? null, claim.status, claim.disbursedAt ?? null],
  );
}

/** [source, kind, occurredOn, amount] */
type RecordRow = [string, string, string, string];

async function insertRecords(enterprise: Enterprise, rows: RecordRow[]): Promise<void> {
  for (const [source, kind, occurredOn, amount] of rows) {
    await server.sql(
      `insert into credit_record (id, uscc, source, kind, external_id, amount, occurred_on) values (?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), enterprise.uscc, source, kind, randomUUID(), amount, occurredOn],
    );
  }
}

const tax = (kind: string, on: string, amount: string): RecordRow => ['TAX', kind, on, amount];
const staff = (on: string, headcount: number): RecordRow => [
  'SOCIAL_SECURITY',
  'EMPLOYEES_INSURED',
  on,
  String(headcount),
];

describe('Policy.effect', () => {
  let p1: string; // department A, the worked example
  let p2: string; // department A, no claims
  let p3: string; // department A, a beneficiary with nothing to compare against
  let p4: string; // department B

  beforeAll(async () => {
    const A = world.departmentA.id;
    [p1, p2, p3, p4] = [
      await insertPolicy(A, '科技型中小企业贷款贴息'),
      await insertPolicy(A, '无人申报的政策'),
      await insertPolicy(A, '新设企业补贴'),
      await insertPolicy(world.departmentB.id, '乙部门的政策'),
    ];
    const [e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11] = await Promise.all(
      Array.from({ length: 11 }, () => server.fixtures.enterprise()),
    );

    // ── P1's claims ───────────────────────────────────────────────────────────────────────────
    // e1: rejected once, then disbursed 100,000.00 on 2025-03-15 (Shanghai).
    await insertClaim(p1, e1, { status: 'REJECTED' });
    await insertClaim(p1, e1, { status: 'DISBURSED', approved: '100000.00', disbursedAt: '2025-03-15T10:00:00+08:00' });
    // e2: disbursed 50,000.50 at 2025-06-30 20:30 UTC, which is 2025-07-01 04:30 in Shanghai: d = 2025-07-01.
    await insertClaim(p1, e2, { status: 'DISBURSED', approved: '50000.50', disbursedAt: '2025-06-30T20:30:00Z' });
    // e3, e4: approved, not paid yet (not beneficiaries).
    await insertClaim(p1, e3, { status: 'PUBLICIZED', approved: '30000.00' });
    await insertClaim(p1, e4, { status: 'APPROVED', approved: '20000.00' });
    // e5 rejected, e6 pending, e7 withdrawn (not counted at all).
    await insertClaim(p1, e5, { status: 'REJECTED' });
    await insertClaim(p1, e6, { status: 'SUBMITTED' });
    await insertClaim(p1, e7, { status: 'WITHDRAWN' });
    // e8: disbursed 10,000.00 on 2025-09-01, no credit records at all.
    await insertClaim(p1, e8, { status: 'DISBURSED', approved: '10000.00', disbursedAt: '2025-09-01T09:00:00+08:00' });
    // e9: disbursed 9,999.99 on 2025-05-20, headcount only before.
    await insertClaim(p1, e9, { status: 'DISBURSED', approved: '9999.99', disbursedAt: '2025-05-20T09:00:00+08:00' });

    // ── credit records ────────────────────────────────────────────────────────────────────────
    // e1, d = 2025-03-15: before = [2024-03-15, 2025-03-15), after = [2025-03-15, 2026-03-15).
    await insertRecords(e1, [
      tax('VAT_PAID', '2024-03-14', '99999.00'), // a day too early: out
      tax('VAT_PAID', '2024-03-15', '10000.00'), // before
      tax('VAT_PAID', '2024-09-15', '20000.00'), // before
      tax('CIT_PAID', '2025-01-15', '5000.00'), // before (any TAX kind ending in _PAID)
      tax('TAX_ARREARS', '2024-12-01', '7777.00'), // owed, not paid: out
      ['SOCIAL_SECURITY', 'PREMIUM_PAID', '2024-12-01', '3333.00'], // not a TAX record: out
      tax('VAT_PAID', '2025-03-15', '15000.00'), // after (the day of the disbursement)
      tax('VAT_PAID', '2025-10-15', '25000.00'), // after
      tax('CIT_PAID', '2026-01-15', '6000.00'), // after
      tax('VAT_PAID', '2026-03-15', '88888.00'), // 12 months on: out
      staff('2024-03-14', 100), // out
      staff('2024-04-30', 10), // before, April: 10
      staff('2024-05-15', 14), // before, May: (14 + 12) / 2 = 13
      staff('2024-05-31', 12),
      staff('2025-02-28', 11), // before, February: 11
      staff('2025-03-31', 15), // after
      staff('2025-06-30', 17), // after
      staff('2026-02-28', 19), // after
      staff('2026-03-15', 100), // out
    ]);
    // e2, d = 2025-07-01: before = [2024-07-01, 2025-07-01), after = [2025-07-01, 2026-07-01).
    await insertRecords(e2, [
      tax('VAT_PAID', '2024-07-01', '5000.00'), // before
      tax('VAT_PAID', '2025-06-30', '40000.00'), // before (d is the Shanghai date)
      tax('VAT_PAID', '2025-07-01', '30000.00'), // after
      tax('VAT_PAID', '2025-12-31', '12345.67'), // after
      staff('2025-06-30', 20), // before
      staff('2025-07-31', 22), // after
      staff('2025-08-31', 26), // after
    ]);
    // e9, d = 2025-05-20: a headcount before, none after: left out of the employee figure.
    await insertRecords(e9, [staff('2025-01-31', 50)]);
    // Not beneficiaries: their records never count.
    await insertRecords(e3, [tax('VAT_PAID', '2025-08-01', '1000000.00'), staff('2025-08-31', 500)]);
    await insertRecords(e4, [tax('VAT_PAID', '2024-08-01', '1000000.00'), staff('2024-08-31', 500)]);

    // ── P3: one beneficiary with taxes only after, no headcounts ───────────────────────────────
    await insertClaim(p3, e10, { status: 'DISBURSED', approved: '1000.00', disbursedAt: '2025-04-01T09:00:00+08:00' });
    await insertRecords(e10, [tax('VAT_PAID', '2025-05-15', '500.00')]);

    // ── P4 (department B): one beneficiary ─────────────────────────────────────────────────────
    await insertClaim(p4, e11, { status: 'DISBURSED', approved: '8000.00', disbursedAt: '2025-04-01T09:00:00+08:00' });
    await insertRecords(e11, [tax('VAT_PAID', '2025-03-01', '100.00'), tax('VAT_PAID', '2025-05-01', '150.00')]);
  });

  /**
   * P1 by hand:
   * - claimCount: e1 ×2, e2, e3, e4, e5, e6, e8, e9 = 9 (e7's withdrawn claim is not counted);
   * - approvedCount: e1, e2, e8, e9 (DISBURSED), e3 (PUBLICIZED), e4 (APPROVED) = 6;
   * - disbursedAmount: 100000.00 + 50000.50 + 10000.00 + 9999.99 = 170000.49;
   * - beneficiaryCount: e1, e2, e8, e9 = 4;
   * - taxes: before = e1 (10000 + 20000 + 5000) + e2 (5000 + 40000) + e8 0 + e9 0 = 80000;
   *          after  = e1 (15000 + 25000 + 6000) + e2 (30000 + 12345.67) = 88345.67;
   *          (88345.67 − 80000) × 100 ÷ 80000 = 10.4320875 → 10.43;
   * - employees (e8 and e9 lack a window and are left out):
   *          before = e1 (10 + 13 + 11) / 3 + e2 20 = 34/3 + 20 = 94/3;
   *          after  = e1 (15 + 17 + 19) / 3 + e2 (22 + 26) / 2 = 17 + 24 = 41;
   *          (41 − 94/3) × 100 ÷ (94/3) = 2900/94 = 30.851… → 30.85.
   */
  const P1_EFFECT = {
    claimCount: 9,
    approvedCount: 6,
    disbursedAmount: '170000.49',
    beneficiaryCount: 4,
    taxChangePercent: 10.43,
    employeeChangePercent: 30.85,
  };

  test('the worked example, for a regulator of the owning department', async () => {
    const res = await server.gql(POLICY, { id: p1 }, { token: world.regulator.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.policy.effect).toEqual(P1_EFFECT);
  });

  test('no claims: zeros and no changes', async () => {
    const res = await server.gql(POLICY, { id: p2 }, { token: world.regulator.token });
    expect(res.body.data.policy.effect).toEqual({
      claimCount: 0,
      approvedCount: 0,
      disbursedAmount: '0.00',
      beneficiaryCount: 0,
      taxChangePercent: null,
      employeeChangePercent: null,
    });
  });

  test('nothing paid before (Σ before = 0) and no headcounts: the changes are null', async () => {
    const res = await server.gql(POLICY, { id: p3 }, { token: world.regulator.token });
    expect(res.body.data.policy.effect).toEqual({
      claimCount: 1,
      approvedCount: 1,
      disbursedAmount: '1000.00',
      beneficiaryCount: 1,
      taxChangePercent: null,
      employeeChangePercent: null,
    });
  });

  test("another department's regulator and every other viewer get null", async () => {
    // P4 by hand: before 100, after 150: +50.00 %.
    const own = await server.gql(POLICY, { id: p4 }, { token: world.regulatorB.token });
    expect(own.body.data.policy.effect).toMatchObject({ beneficiaryCount: 1, taxChangePercent: 50 });
    const viewers = [
      world.regulatorB.token,
      world.enterprise.token,
      world.bank.token,
      world.admin.token,
      undefined, // anonymous
    ];
    for (const token of viewers) {
      const res = await server.gql(POLICY, { id: p1 }, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.policy).toEqual({ id: p1, effect: null });
    }
    const other = await server.gql(POLICY, { id: p4 }, { token: world.regulator.token });
    expect(other.body.data.policy).toEqual({ id: p4, effect: null });
  });

  test('a list of policies costs one statement for all their effects', async () => {
    const list = (first: number, effect: boolean) =>
      server.gql(
        `{ policies(first: ${first}) { nodes { id ${effect ? `effect { ${EFFECT_FIELDS} }` : ''} } } }`,
        {},
        { token: world.regulator.token },
      );
    // Newest first: P4 (department B, no figures for this viewer), then P3.
    const two = await list(2, true);
    expect(two.body.data.policies.nodes.map((n: { id: string }) => n.id)).toEqual([p4, p3]);
    const all = await list(10, true);
    const bare = await list(10, false);
    expect(all.body.errors).toBeUndefined();
    const nodes: { id: string; effect: unknown }[] = all.body.data.policies.nodes;
    expect(nodes).toHaveLength(4);
    // The same figures as one at a time.
    expect(nodes.find((n) => n.id === p1)?.effect).toEqual(P1_EFFECT);
    expect(nodes.find((n) => n.id === p4)?.effect).toBeNull();
    expect(nodes.find((n) => n.id === p3)?.effect).toMatchObject({ beneficiaryCount: 1 });
    expect(all.sqlStatements).toBe(two.sqlStatements);
    expect(all.sqlStatements).toBe(bare.sqlStatements + 1);
  });

  test('no statement at all for a viewer who may not see the figures', async () => {
    const query = `{ policies(first: 10) { nodes { id effect { claimCount } } } }`;
    const withEffect = await server.gql(query, {}, { token: world.bank.token });
    const without = await server.gql(`{ policies(first: 10) { nodes { id } } }`, {}, { token: world.bank.token });
    expect(withEffect.body.data.policies.nodes.every((n: { effect: unknown }) => n.effect === null)).toBe(true);
    expect(withEffect.sqlStatements).toBe(without.sqlStatements);
  });
});

test('a beneficiary paid less than a year ago does not count towards the changes yet', async () => {
  const [policy] = await server.sql<{ id: string }>(
    `insert into policy (id, department_id, title, summary, body, category, industry_codes, region_codes, sizes,
       max_amount_per_claim, budget, budget_committed, apply_from, apply_until, status, published_at)
     values (gen_random_uuid(), ?, '新近兑现的政策', '摘要', '正文', 'SUBSIDY', '[]', '[]', '[]',
       100000, 1000000, 50000, '2024-01-01', '2027-12-31', 'PUBLISHED', now()) returning id`,
    [world.departmentA.id],
  );
  const enterprise = await server.fixtures.enterprise();
  const paidAt = new Date(server.clock.now().getTime() - 20 * 86_400_000);
  await server.sql(
    `insert into fund_claim (id, policy_id, enterprise_id, requested_amount, approved_amount, statement, status,
       disbursed_at, submitted_at)
     values (gen_random_uuid(), ?, ?, 50000, 50000, '申请说明', 'DISBURSED', ?, ?)`,
    [policy.id, enterprise.id, paidAt.toISOString(), paidAt.toISOString()],
  );
  // Taxes paid before the payment, nothing recorded since: not a 100 % fall.
  await server.sql(
    `insert into credit_record (id, uscc, source, kind, external_id, occurred_on, amount)
     values (gen_random_uuid(), ?, 'TAX', 'VAT_PAID', ?, ?::date - 100, 30000)`,
    [enterprise.uscc, `recent-${enterprise.id}`, paidAt.toISOString().slice(0, 10)],
  );
  const res = await server.gql(
    `query($id: ID!) { policy(id: $id) { effect { beneficiaryCount disbursedAmount taxChangePercent employeeChangePercent } } }`,
    { id: policy.id },
    { token: world.regulator.token },
  );
  expect(res.body.data.policy.effect).toEqual({
    beneficiaryCount: 1,
    disbursedAmount: '50000.00',
    taxChangePercent: null,
    employeeChangePercent: null,
  });
});
