import { formatDateTime } from '../../src/services/time';
import type { World } from '../support/fixtures';
import { codes, Marketplace } from '../support/marketplace';
import { ClaimDesk, PolicyDesk } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Publicity (公示) and payment: APPROVED → PUBLICIZED for 1..30 days → DISBURSED once publicity has
 * ended, timed by the server's injected clock; the public notices show the claims in their window.
 */

const DAY_MS = 86_400_000;

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

/** Fresh access tokens (they last 15 minutes of the server's clock, which these tests move). */
async function signIn() {
  return {
    regulator: await server.fixtures.login(world.regulator.user.login),
    regulatorB: await server.fixtures.login(world.regulatorB.user.login),
  };
}

/** An APPROVED claim of a fresh enterprise on the policy; its id. */
async function approvedClaim(regulator: string, policyId: string, amount = '30000.00') {
  const { token } = await market.enterprise();
  const claimId = await claims.submitted(token, policyId, amount);
  const approved = await claims.approve(regulator, claimId, amount);
  expect(approved.userErrors).toEqual([]);
  return claimId;
}

const NOTICES = `query($policyId: ID, $first: Int, $after: String) {
  publicClaimNotices(policyId: $policyId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { claimId policyId policyTitle enterpriseName approvedAmount publicityEndsAt }
  }
}`;

const notices = async (variables: Record<string, unknown>) => {
  const res = await server.gql(NOTICES, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.publicClaimNotices;
};

describe('publicizeFundClaims', () => {
  test('APPROVED claims go on display for the days given; each change is kept and audited', async () => {
    const { regulator } = await signIn();
    const policyId = await policies.published(regulator);
    const ids = [await approvedClaim(regulator, policyId), await approvedClaim(regulator, policyId)];
    const before = server.clock.now().getTime();
    const { claims: shown, userErrors } = await claims.publicize(regulator, { policyId, claimIds: ids, days: 7 });
    expect(userErrors).toEqual([]);
    expect(shown.map((c) => [c.id, c.status])).toEqual(ids.map((id) => [id, 'PUBLICIZED']));
    const endsAt = Date.parse(shown[0].publicityEndsAt);
    expect(endsAt - before).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(endsAt - server.clock.now().getTime()).toBeLessThanOrEqual(7 * DAY_MS);
    const rows = await server.sql(
      `select c.id, (select count(*)::int from audit_event a where a.action = 'publicizeFundClaims' and a.target_id = c.id::text) as audits,
              (select array_agg(e.status order by e.at) from fund_claim_event e where e.claim_id = c.id) as history
         from fund_claim c where c.id = any(?::uuid[]) order by c.id`,
      [`{${ids.join(',')}}`],
    );
    for (const row of rows) expect(row).toMatchObject({ audits: 1, history: ['SUBMITTED', 'APPROVED', 'PUBLICIZED'] });
  });

  test('all or nothing: every claim that may not go on display is reported at its position', async () => {
    const { regulator } = await signIn();
    const policyId = await policies.published(regulator);
    const otherPolicy = await policies.published(regulator);
    const approved = await approvedClaim(regulator, policyId);
    const { token } = await market.enterprise();
    const submitted = await claims.submitted(token, policyId);
    const elsewhere = await approvedClaim(regulator, otherPolicy);
    const res = await claims.publicize(regulator, {
      policyId,
      claimIds: [approved, submitted, '00000000-0000-4000-8000-000000000000', 'nope', approved, elsewhere],
      days: 5,
    });
    expect(res.claims).toEqual([]);
    expect(codes(res.userErrors)).toEqual([
      'input.claimIds.1:INVALID_STATE',
      'input.claimIds.2:NOT_FOUND',
      'input.claimIds.3:NOT_FOUND',
      'input.claimIds.4:INVALID',
      'input.claimIds.5:NOT_FOUND',
    ]);
    const statuses = await server.sql('select status from fund_claim where id = any(?::uuid[]) order by status', [
      `{${approved},${elsewhere}}`,
    ]);
    expect(statuses).toEqual([{ status: 'APPROVED' }, { status: 'APPROVED' }]);
  });

  test('days must be 1..30 and at least one claim given; another department cannot publicise', async () => {
    const { regulator, regulatorB } = await signIn();
    const policyId = await policies.published(regulator);
    const claimId = await approvedClaim(regulator, policyId);
    for (const days of [0, 31]) {
      const res = await claims.publicize(regulator, { policyId, claimIds: [claimId], days });
      expect(codes(res.userErrors)).toEqual(['input.days:INVALID']);
    }
    expect(codes((await claims.publicize(regulator, { policyId, claimIds: [], days: 3 })).userErrors)).toEqual([
      'input.claimIds:INVALID',
    ]);
    const foreign = await claims.publicize(regulatorB, { policyId, claimIds: [claimId], days: 3 });
    expect(codes(foreign.userErrors)).toEqual(['input.policyId:NOT_FOUND']);
    const thirty = await claims.publicize(regulator, { policyId, claimIds: [claimId], days: 30 });
    expect(thirty.userErrors).toEqual([]);
  });
});

describe('disburseFundClaim and the publicity clock', () => {
  test('payment waits until publicity has ended, then records the payment', async () => {
    let { regulator } = await signIn();
    const policyId = await policies.published(regulator);
    const claimId = await approvedClaim(regulator, policyId, '45678.90');
    const [shown] = (await claims.publicize(regulator, { policyId, claimIds: [claimId], days: 3 })).claims;
    const endsAt = new Date(shown.publicityEndsAt);

    const early = await claims.run('disburseFundClaim', regulator, { id: claimId });
    expect(codes(early.userErrors)).toEqual(['input.id:INVALID_STATE']);
    expect(early.userErrors[0].message).toContain(formatDateTime(endsAt));

    // One minute before the end: still on display, still refused.
    server.clock.advance(endsAt.getTime() - server.clock.now().getTime() - 60_000);
    ({ regulator } = await signIn());
    expect(codes((await claims.run('disburseFundClaim', regulator, { id: claimId })).userErrors)).toEqual([
      'input.id:INVALID_STATE',
    ]);

    server.clock.advance(2 * 60_000);
    const fresh = await signIn();
    regulator = fresh.regulator;
    const foreign = await claims.run('disburseFundClaim', fresh.regulatorB, { id: claimId });
    expect(codes(foreign.userErrors)).toEqual(['input.id:NOT_FOUND']);
    const paid = await claims.must('disburseFundClaim', regulator, { id: claimId });
    expect(paid).toMatchObject({ status: 'DISBURSED', approvedAmount: '45678.90' });
    expect(Date.parse(paid.disbursedAt)).toBeGreaterThan(endsAt.getTime());
    const day = formatDateTime(server.clock.now()).slice(0, 10).replaceAll('-', '');
    expect(paid.paymentReference).toBe(`ZF${day}${claimId.slice(0, 8).toUpperCase()}`);

    const res = await server.gql(
      `query($id: ID!) { fundClaim(id: $id) { history { status comment } } }`,
      { id: claimId },
      { token: regulator },
    );
    const history = res.body.data.fundClaim.history;
    expect(history.map((h: { status: string }) => h.status)).toEqual([
      'SUBMITTED',
      'APPROVED',
      'PUBLICIZED',
      'DISBURSED',
    ]);
    expect(history[3].comment).toContain(paid.paymentReference);
    expect(history[3].comment).toContain('45678.90');
    const [audit] = await server.sql(
      `select detail from audit_event where action = 'disburseFundClaim' and target_id = ?`,
      [claimId],
    );
    expect(audit.detail).toEqual({ from: 'PUBLICIZED', to: 'DISBURSED' });
    expect(codes((await claims.run('disburseFundClaim', regulator, { id: claimId })).userErrors)).toEqual([
      'input.id:INVALID_STATE',
    ]);
  });
});

describe('publicClaimNotices', () => {
  test('anyone reads the claims in their publicity window, newest first, until it ends', async () => {
    let { regulator } = await signIn();
    const title = '丹东市科技型中小企业研发补助';
    const policyId = await policies.published(regulator, { title, category: 'TECH_INNOVATION' });
    const otherPolicy = await policies.published(regulator);
    const short = await approvedClaim(regulator, policyId, '11111.11');
    const long = await approvedClaim(regulator, policyId, '22222.22');
    const other = await approvedClaim(regulator, otherPolicy, '33333.33');
    const notYet = await approvedClaim(regulator, policyId, '44444.44');
    await claims.publicize(regulator, { policyId, claimIds: [short], days: 2 });
    server.clock.advance(60_000);
    await claims.publicize(regulator, { policyId, claimIds: [long], days: 5 });
    server.clock.advance(60_000);
    await claims.publicize(regulator, { policyId: otherPolicy, claimIds: [other], days: 5 });

    const mine = await notices({ policyId });
    expect(mine.totalCount).toBe(2);
    const [enterprise] = await server.sql(
      'select e.name from enterprise e join fund_claim c on c.enterprise_id = e.id where c.id = ?',
      [long],
    );
    expect(mine.nodes[0]).toEqual({
      claimId: long,
      policyId,
      policyTitle: title,
      enterpriseName: enterprise.name,
      approvedAmount: '22222.22',
      publicityEndsAt: expect.stringMatching(/\+08:00$/),
    });
    expect(mine.nodes.map((n: { claimId: string }) => n.claimId)).toEqual([long, short]);
    expect(mine.nodes.map((n: { claimId: string }) => n.claimId)).not.toContain(notYet);

    // Everyone's notices, paged: the newest publicity first.
    const all = await notices({ first: 2 });
    expect(all.nodes.map((n: { claimId: string }) => n.claimId).slice(0, 2)).toEqual([other, long]);
    const next = await notices({ first: 2, after: all.pageInfo.endCursor });
    expect(next.nodes[0].claimId).toBe(short);
    expect((await notices({ policyId: 'nope' })).nodes).toEqual([]);

    // Two days on, the short publicity has ended; the others remain until theirs end or the money goes out.
    server.clock.advanceDays(2);
    ({ regulator } = await signIn());
    expect((await notices({ policyId })).nodes.map((n: { claimId: string }) => n.claimId)).toEqual([long]);
    await claims.must('disburseFundClaim', regulator, { id: short });
    server.clock.advanceDays(3);
    const ended = await notices({});
    expect(ended.nodes.map((n: { claimId: string }) => n.claimId)).not.toContain(long);
    expect(ended.nodes.map((n: { claimId: string }) => n.claimId)).not.toContain(other);
  });

  test('the page runs a fixed number of statements, whatever its size', async () => {
    const counts: number[] = [];
    for (const first of [1, 20]) {
      const res = await server.gql(NOTICES, { first });
      expect(res.body.errors).toBeUndefined();
      counts.push(res.sqlStatements);
    }
    expect(new Set(counts).size).toBe(1);
  });
});
