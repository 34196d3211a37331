import { addMonthsClamped } from '../../src/services/loan/schedule';
import {
  LOAN_EVENT_ORDER,
  LOAN_FIELDS,
  LoanDesk,
  Marketplace,
  serverToday,
  shiftDate,
  codes,
} from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

// The bank's side of a loan after the enterprise accepted its offer: grant (授信), decline,
// disburse (放款), and the schedule the loan's terms give. Repayments and arrears are in
// loan-repayments.test.ts, who may do and see what in loan-access.test.ts.

let server: TestServer;
let market: Marketplace;
let desk: LoanDesk;
beforeAll(async () => {
  server = await startTestServer();
  await server.fixtures.getWorld();
  market = new Marketplace(server);
  desk = new LoanDesk(server, market);
});
afterAll(() => server.close());

const LOAN = `query($id: ID!) {
  loan(id: $id) {
    ${LOAN_FIELDS}
    demand { id status }
    events { type amount occurredOn note }
    schedule { number dueDate principal interest total remainingPrincipal }
  }
}`;

const readLoan = async (id: string, token: string) => {
  const res = await server.gql(LOAN, { id }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.loan;
};

/** What is stored: the loan row, its events and the audit trail of its mutations. */
async function stored(loanId: string) {
  const [loan] = await server.sql(
    `select l.status, l.credit_amount::text as credit, l.disbursed_amount::text as disbursed,
            l.outstanding_principal::text as outstanding, l.granted_on::text as granted_on,
            l.disbursed_on::text as disbursed_on, l.maturity_date::text as maturity, d.status as demand
       from loan l left join financing_demand d on d.id = l.demand_id where l.id = ?`,
    [loanId],
  );
  const events = await server.sql<{ type: string }>(
    `select e.type from loan_event e where e.loan_id = ? order by ${LOAN_EVENT_ORDER}`,
    [loanId],
  );
  const audit = await server.sql<{ action: string; actor_role: string; target_type: string }>(
    'select action, actor_role, target_type from audit_event where target_id = ? order by at, id',
    [loanId],
  );
  return { ...loan, events: events.map((e) => e.type), audit };
}

describe('grantCredit', () => {
  test('the bank grants credit on its pending loan: GRANTED, demand GRANTED, a GRANTED event, an audit row', async () => {
    const bank = await market.bank();
    const { loanId, demandId, enterprise } = await market.pendingLoan(bank, {
      offer: { amount: '900000.00', rate: '4.1', termMonths: 24 },
    });
    const today = serverToday(server);
    const granted = await desk.run('grantCredit', bank.token, {
      loanId,
      creditAmount: '800000',
      rate: '3.95',
      termMonths: 18,
      grantedOn: today,
    });
    expect(granted.userErrors).toEqual([]);
    expect(granted.loan).toEqual({
      id: loanId,
      status: 'GRANTED',
      creditAmount: '800000.00',
      disbursedAmount: '0.00',
      outstandingPrincipal: '0.00',
      rate: '3.9500',
      termMonths: 18,
      repaymentMethod: 'EQUAL_INSTALLMENT',
      grantedOn: today,
      disbursedOn: null,
      maturityDate: null,
      daysOverdue: 0,
    });
    // The enterprise sees the same, and its demand moved on with the loan.
    const seen = await readLoan(loanId, enterprise.token);
    expect(seen.demand).toEqual({ id: demandId, status: 'GRANTED' });
    expect(seen.events).toEqual([{ type: 'GRANTED', amount: '800000.00', occurredOn: today, note: null }]);
    const row = await stored(loanId);
    expect(row).toMatchObject({ status: 'GRANTED', credit: '800000.00', granted_on: today, demand: 'GRANTED' });
    expect(row.audit).toEqual([{ action: 'grantCredit', actor_role: 'BANK', target_type: 'Loan' }]);
  });

  test('terms outside the product, malformed values and bad dates are INVALID at their fields; nothing written', async () => {
    const bank = await market.bank();
    // Product: 10,000–5,000,000 yuan, 3.2–6 %, 3–36 months.
    const { loanId } = await market.pendingLoan(bank);
    const today = serverToday(server);
    const grant = (input: Record<string, unknown>) =>
      desk.run('grantCredit', bank.token, {
        loanId,
        creditAmount: '1000000',
        rate: '3.85',
        termMonths: 12,
        grantedOn: today,
        ...input,
      });
    const outside = await grant({
      creditAmount: '5000000.01',
      rate: '6.5',
      termMonths: 48,
      grantedOn: shiftDate(today, 1),
    });
    expect(codes(outside.userErrors)).toEqual([
      'input.creditAmount:INVALID',
      'input.grantedOn:INVALID',
      'input.rate:INVALID',
      'input.termMonths:INVALID',
    ]);
    const tooLittle = await grant({ creditAmount: '9999.99', rate: '3.1999', termMonths: 2 });
    expect(codes(tooLittle.userErrors)).toEqual([
      'input.creditAmount:INVALID',
      'input.rate:INVALID',
      'input.termMonths:INVALID',
    ]);
    const malformed = await grant({ creditAmount: '100000.001', rate: '0', termMonths: 0 });
    expect(codes(malformed.userErrors)).toEqual([
      'input.creditAmount:INVALID',
      'input.rate:INVALID',
      'input.termMonths:INVALID',
    ]);
    // Not a calendar date: the Date scalar refuses the request before the resolver runs.
    await expect(grant({ grantedOn: '2025-02-30' })).rejects.toThrow('BAD_USER_INPUT');
    // The offer was accepted today: credit cannot have been granted the day before.
    const early = await grant({ grantedOn: shiftDate(today, -1) });
    expect(early.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID',
        field: ['input', 'grantedOn'],
        message: expect.stringContaining(today),
      }),
    ]);
    expect(await stored(loanId)).toEqual({
      status: 'PENDING',
      credit: null,
      disbursed: '0.00',
      outstanding: '0.00',
      granted_on: null,
      disbursed_on: null,
      maturity: null,
      demand: 'MATCHED',
      events: [],
      audit: [],
    });
  });

  test('only a PENDING loan: granting twice, or after a decline, is INVALID_STATE', async () => {
    const bank = await market.bank();
    const granted = await desk.grantedLoan(bank);
    const today = serverToday(server);
    const terms = { creditAmount: '500000', rate: '3.5', termMonths: 12, grantedOn: today };
    const twice = await desk.run('grantCredit', bank.token, { loanId: granted.loanId, ...terms });
    expect(codes(twice.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    expect(await stored(granted.loanId)).toMatchObject({ credit: '1000000.00', events: ['GRANTED'] });

    const { loanId } = await market.pendingLoan(bank);
    await desk.must('declineLoan', bank.token, { loanId, reason: '经营流水不足' });
    const afterDecline = await desk.run('grantCredit', bank.token, { loanId, ...terms });
    expect(codes(afterDecline.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    expect(await stored(loanId)).toMatchObject({ status: 'DECLINED', credit: null, events: ['DECLINED'] });
  });
  test('a grant and a decline at once: exactly one happens', async () => {
    const bank = await market.bank();
    const { loanId } = await market.pendingLoan(bank);
    const [granted, declined] = await Promise.all([
      desk.run('grantCredit', bank.token, {
        loanId,
        creditAmount: '1000000',
        rate: '3.85',
        termMonths: 12,
        grantedOn: serverToday(server),
      }),
      desk.run('declineLoan', bank.token, { loanId, reason: '风控否决' }),
    ]);
    const [winner, loser] = granted.loan ? [granted, declined] : [declined, granted];
    expect(winner.userErrors).toEqual([]);
    expect(codes(loser.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    const row = await stored(loanId);
    expect(row.status).toBe(winner.loan!.status);
    expect(row.events).toEqual([row.status]);
    expect(row.demand).toBe(row.status === 'GRANTED' ? 'GRANTED' : 'CLOSED');
    expect(row.audit).toHaveLength(1);
  });
});

describe('declineLoan', () => {
  test('declined with a reason: DECLINED, demand CLOSED, a DECLINED event dated today; then nothing more', async () => {
    const bank = await market.bank();
    const { loanId, enterprise } = await market.pendingLoan(bank);
    const empty = await desk.run('declineLoan', bank.token, { loanId, reason: ' ' });
    expect(codes(empty.userErrors)).toEqual(['input.reason:INVALID']);
    expect(await stored(loanId)).toMatchObject({ status: 'PENDING', demand: 'MATCHED', events: [], audit: [] });

    const declined = await desk.run('declineLoan', bank.token, { loanId, reason: '  近期涉诉，暂不授信  ' });
    expect(declined.userErrors).toEqual([]);
    expect(declined.loan).toMatchObject({ status: 'DECLINED', creditAmount: null, grantedOn: null });
    const seen = await readLoan(loanId, enterprise.token);
    expect(seen.demand.status).toBe('CLOSED');
    expect(seen.events).toEqual([
      { type: 'DECLINED', amount: null, occurredOn: serverToday(server), note: '近期涉诉，暂不授信' },
    ]);
    const again = await desk.run('declineLoan', bank.token, { loanId, reason: '再次拒绝' });
    expect(codes(again.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    const disburse = await desk.run('disburseLoan', bank.token, {
      loanId,
      amount: '1000',
      disbursedOn: serverToday(server),
    });
    expect(codes(disburse.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    const row = await stored(loanId);
    expect(row).toMatchObject({ status: 'DECLINED', demand: 'CLOSED', events: ['DECLINED'] });
    expect(row.audit.map((a: { action: string }) => a.action)).toEqual(['declineLoan']);
  });

  test('a granted loan can no longer be declined', async () => {
    const bank = await market.bank();
    const { loanId } = await desk.grantedLoan(bank);
    const res = await desk.run('declineLoan', bank.token, { loanId, reason: '改变主意' });
    expect(codes(res.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    expect(await stored(loanId)).toMatchObject({ status: 'GRANTED', demand: 'GRANTED', events: ['GRANTED'] });
  });
});

describe('disburseLoan', () => {
  test('in tranches up to the credit amount: the first makes the loan ACTIVE with its maturity date', async () => {
    const bank = await market.bank();
    const accepted = serverToday(server);
    const { loanId, enterprise } = await market.pendingLoan(bank);
    // Forty days later the bank records what happened since: granted, then two tranches.
    await desk.later(40, async () => {
      const token = await desk.signInAgain(bank.org);
      const today = serverToday(server);
      const [grantedOn, firstOn, secondOn] = [shiftDate(accepted, 2), shiftDate(accepted, 5), shiftDate(accepted, 20)];
      await desk.must('grantCredit', token, {
        loanId,
        creditAmount: '1000000',
        rate: '3.85',
        termMonths: 12,
        grantedOn,
      });

      const beforeGrant = await desk.run('disburseLoan', token, {
        loanId,
        amount: '600000',
        disbursedOn: shiftDate(grantedOn, -1),
      });
      expect(beforeGrant.userErrors).toEqual([
        expect.objectContaining({
          field: ['input', 'disbursedOn'],
          code: 'INVALID',
          message: expect.stringContaining(grantedOn),
        }),
      ]);
      const future = await desk.run('disburseLoan', token, {
        loanId,
        amount: '600000',
        disbursedOn: shiftDate(today, 1),
      });
      expect(codes(future.userErrors)).toEqual(['input.disbursedOn:INVALID']);
      const tooMuch = await desk.run('disburseLoan', token, { loanId, amount: '1000000.01', disbursedOn: firstOn });
      expect(codes(tooMuch.userErrors)).toEqual(['input.amount:LIMIT_EXCEEDED']);
      const malformed = await desk.run('disburseLoan', token, { loanId, amount: '-5', disbursedOn: firstOn });
      expect(codes(malformed.userErrors)).toEqual(['input.amount:INVALID']);
      expect(await stored(loanId)).toMatchObject({ status: 'GRANTED', disbursed: '0.00', events: ['GRANTED'] });

      const first = await desk.must('disburseLoan', token, { loanId, amount: '600000', disbursedOn: firstOn });
      expect(first).toMatchObject({
        status: 'ACTIVE',
        disbursedAmount: '600000.00',
        outstandingPrincipal: '600000.00',
        disbursedOn: firstOn,
        maturityDate: addMonthsClamped(firstOn, 12),
      });
      // A later tranche cannot predate the first, nor take the total past the credit amount.
      const predates = await desk.run('disburseLoan', token, {
        loanId,
        amount: '100000',
        disbursedOn: shiftDate(firstOn, -1),
      });
      expect(codes(predates.userErrors)).toEqual(['input.disbursedOn:INVALID']);
      const beyond = await desk.run('disburseLoan', token, { loanId, amount: '400000.01', disbursedOn: secondOn });
      expect(beyond.userErrors).toEqual([
        expect.objectContaining({
          field: ['input', 'amount'],
          code: 'LIMIT_EXCEEDED',
          message: expect.stringContaining('400000.00'),
        }),
      ]);
      const second = await desk.must('disburseLoan', token, { loanId, amount: '400000', disbursedOn: secondOn });
      expect(second).toMatchObject({
        status: 'ACTIVE',
        disbursedAmount: '1000000.00',
        outstandingPrincipal: '1000000.00',
        disbursedOn: firstOn,
        maturityDate: addMonthsClamped(firstOn, 12),
      });
      const full = await desk.run('disburseLoan', token, { loanId, amount: '0.01', disbursedOn: today });
      expect(codes(full.userErrors)).toEqual(['input.amount:LIMIT_EXCEEDED']);

      const seen = await readLoan(loanId, await desk.signInAgain(enterprise.org));
      expect(seen.events).toEqual([
        { type: 'GRANTED', amount: '1000000.00', occurredOn: grantedOn, note: null },
        { type: 'DISBURSED', amount: '600000.00', occurredOn: firstOn, note: null },
        { type: 'DISBURSED', amount: '400000.00', occurredOn: secondOn, note: null },
      ]);
    });
    const row = await stored(loanId);
    expect(row).toMatchObject({ status: 'ACTIVE', disbursed: '1000000.00', outstanding: '1000000.00' });
    expect(row.audit.map((a: { action: string }) => a.action)).toEqual(['grantCredit', 'disburseLoan', 'disburseLoan']);
  });

  test('five concurrent tranches of 300,000 on a credit of 1,000,000: three are paid out, two are LIMIT_EXCEEDED', async () => {
    const bank = await market.bank();
    const { loanId } = await desk.grantedLoan(bank);
    const today = serverToday(server);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        desk.run('disburseLoan', bank.token, { loanId, amount: '300000', disbursedOn: today }),
      ),
    );
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(3);
    expect(results.flatMap((r) => codes(r.userErrors))).toEqual([
      'input.amount:LIMIT_EXCEEDED',
      'input.amount:LIMIT_EXCEEDED',
    ]);
    expect(await stored(loanId)).toMatchObject({
      status: 'ACTIVE',
      disbursed: '900000.00',
      outstanding: '900000.00',
      disbursed_on: today,
      events: ['GRANTED', 'DISBURSED', 'DISBURSED', 'DISBURSED'],
    });
  });

  test('nothing to disburse before the grant', async () => {
    const bank = await market.bank();
    const { loanId } = await market.pendingLoan(bank);
    const res = await desk.run('disburseLoan', bank.token, {
      loanId,
      amount: '1000',
      disbursedOn: serverToday(server),
    });
    expect(codes(res.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    expect(await stored(loanId)).toMatchObject({ status: 'PENDING', disbursed: '0.00', events: [] });
  });
});

describe('Loan.schedule', () => {
  const SCHEDULE = `query($id: ID!) {
    loan(id: $id) { schedule { number dueDate principal interest total remainingPrincipal } }
  }`;
  const scheduleOf = async (id: string, token: string) =>
    (await server.gql(SCHEDULE, { id }, { token })).body.data.loan.schedule as Record<string, any>[];
  const sum = (rows: Record<string, any>[], key: string) =>
    rows.reduce((acc, r) => acc + Math.round(Number(r[key]) * 100), 0) / 100;

  test('1,000,000 at 3.85 % for 12 months, EQUAL_INSTALLMENT, disbursed: 85,081.39 a month, last 85,081.34, interest 20,976.63', async () => {
    const bank = await market.bank();
    const accepted = serverToday(server);
    const { loanId, enterprise } = await market.pendingLoan(bank, { offer: { amount: '1000000.00' } });
    // Before the grant: the offer's amount from the day it was accepted.
    const pending = await scheduleOf(loanId, enterprise.token);
    expect(pending).toHaveLength(12);
    expect(pending[0]).toMatchObject({ dueDate: addMonthsClamped(accepted, 1), total: '85081.39' });

    await desk.later(10, async () => {
      const token = await desk.signInAgain(bank.org);
      const grantedOn = shiftDate(accepted, 3);
      const disbursedOn = shiftDate(accepted, 7);
      // Granted: the credit amount from the grant date.
      await desk.must('grantCredit', token, {
        loanId,
        creditAmount: '1200000',
        rate: '3.85',
        termMonths: 12,
        grantedOn,
      });
      const granted = await scheduleOf(loanId, token);
      expect(granted[0]).toMatchObject({
        dueDate: addMonthsClamped(grantedOn, 1),
        principal: '98247.66',
        total: '102097.66',
      });
      expect(granted[11].remainingPrincipal).toBe('0.00');
      // Disbursed: the amount disbursed from the first disbursement.
      await desk.must('disburseLoan', token, { loanId, amount: '1000000', disbursedOn });
      const rows = await scheduleOf(loanId, token);
      expect(rows.map((r) => r.dueDate)).toEqual(
        Array.from({ length: 12 }, (_, i) => addMonthsClamped(disbursedOn, i + 1)),
      );
      expect(rows.slice(0, 11).map((r) => r.total)).toEqual(Array(11).fill('85081.39'));
      expect(rows[11].total).toBe('85081.34');
      expect(rows[0]).toMatchObject({
        number: 1,
        principal: '81873.06',
        interest: '3208.33',
        remainingPrincipal: '918126.94',
      });
      expect(rows[11]).toMatchObject({ principal: '84809.24', interest: '272.10', remainingPrincipal: '0.00' });
      expect(sum(rows, 'interest').toFixed(2)).toBe('20976.63');
      expect(sum(rows, 'principal').toFixed(2)).toBe('1000000.00');
      expect(rows.at(-1)!.dueDate).toBe((await readLoan(loanId, token)).maturityDate);
    });
  });

  test('EQUAL_PRINCIPAL starts with 83,333.33 + 3,208.33, interest 20,854.16; BULLET pays 38,500.00 interest at maturity', async () => {
    const bank = await market.bank();
    const today = serverToday(server);
    const equalPrincipal = await desk.activeLoan(bank, { offer: { repaymentMethod: 'EQUAL_PRINCIPAL' } });
    const rows = await scheduleOf(equalPrincipal.loanId, bank.token);
    expect(rows[0]).toMatchObject({ principal: '83333.33', interest: '3208.33', total: '86541.66' });
    expect(rows[11].principal).toBe('83333.37');
    expect(sum(rows, 'interest').toFixed(2)).toBe('20854.16');

    const bullet = await desk.activeLoan(bank, { offer: { repaymentMethod: 'BULLET' } });
    expect(await scheduleOf(bullet.loanId, bullet.enterprise.token)).toEqual([
      {
        number: 1,
        dueDate: addMonthsClamped(today, 12),
        principal: '1000000.00',
        interest: '38500.00',
        total: '1038500.00',
        remainingPrincipal: '0.00',
      },
    ]);
  });

  test('a partly disbursed loan is scheduled on what was disbursed', async () => {
    const bank = await market.bank();
    const { loanId } = await desk.grantedLoan(bank, { offer: { repaymentMethod: 'INTEREST_FIRST' } });
    await desk.must('disburseLoan', bank.token, { loanId, amount: '250000', disbursedOn: serverToday(server) });
    const rows = await scheduleOf(loanId, bank.token);
    expect(rows).toHaveLength(12);
    // 250,000 × 3.85 % / 12 = 802.083… → 802.08 every month, all principal with the last.
    expect(rows.slice(0, 11).every((r) => r.principal === '0.00' && r.interest === '802.08')).toBe(true);
    expect(rows[11]).toMatchObject({ principal: '250000.00', total: '250802.08', remainingPrincipal: '0.00' });
  });
});
