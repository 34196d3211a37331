import type { World } from '../support/fixtures';
import {
  LOAN_EVENT_ORDER,
  LoanDesk,
  Marketplace,
  serverToday,
  shiftDate,
  codes,
  startLoanDesk,
} from '../support/marketplace';
import type { TestServer } from '../support/test-server';

// After disbursement: repayments (还款) to settlement, arrears (逾期) to default (不良), and the
// risk signals LOAN_OVERDUE and DEFAULTED in the enterprise's traffic light and the warnings.
// Every loan here is 1,000,000 at 3.85 % for 12 months EQUAL_INSTALLMENT, disbursed the day it
// is accepted: installment 1 is 81,873.06 principal + 3,208.33 interest.

let server: TestServer;
let world: World;
let market: Marketplace;
let desk: LoanDesk;
beforeAll(async () => ({ server, world, market, desk } = await startLoanDesk()));
afterAll(() => server.close());

const LOAN = `query($id: ID!) {
  loan(id: $id) {
    status outstandingPrincipal daysOverdue
    demand { status }
    events { type amount occurredOn note }
    schedule { dueDate principal interest total }
  }
}`;
const readLoan = async (id: string, token: string) => (await server.gql(LOAN, { id }, { token })).body.data.loan;

async function stored(loanId: string) {
  const [row] = await server.sql(
    `select l.status, l.outstanding_principal::text as outstanding, l.days_overdue, d.status as demand,
            (select string_agg(e.type, ',' order by ${LOAN_EVENT_ORDER}) from loan_event e where e.loan_id = l.id) as events,
            (select string_agg(a.action, ',' order by a.at, a.id) from audit_event a where a.target_id = l.id::text) as audit
       from loan l left join financing_demand d on d.id = l.demand_id where l.id = ?`,
    [loanId],
  );
  return row;
}

const RISK = `query($id: ID!) { enterprise(id: $id) { riskLevel } }`;
const riskLevel = async (enterpriseId: string, token: string) =>
  (await server.gql(RISK, { id: enterpriseId }, { token })).body.data.enterprise.riskLevel;
const WARNINGS = `{ riskWarnings(first: 100) { nodes { enterprise { id } level signals } } }`;
const warningsOf = async (enterpriseId: string, token: string) => {
  const res = await server.gql(WARNINGS, {}, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.riskWarnings.nodes
    .filter((w: { enterprise: { id: string } }) => w.enterprise.id === enterpriseId)
    .map((w: { level: string; signals: string[] }) => ({ level: w.level, signals: w.signals }));
};

describe('recordRepayment', () => {
  test('repayments bring principal down to the fen; the last settles the loan and closes the demand', async () => {
    const bank = await market.bank();
    const disbursedOn = serverToday(server);
    const { loanId, enterprise } = await desk.activeLoan(bank);
    await desk.later(40, async () => {
      const token = await desk.signInAgain(bank.org);
      const today = serverToday(server);
      const repay = (input: Record<string, unknown>) =>
        desk.run('recordRepayment', token, { loanId, principal: '0', interest: '0', paidOn: today, ...input });
      const paidOn = shiftDate(disbursedOn, 31);
      const first = await repay({ principal: '81873.06', interest: '3208.33', paidOn });
      expect(first.userErrors).toEqual([]);
      expect(first.loan).toMatchObject({
        status: 'ACTIVE',
        disbursedAmount: '1000000.00',
        outstandingPrincipal: '918126.94',
      });

      // Refused, each at its field, and nothing written.
      expect(codes((await repay({ principal: '918126.95', interest: '1' })).userErrors)).toEqual([
        'input.principal:LIMIT_EXCEEDED',
      ]);
      expect(codes((await repay({})).userErrors)).toEqual(['input.principal:INVALID']);
      expect(codes((await repay({ principal: '100', interest: '-0.01' })).userErrors)).toEqual([
        'input.interest:INVALID',
      ]);
      expect(codes((await repay({ principal: '100.005' })).userErrors)).toEqual(['input.principal:INVALID']);
      const early = await repay({ principal: '100', paidOn: shiftDate(disbursedOn, -1) });
      expect(early.userErrors).toEqual([
        expect.objectContaining({
          field: ['input', 'paidOn'],
          code: 'INVALID',
          message: expect.stringContaining(disbursedOn),
        }),
      ]);
      expect(codes((await repay({ principal: '100', paidOn: shiftDate(today, 1) })).userErrors)).toEqual([
        'input.paidOn:INVALID',
      ]);
      expect(await stored(loanId)).toMatchObject({
        status: 'ACTIVE',
        outstanding: '918126.94',
        events: 'GRANTED,DISBURSED,REPAID',
      });

      const settledOn = shiftDate(disbursedOn, 35);
      const last = await repay({ principal: '918126.94', interest: '2945.66', paidOn: settledOn });
      expect(last.userErrors).toEqual([]);
      expect(last.loan).toMatchObject({ status: 'SETTLED', outstandingPrincipal: '0.00', daysOverdue: 0 });
      const seen = await readLoan(loanId, await desk.signInAgain(enterprise.org));
      expect(seen.demand).toEqual({ status: 'CLOSED' });
      expect(seen.events.slice(2)).toEqual([
        { type: 'REPAID', amount: '85081.39', occurredOn: paidOn, note: null },
        { type: 'REPAID', amount: '921072.60', occurredOn: settledOn, note: null },
        { type: 'SETTLED', amount: null, occurredOn: settledOn, note: null },
      ]);

      // A settled loan takes nothing more.
      expect(codes((await repay({ principal: '1' })).userErrors)).toEqual(['input.loanId:INVALID_STATE']);
      const overdue = await desk.run('markLoanOverdue', token, { loanId, asOf: today, daysOverdue: 5 });
      expect(codes(overdue.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
      const more = await desk.run('disburseLoan', token, { loanId, amount: '1', disbursedOn: today });
      expect(codes(more.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    });
    expect(await stored(loanId)).toEqual({
      status: 'SETTLED',
      outstanding: '0.00',
      days_overdue: 0,
      demand: 'CLOSED',
      events: 'GRANTED,DISBURSED,REPAID,REPAID,SETTLED',
      audit: 'grantCredit,disburseLoan,recordRepayment,recordRepayment',
    });
  });

  test('paid off in one go: the REPAID event comes before the SETTLED one it caused, every time', async () => {
    const bank = await market.bank();
    const today = serverToday(server);
    const loanIds: string[] = [];
    // Both events are written in one transaction, at the same instant and on the same date.
    for (let i = 0; i < 8; i++) {
      const { loanId } = await desk.activeLoan(bank, { offer: { amount: '20000.00' } });
      await desk.must('recordRepayment', bank.token, { loanId, principal: '20000', interest: '0', paidOn: today });
      loanIds.push(loanId);
    }
    const res = await server.gql(
      `{ loans(first: 8, filter: { statuses: [SETTLED] }) { nodes { id events { type } } } }`,
      {},
      { token: bank.token },
    );
    const nodes = res.body.data.loans.nodes as { id: string; events: { type: string }[] }[];
    expect(nodes.map((n) => n.id).sort()).toEqual([...loanIds].sort());
    for (const node of nodes) {
      expect(node.events.map((e) => e.type)).toEqual(['GRANTED', 'DISBURSED', 'REPAID', 'SETTLED']);
    }
  });

  test('nothing is repaid on a loan not yet disbursed', async () => {
    const bank = await market.bank();
    const { loanId } = await desk.grantedLoan(bank);
    const res = await desk.run('recordRepayment', bank.token, {
      loanId,
      principal: '0',
      interest: '10',
      paidOn: serverToday(server),
    });
    expect(codes(res.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    expect(await stored(loanId)).toMatchObject({ status: 'GRANTED', events: 'GRANTED', audit: 'grantCredit' });
  });

  test('four concurrent repayments of 300,000 on 1,000,000: three are booked, one is LIMIT_EXCEEDED', async () => {
    const bank = await market.bank();
    const { loanId } = await desk.activeLoan(bank);
    const today = serverToday(server);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        desk.run('recordRepayment', bank.token, { loanId, principal: '300000', interest: '0', paidOn: today }),
      ),
    );
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(3);
    expect(results.flatMap((r) => codes(r.userErrors))).toEqual(['input.principal:LIMIT_EXCEEDED']);
    expect(await stored(loanId)).toMatchObject({
      status: 'ACTIVE',
      outstanding: '100000.00',
      events: 'GRANTED,DISBURSED,REPAID,REPAID,REPAID',
    });
  });
});

describe('markLoanOverdue', () => {
  test('reported days: OVERDUE (YELLOW, a warning), then 95 days DEFAULTED (RED, another warning), which is final', async () => {
    const [bank, rival] = [await market.bank(), await market.bank()];
    const disbursedOn = serverToday(server);
    const { loanId, enterprise } = await desk.activeLoan(bank);
    // The rival bank lends to someone else: it has no loan with this enterprise.
    await desk.activeLoan(rival);
    expect(await riskLevel(enterprise.org.id, world.regulator.token)).toBe('GREEN');
    expect(await warningsOf(enterprise.org.id, world.regulator.token)).toEqual([]);

    await desk.later(60, async () => {
      const [token, own, rivalToken, regulator] = await Promise.all([
        desk.signInAgain(bank.org),
        desk.signInAgain(enterprise.org),
        desk.signInAgain(rival.org),
        server.fixtures.login(world.regulator.user.login),
      ]);
      const today = serverToday(server);
      const mark = (input: Record<string, unknown>) => desk.run('markLoanOverdue', token, { loanId, ...input });

      expect(codes((await mark({ asOf: shiftDate(today, 1), daysOverdue: 30 })).userErrors)).toEqual([
        'input.asOf:INVALID',
      ]);
      expect(codes((await mark({ asOf: shiftDate(disbursedOn, -1), daysOverdue: 30 })).userErrors)).toEqual([
        'input.asOf:INVALID',
      ]);
      expect(codes((await mark({ asOf: today, daysOverdue: 0 })).userErrors)).toEqual(['input.daysOverdue:INVALID']);
      expect(await stored(loanId)).toMatchObject({ status: 'ACTIVE', days_overdue: 0, events: 'GRANTED,DISBURSED' });

      const overdue = await mark({ asOf: today, daysOverdue: 30 });
      expect(overdue.userErrors).toEqual([]);
      expect(overdue.loan).toMatchObject({ status: 'OVERDUE', daysOverdue: 30, outstandingPrincipal: '1000000.00' });
      expect((await readLoan(loanId, own)).events.at(-1)).toEqual({
        type: 'OVERDUE',
        amount: null,
        occurredOn: today,
        note: expect.stringContaining('30'),
      });
      // YELLOW for the enterprise itself, regulators and the lending bank (it holds a FULL consent).
      for (const viewer of [own, regulator, token]) expect(await riskLevel(enterprise.org.id, viewer)).toBe('YELLOW');
      expect(await riskLevel(enterprise.org.id, rivalToken)).toBeNull();
      const yellow = [{ level: 'YELLOW', signals: ['LOAN_OVERDUE'] }];
      expect(await warningsOf(enterprise.org.id, regulator)).toEqual(yellow);
      expect(await warningsOf(enterprise.org.id, token)).toEqual(yellow);
      expect(await warningsOf(enterprise.org.id, rivalToken)).toEqual([]);

      const defaulted = await mark({ asOf: today, daysOverdue: 95 });
      expect(defaulted.loan).toMatchObject({ status: 'DEFAULTED', daysOverdue: 95 });
      expect(await riskLevel(enterprise.org.id, own)).toBe('RED');
      expect(await warningsOf(enterprise.org.id, regulator)).toEqual([
        { level: 'RED', signals: ['DEFAULTED'] },
        ...yellow,
      ]);
      expect(await warningsOf(enterprise.org.id, rivalToken)).toEqual([]);

      // Non-performing is final: no more marks, no repayments through this path.
      expect(codes((await mark({ asOf: today, daysOverdue: 10 })).userErrors)).toEqual(['input.loanId:INVALID_STATE']);
      const repay = await desk.run('recordRepayment', token, { loanId, principal: '1', interest: '0', paidOn: today });
      expect(codes(repay.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    });
    expect(await stored(loanId)).toMatchObject({
      status: 'DEFAULTED',
      days_overdue: 95,
      events: 'GRANTED,DISBURSED,OVERDUE,DEFAULTED',
      audit: 'grantCredit,disburseLoan,markLoanOverdue,markLoanOverdue',
    });
    const [warnings] = await server.sql(
      "select string_agg(level, ',' order by raised_at) as levels from risk_warning where enterprise_id = ?",
      [enterprise.org.id],
    );
    expect(warnings.levels).toBe('YELLOW,RED');
  });

  test('counted from the first unpaid due date; paying the arrears makes the loan performing again', async () => {
    const bank = await market.bank();
    const { loanId, enterprise } = await desk.activeLoan(bank);
    const [first, second] = (await readLoan(loanId, bank.token)).schedule;
    await desk.later(45, async () => {
      const token = await desk.signInAgain(bank.org);
      const own = await desk.signInAgain(enterprise.org);
      const mark = (asOf: string) => desk.run('markLoanOverdue', token, { loanId, asOf });
      const repay = (principal: string, interest: string, paidOn: string) =>
        desk.must('recordRepayment', token, { loanId, principal, interest, paidOn });

      // Nothing due yet on the eve of the first due date.
      const eve = await mark(shiftDate(first.dueDate, -1));
      expect(eve.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE', field: ['input', 'asOf'] })]);
      expect(await stored(loanId)).toMatchObject({ status: 'ACTIVE', events: 'GRANTED,DISBURSED' });

      expect((await mark(shiftDate(first.dueDate, 10))).loan).toMatchObject({ status: 'OVERDUE', daysOverdue: 10 });
      expect(await riskLevel(enterprise.org.id, own)).toBe('YELLOW');
      // Part of the installment leaves it overdue; the rest makes it performing.
      expect(await repay('10000.00', first.interest, shiftDate(first.dueDate, 11))).toMatchObject({
        status: 'OVERDUE',
        daysOverdue: 10,
        outstandingPrincipal: '990000.00',
      });
      expect(await repay('71873.06', '0', shiftDate(first.dueDate, 12))).toMatchObject({
        status: 'ACTIVE',
        daysOverdue: 0,
        outstandingPrincipal: '918126.94',
      });
      expect(await riskLevel(enterprise.org.id, own)).toBe('GREEN');
    });
    // Months later the second installment is still unpaid: 89 days overdue, then 90 — DEFAULTED.
    const later = Math.round((Date.parse(second.dueDate) - Date.parse(serverToday(server))) / 86_400_000) + 95;
    await desk.later(later, async () => {
      const token = await desk.signInAgain(bank.org);
      const mark = (asOf: string) => desk.run('markLoanOverdue', token, { loanId, asOf });
      expect((await mark(shiftDate(second.dueDate, 89))).loan).toMatchObject({ status: 'OVERDUE', daysOverdue: 89 });
      expect((await mark(shiftDate(second.dueDate, 90))).loan).toMatchObject({ status: 'DEFAULTED', daysOverdue: 90 });
      const regulator = await server.fixtures.login(world.regulator.user.login);
      expect(await riskLevel(enterprise.org.id, regulator)).toBe('RED');
    });
    expect(await stored(loanId)).toMatchObject({
      status: 'DEFAULTED',
      events: 'GRANTED,DISBURSED,OVERDUE,REPAID,REPAID,OVERDUE,DEFAULTED',
    });
  });
});

test('a bank that declined the enterprise’s loan does not see its risk warnings', async () => {
  const [lender, decliner] = [await market.bank(), await market.bank()];
  const { loanId, enterprise } = await desk.activeLoan(lender);
  const demandId = await market.demand(enterprise.token);
  const offerId = await market.offer(decliner.token, demandId, await market.product(decliner.token));
  const declined = (await market.accept(enterprise.token, offerId)).loan.id;
  await desk.must('declineLoan', decliner.token, { loanId: declined, reason: '授信审批未通过' });
  await desk.later(40, async () => {
    const [token, declinerToken] = await Promise.all([desk.signInAgain(lender.org), desk.signInAgain(decliner.org)]);
    await desk.must('markLoanOverdue', token, { loanId, asOf: serverToday(server), daysOverdue: 10 });
    expect(await warningsOf(enterprise.org.id, token)).toEqual([{ level: 'YELLOW', signals: ['LOAN_OVERDUE'] }]);
    expect(await warningsOf(enterprise.org.id, declinerToken)).toEqual([]);
  });
});
