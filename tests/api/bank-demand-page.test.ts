import { Marketplace } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * A bank's demands page (src/services/bank-demand-page.ts) reads its market and the demands it
 * bid on in separate branches: walking every page size with cursors must give exactly the rows
 * of the scope, newest first, whichever branch a row comes from.
 */
let server: TestServer;
let market: Marketplace;
let bank: { token: string; id: string };
beforeAll(async () => {
  server = await startTestServer();
  market = new Marketplace(server);
  const a = await market.bank();
  const b = await market.bank();
  bank = { token: a.token, id: a.org.id };
  const product = await market.product(a.token);
  const otherProduct = await market.product(b.token);

  // 4 enterprises × 5 demands, ten seconds apart (tokens last 15 minutes); two of each expire below.
  const demands: { id: string; token: string; n: number }[] = [];
  for (let e = 0; e < 4; e++) {
    const enterprise = await market.enterprise();
    for (let k = 0; k < 5; k++) {
      const n = e * 5 + k;
      const acceptedTypes = n % 7 === 3 ? ['GUARANTEE'] : ['CREDIT', 'GUARANTEE'];
      const id = await market.demand(enterprise.token, { acceptedTypes });
      demands.push({ id, token: enterprise.token, n });
      server.clock.advance(10_000);
    }
  }
  for (const d of demands) {
    if (d.n % 7 === 3) continue; // GUARANTEE only: neither bank's CREDIT product fits
    if (d.n % 3 === 0) await market.offer(bank.token, d.id, product);
    if (d.n % 2 === 0) await market.offer(b.token, d.id, otherProduct);
  }
  // Some leave the market: withdrawn (bid on or not), and two of each enterprise's expire.
  for (const d of demands.filter((x) => x.n % 5 === 4)) {
    const res = await server.gql(
      `mutation($id: ID!) { withdrawDemand(input: { id: $id }) { userErrors { code } } }`,
      { id: d.id },
      { token: d.token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.withdrawDemand.userErrors).toEqual([]);
  }
  const expired = demands.filter((d) => d.n % 5 < 2).map((d) => d.id);
  await server.sql(`update financing_demand set expires_at = ? where id = any(?::uuid[])`, [
    new Date(server.clock.now().getTime() - 60_000).toISOString(),
    `{${expired.join(',')}}`,
  ]);
}, 60_000);
afterAll(() => server.close());

const PAGE = `query($first: Int!, $after: String, $filter: FinancingDemandFilter) {
  demands(first: $first, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } nodes { id } }
}`;

async function expected(extra = 'true'): Promise<string[]> {
  const rows = await server.sql<{ id: string }>(
    `select d.id from financing_demand d
      where ((d.status = 'OPEN' and d.expires_at > ? and d.accepted_types && '{CREDIT}')
             or exists (select 1 from offer o where o.demand_id = d.id and o.institution_id = ?))
        and ${extra}
      order by d.created_at desc, d.id desc`,
    [server.clock.now().toISOString(), bank.id],
  );
  return rows.map((r) => r.id);
}

async function walk(first: number, filter?: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res = await server.gql(PAGE, { first, after, filter }, { token: bank.token });
    expect(res.body.errors).toBeUndefined();
    const { pageInfo, nodes } = res.body.data.demands as {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { id: string }[];
    };
    expect(nodes.length).toBeLessThanOrEqual(first);
    ids.push(...nodes.map((n) => n.id));
    if (!pageInfo.hasNextPage) return ids;
    after = pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

test('every page size walks exactly the scope, newest first', async () => {
  const all = await expected();
  // The fixture has rows from both branches, and demands of the bank outside its market.
  expect(all.length).toBeGreaterThan(8);
  const outside = await expected(`not (d.status = 'OPEN' and d.expires_at > '${server.clock.now().toISOString()}')`);
  expect(outside.length).toBeGreaterThan(1);
  for (const first of [1, 2, 3, 5, 8, 100]) expect(await walk(first)).toEqual(all);
});

test('with filters, including ones that leave the market branch short or empty', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ statuses: ['OPEN'] }, `d.status = 'OPEN' and d.expires_at > '${server.clock.now().toISOString()}'`],
    [{ statuses: ['WITHDRAWN'] }, `d.status = 'WITHDRAWN'`],
    [
      { statuses: ['EXPIRED', 'WITHDRAWN'] },
      `(d.status = 'WITHDRAWN' or (d.status = 'OPEN' and d.expires_at <= '${server.clock.now().toISOString()}'))`,
    ],
  ];
  for (const [filter, sql] of cases) {
    const want = await expected(sql);
    for (const first of [1, 2, 4, 100]) expect(await walk(first, filter)).toEqual(want);
  }
});
