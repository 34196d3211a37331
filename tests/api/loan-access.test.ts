import type { World } from '../support/fixtures';
import { LoanDesk, Marketplace, serverToday, type LoanMutation, codes, startLoanDesk } from '../support/marketplace';
import type { TestServer } from '../support/test-server';

// Who may act on a loan and who may read it (DESIGN.md access table: loans own/own/all), and
// what the loans list costs in SQL.

let server: TestServer;
let world: World;
let market: Marketplace;
let desk: LoanDesk;
beforeAll(async () => ({ server, world, market, desk } = await startLoanDesk()));
afterAll(() => server.close());

/** A valid input for each bank mutation on `loanId`, dated today. */
const inputs = (loanId: string, today: string): Record<LoanMutation, Record<string, unknown>> => ({
  grantCredit: { loanId, creditAmount: '500000', rate: '3.85', termMonths: 12, grantedOn: today },
  declineLoan: { loanId, reason: '不符合授信条件' },
  disburseLoan: { loanId, amount: '1000', disbursedOn: today },
  recordRepayment: { loanId, principal: '1000', interest: '10', paidOn: today },
  markLoanOverdue: { loanId, asOf: today, daysOverdue: 95 },
  claimCompensation: { loanId },
});

const snapshot = async (loanId: string) => {
  const [row] = await server.sql(
    `select l.status, l.credit_amount::text as credit, l.disbursed_amount::text as disbursed,
            l.outstanding_principal::text as outstanding, l.days_overdue,
            (select count(*)::int from loan_event e where e.loan_id = l.id) as events,
            (select count(*)::int from audit_event a where a.target_id = l.id::text) as audits
       from loan l where l.id = ?`,
    [loanId],
  );
  return row;
};

describe('the bank mutations', () => {
  test('anonymous, ENTERPRISE, REGULATOR and ADMIN are refused before anything happens', async () => {
    const bank = await market.bank();
    const pending = await market.pendingLoan(bank);
    const active = await desk.activeLoan(bank);
    const before = [await snapshot(pending.loanId), await snapshot(active.loanId)];
    const today = serverToday(server);
    for (const loanId of [pending.loanId, active.loanId]) {
      for (const [name, input] of Object.entries(inputs(loanId, today)) as [LoanMutation, Record<string, unknown>][]) {
        for (const token of [undefined, pending.enterprise.token, world.regulator.token, world.admin.token]) {
          await expect(desk.run(name, token as string, input)).rejects.toThrow(
            token ? '"code":"FORBIDDEN"' : '"code":"UNAUTHENTICATED"',
          );
        }
      }
    }
    expect([await snapshot(pending.loanId), await snapshot(active.loanId)]).toEqual(before);
  });

  test('another bank’s loan is NOT_FOUND for every mutation, as is an id that is no loan; nothing changes', async () => {
    const [owner, other] = [await market.bank(), await market.bank()];
    const pending = await market.pendingLoan(owner);
    const active = await desk.activeLoan(owner);
    const before = [await snapshot(pending.loanId), await snapshot(active.loanId)];
    const today = serverToday(server);
    const names = Object.keys(inputs('', today)) as LoanMutation[];
    for (const loanId of [pending.loanId, active.loanId, 'not-a-loan', '00000000-0000-4000-8000-000000000000']) {
      for (const name of names) {
        const res = await desk.run(name, other.token, inputs(loanId, today)[name]);
        expect([name, codes(res.userErrors)]).toEqual([name, ['input.loanId:NOT_FOUND']]);
        expect(res.loan).toBeNull();
      }
    }
    expect([await snapshot(pending.loanId), await snapshot(active.loanId)]).toEqual(before);
    // The owner still can.
    await desk.must('grantCredit', owner.token, inputs(pending.loanId, today).grantCredit);
  });
});

describe('reading loans', () => {
  const LOAN = `query($id: ID!) { loan(id: $id) { id status enterprise { id } institution { id } } }`;
  const LOANS = `query($filter: LoanFilter) { loans(filter: $filter, first: 100) { totalCount nodes { id } } }`;

  test('loan(id): the borrower and the lending bank see it, regulators too; another enterprise or bank get null', async () => {
    const bank = await market.bank();
    const other = await market.bank();
    const stranger = await market.enterprise();
    const { loanId, enterprise } = await market.pendingLoan(bank);
    const read = async (token: string | undefined) => server.gql(LOAN, { id: loanId }, { token });
    for (const token of [enterprise.token, bank.token, world.regulator.token, world.regulatorB.token]) {
      expect((await read(token)).body.data.loan).toEqual({
        id: loanId,
        status: 'PENDING',
        enterprise: { id: enterprise.org.id },
        institution: { id: bank.org.id },
      });
    }
    for (const token of [stranger.token, other.token, world.enterprise.token]) {
      const res = await read(token);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.loan).toBeNull();
    }
    expect((await read(undefined)).body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await read(world.admin.token)).body.errors![0].extensions.code).toBe('FORBIDDEN');
    const missing = await server.gql(LOAN, { id: 'nope' }, { token: world.regulator.token });
    expect(missing.body.data.loan).toBeNull();
  });

  test('loans: each sees its own, regulators all; filters by status, institution and enterprise', async () => {
    const [bankA, bankB] = [await market.bank(), await market.bank()];
    // A borrower in Weihai (环翠区); every other enterprise here is in Dandong.
    const borrower = await market.enterprise({ regionCode: '371002' });
    const pendingA = await market.pendingLoan(bankA);
    const grantedA = await desk.grantedLoan(bankA);
    const activeB = await desk.activeLoan(bankB);
    // Two loans for one enterprise, one from each bank (each demand is its own).
    const demand1 = await market.demand(borrower.token);
    const demand2 = await market.demand(borrower.token);
    const fromA = await market.accept(
      borrower.token,
      await market.offer(bankA.token, demand1, await market.product(bankA.token)),
    );
    const fromB = await market.accept(
      borrower.token,
      await market.offer(bankB.token, demand2, await market.product(bankB.token)),
    );
    const ids = async (token: string, filter: Record<string, unknown> = {}) => {
      const res = await server.gql(LOANS, { filter }, { token });
      expect(res.body.errors).toBeUndefined();
      const { totalCount, nodes } = res.body.data.loans;
      expect(nodes).toHaveLength(totalCount);
      return nodes.map((n: { id: string }) => n.id);
    };
    // Newest first.
    expect(await ids(bankA.token)).toEqual([fromA.loan.id, grantedA.loanId, pendingA.loanId]);
    expect(await ids(bankB.token)).toEqual([fromB.loan.id, activeB.loanId]);
    expect(await ids(borrower.token)).toEqual([fromB.loan.id, fromA.loan.id]);
    expect(await ids(pendingA.enterprise.token)).toEqual([pendingA.loanId]);
    expect(await ids(world.enterprise.token)).toEqual([]);
    const all = await ids(world.regulator.token);
    for (const id of [pendingA.loanId, grantedA.loanId, activeB.loanId, fromA.loan.id, fromB.loan.id]) {
      expect(all).toContain(id);
    }

    expect(await ids(bankA.token, { statuses: ['GRANTED'] })).toEqual([grantedA.loanId]);
    expect(await ids(bankA.token, { statuses: ['PENDING', 'ACTIVE'] })).toEqual([fromA.loan.id, pendingA.loanId]);
    // A bank's filter for another bank's loans finds nothing of theirs.
    expect(await ids(bankA.token, { institutionIds: [bankB.org.id] })).toEqual([]);
    expect(await ids(world.regulator.token, { institutionIds: [bankB.org.id] })).toEqual([
      fromB.loan.id,
      activeB.loanId,
    ]);
    expect(await ids(world.regulator.token, { enterpriseId: borrower.org.id })).toEqual([fromB.loan.id, fromA.loan.id]);
    expect(await ids(world.regulator.token, { enterpriseId: borrower.org.id, institutionIds: [bankA.org.id] })).toEqual(
      [fromA.loan.id],
    );
    expect(await ids(world.regulator.token, { enterpriseId: 'not-an-id' })).toEqual([]);
    expect(await ids(world.regulator.token, { regionCodes: ['371000'] })).toEqual([fromB.loan.id, fromA.loan.id]);
    expect(await ids(bankA.token, { regionCodes: ['370000'], statuses: ['PENDING'] })).toEqual([fromA.loan.id]);
    expect(await ids(bankA.token, { regionCodes: ['210000'] })).toEqual([grantedA.loanId, pendingA.loanId]);

    // Paging through the regulator's list, two at a time, meets every loan once, newest first.
    const PAGE = `query($after: String) { loans(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await server.gql(PAGE, { after }, { token: world.regulator.token })).body.data.loans;
      paged.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);

    for (const [token, code] of [
      [undefined, 'UNAUTHENTICATED'],
      [world.admin.token, 'FORBIDDEN'],
    ] as const) {
      expect((await server.gql(LOANS, {}, { token })).body.errors![0].extensions.code).toBe(code);
    }
  });

  test('a page with enterprise, institution, product, offer, events, guarantee and schedule: the same statements for 1, 20 and 100', async () => {
    const bank = await market.bank();
    const fund = await server.gql(
      `mutation($input: CreateGuaranteeFundInput!) { createGuaranteeFund(input: $input) { fund { id } userErrors { code } } }`,
      {
        input: {
          name: '列表测试信保基金',
          capital: '100000000',
          rules: [{ grade: 'A', fundSharePercent: 80, maxLoanAmount: '5000000', collateralPercent: 0 }],
        },
      },
      { token: world.regulator.token },
    );
    const fundId = fund.body.data.createGuaranteeFund.fund.id;
    const covered = { product: { guaranteeFundEligible: true }, enterprise: { creditGrade: 'A' as never } };
    for (let i = 0; i < 8; i++) await market.pendingLoan(bank);
    for (let i = 0; i < 8; i++) await desk.grantedLoan(bank, covered);
    for (let i = 0; i < 8; i++) {
      const { loanId } = await desk.activeLoan(bank, covered);
      await desk.must('recordRepayment', bank.token, {
        loanId,
        principal: '1000',
        interest: '100',
        paidOn: serverToday(server),
      });
    }
    const PAGE = `query($first: Int!) {
      loans(first: $first) {
        totalCount
        nodes {
          id status
          enterprise { id name creditGrade legalRepresentative }
          institution { id name }
          product { id name type }
          offer { id rate }
          demand { id status }
          events { type amount occurredOn }
          guarantee { fundSharePercent coveredAmount fund { id name } }
          schedule { number dueDate total }
        }
      }
    }`;
    const statements: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(PAGE, { first }, { token: bank.token });
      expect(res.body.errors).toBeUndefined();
      const { nodes, totalCount } = res.body.data.loans;
      expect(totalCount).toBe(24);
      expect(nodes).toHaveLength(Math.min(first, 24));
      expect(nodes[0].events.map((e: { type: string }) => e.type)).toEqual(['GRANTED', 'DISBURSED', 'REPAID']);
      expect(nodes[0].guarantee).toEqual({
        fundSharePercent: 80,
        coveredAmount: '800000.00',
        fund: { id: fundId, name: '列表测试信保基金' },
      });
      expect(nodes.every((n: { schedule: unknown[] }) => n.schedule.length === 12)).toBe(true);
      statements.push(res.sqlStatements);
    }
    expect(new Set(statements).size).toBe(1);
    expect(statements[0]).toBeLessThanOrEqual(12);
  });
});
