import { VerificationStatus } from '../../src/entities/enums';
import type { World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const PUBLISH = `mutation($input: PublishDemandInput!) {
  publishDemand(input: $input) {
    demand { id status amount termMonths acceptedTypes expiresAt enterprise { id } }
    userErrors { field code message }
  }
}`;
const WITHDRAW = `mutation($id: ID!) { withdrawDemand(input: { id: $id }) { demand { status } userErrors { code } } }`;
const DEMAND = `query($id: ID!) { demand(id: $id) { id status } }`;
const DEMANDS = `query($filter: FinancingDemandFilter) { demands(filter: $filter, first: 100) { totalCount nodes { id status } } }`;
const PRODUCT = `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } userErrors { message } } }`;
const PUBLISH_PRODUCT = `mutation($id: ID!) { publishLoanProduct(input: { id: $id }) { product { status } } }`;

const demandInput = (overrides: Record<string, unknown> = {}) => ({
  amount: '800000.00',
  termMonths: 12,
  purpose: '采购原材料',
  acceptedTypes: ['CREDIT'],
  ...overrides,
});

async function freshEnterprise(status = VerificationStatus.VERIFIED) {
  const enterprise = await server.fixtures.enterprise({ verificationStatus: status });
  const principal = await server.fixtures.principal('ENTERPRISE' as never, { enterprise } as never);
  return { enterprise, token: principal.token, login: principal.user.login };
}

async function publish(token: string, overrides: Record<string, unknown> = {}) {
  const res = await server.gql(PUBLISH, { input: demandInput(overrides) }, { token });
  return res.body.data.publishDemand;
}

async function publishProduct(token: string, type: string) {
  const created = await server.gql(
    PRODUCT,
    {
      input: {
        name: `${type} 产品`,
        description: '测试产品',
        type,
        minAmount: '10000',
        maxAmount: '5000000',
        minRate: '3.5',
        maxRate: '6',
        minTermMonths: 3,
        maxTermMonths: 36,
        repaymentMethods: ['EQUAL_INSTALLMENT'],
      },
    },
    { token },
  );
  const id = created.body.data.createLoanProduct.product.id;
  await server.gql(PUBLISH_PRODUCT, { id }, { token });
}

describe('publishDemand', () => {
  test('a verified enterprise publishes an OPEN demand valid for 30 days by default', async () => {
    const { enterprise, token } = await freshEnterprise();
    const { demand, userErrors } = await publish(token);
    expect(userErrors).toEqual([]);
    expect(demand).toMatchObject({ status: 'OPEN', amount: '800000.00', termMonths: 12, acceptedTypes: ['CREDIT'] });
    expect(demand.enterprise.id).toBe(enterprise.id);
    const days = (new Date(demand.expiresAt).getTime() - server.clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'publishDemand' and target_id = ?",
      [demand.id],
    );
    expect(audit.n).toBe(1);
  });

  test('an enterprise not yet verified is NOT_ELIGIBLE', async () => {
    const { token } = await freshEnterprise(VerificationStatus.PENDING);
    expect((await publish(token)).userErrors).toEqual([expect.objectContaining({ code: 'NOT_ELIGIBLE' })]);
  });

  test('bad terms come back together at their fields', async () => {
    const { token } = await freshEnterprise();
    const { userErrors } = await publish(token, {
      amount: '0',
      termMonths: 0,
      purpose: 'x',
      maxRate: '30',
      validDays: 91,
    });
    expect(userErrors.map((e: { field: string[] }) => e.field.join('.')).sort()).toEqual(
      ['input.amount', 'input.maxRate', 'input.purpose', 'input.termMonths', 'input.validDays'].sort(),
    );
  });

  test('at most five open demands, even when eight are published at once', async () => {
    const { enterprise, token } = await freshEnterprise();
    const results = await Promise.all(Array.from({ length: 8 }, () => publish(token)));
    const published = results.filter((r) => r.demand).length;
    expect(published).toBe(5);
    expect(results.filter((r) => r.userErrors[0]?.code === 'LIMIT_EXCEEDED')).toHaveLength(3);
    const [row] = await server.sql('select count(*)::int as n from financing_demand where enterprise_id = ?', [
      enterprise.id,
    ]);
    expect(row.n).toBe(5);
  });
});

describe('who sees a demand', () => {
  test('banks see open demands matching a type they publish; regulators all; other enterprises none', async () => {
    const { token } = await freshEnterprise();
    const { demand } = await publish(token, { acceptedTypes: ['GUARANTEE'] });
    const bankSees = async (t: string) => (await server.gql(DEMAND, { id: demand.id }, { token: t })).body.data.demand;

    expect(await bankSees(world.bankUserB.token)).toBeNull(); // publishes nothing yet
    await publishProduct(world.bankUserB.token, 'CREDIT');
    expect(await bankSees(world.bankUserB.token)).toBeNull(); // wrong type
    await publishProduct(world.bankUserB.token, 'GUARANTEE');
    expect(await bankSees(world.bankUserB.token)).toEqual({ id: demand.id, status: 'OPEN' });

    expect(await bankSees(world.regulator.token)).toEqual({ id: demand.id, status: 'OPEN' });
    expect(await bankSees(world.enterpriseUserB.token)).toBeNull();
    const anonymous = await server.gql(DEMAND, { id: demand.id });
    expect(anonymous.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('expiry and withdrawal', () => {
  test('a demand past its expiry reads EXPIRED, leaves the market and cannot be withdrawn', async () => {
    const owner = await freshEnterprise();
    await publishProduct(world.bank.token, 'CREDIT');
    const { demand } = await publish(owner.token, { validDays: 1 });
    expect((await server.gql(DEMAND, { id: demand.id }, { token: world.bank.token })).body.data.demand.status).toBe(
      'OPEN',
    );

    server.clock.advanceDays(2);
    try {
      // Access tokens lapse after 15 minutes: sign in again on the moved clock.
      const [regulator, bank, ownerToken] = await Promise.all(
        [world.regulator.user.login, world.bank.user.login, owner.login].map((l) => server.fixtures.login(l)),
      );
      const seen = await server.gql(DEMAND, { id: demand.id }, { token: regulator });
      expect(seen.body.data.demand.status).toBe('EXPIRED');
      const expired = await server.gql(DEMANDS, { filter: { statuses: ['EXPIRED'] } }, { token: regulator });
      expect(expired.body.data.demands.nodes.map((n: { id: string }) => n.id)).toContain(demand.id);
      const open = await server.gql(DEMANDS, { filter: { statuses: ['OPEN'] } }, { token: regulator });
      expect(open.body.data.demands.nodes.map((n: { id: string }) => n.id)).not.toContain(demand.id);
      expect((await server.gql(DEMAND, { id: demand.id }, { token: bank })).body.data.demand).toBeNull();
      const withdraw = await server.gql(WITHDRAW, { id: demand.id }, { token: ownerToken });
      expect(withdraw.body.data.withdrawDemand.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
    } finally {
      server.clock.advanceDays(-2);
    }
  });

  test('the owner withdraws an open demand once; another enterprise cannot', async () => {
    const { token } = await freshEnterprise();
    const { demand } = await publish(token);
    const other = await server.gql(WITHDRAW, { id: demand.id }, { token: world.enterpriseUserB.token });
    expect(other.body.data.withdrawDemand.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const first = await server.gql(WITHDRAW, { id: demand.id }, { token });
    expect(first.body.data.withdrawDemand).toEqual({ demand: { status: 'WITHDRAWN' }, userErrors: [] });
    const again = await server.gql(WITHDRAW, { id: demand.id }, { token });
    expect(again.body.data.withdrawDemand.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
  });
});

describe('Enterprise.demands on a list of enterprises', () => {
  const NESTED = `query($first: Int) {
    enterprises(first: $first) { nodes { id demands(first: 3) { totalCount nodes { id status acceptedTypes } } } }
  }`;

  beforeAll(async () => {
    for (let i = 0; i < 22; i += 1) {
      const enterprise = await server.fixtures.enterprise();
      for (const types of ['{CREDIT}', '{MORTGAGE}']) {
        await server.sql(
          `insert into financing_demand (id, created_at, enterprise_id, amount, term_months, purpose, accepted_types, status, expires_at, updated_at)
           values (gen_random_uuid(), now(), ?, 500000, 12, '周转', ?::text[], 'OPEN', now() + interval '10 days', now())`,
          [enterprise.id, types],
        );
      }
    }
  });

  test('regulators: first pages for a whole list in the same statements whatever its size', async () => {
    const statements: number[] = [];
    for (const first of [1, 10, 20]) {
      const res = await server.gql(NESTED, { first }, { token: world.regulator.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.enterprises.nodes).toHaveLength(first);
      statements.push(res.sqlStatements);
    }
    expect(new Set(statements).size).toBe(1);
    const res = await server.gql(NESTED, { first: 1 }, { token: world.regulator.token });
    expect(res.body.data.enterprises.nodes[0].demands.totalCount).toBe(2);
  });

  test('a bank sees, nested too, only the open demands accepting a type it publishes', async () => {
    const bank = await server.fixtures.principal(
      'BANK' as never,
      { institution: await server.fixtures.institution() } as never,
    );
    await publishProduct(bank.token, 'MORTGAGE');
    // enterprise(id) is public; its demands are scoped to what this bank may bid on.
    const [row] = await server.sql(
      "select enterprise_id from financing_demand where accepted_types = '{MORTGAGE}' order by created_at desc limit 1",
    );
    const res = await server.gql(
      `query($id: ID!) { enterprise(id: $id) { demands(first: 5) { totalCount nodes { acceptedTypes } } } }`,
      { id: row.enterprise_id },
      { token: bank.token },
    );
    expect(res.body.data.enterprise.demands).toEqual({ totalCount: 1, nodes: [{ acceptedTypes: ['MORTGAGE'] }] });
  });
});
