import { Role } from '../../src/entities/enums';
import type { Principal, World } from '../support/fixtures';
import { Marketplace, type Party } from '../support/marketplace';
import { ClaimDesk, PolicyDesk } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';
import type { Enterprise } from '../../src/entities';

/** Policy.claims: for the regulators of the owning department only, batched across policies. */

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

const POLICY_CLAIMS = `query($id: ID!, $first: Int, $after: String, $statuses: [ClaimStatus!]) {
  policy(id: $id) {
    id
    claims(first: $first, after: $after, statuses: $statuses) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id status }
    }
  }
}`;

test("the department's regulators page through a policy's claims, newest first, filtered by status", async () => {
  const policyId = await policies.published(world.regulator.token);
  const parties = await Promise.all(Array.from({ length: 3 }, () => market.enterprise()));
  const ids: string[] = [];
  for (const p of parties) ids.push(await claims.submitted(p.token, policyId));
  await claims.reject(world.regulator.token, ids[0]);
  const first = await server.gql(POLICY_CLAIMS, { id: policyId, first: 2 }, { token: world.regulator.token });
  expect(first.body.errors).toBeUndefined();
  const page = first.body.data.policy.claims;
  expect(page.totalCount).toBe(3);
  expect(page.nodes.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
  expect(page.pageInfo.hasNextPage).toBe(true);
  const rest = await server.gql(
    POLICY_CLAIMS,
    { id: policyId, first: 2, after: page.pageInfo.endCursor },
    { token: world.regulator.token },
  );
  expect(rest.body.data.policy.claims.nodes).toEqual([{ id: ids[0], status: 'REJECTED' }]);
  const submitted = await server.gql(
    POLICY_CLAIMS,
    { id: policyId, statuses: ['SUBMITTED'] },
    { token: world.regulator.token },
  );
  expect(submitted.body.data.policy.claims.totalCount).toBe(2);
  expect(submitted.body.data.policy.claims.nodes.map((n: { status: string }) => n.status)).toEqual([
    'SUBMITTED',
    'SUBMITTED',
  ]);
});

test('anyone else is refused with FORBIDDEN at Policy.claims', async () => {
  const policyId = await policies.published(world.regulator.token);
  await claims.submitted(world.enterprise.token, policyId);
  const viewers: [string, string | undefined][] = [
    ['another department', world.regulatorB.token],
    ['the claiming enterprise', world.enterprise.token],
    ['a bank', world.bank.token],
    ['anonymous', undefined],
  ];
  for (const [who, token] of viewers) {
    const res = await server.gql(POLICY_CLAIMS, { id: policyId }, { token });
    expect({ who, errors: res.body.errors?.map((e) => [e.extensions.code, e.path]) }).toEqual({
      who,
      errors: [['FORBIDDEN', ['policy', 'claims']]],
    });
    // The policy itself stays readable without the field.
    const plain = await server.gql(`query($id: ID!) { policy(id: $id) { id } }`, { id: policyId }, { token });
    expect(plain.body.data.policy).toEqual({ id: policyId });
  }
});

describe('statement counts', () => {
  let department: { id: string };
  let regulator: Principal;

  /** A fresh department with `n` published policies, each with a claim of every enterprise and one reviewed. */
  beforeAll(async () => {
    department = await server.fixtures.department();
    regulator = await server.fixtures.principal(Role.REGULATOR, { department } as never);
    const enterprises: Party<Enterprise>[] = await Promise.all(Array.from({ length: 3 }, () => market.enterprise()));
    for (let i = 0; i < 20; i += 1) {
      const policyId = await policies.published(regulator.token, { title: `统计政策 ${i}` });
      const ids = await Promise.all(enterprises.map((e) => claims.submitted(e.token, policyId, '20000.00')));
      await claims.approve(regulator.token, ids[0], '15000.00');
      await claims.reject(regulator.token, ids[1]);
    }
  });

  const NESTED = `query($first: Int!, $department: ID!, $statuses: [ClaimStatus!]) {
    policies(filter: { departmentIds: [$department] }, first: $first) {
      nodes {
        id title
        claims(first: 5, statuses: $statuses) {
          totalCount pageInfo { hasNextPage }
          nodes {
            id status approvedAmount
            policy { id title budgetCommitted }
            enterprise { id name }
            reviews { decision comment reviewer { id displayName } }
            history { status actor { id } }
          }
        }
      }
    }
  }`;

  test('Policy.claims for 1, 5 or 20 policies runs the same number of statements', async () => {
    const counts: number[] = [];
    for (const first of [1, 5, 20]) {
      const res = await server.gql(NESTED, { first, department: department.id }, { token: regulator.token });
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data.policies.nodes;
      expect(nodes).toHaveLength(first);
      for (const policy of nodes) {
        expect(policy.claims.totalCount).toBe(3);
        expect(policy.claims.nodes).toHaveLength(3);
        expect(policy.claims.nodes.flatMap((c: any) => c.reviews)).toHaveLength(2);
      }
      counts.push(res.sqlStatements);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
  });

  test('a status filter keeps the count bounded too', async () => {
    const counts: number[] = [];
    for (const first of [1, 20]) {
      const res = await server.gql(
        NESTED,
        { first, department: department.id, statuses: ['APPROVED'] },
        { token: regulator.token },
      );
      expect(res.body.errors).toBeUndefined();
      for (const policy of res.body.data.policies.nodes) {
        expect(policy.claims.nodes.map((c: { status: string }) => c.status)).toEqual(['APPROVED']);
      }
      counts.push(res.sqlStatements);
    }
    expect(new Set(counts).size).toBe(1);
  });

  test('fundClaims(first: 3 | 20 | 60) with their policies, enterprises and reviews: the same number of statements', async () => {
    const counts: number[] = [];
    // From 3 on, every page holds reviews (the newest policy's claims), so each loader has work.
    for (const first of [3, 20, 60]) {
      const res = await server.gql(
        `query($first: Int) { fundClaims(first: $first) {
          totalCount nodes { id policy { title } enterprise { name } reviews { reviewer { id } } history { status } }
        } }`,
        { first },
        { token: regulator.token },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.fundClaims.nodes).toHaveLength(first);
      expect(res.body.data.fundClaims.totalCount).toBe(60);
      counts.push(res.sqlStatements);
    }
    expect(new Set(counts).size).toBe(1);
  });
});
