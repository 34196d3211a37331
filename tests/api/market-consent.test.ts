import { shanghaiDate } from '../../src/services/time';
import type { World } from '../support/fixtures';
import { Marketplace } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

/** Where the marketplace meets consent: demands named in a consent, and the SUMMARY a bidding bank may read. */
let server: TestServer;
let world: World;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
});
afterAll(() => server.close());

const GRANT = `mutation($input: GrantCreditAuthorizationInput!) {
  grantCreditAuthorization(input: $input) {
    authorization { id demand { id status } }
    userErrors { field code }
  }
}`;
const REPORT = `query($id: ID!) { enterprise(id: $id) { creditReport { scope grade indicators { code } } } }`;

/** An enterprise with a credit report (from imported tax records). */
async function gradedEnterprise() {
  const party = await market.enterprise();
  const today = shanghaiDate(server.clock.now());
  const res = await server.gql(
    `mutation($input: ImportCreditRecordsInput!) { importCreditRecords(input: $input) { inserted } }`,
    {
      input: {
        records: [
          {
            uscc: party.org.uscc,
            source: 'TAX',
            kind: 'VAT_PAID',
            amount: '120000.00',
            occurredOn: today,
            externalId: `mc-${party.org.id}`,
          },
        ],
      },
    },
    { token: world.regulator.token },
  );
  expect(res.body.data.importCreditRecords.inserted).toBe(1);
  return party;
}

test('a consent may name one of the enterprise’s own demands, never another’s', async () => {
  const owner = await market.enterprise();
  const other = await market.enterprise();
  const demandId = await market.demand(owner.token);
  const othersDemand = await market.demand(other.token);
  const input = { institutionId: world.bankA.id, scope: 'SUMMARY', purpose: '贷前调查', validDays: 30 };
  const granted = await server.gql(GRANT, { input: { ...input, demandId } }, { token: owner.token });
  expect(granted.body.data.grantCreditAuthorization).toEqual({
    authorization: { id: expect.any(String), demand: { id: demandId, status: 'OPEN' } },
    userErrors: [],
  });
  const refused = await server.gql(GRANT, { input: { ...input, demandId: othersDemand } }, { token: owner.token });
  expect(refused.body.data.grantCreditAuthorization).toEqual({
    authorization: null,
    userErrors: [{ field: ['input', 'demandId'], code: 'NOT_FOUND' }],
  });
  const [row] = await server.sql('select count(*)::int as n from credit_authorization where enterprise_id = ?', [
    owner.org.id,
  ]);
  expect(row.n).toBe(1);
});

test('a bank may read the SUMMARY of an enterprise with an open demand it may bid on, and only while it is open', async () => {
  const bank = await market.bank();
  const outsider = await market.bank();
  await market.product(bank.token, { type: 'PLEDGE' });
  await market.product(outsider.token, { type: 'MORTGAGE' });
  const borrower = await gradedEnterprise();
  const read = async (token: string) =>
    (await server.gql(REPORT, { id: borrower.org.id }, { token })).body.data.enterprise.creditReport;
  expect(await read(bank.token)).toBeNull();

  const demandId = await market.demand(borrower.token, { acceptedTypes: ['PLEDGE'] });
  const summary = await read(bank.token);
  expect(summary).toEqual({ scope: 'SUMMARY', grade: expect.any(String), indicators: [] });
  // A bank whose products the demand does not accept gets nothing.
  expect(await read(outsider.token)).toBeNull();
  const [logged] = await server.sql(
    'select count(*)::int as n, min(scope) as scope from report_access where enterprise_id = ? and institution_id = ?',
    [borrower.org.id, bank.org.id],
  );
  expect(logged).toEqual({ n: 1, scope: 'SUMMARY' });

  await server.gql(
    `mutation($id: ID!) { withdrawDemand(input: { id: $id }) { userErrors { code } } }`,
    { id: demandId },
    {
      token: borrower.token,
    },
  );
  expect(await read(bank.token)).toBeNull();
});

test('the winning bank reads the FULL report after acceptance', async () => {
  const bank = await market.bank();
  const borrower = await gradedEnterprise();
  const productId = await market.product(bank.token);
  const demandId = await market.demand(borrower.token);
  const offerId = await market.offer(bank.token, demandId, productId);
  expect((await market.accept(borrower.token, offerId)).userErrors).toEqual([]);
  const res = await server.gql(REPORT, { id: borrower.org.id }, { token: bank.token });
  const report = res.body.data.enterprise.creditReport;
  expect(report.scope).toBe('FULL');
  expect(report.indicators.length).toBeGreaterThan(0);
});
