import { Marketplace } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

/** recommendedProducts and the enterprise's open demand (the rest is in loan-products.test.ts). */
let server: TestServer;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  market = new Marketplace(server);
});
afterAll(() => server.close());

const RECOMMENDED = `{ recommendedProducts { score reasons product { id } } }`;

test('a product that can serve the open demand says so and gains on the others', async () => {
  const bank = await market.bank();
  const small = await market.product(bank.token, { maxAmount: '1000000', minRate: '3.2' });
  const large = await market.product(bank.token, { maxAmount: '5000000', minRate: '4.5', maxTermMonths: 36 });
  const enterprise = await market.enterprise();
  const read = async () => {
    const res = await server.gql(RECOMMENDED, {}, { token: enterprise.token });
    expect(res.body.errors).toBeUndefined();
    const recs = res.body.data.recommendedProducts as { score: number; reasons: string[]; product: { id: string } }[];
    return Object.fromEntries(recs.map((r) => [r.product.id, r]));
  };
  const before = await read();
  expect(before[large].reasons.join()).not.toContain('融资需求');

  await market.demand(enterprise.token, { amount: '3000000', termMonths: 24, acceptedTypes: ['CREDIT'] });
  const after = await read();
  expect(after[large].reasons[0]).toBe('可满足您的融资需求：3000000 元、24 个月在产品额度和期限内');
  expect(after[small].reasons.join()).not.toContain('融资需求');
  expect(after[large].score - after[small].score).toBeGreaterThan(before[large].score - before[small].score);
});
