import { Role } from '../../src/entities/enums';
import type { World } from '../support/fixtures';
import { codes, Marketplace } from '../support/marketplace';
import { ClaimDesk, PolicyDesk } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The department's review of fund claims: the decision's rules, department ownership, the state
 * machine's refused transitions, and the budget under concurrent approvals.
 */

let server: TestServer;
let world: World;
let policies: PolicyDesk;
let claims: ClaimDesk;
let market: Marketplace;

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  policies = new PolicyDesk(server);
  claims = new ClaimDesk(server);
  market = new Marketplace(server);
});
afterAll(() => server.close());

const review = (token: string, input: Record<string, unknown>) => claims.run('reviewFundClaim', token, input);

async function events(claimId: string): Promise<number> {
  const [row] = await server.sql('select count(*)::int as n from fund_claim_event where claim_id = ?', [claimId]);
  return row.n;
}

/**
 * `n` fresh enterprises with signed-in users, a few at a time: sign-ins in flight each hold one of
 * the address's 20 attempts until they succeed (the login throttle).
 */
async function enterprises(n: number) {
  const made: Awaited<ReturnType<Marketplace['enterprise']>>[] = [];
  while (made.length < n) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(8, n - made.length) }, () => market.enterprise()))));
  }
  return made;
}

const committed = async (policyId: string): Promise<string> =>
  (await server.sql('select budget_committed::text as c from policy where id = ?', [policyId]))[0].c;

describe('reviewFundClaim', () => {
  test('APPROVE commits the approved amount to the budget and is kept as a review', async () => {
    const policyId = await policies.published(world.regulator.token);
    const claimId = await claims.submitted(world.enterprise.token, policyId, '150000.00');
    const { claim, userErrors } = await review(world.regulator.token, {
      claimId,
      decision: 'APPROVE',
      approvedAmount: '120000.1',
      comment: '  核定 12 万元  ',
    });
    expect(userErrors).toEqual([]);
    expect(claim).toMatchObject({
      status: 'APPROVED',
      approvedAmount: '120000.10',
      policy: { id: policyId, budgetCommitted: '120000.10' },
    });
    const res = await server.gql(
      `query($id: ID!) { fundClaim(id: $id) {
        reviews { decision approvedAmount comment reviewedAt reviewer { id role } }
        history { status actor { id } }
      } }`,
      { id: claimId },
      { token: world.enterprise.token },
    );
    expect(res.body.data.fundClaim.reviews).toEqual([
      {
        decision: 'APPROVE',
        approvedAmount: '120000.10',
        comment: '核定 12 万元',
        reviewedAt: expect.stringMatching(/\+08:00$/),
        reviewer: { id: world.regulator.user.id, role: 'REGULATOR' },
      },
    ]);
    expect(res.body.data.fundClaim.history).toEqual([
      { status: 'SUBMITTED', actor: { id: world.enterprise.user.id } },
      { status: 'APPROVED', actor: { id: world.regulator.user.id } },
    ]);
    const [audit] = await server.sql(
      `select actor_role, detail from audit_event where action = 'reviewFundClaim' and target_id = ?`,
      [claimId],
    );
    expect(audit).toEqual({ actor_role: 'REGULATOR', detail: { from: 'SUBMITTED', to: 'APPROVED' } });
  });

  test('REJECT needs a comment and commits nothing', async () => {
    const policyId = await policies.published(world.regulator.token);
    const claimId = await claims.submitted(world.enterprise.token, policyId);
    const blank = await review(world.regulator.token, { claimId, decision: 'REJECT', comment: ' 不 ' });
    expect(codes(blank.userErrors)).toEqual(['input.comment:INVALID']);
    const withAmount = await review(world.regulator.token, {
      claimId,
      decision: 'REJECT',
      approvedAmount: '10.00',
      comment: '不符合条件',
    });
    expect(codes(withAmount.userErrors)).toEqual(['input.approvedAmount:INVALID']);
    const { claim, userErrors } = await claims.reject(world.regulator.token, claimId, '近三年存在欠税记录');
    expect(userErrors).toEqual([]);
    expect(claim).toMatchObject({ status: 'REJECTED', approvedAmount: null, policy: { budgetCommitted: '0.00' } });
    const [row] = await server.sql(
      `select decision, comment, approved_amount from fund_claim_event where claim_id = ? and status = 'REJECTED'`,
      [claimId],
    );
    expect(row).toEqual({ decision: 'REJECT', comment: '近三年存在欠税记录', approved_amount: null });
  });

  test('APPROVE needs an amount > 0, ≤ requested, ≤ the per-claim cap, and a comment', async () => {
    const policyId = await policies.published(world.regulator.token, { maxAmountPerClaim: '100000.00' });
    const claimId = await claims.submitted(world.enterprise.token, policyId, '80000.00');
    const approve = (input: Record<string, unknown>) =>
      review(world.regulator.token, { claimId, decision: 'APPROVE', comment: '同意', ...input });
    expect(codes((await approve({})).userErrors)).toEqual(['input.approvedAmount:INVALID']);
    expect(codes((await approve({ approvedAmount: '0' })).userErrors)).toEqual(['input.approvedAmount:INVALID']);
    expect(codes((await approve({ approvedAmount: '1.234' })).userErrors)).toEqual(['input.approvedAmount:INVALID']);
    const over = await approve({ approvedAmount: '80000.01' });
    expect(codes(over.userErrors)).toEqual(['input.approvedAmount:INVALID']);
    expect(over.userErrors[0].message).toContain('80000.00');
    expect(codes((await approve({ approvedAmount: '100', comment: '' })).userErrors)).toEqual([
      'input.comment:INVALID',
    ]);
    // The cap is checked again at review (a backstop: a claim is capped when submitted).
    await server.sql('update policy set max_amount_per_claim = 50000 where id = ?', [policyId]);
    const capped = await approve({ approvedAmount: '60000.00' });
    expect(codes(capped.userErrors)).toEqual(['input.approvedAmount:INVALID']);
    expect(capped.userErrors[0].message).toContain('50000.00');
    expect(await events(claimId)).toBe(1);
    expect(await committed(policyId)).toBe('0.00');
    expect((await approve({ approvedAmount: '50000.00' })).claim).toMatchObject({ status: 'APPROVED' });
  });

  test("another department's regulator is refused (NOT_FOUND); a colleague of the same department may review", async () => {
    const policyId = await policies.published(world.regulator.token);
    const claimId = await claims.submitted(world.enterprise.token, policyId);
    const foreign = await claims.approve(world.regulatorB.token, claimId, '1000.00');
    expect(codes(foreign.userErrors)).toEqual(['input.claimId:NOT_FOUND']);
    expect(codes((await claims.reject(world.regulatorB.token, claimId)).userErrors)).toEqual([
      'input.claimId:NOT_FOUND',
    ]);
    expect(codes((await claims.approve(world.regulator.token, 'nope', '1000.00')).userErrors)).toEqual([
      'input.claimId:NOT_FOUND',
    ]);
    expect(await events(claimId)).toBe(1);
    const colleague = await server.fixtures.principal(Role.REGULATOR, { department: world.departmentA } as never);
    expect((await claims.approve(colleague.token, claimId, '1000.00')).claim).toMatchObject({ status: 'APPROVED' });
  });

  test('two reviews of one claim at once: one applies, the other is INVALID_STATE; budget committed once', async () => {
    const policyId = await policies.published(world.regulator.token);
    const claimId = await claims.submitted(world.enterprise.token, policyId, '100000.00');
    const colleague = await server.fixtures.principal(Role.REGULATOR, { department: world.departmentA } as never);
    const results = await Promise.all([
      claims.approve(world.regulator.token, claimId, '100000.00'),
      claims.approve(colleague.token, claimId, '100000.00'),
      claims.reject(colleague.token, claimId),
    ]);
    expect(results.filter((r) => r.claim).length).toBe(1);
    for (const r of results.filter((x) => !x.claim))
      expect(codes(r.userErrors)).toEqual(['input.claimId:INVALID_STATE']);
    const [claim] = await server.sql('select status from fund_claim where id = ?', [claimId]);
    expect(await committed(policyId)).toBe(claim.status === 'APPROVED' ? '100000.00' : '0.00');
    expect(await events(claimId)).toBe(2);
  });
});

describe('the budget under concurrent approvals', () => {
  test('25 approvals at once by 5 reviewers never take budgetCommitted above the budget, to the fen', async () => {
    // 20 × 40,000.01 is exactly the budget: the 20th approval fits to the fen, the 21st does not.
    const policyId = await policies.published(world.regulator.token, {
      budget: '800000.20',
      maxAmountPerClaim: '50000.00',
    });
    const parties = await enterprises(25);
    const ids = await Promise.all(parties.map((e) => claims.submitted(e.token, policyId, '40000.01')));
    const reviewers = [
      world.regulator,
      ...(await Promise.all(
        Array.from({ length: 4 }, () =>
          server.fixtures.principal(Role.REGULATOR, { department: world.departmentA } as never),
        ),
      )),
    ];
    const results = await Promise.all(
      ids.map((id, i) => claims.approve(reviewers[i % reviewers.length].token, id, '40000.01')),
    );
    const approved = results.filter((r) => r.claim);
    const refused = results.filter((r) => !r.claim);
    expect(approved.length).toBe(20);
    expect(refused.length).toBe(5);
    for (const r of refused) {
      expect(codes(r.userErrors)).toEqual(['input.approvedAmount:LIMIT_EXCEEDED']);
      expect(r.userErrors[0].message).toContain('0.00 元');
    }
    const [policy] = await server.sql(
      `select budget::text as budget, budget_committed::text as committed,
              (select coalesce(sum(approved_amount), 0)::text from fund_claim where policy_id = p.id and status = 'APPROVED') as approved,
              (select count(*)::int from fund_claim where policy_id = p.id and status = 'SUBMITTED') as waiting,
              (select count(*)::int from fund_claim_event e join fund_claim c on c.id = e.claim_id
                 where c.policy_id = p.id and e.decision = 'APPROVE') as reviews
         from policy p where p.id = ?`,
      [policyId],
    );
    expect(policy).toEqual({
      budget: '800000.20',
      committed: '800000.20',
      approved: '800000.20',
      waiting: 5,
      reviews: 20,
    });
  });

  test('amounts that do not divide the budget: committed equals the sum approved and stays within it', async () => {
    const policyId = await policies.published(world.regulator.token, {
      budget: '100000.00',
      maxAmountPerClaim: '30000.00',
    });
    const parties = await enterprises(20);
    const amounts = parties.map((_, i) => `${7000 + i * 311}.${String((i * 7) % 100).padStart(2, '0')}`);
    const ids = await Promise.all(parties.map((e, i) => claims.submitted(e.token, policyId, amounts[i])));
    const results = await Promise.all(ids.map((id, i) => claims.approve(world.regulator.token, id, amounts[i])));
    const [row] = await server.sql(
      `select budget_committed::text as committed,
              (select coalesce(sum(approved_amount), 0)::text from fund_claim where policy_id = p.id and status = 'APPROVED') as approved
         from policy p where p.id = ?`,
      [policyId],
    );
    expect(row.committed).toBe(row.approved);
    expect(Number(row.committed)).toBeLessThanOrEqual(100000);
    const refusedAmounts = results.flatMap((r, i) => (r.claim ? [] : [Number(amounts[i])]));
    expect(refusedAmounts.length).toBeGreaterThan(0);
    // Every refusal was real: its amount did not fit in what was left at the end.
    for (const amount of refusedAmounts) expect(Number(row.committed) + amount).toBeGreaterThan(100000);
  });
});

describe('the state machine refuses every other transition', () => {
  type Status = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'PUBLICIZED' | 'DISBURSED';

  /** A claim of a fresh policy brought into `status` through the API (the publicity end moved back by SQL). */
  async function claimIn(status: Status): Promise<{ policyId: string; claimId: string }> {
    const policyId = await policies.published(world.regulator.token);
    const claimId = await claims.submitted(world.enterprise.token, policyId, '10000.00');
    if (status === 'WITHDRAWN') await claims.must('withdrawFundClaim', world.enterprise.token, { id: claimId });
    if (status === 'REJECTED') await claims.reject(world.regulator.token, claimId);
    if (status === 'APPROVED' || status === 'PUBLICIZED' || status === 'DISBURSED') {
      await claims.approve(world.regulator.token, claimId, '10000.00');
    }
    if (status === 'PUBLICIZED' || status === 'DISBURSED') {
      await claims.publicize(world.regulator.token, { policyId, claimIds: [claimId], days: 1 });
    }
    if (status === 'DISBURSED') {
      await server.sql(`update fund_claim set publicity_ends_at = now() - interval '1 minute' where id = ?`, [claimId]);
      await claims.must('disburseFundClaim', world.regulator.token, { id: claimId });
    }
    const [row] = await server.sql('select status from fund_claim where id = ?', [claimId]);
    expect(row.status).toBe(status);
    return { policyId, claimId };
  }

  const actions: Record<string, { from: Status[]; run: (c: { policyId: string; claimId: string }) => Promise<any> }> = {
    approve: {
      from: ['SUBMITTED'],
      run: ({ claimId }) => claims.approve(world.regulator.token, claimId, '10000.00'),
    },
    reject: { from: ['SUBMITTED'], run: ({ claimId }) => claims.reject(world.regulator.token, claimId) },
    withdraw: {
      from: ['SUBMITTED'],
      run: ({ claimId }) => claims.run('withdrawFundClaim', world.enterprise.token, { id: claimId }),
    },
    publicize: {
      from: ['APPROVED'],
      run: ({ policyId, claimId }) =>
        claims.publicize(world.regulator.token, { policyId, claimIds: [claimId], days: 5 }),
    },
    disburse: {
      // PUBLICIZED is refused too while its publicity runs (see claim-publicity.test.ts for the timing).
      from: [],
      run: ({ claimId }) => claims.run('disburseFundClaim', world.regulator.token, { id: claimId }),
    },
  };
  const STATUSES: Status[] = ['SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'PUBLICIZED', 'DISBURSED'];

  test.each(STATUSES)('from %s', async (status) => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [name, action] of Object.entries(actions)) {
      if (action.from.includes(status)) continue;
      const claim = await claimIn(status);
      const eventsBefore = await events(claim.claimId);
      const budgetBefore = await committed(claim.policyId);
      const payload = await action.run(claim);
      outcomes.push(`${name}: ${codes(payload.userErrors).join(',')}`);
      const field =
        name === 'publicize'
          ? 'input.claimIds.0'
          : name === 'withdraw' || name === 'disburse'
            ? 'input.id'
            : 'input.claimId';
      expected.push(`${name}: ${field}:INVALID_STATE`);
      const [row] = await server.sql('select status from fund_claim where id = ?', [claim.claimId]);
      expect(row.status).toBe(status);
      expect(await events(claim.claimId)).toBe(eventsBefore);
      expect(await committed(claim.policyId)).toBe(budgetBefore);
    }
    expect(outcomes).toEqual(expected);
  });
});
