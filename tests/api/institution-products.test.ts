import { Marketplace, productInput } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  market = new Marketplace(server);
});
afterAll(() => server.close());

const INSTITUTIONS = `query($first: Int!) {
  institutions(first: $first) { nodes { id products(first: 2) { totalCount nodes { id status } } } }
}`;

test('FinancialInstitution.products: published only for others, drafts for the bank itself, batched', async () => {
  const banks = await Promise.all(Array.from({ length: 6 }, () => market.bank()));
  for (const bank of banks) {
    for (let i = 0; i < 3; i++) await market.product(bank.token);
  }
  const [own] = banks;
  const draft = await server.gql(
    `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } } }`,
    { input: productInput() },
    { token: own.token },
  );
  const draftId = draft.body.data.createLoanProduct.product.id;

  const statements: number[] = [];
  for (const first of [2, 8]) {
    const res = await server.gql(INSTITUTIONS, { first });
    expect(res.body.errors).toBeUndefined();
    statements.push(res.sqlStatements);
  }
  expect(statements[0]).toBe(statements[1]);

  const everyone = (await server.gql(INSTITUTIONS, { first: 100 })).body.data.institutions.nodes;
  const ownForOthers = everyone.find((i: { id: string }) => i.id === own.org.id).products;
  expect(ownForOthers.totalCount).toBe(3);
  expect(ownForOthers.nodes).toHaveLength(2);
  expect(ownForOthers.nodes.every((p: { status: string }) => p.status === 'PUBLISHED')).toBe(true);

  const mine = (await server.gql(INSTITUTIONS, { first: 100 }, { token: own.token })).body.data.institutions.nodes;
  const ownForItself = mine.find((i: { id: string }) => i.id === own.org.id).products;
  expect(ownForItself.totalCount).toBe(4);
  expect(ownForItself.nodes.map((p: { id: string }) => p.id)).toContain(draftId);

  // The cursor of a batched first page continues where it left off.
  const next = await server.gql(
    `query($first: Int!) { institutions(first: $first) { nodes { id products(first: 2) { pageInfo { endCursor } } } } }`,
    { first: 100 },
  );
  const cursor = next.body.data.institutions.nodes.find((i: { id: string }) => i.id === own.org.id).products.pageInfo
    .endCursor;
  const rest = await server.gql(
    `query($after: String) { myInstitution { id } institutions(first: 100) { nodes { id products(first: 2, after: $after) { nodes { id } } } } }`,
    { after: cursor },
    { token: banks[1].token },
  );
  const remaining = rest.body.data.institutions.nodes.find((i: { id: string }) => i.id === own.org.id).products.nodes;
  expect(remaining).toHaveLength(1);
  expect(ownForOthers.nodes.map((p: { id: string }) => p.id)).not.toContain(remaining[0].id);
});
