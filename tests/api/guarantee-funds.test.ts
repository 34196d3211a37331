import type { Enterprise } from '../../src/entities';
import type { World } from '../support/fixtures';
import {
  LOAN_EVENT_ORDER,
  LoanDesk,
  Marketplace,
  serverToday,
  type Party,
  codes,
  startLoanDesk,
} from '../support/marketplace';
import type { TestServer } from '../support/test-server';

// The credit guarantee fund (信保基金): regulators set funds up with a risk-share rule per grade;
// at grant a loan is covered by the newest fund whose rule for the enterprise's grade admits the
// credit amount; on default the bank claims outstanding principal × share, once.
// Funds are created in the tests that use them, so the newest fund is always the test's own.

let server: TestServer;
let world: World;
let market: Marketplace;
let desk: LoanDesk;
beforeAll(async () => ({ server, world, market, desk } = await startLoanDesk()));
afterAll(() => server.close());

/** Weihai's reference rules: A 80 %, B 60 %, C 40 %, loans up to 5,000,000, collateral 0/70/100 %. */
const WEIHAI = [
  { grade: 'A', fundSharePercent: 80, maxLoanAmount: '5000000', collateralPercent: 0 },
  { grade: 'B', fundSharePercent: 60, maxLoanAmount: '5000000', collateralPercent: 70 },
  { grade: 'C', fundSharePercent: 40, maxLoanAmount: '5000000', collateralPercent: 100 },
];

const FUND_FIELDS = `id name capital department { id } rules { grade fundSharePercent maxLoanAmount collateralPercent }
  coveredLoanCount outstandingCoverage compensationPaid createdAt`;
const CREATE = `mutation($input: CreateGuaranteeFundInput!) {
  createGuaranteeFund(input: $input) { fund { ${FUND_FIELDS} } userErrors { field code message } }
}`;
const FUNDS = `{ guaranteeFunds { ${FUND_FIELDS} } }`;

async function createFund(input: Record<string, unknown>, token = world.regulator.token) {
  const res = await server.gql(CREATE, { input: { name: '测试信保基金', capital: '100000000', ...input } }, { token });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.createGuaranteeFund;
}
const fundId = async (input: Record<string, unknown> = {}, token = world.regulator.token) => {
  const created = await createFund({ rules: WEIHAI, ...input }, token);
  if (!created.fund) throw new Error(JSON.stringify(created.userErrors));
  return created.fund.id as string;
};
const figures = async (id: string) => {
  const res = await server.gql(FUNDS, {}, { token: world.regulator.token });
  const fund = res.body.data.guaranteeFunds.find((f: { id: string }) => f.id === id);
  return {
    coveredLoanCount: fund.coveredLoanCount,
    outstandingCoverage: fund.outstandingCoverage,
    compensationPaid: fund.compensationPaid,
  };
};

const GUARANTEE = `query($id: ID!) {
  loan(id: $id) { guarantee { fund { id } fundSharePercent coveredAmount compensatedAmount } }
}`;
const guaranteeOf = async (loanId: string, token = world.regulator.token) =>
  (await server.gql(GUARANTEE, { id: loanId }, { token })).body.data.loan.guarantee;

/** A loan granted today for `amount` to an enterprise of `grade` on a product like `product`. */
async function grantedFor(
  bank: Party<{ id: string }>,
  grade: string | null,
  amount: string,
  product: Record<string, unknown> = { guaranteeFundEligible: true },
) {
  const enterprise = await market.enterprise({ creditGrade: grade as Enterprise['creditGrade'] });
  const productId = await market.product(bank.token, { maxAmount: '10000000', ...product });
  const demandId = await market.demand(enterprise.token, {
    amount,
    acceptedTypes: ['CREDIT', 'GUARANTEE', 'MORTGAGE'],
  });
  const accepted = await market.accept(
    enterprise.token,
    await market.offer(bank.token, demandId, productId, { amount }),
  );
  const loanId = accepted.loan.id as string;
  const granted = await server.gql(
    `mutation($input: GrantCreditInput!) {
      grantCredit(input: $input) {
        loan { guarantee { fund { id } fundSharePercent coveredAmount compensatedAmount } }
        userErrors { code }
      }
    }`,
    { input: { loanId, creditAmount: amount, rate: '3.85', termMonths: 12, grantedOn: serverToday(server) } },
    { token: bank.token },
  );
  expect(granted.body.errors).toBeUndefined();
  expect(granted.body.data.grantCredit.userErrors).toEqual([]);
  // The payload already shows what a later read will.
  expect(granted.body.data.grantCredit.loan.guarantee).toEqual(await guaranteeOf(loanId));
  return { loanId, enterprise };
}

describe('createGuaranteeFund', () => {
  test('a regulator sets up a fund with a rule per grade; every regulator sees it first, with no exposure yet', async () => {
    const created = await createFund({ name: '威海市信保基金', capital: '200000000.00', rules: [...WEIHAI].reverse() });
    expect(created.userErrors).toEqual([]);
    const fund = created.fund;
    expect(fund).toMatchObject({
      name: '威海市信保基金',
      capital: '200000000.00',
      department: { id: world.departmentA.id },
      // Best grade first, whatever order they were given in.
      rules: [
        { grade: 'A', fundSharePercent: 80, maxLoanAmount: '5000000.00', collateralPercent: 0 },
        { grade: 'B', fundSharePercent: 60, maxLoanAmount: '5000000.00', collateralPercent: 70 },
        { grade: 'C', fundSharePercent: 40, maxLoanAmount: '5000000.00', collateralPercent: 100 },
      ],
      coveredLoanCount: 0,
      outstandingCoverage: '0.00',
      compensationPaid: '0.00',
    });
    const listed = await server.gql(FUNDS, {}, { token: world.regulatorB.token });
    expect(listed.body.data.guaranteeFunds[0]).toEqual(fund);
    const audit = await server.sql('select action, actor_role, target_type from audit_event where target_id = ?', [
      fund.id,
    ]);
    expect(audit).toEqual([{ action: 'createGuaranteeFund', actor_role: 'REGULATOR', target_type: 'GuaranteeFund' }]);
  });

  test('repeated grades, shares outside 1..100, collateral outside 0..100 and bad amounts: INVALID at each field, nothing written', async () => {
    const [{ n: before }] = await server.sql('select count(*)::int as n from guarantee_fund');
    const bad = await createFund({
      name: ' ',
      capital: '0',
      rules: [
        { grade: 'A', fundSharePercent: 0, maxLoanAmount: '5000000', collateralPercent: -1 },
        { grade: 'B', fundSharePercent: 101, maxLoanAmount: '0', collateralPercent: 101 },
        { grade: 'A', fundSharePercent: 50, maxLoanAmount: '1000000.001', collateralPercent: 0 },
      ],
    });
    expect(bad.fund).toBeNull();
    expect(codes(bad.userErrors)).toEqual([
      'input.capital:INVALID',
      'input.name:INVALID',
      'input.rules.0.collateralPercent:INVALID',
      'input.rules.0.fundSharePercent:INVALID',
      'input.rules.1.collateralPercent:INVALID',
      'input.rules.1.fundSharePercent:INVALID',
      'input.rules.1.maxLoanAmount:INVALID',
      'input.rules.2.grade:INVALID',
      'input.rules.2.maxLoanAmount:INVALID',
    ]);
    expect(
      bad.userErrors.find((e: { field: string[] }) => e.field.join('.') === 'input.rules.2.grade').message,
    ).toContain('A');
    expect(codes((await createFund({ rules: [] })).userErrors)).toEqual(['input.rules:INVALID']);
    // The edges are fine: 1 % and 100 % shares, 0 % and 100 % collateral.
    const edges = await createFund({
      rules: [
        { grade: 'C', fundSharePercent: 1, maxLoanAmount: '0.01', collateralPercent: 0 },
        { grade: 'D', fundSharePercent: 100, maxLoanAmount: '100000', collateralPercent: 100 },
      ],
    });
    expect(edges.userErrors).toEqual([]);
    const [{ n: after }] = await server.sql('select count(*)::int as n from guarantee_fund');
    expect(after).toBe(before + 1);
  });

  test('only regulators create and read funds', async () => {
    const input = { name: '越权基金', capital: '1000000', rules: WEIHAI };
    for (const token of [undefined, world.enterprise.token, world.bank.token, world.admin.token]) {
      const created = await server.gql(CREATE, { input }, { token });
      expect(created.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      const read = await server.gql(FUNDS, {}, { token });
      expect(read.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    const [{ n }] = await server.sql("select count(*)::int as n from guarantee_fund where name = '越权基金'");
    expect(n).toBe(0);
  });
  test('the list with departments and figures costs the same statements however many funds there are', async () => {
    const LIST = `{ guaranteeFunds { id department { id name } coveredLoanCount outstandingCoverage compensationPaid } }`;
    const measure = async () => {
      const res = await server.gql(LIST, {}, { token: world.regulator.token });
      expect(res.body.errors).toBeUndefined();
      return { funds: res.body.data.guaranteeFunds.length as number, statements: res.sqlStatements };
    };
    const before = await measure();
    for (let i = 0; i < 5; i++) await fundId({ name: `统计测试基金${i}` }, world.regulatorB.token);
    const after = await measure();
    expect(after.funds).toBe(before.funds + 5);
    expect(after.statements).toBe(before.statements);
    expect(after.statements).toBeLessThanOrEqual(5);
  });
});

describe('coverage at grant', () => {
  test('grades A, B and C of the newest fund cover creditAmount × share to the fen; D or no grade is not covered', async () => {
    const bank = await market.bank();
    const fund = await fundId({ name: '威海规则基金' });
    const cases: [string | null, string, number | null, string | null][] = [
      ['A', '1000000.00', 80, '800000.00'],
      ['B', '1000000.00', 60, '600000.00'],
      ['C', '1000000.00', 40, '400000.00'],
      // 1,234,567.89 × 80 % = 987,654.312; × 40 % = 493,827.156 → half-up to the fen.
      ['A', '1234567.89', 80, '987654.31'],
      ['C', '1234567.89', 40, '493827.16'],
      // The rule's maximum is inclusive.
      ['B', '5000000.00', 60, '3000000.00'],
      ['D', '1000000.00', null, null],
      [null, '1000000.00', null, null],
    ];
    for (const [grade, amount, share, covered] of cases) {
      const { loanId } = await grantedFor(bank, grade, amount);
      const guarantee = await guaranteeOf(loanId, bank.token);
      expect([grade, amount, guarantee]).toEqual([
        grade,
        amount,
        share === null
          ? null
          : { fund: { id: fund }, fundSharePercent: share, coveredAmount: covered, compensatedAmount: null },
      ]);
    }
    // Granted, nothing disbursed: six loans covered, nothing outstanding.
    expect(await figures(fund)).toEqual({ coveredLoanCount: 6, outstandingCoverage: '0.00', compensationPaid: '0.00' });
  });

  test('not covered: a MORTGAGE product, a product not marked eligible, an amount above the rule’s maximum', async () => {
    const bank = await market.bank();
    const fund = await fundId();
    const mortgage = await grantedFor(bank, 'A', '1000000.00', { type: 'MORTGAGE', guaranteeFundEligible: true });
    const notEligible = await grantedFor(bank, 'A', '1000000.00', { guaranteeFundEligible: false });
    const tooLarge = await grantedFor(bank, 'A', '5000000.01');
    const guarantee = await grantedFor(bank, 'A', '1000000.00', { type: 'GUARANTEE', guaranteeFundEligible: true });
    for (const { loanId } of [mortgage, notEligible, tooLarge]) expect(await guaranteeOf(loanId)).toBeNull();
    expect(await guaranteeOf(guarantee.loanId)).toMatchObject({ fund: { id: fund }, coveredAmount: '800000.00' });
    const rows = await server.sql(
      'select guarantee_fund_id, fund_share_percent, covered_amount from loan where id = any(?::uuid[])',
      [`{${[mortgage.loanId, notEligible.loanId, tooLarge.loanId].join(',')}}`],
    );
    expect(rows).toEqual(Array(3).fill({ guarantee_fund_id: null, fund_share_percent: null, covered_amount: null }));
    expect((await figures(fund)).coveredLoanCount).toBe(1);
  });

  test('the newest fund whose rule admits the amount: a newer fund with a small A rule leaves larger loans to the older one', async () => {
    const bank = await market.bank();
    const older = await fundId({ name: '较早的基金' });
    const newer = await fundId({
      name: '较新的基金',
      rules: [{ grade: 'A', fundSharePercent: 70, maxLoanAmount: '500000', collateralPercent: 0 }],
    });
    const small = await grantedFor(bank, 'A', '400000.00');
    const large = await grantedFor(bank, 'A', '1000000.00');
    const gradeB = await grantedFor(bank, 'B', '400000.00');
    expect(await guaranteeOf(small.loanId)).toMatchObject({
      fund: { id: newer },
      fundSharePercent: 70,
      coveredAmount: '280000.00',
    });
    expect(await guaranteeOf(large.loanId)).toMatchObject({
      fund: { id: older },
      fundSharePercent: 80,
      coveredAmount: '800000.00',
    });
    expect(await guaranteeOf(gradeB.loanId)).toMatchObject({
      fund: { id: older },
      fundSharePercent: 60,
      coveredAmount: '240000.00',
    });
    expect((await figures(newer)).coveredLoanCount).toBe(1);
    expect((await figures(older)).coveredLoanCount).toBe(2);
  });
});

describe('claimCompensation', () => {
  const disburse = (token: string, loanId: string, amount = '1000000') =>
    desk.must('disburseLoan', token, { loanId, amount, disbursedOn: serverToday(server) });
  const markDefaulted = (token: string, loanId: string) =>
    desk.must('markLoanOverdue', token, { loanId, asOf: serverToday(server), daysOverdue: 95 });
  const claim = (token: string, loanId: string) => desk.run('claimCompensation', token, { loanId });

  test('a DEFAULTED covered loan is paid outstanding principal × share, once; the fund’s figures follow', async () => {
    const [bank, other] = [await market.bank(), await market.bank()];
    const fund = await fundId();
    const a = await grantedFor(bank, 'A', '1000000.00');
    const b = await grantedFor(bank, 'B', '1000000.00');
    await disburse(bank.token, a.loanId);
    await disburse(bank.token, b.loanId);
    await desk.must('recordRepayment', bank.token, {
      loanId: a.loanId,
      principal: '123456.78',
      interest: '3208.33',
      paidOn: serverToday(server),
    });
    // 876,543.22 × 80 % = 701,234.576 → 701,234.58; plus 1,000,000 × 60 %.
    expect(await figures(fund)).toEqual({
      coveredLoanCount: 2,
      outstandingCoverage: '1301234.58',
      compensationPaid: '0.00',
    });
    expect(codes((await claim(bank.token, a.loanId)).userErrors)).toEqual(['input.loanId:INVALID_STATE']);

    await markDefaulted(bank.token, a.loanId);
    expect(codes((await claim(other.token, a.loanId)).userErrors)).toEqual(['input.loanId:NOT_FOUND']);
    const paid = await claim(bank.token, a.loanId);
    expect(paid.userErrors).toEqual([]);
    expect(paid.loan).toMatchObject({ status: 'DEFAULTED', outstandingPrincipal: '876543.22' });
    expect(await guaranteeOf(a.loanId, a.enterprise.token)).toEqual({
      fund: { id: fund },
      fundSharePercent: 80,
      coveredAmount: '800000.00',
      compensatedAmount: '701234.58',
    });
    expect(await figures(fund)).toEqual({
      coveredLoanCount: 2,
      outstandingCoverage: '600000.00',
      compensationPaid: '701234.58',
    });

    const twice = await claim(bank.token, a.loanId);
    expect(codes(twice.userErrors)).toEqual(['input.loanId:INVALID_STATE']);
    const events = await server.sql(
      `select e.type, e.amount::text, e.occurred_on::text as on from loan_event e where e.loan_id = ? order by ${LOAN_EVENT_ORDER}`,
      [a.loanId],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'GRANTED',
      'DISBURSED',
      'REPAID',
      'DEFAULTED',
      'COMPENSATED',
    ]);
    expect(events.at(-1)).toEqual({ type: 'COMPENSATED', amount: '701234.58', on: serverToday(server) });
    const audit = await server.sql(
      "select count(*)::int as n from audit_event where action = 'claimCompensation' and target_id = ?",
      [a.loanId],
    );
    expect(audit[0].n).toBe(1);
    expect((await figures(fund)).compensationPaid).toBe('701234.58');
  });

  test('an uncovered DEFAULTED loan is NOT_ELIGIBLE; two claims at once pay once', async () => {
    const bank = await market.bank();
    const fund = await fundId();
    const uncovered = await grantedFor(bank, 'D', '1000000.00');
    const covered = await grantedFor(bank, 'C', '333333.33');
    for (const { loanId } of [uncovered, covered]) {
      await disburse(bank.token, loanId, loanId === covered.loanId ? '333333.33' : '1000000');
      await markDefaulted(bank.token, loanId);
    }
    const refused = await claim(bank.token, uncovered.loanId);
    expect(codes(refused.userErrors)).toEqual(['input.loanId:NOT_ELIGIBLE']);

    const results = await Promise.all([claim(bank.token, covered.loanId), claim(bank.token, covered.loanId)]);
    expect(results.flatMap((r) => codes(r.userErrors))).toEqual(['input.loanId:INVALID_STATE']);
    // 333,333.33 × 40 % = 133,333.332 → 133,333.33.
    const [row] = await server.sql(
      `select compensated_amount::text as paid,
              (select count(*)::int from loan_event e where e.loan_id = l.id and e.type = 'COMPENSATED') as events
         from loan l where l.id = ?`,
      [covered.loanId],
    );
    expect(row).toEqual({ paid: '133333.33', events: 1 });
    expect(await figures(fund)).toEqual({
      coveredLoanCount: 1,
      outstandingCoverage: '0.00',
      compensationPaid: '133333.33',
    });
    const [{ n }] = await server.sql('select count(*)::int as n from audit_event where target_id = ? and action = ?', [
      uncovered.loanId,
      'claimCompensation',
    ]);
    expect(n).toBe(0);
  });

  test('a fund never pays out more than its capital: the claim that would is LIMIT_EXCEEDED', async () => {
    const bank = await market.bank();
    const fund = await fundId({ capital: '1000000' });
    const first = await grantedFor(bank, 'A', '1000000.00');
    const second = await grantedFor(bank, 'A', '1000000.00');
    for (const { loanId } of [first, second]) {
      await disburse(bank.token, loanId);
      await markDefaulted(bank.token, loanId);
    }
    expect((await claim(bank.token, first.loanId)).userErrors).toEqual([]);
    const over = await claim(bank.token, second.loanId);
    expect(codes(over.userErrors)).toEqual(['input.loanId:LIMIT_EXCEEDED']);
    expect(await guaranteeOf(second.loanId)).toMatchObject({ compensatedAmount: null });
    expect(await figures(fund)).toEqual({
      coveredLoanCount: 2,
      outstandingCoverage: '800000.00',
      compensationPaid: '800000.00',
    });
  });
});
