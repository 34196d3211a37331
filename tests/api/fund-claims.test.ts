import { Role, VerificationStatus } from '../../src/entities/enums';
import type { World } from '../support/fixtures';
import { codes, Marketplace } from '../support/marketplace';
import { CLAIM_STATEMENT, ClaimDesk, PolicyDesk, serverDate } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';

/** The enterprise's side of fund claims (政策兑现): submitting, withdrawing, reading its own. */

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

const submit = (token: string, input: Record<string, unknown>) =>
  claims.run('submitFundClaim', token, { requestedAmount: '50000.00', statement: CLAIM_STATEMENT, ...input });

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

const MY_CLAIMS = `query($first: Int, $after: String, $statuses: [ClaimStatus!]) {
  fundClaims(first: $first, after: $after, statuses: $statuses) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id status enterprise { id } policy { id } }
  }
}`;

describe('submitFundClaim', () => {
  test('a verified, eligible enterprise applies; the claim, its first history entry and an audit event are written', async () => {
    const policyId = await policies.published(world.regulator.token);
    const { claim, userErrors } = await submit(world.enterprise.token, {
      policyId,
      requestedAmount: '120000.5',
      statement: `  ${CLAIM_STATEMENT}  `,
    });
    expect(userErrors).toEqual([]);
    expect(claim).toMatchObject({
      status: 'SUBMITTED',
      requestedAmount: '120000.50',
      approvedAmount: null,
      statement: CLAIM_STATEMENT,
      publicityEndsAt: null,
      disbursedAt: null,
      paymentReference: null,
      policy: { id: policyId, budgetCommitted: '0.00' },
      enterprise: { id: world.enterpriseA.id },
    });
    expect(claim!.submittedAt).toMatch(/\+08:00$/);
    const res = await server.gql(
      `query($id: ID!) { fundClaim(id: $id) { reviews { decision } history { status comment actor { id } } } }`,
      { id: claim!.id },
      { token: world.enterprise.token },
    );
    expect(res.body.data.fundClaim).toEqual({
      reviews: [],
      history: [{ status: 'SUBMITTED', comment: null, actor: { id: world.enterprise.user.id } }],
    });
    const audits = await server.sql(
      `select actor_id, actor_role, target_type from audit_event where action = 'submitFundClaim' and target_id = ?`,
      [claim!.id],
    );
    expect(audits).toEqual([
      { actor_id: world.enterprise.user.id, actor_role: 'ENTERPRISE', target_type: 'FundClaim' },
    ]);
  });

  test('money and statement are validated per field', async () => {
    const policyId = await policies.published(world.regulator.token);
    const tooSmall = await submit(world.enterprise.token, { policyId, requestedAmount: '0', statement: '太短' });
    expect(codes(tooSmall.userErrors)).toEqual(['input.requestedAmount:INVALID', 'input.statement:INVALID']);
    const places = await submit(world.enterprise.token, { policyId, requestedAmount: '10.001' });
    expect(codes(places.userErrors)).toEqual(['input.requestedAmount:INVALID']);
    const long = await submit(world.enterprise.token, { policyId, statement: '长'.repeat(5001) });
    expect(codes(long.userErrors)).toEqual(['input.statement:INVALID']);
  });

  test('more than the per-claim cap is INVALID on the amount; exactly the cap is accepted', async () => {
    const policyId = await policies.published(world.regulator.token, { maxAmountPerClaim: '80000.00' });
    const over = await submit(world.enterprise.token, { policyId, requestedAmount: '80000.01' });
    expect(codes(over.userErrors)).toEqual(['input.requestedAmount:INVALID']);
    expect(over.userErrors[0].message).toContain('80000.00');
    const cap = await submit(world.enterprise.token, { policyId, requestedAmount: '80000' });
    expect(cap.userErrors).toEqual([]);
  });

  test('an unknown, malformed or draft policy is NOT_FOUND; a closed one is INVALID_STATE', async () => {
    const draft = await policies.create(world.regulator.token);
    for (const policyId of ['00000000-0000-4000-8000-000000000000', 'not-an-id', draft.policy.id]) {
      expect(codes((await submit(world.enterprise.token, { policyId })).userErrors)).toEqual([
        'input.policyId:NOT_FOUND',
      ]);
    }
    const closed = await policies.published(world.regulator.token);
    await server.gql(
      `mutation($id: ID!) { closePolicy(input: { id: $id }) { userErrors { code } } }`,
      { id: closed },
      {
        token: world.regulator.token,
      },
    );
    expect(codes((await submit(world.enterprise.token, { policyId: closed })).userErrors)).toEqual([
      'input.policyId:INVALID_STATE',
    ]);
  });

  test('outside the application window (Asia/Shanghai dates) is INVALID_STATE naming the window', async () => {
    const future = await policies.published(world.regulator.token, {
      applyFrom: serverDate(server, 1),
      applyUntil: serverDate(server, 30),
    });
    const early = await submit(world.enterprise.token, { policyId: future });
    expect(codes(early.userErrors)).toEqual(['input.policyId:INVALID_STATE']);
    expect(early.userErrors[0].message).toContain(serverDate(server, 1));
    const past = await policies.published(world.regulator.token, {
      applyFrom: serverDate(server, -30),
      applyUntil: serverDate(server, -1),
    });
    const late = await submit(world.enterprise.token, { policyId: past });
    expect(codes(late.userErrors)).toEqual(['input.policyId:INVALID_STATE']);
    expect(late.userErrors[0].message).toContain('已截止');
    const lastDay = await policies.published(world.regulator.token, {
      applyFrom: serverDate(server, 0),
      applyUntil: serverDate(server, 0),
    });
    expect((await submit(world.enterprise.token, { policyId: lastDay })).userErrors).toEqual([]);
  });

  test('an enterprise not VERIFIED is NOT_ELIGIBLE', async () => {
    const policyId = await policies.published(world.regulator.token);
    for (const status of [VerificationStatus.PENDING, VerificationStatus.REJECTED]) {
      const { token } = await market.enterprise({ verificationStatus: status });
      const res = await submit(token, { policyId });
      expect(codes(res.userErrors)).toEqual([':NOT_ELIGIBLE']);
      expect(res.userErrors[0].message).toContain('实名认证');
    }
  });

  test('an enterprise the policy does not admit is NOT_ELIGIBLE with every unmet criterion', async () => {
    const policyId = await policies.published(world.regulator.token, {
      eligibility: { sizes: ['MEDIUM'], regionCodes: ['110000'] },
    });
    const res = await submit(world.enterprise.token, { policyId });
    expect(codes(res.userErrors)).toEqual(['input.policyId:NOT_ELIGIBLE']);
    expect(res.userErrors[0].message.split('：')[1].split('；')).toHaveLength(2);
  });

  test('a recent administrative penalty refuses a policy that asks for none within N months', async () => {
    const policyId = await policies.published(world.regulator.token, { eligibility: { noPenaltyMonths: 12 } });
    const { org, token } = await market.enterprise();
    await server.gql(
      `mutation($input: ImportCreditRecordsInput!) { importCreditRecords(input: $input) { userErrors { code } } }`,
      {
        input: {
          records: [
            {
              uscc: org.uscc,
              externalId: `penalty-${org.id}`,
              source: 'PENALTY',
              kind: 'ADMIN_PENALTY',
              amount: '3000.00',
              occurredOn: serverDate(server, -30),
            },
          ],
        },
      },
      { token: world.regulator.token },
    );
    const res = await submit(token, { policyId });
    expect(codes(res.userErrors)).toEqual(['input.policyId:NOT_ELIGIBLE']);
    expect(res.userErrors[0].message).toContain('行政处罚');
  });

  test('one live claim per policy per enterprise; a withdrawn or rejected one makes room again', async () => {
    const policyId = await policies.published(world.regulator.token);
    const first = await claims.submitted(world.enterprise.token, policyId);
    const again = await submit(world.enterprise.token, { policyId });
    expect(codes(again.userErrors)).toEqual(['input.policyId:LIMIT_EXCEEDED']);
    // Another enterprise is not affected.
    expect((await submit(world.enterpriseUserB.token, { policyId })).userErrors).toEqual([]);
    await claims.must('withdrawFundClaim', world.enterprise.token, { id: first });
    const second = await claims.submitted(world.enterprise.token, policyId);
    expect((await claims.reject(world.regulator.token, second)).userErrors).toEqual([]);
    const third = await claims.submitted(world.enterprise.token, policyId);
    expect((await claims.approve(world.regulator.token, third, '10000.00')).userErrors).toEqual([]);
    expect(codes((await submit(world.enterprise.token, { policyId })).userErrors)).toEqual([
      'input.policyId:LIMIT_EXCEEDED',
    ]);
  });

  test('concurrent submissions of one enterprise: exactly one claim is written', async () => {
    const policyId = await policies.published(world.regulator.token);
    const { org, token } = await market.enterprise();
    const results = await Promise.all(Array.from({ length: 6 }, () => submit(token, { policyId })));
    expect(results.filter((r) => r.claim).length).toBe(1);
    for (const r of results.filter((x) => !x.claim)) {
      expect(codes(r.userErrors)).toEqual(['input.policyId:LIMIT_EXCEEDED']);
    }
    expect(await count('fund_claim', 'policy_id = ? and enterprise_id = ?', [policyId, org.id])).toBe(1);
    expect(
      await count(
        'fund_claim_event e join fund_claim c on c.id = e.claim_id',
        'c.policy_id = ? and c.enterprise_id = ?',
        [policyId, org.id],
      ),
    ).toBe(1);
  });

  test('a policy whose budget is fully committed takes no more claims (LIMIT_EXCEEDED)', async () => {
    const policyId = await policies.published(world.regulator.token, {
      budget: '100000.00',
      maxAmountPerClaim: '100000.00',
    });
    const claimId = await claims.submitted(world.enterprise.token, policyId, '100000.00');
    // While budget remains, a claim may ask for more than what is left: the review decides.
    expect((await submit(world.enterpriseUserB.token, { policyId, requestedAmount: '90000.00' })).userErrors).toEqual(
      [],
    );
    expect((await claims.approve(world.regulator.token, claimId, '100000.00')).userErrors).toEqual([]);
    const { token } = await market.enterprise();
    const res = await submit(token, { policyId });
    expect(codes(res.userErrors)).toEqual(['input.policyId:LIMIT_EXCEEDED']);
  });

  test('a refused submission writes nothing', async () => {
    const policyId = await policies.published(world.regulator.token, { maxAmountPerClaim: '1000.00' });
    const before = await Promise.all(['fund_claim', 'fund_claim_event', 'audit_event'].map((t) => count(t)));
    await submit(world.enterprise.token, { policyId, requestedAmount: '1000.01' });
    const after = await Promise.all(['fund_claim', 'fund_claim_event', 'audit_event'].map((t) => count(t)));
    expect(after).toEqual(before);
  });
});

describe('withdrawFundClaim', () => {
  test('the enterprise withdraws its own SUBMITTED claim; the change is kept in its history', async () => {
    const policyId = await policies.published(world.regulator.token);
    const id = await claims.submitted(world.enterprise.token, policyId);
    const claim = await claims.must('withdrawFundClaim', world.enterprise.token, { id });
    expect(claim.status).toBe('WITHDRAWN');
    const [{ statuses }] = await server.sql(
      `select array_agg(status order by at) as statuses from fund_claim_event where claim_id = ?`,
      [id],
    );
    expect(statuses).toEqual(['SUBMITTED', 'WITHDRAWN']);
    expect(await count('audit_event', `action = 'withdrawFundClaim' and target_id = ?`, [id])).toBe(1);
    const again = await claims.run('withdrawFundClaim', world.enterprise.token, { id });
    expect(codes(again.userErrors)).toEqual(['input.id:INVALID_STATE']);
  });

  test("another enterprise's claim or a malformed id is NOT_FOUND, and nothing changes", async () => {
    const policyId = await policies.published(world.regulator.token);
    const id = await claims.submitted(world.enterprise.token, policyId);
    for (const candidate of [id, 'nope']) {
      const res = await claims.run('withdrawFundClaim', world.enterpriseUserB.token, { id: candidate });
      expect(codes(res.userErrors)).toEqual(['input.id:NOT_FOUND']);
    }
    expect((await server.sql('select status from fund_claim where id = ?', [id]))[0].status).toBe('SUBMITTED');
  });
});

describe('fundClaims and fundClaim', () => {
  test('an enterprise lists its own claims, newest first, filtered by status and paged', async () => {
    const { org, token } = await market.enterprise();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(await claims.submitted(token, await policies.published(world.regulator.token)));
    }
    await claims.must('withdrawFundClaim', token, { id: ids[1] });
    const all = await server.gql(MY_CLAIMS, { first: 2 }, { token });
    expect(all.body.data.fundClaims.totalCount).toBe(3);
    expect(all.body.data.fundClaims.nodes.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    expect(all.body.data.fundClaims.nodes.every((n: any) => n.enterprise.id === org.id)).toBe(true);
    const rest = await server.gql(
      MY_CLAIMS,
      { first: 2, after: all.body.data.fundClaims.pageInfo.endCursor },
      { token },
    );
    expect(rest.body.data.fundClaims.nodes.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(rest.body.data.fundClaims.pageInfo.hasNextPage).toBe(false);
    const withdrawn = await server.gql(MY_CLAIMS, { statuses: ['WITHDRAWN'] }, { token });
    expect(withdrawn.body.data.fundClaims).toMatchObject({
      totalCount: 1,
      nodes: [{ id: ids[1], status: 'WITHDRAWN' }],
    });
  });

  test("a regulator lists its department's claims only; fundClaim(id) outside the scope is null", async () => {
    const policyA = await policies.published(world.regulator.token);
    const policyB = await policies.published(world.regulatorB.token);
    const { token } = await market.enterprise();
    const onA = await claims.submitted(token, policyA);
    const onB = await claims.submitted(token, policyB);
    const listed = async (viewer: string) => {
      const res = await server.gql(MY_CLAIMS, { first: 100 }, { token: viewer });
      return res.body.data.fundClaims.nodes.map((n: { id: string }) => n.id);
    };
    expect(await listed(world.regulator.token)).toContain(onA);
    expect(await listed(world.regulator.token)).not.toContain(onB);
    expect(await listed(world.regulatorB.token)).toEqual([onB]);
    const one = (id: string, viewer: string) =>
      server.gql(`query($id: ID!) { fundClaim(id: $id) { id } }`, { id }, { token: viewer });
    expect((await one(onA, world.regulator.token)).body.data.fundClaim).toEqual({ id: onA });
    expect((await one(onA, world.regulatorB.token)).body.data.fundClaim).toBeNull();
    expect((await one(onA, world.enterpriseUserB.token)).body.data.fundClaim).toBeNull();
    expect((await one(onA, token)).body.data.fundClaim).toEqual({ id: onA });
    expect((await one('nope', token)).body.data.fundClaim).toBeNull();
  });

  test('a second regulator of the same department sees the same claims', async () => {
    const policyId = await policies.published(world.regulator.token);
    const id = await claims.submitted(world.enterprise.token, policyId);
    const colleague = await server.fixtures.principal(Role.REGULATOR, { department: world.departmentA } as never);
    const res = await server.gql(
      `query($id: ID!) { fundClaim(id: $id) { id status } }`,
      { id },
      {
        token: colleague.token,
      },
    );
    expect(res.body.data.fundClaim).toEqual({ id, status: 'SUBMITTED' });
  });
});
