import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const QUOTE = `query($input: ScheduleQuoteInput!) {
  scheduleQuote(input: $input) {
    totalInterest totalPayment
    installments { number dueDate principal interest total remainingPrincipal }
  }
}`;

const input = (overrides: Record<string, unknown> = {}) => ({
  amount: '1000000',
  rate: '3.85',
  termMonths: 12,
  repaymentMethod: 'EQUAL_INSTALLMENT',
  startDate: '2026-01-31',
  ...overrides,
});

test('anyone quotes 1,000,000 at 3.85 % over 12 months to the fen (等额本息)', async () => {
  const res = await server.gql(QUOTE, { input: input() });
  const quote = res.body.data.scheduleQuote;
  expect(quote.totalInterest).toBe('20976.63');
  expect(quote.totalPayment).toBe('1020976.63');
  expect(quote.installments).toHaveLength(12);
  expect(quote.installments.slice(0, 11).every((i: { total: string }) => i.total === '85081.39')).toBe(true);
  expect(quote.installments[11]).toMatchObject({ total: '85081.34', remainingPrincipal: '0.00' });
  // Due on the start day, clamped to month end.
  expect(quote.installments.slice(0, 3).map((i: { dueDate: string }) => i.dueDate)).toEqual([
    '2026-02-28',
    '2026-03-31',
    '2026-04-30',
  ]);
});

test('等额本金 and 到期一次还本付息 give the known figures', async () => {
  const principal = (await server.gql(QUOTE, { input: input({ repaymentMethod: 'EQUAL_PRINCIPAL' }) })).body.data
    .scheduleQuote;
  expect(principal.installments[0]).toMatchObject({ principal: '83333.33', interest: '3208.33' });
  expect(principal.totalInterest).toBe('20854.16');
  const bullet = (await server.gql(QUOTE, { input: input({ repaymentMethod: 'BULLET' }) })).body.data.scheduleQuote;
  expect(bullet.installments).toHaveLength(1);
  expect(bullet.totalInterest).toBe('38500.00');
});

test.each([
  [{ amount: '0' }, 'input.amount'],
  [{ amount: '100.001' }, 'input.amount'],
  [{ rate: '24.5' }, 'input.rate'],
  [{ termMonths: 0 }, 'input.termMonths'],
  [{ termMonths: 361 }, 'input.termMonths'],
])('input it cannot quote is BAD_USER_INPUT naming the argument (%p)', async (overrides, argument) => {
  const res = await server.gql(QUOTE, { input: input(overrides) });
  expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
});
