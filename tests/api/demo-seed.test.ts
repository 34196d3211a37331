import Decimal from 'decimal.js';
import pino from 'pino';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed/demo';
import { DEMO_PRODUCTS } from '../../src/db/seed/demo-products';
import { DEMO_FUND_NAME } from '../../src/db/seed/marketplace';
import { LoanStatus } from '../../src/entities/enums';
import { startTestServer, type TestServer } from '../support/test-server';

/** The demo city with its marketplace, seeded into a fresh database as `npm start` seeds it. */

let server: TestServer;
const token: Record<string, string> = {};

async function call(login: string, query: string, variables?: Record<string, unknown>) {
  const res = await server.gql(query, variables, { token: token[login] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

beforeAll(async () => {
  server = await startTestServer();
  // The marketplace's CHECK constraints and partial unique indexes held, or this would throw.
  expect(await seedDemo(server.orm.em.fork(), pino({ level: 'silent' }))).toBe(true);
  for (const login of ['demo-bank', 'demo-bank2', 'demo-enterprise', 'demo-regulator']) {
    const res = await server.gql(
      'mutation($l: String!, $p: String!) { login(input: { login: $l, password: $p }) { accessToken } }',
      { l: login, p: DEMO_PASSWORD },
    );
    token[login] = res.body.data.login.accessToken;
  }
}, 120_000);

afterAll(() => server?.close());

test('runs once: a second seed changes nothing', async () => {
  const count = async () =>
    (
      await server.sql(`select (select count(*) from loan) + (select count(*) from fund_claim)
                             + (select count(*) from article) + (select count(*) from app_user) as n`)
    )[0].n;
  const before = await count();
  expect(await seedDemo(server.orm.em.fork(), pino({ level: 'silent' }))).toBe(false);
  expect(await count()).toBe(before);
});

test('loans of demo-bank and demo-bank2, and covered loans, are there to look at', async () => {
  const [row] = await server.sql(`
    select count(*) filter (where i.name = '工商银行丹东分行')::int as icbc,
           count(*) filter (where i.name = '鸭绿江城市商业银行')::int as yalu,
           count(*) filter (where l.guarantee_fund_id is not null)::int as covered,
           count(*) filter (where l.status = 'DEFAULTED' and l.guarantee_fund_id is not null
                              and l.compensated_amount is null)::int as claimable
    from loan l join financial_institution i on i.id = l.institution_id`);
  expect(row.icbc).toBeGreaterThanOrEqual(7);
  expect(row.yalu).toBeGreaterThanOrEqual(1);
  expect(row.covered).toBeGreaterThan(3);
  expect(row.claimable).toBeGreaterThanOrEqual(1);
});

test('every demo bank publishes 2–4 products priced 3.2–6 %, credit, guarantee and mortgage among them', async () => {
  const data = await call(
    'demo-bank',
    `{ loanProducts(first: 50) { totalCount nodes { name type minRate maxRate guaranteeFundEligible institution { name } } } }`,
  );
  const products = data.loanProducts.nodes as {
    type: string;
    minRate: string;
    maxRate: string;
    guaranteeFundEligible: boolean;
    institution: { name: string };
  }[];
  expect(data.loanProducts.totalCount).toBe(DEMO_PRODUCTS.length);
  const perBank = new Map<string, number>();
  for (const p of products) perBank.set(p.institution.name, (perBank.get(p.institution.name) ?? 0) + 1);
  expect(perBank.size).toBe(5);
  for (const n of perBank.values()) expect(n).toBeGreaterThanOrEqual(2);
  for (const n of perBank.values()) expect(n).toBeLessThanOrEqual(4);
  for (const p of products) {
    expect(Number(p.minRate)).toBeGreaterThanOrEqual(3.2);
    expect(Number(p.maxRate)).toBeLessThanOrEqual(6);
  }
  expect(new Set(products.map((p) => p.type))).toEqual(
    new Set(['CREDIT', 'GUARANTEE', 'MORTGAGE', 'PLEDGE', 'SUPPLY_CHAIN']),
  );
  expect(products.filter((p) => p.guaranteeFundEligible).length).toBeGreaterThan(3);
});

test('demo-bank sees loans in every status, open demands with its offers, and a dispatch to answer', async () => {
  const data = await call(
    'demo-bank',
    `{ loans(first: 50) { nodes { status } }
       demands(first: 50, filter: { statuses: [OPEN] }) { nodes { offerCount offers { nodes { status } } } }
       dispatches(statuses: [PENDING]) { totalCount nodes { reason entry { name } } } }`,
  );
  const statuses = new Set(data.loans.nodes.map((l: { status: string }) => l.status));
  expect(statuses).toEqual(new Set(Object.values(LoanStatus)));
  const demands = data.demands.nodes as { offerCount: number; offers: { nodes: { status: string }[] } }[];
  const bidOn = demands.filter((d) => d.offers.nodes.some((o) => o.status === 'PENDING'));
  expect(bidOn.length).toBeGreaterThanOrEqual(2);
  // Some are still open to its first bid.
  expect(demands.some((d) => d.offerCount > 0 && d.offers.nodes.length === 0)).toBe(true);
  expect(data.dispatches.totalCount).toBeGreaterThanOrEqual(1);
  expect(data.dispatches.nodes[0].reason).toMatch(/可申请产品「.+」年利率 \d+\.\d+% 起/);
});

test('demo-bank can claim the fund’s compensation on its defaulted covered loan, once', async () => {
  const data = await call(
    'demo-bank',
    `{ loans(filter: { statuses: [DEFAULTED] }) { nodes { id outstandingPrincipal daysOverdue
         guarantee { fundSharePercent compensatedAmount fund { name } } } } }`,
  );
  const loan = data.loans.nodes.find((l: { guarantee: unknown }) => l.guarantee);
  expect(loan.daysOverdue).toBeGreaterThanOrEqual(90);
  expect(loan.guarantee).toMatchObject({ compensatedAmount: null, fund: { name: DEMO_FUND_NAME } });
  const CLAIM = `mutation($id: ID!) { claimCompensation(input: { loanId: $id }) {
    loan { guarantee { compensatedAmount } } userErrors { code } } }`;
  const claimed = (await call('demo-bank', CLAIM, { id: loan.id })).claimCompensation;
  expect(claimed.userErrors).toEqual([]);
  const expected = new Decimal(loan.outstandingPrincipal).times(loan.guarantee.fundSharePercent).div(100);
  expect(new Decimal(claimed.loan.guarantee.compensatedAmount).eq(expected.toDecimalPlaces(2))).toBe(true);
  const again = (await call('demo-bank', CLAIM, { id: loan.id })).claimCompensation;
  expect(again.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
});

test('demo-enterprise has loans, offers on its open demand, and can accept one', async () => {
  const data = await call(
    'demo-enterprise',
    `{ loans { nodes { status institution { name } } }
       demands(filter: { statuses: [OPEN] }) { nodes { id offers { nodes { id status rate institution { name } } } } } }`,
  );
  expect(data.loans.nodes.map((l: { status: string }) => l.status).sort()).toEqual(['ACTIVE', 'SETTLED']);
  const [demand] = data.demands.nodes;
  const offers = demand.offers.nodes as { id: string; status: string; rate: string }[];
  expect(offers.length).toBeGreaterThanOrEqual(2);
  expect(offers.every((o) => o.status === 'PENDING')).toBe(true);
  const cheapest = [...offers].sort((a, b) => Number(a.rate) - Number(b.rate))[0];

  const accepted = (
    await call(
      'demo-enterprise',
      `mutation($id: ID!) { acceptOffer(input: { id: $id }) {
         offer { status } demand { status } loan { status rate } userErrors { code message } } }`,
      { id: cheapest.id },
    )
  ).acceptOffer;
  expect(accepted.userErrors).toEqual([]);
  expect(accepted).toMatchObject({
    offer: { status: 'ACCEPTED' },
    demand: { status: 'MATCHED' },
    loan: { status: 'PENDING', rate: cheapest.rate },
  });
  const after = await call(
    'demo-enterprise',
    `query($id: ID!) { demand(id: $id) { offers { nodes { id status } } } }`,
    {
      id: demand.id,
    },
  );
  for (const o of after.demand.offers.nodes) expect(o.status).toBe(o.id === cheapest.id ? 'ACCEPTED' : 'REJECTED');
});

test('demo-regulator sees the guarantee fund covering loans and the dispatched whitelist', async () => {
  const data = await call(
    'demo-regulator',
    `{ guaranteeFunds { name capital coveredLoanCount outstandingCoverage compensationPaid department { name }
         rules { grade fundSharePercent maxLoanAmount collateralPercent } }
       whitelists { nodes { name entryCount entries(first: 50) { nodes { uscc enterprise { id }
         dispatches { status reason institution { name } product { name } } } } } }
       loans(first: 50, filter: { statuses: [OVERDUE, DEFAULTED] }) { nodes { status daysOverdue enterprise { riskLevel } } } }`,
  );
  const [fund] = data.guaranteeFunds;
  expect(fund).toMatchObject({ name: DEMO_FUND_NAME, department: { name: '丹东市发展和改革委员会' } });
  expect(new Decimal(fund.capital).eq(100_000_000)).toBe(true);
  expect(fund.rules.map((r: Record<string, unknown>) => [r.grade, r.fundSharePercent, r.collateralPercent])).toEqual([
    ['A', 80, 0],
    ['B', 60, 70],
    ['C', 40, 100],
  ]);
  for (const r of fund.rules) expect(new Decimal(r.maxLoanAmount).eq(5_000_000)).toBe(true);
  expect(fund.coveredLoanCount).toBeGreaterThan(0);
  expect(new Decimal(fund.outstandingCoverage).gt(0)).toBe(true);
  expect(new Decimal(fund.compensationPaid).gt(0)).toBe(true);

  const [whitelist] = data.whitelists.nodes;
  expect(whitelist.name).toMatch(/^\d{4}年丹东市小微企业首贷白名单$/);
  const entries = whitelist.entries.nodes as {
    enterprise: { id: string } | null;
    dispatches: { status: string; reason: string; institution: { name: string }; product: { name: string } }[];
  }[];
  expect(entries.length).toBe(whitelist.entryCount);
  expect(entries.filter((e) => !e.enterprise).length).toBe(2);
  for (const e of entries) expect(e.dispatches.length).toBe(e.enterprise ? 1 : 0);
  const dispatches = entries.flatMap((e) => e.dispatches);
  expect(dispatches.filter((d) => d.status === 'DECLINED').length).toBe(1);
  expect(new Set(dispatches.map((d) => d.status))).toEqual(new Set(['PENDING', 'ACCEPTED', 'DECLINED']));
  expect(dispatches.some((d) => d.status === 'PENDING' && d.institution.name === '工商银行丹东分行')).toBe(true);
  for (const d of dispatches) expect(d.reason).toContain(`可申请产品「${d.product.name}」`);

  // Late borrowers were re-assessed: overdue is a signal (YELLOW at least), default is RED.
  const late = data.loans.nodes as { status: string; daysOverdue: number; enterprise: { riskLevel: string } }[];
  expect(late.some((l) => l.status === 'OVERDUE' && l.enterprise.riskLevel === 'YELLOW')).toBe(true);
  for (const l of late) {
    if (l.status === 'OVERDUE') expect(l.daysOverdue).toBeGreaterThan(0);
    if (l.status === 'OVERDUE') expect(l.daysOverdue).toBeLessThan(90);
    if (l.status === 'OVERDUE') expect(['YELLOW', 'RED']).toContain(l.enterprise.riskLevel);
    if (l.status === 'DEFAULTED') expect(l.daysOverdue).toBeGreaterThanOrEqual(90);
    if (l.status === 'DEFAULTED') expect(l.enterprise.riskLevel).toBe('RED');
  }
});

/** Rows that break a rule the API enforces; every query below must come back empty. */
const BROKEN: Record<string, string> = {
  'loan without its demand and accepted offer': `
    select l.id from loan l left join offer o on o.id = l.offer_id
    where l.demand_id is null or o.status is distinct from 'ACCEPTED' or o.demand_id <> l.demand_id
       or o.institution_id <> l.institution_id or o.product_id <> l.product_id
       or o.rate <> l.rate or o.term_months <> l.term_months`,
  'demand status out of step with its loan': `
    select l.id from loan l join financing_demand d on d.id = l.demand_id
    where d.status <> case l.status when 'PENDING' then 'MATCHED' when 'SETTLED' then 'CLOSED'
                                    when 'DECLINED' then 'CLOSED' else 'GRANTED' end`,
  'other offers on a matched demand not rejected': `
    select o.id from offer o join loan l on l.demand_id = o.demand_id
    where o.id <> l.offer_id and o.status <> 'REJECTED'`,
  'accepted offer without its underwriting consent': `
    select o.id from offer o join financing_demand d on d.id = o.demand_id
    where o.status = 'ACCEPTED' and not exists (
      select 1 from credit_authorization a where a.demand_id = d.id and a.institution_id = o.institution_id
        and a.enterprise_id = d.enterprise_id and a.scope = 'FULL' and a.purpose = 'loan underwriting'
        and a.expires_at = a.granted_at + interval '90 days')`,
  'offer outside its product or demand': `
    select o.id from offer o join loan_product p on p.id = o.product_id join financing_demand d on d.id = o.demand_id
    where o.amount not between p.min_amount and p.max_amount or o.amount > d.amount
       or o.rate not between p.min_rate and p.max_rate or o.rate > coalesce(d.max_rate, o.rate)
       or o.term_months not between p.min_term_months and p.max_term_months
       or not (p.type = any(d.accepted_types)) or p.institution_id <> o.institution_id
       or p.status <> 'PUBLISHED' or not p.repayment_methods @> to_jsonb(o.repayment_method)`,
  'open demand expired, over the limit or of an unverified enterprise': `
    select d.id from financing_demand d join enterprise e on e.id = d.enterprise_id
    where d.status = 'OPEN' and (d.expires_at <= now() or e.verification_status <> 'VERIFIED'
       or (select count(*) from financing_demand x where x.enterprise_id = e.id and x.status = 'OPEN') > 5
       or not exists (select 1 from offer o where o.demand_id = d.id and o.status = 'PENDING' and o.valid_until > now()))`,
  'loan dates out of order or in the future': `
    select id from loan
    where granted_on > coalesce(disbursed_on, granted_on) or disbursed_on > current_date
       or granted_on < created_at::date
       or maturity_date <> (disbursed_on + make_interval(months => term_months))::date
       or (status in ('GRANTED', 'ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED')) <> (credit_amount is not null)
       or (status in ('ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED')) <> (disbursed_on is not null)
       or (status <> 'DEFAULTED' and (status = 'OVERDUE') <> (days_overdue between 1 and 89))
       or (status = 'DEFAULTED' and days_overdue < 90) or (status = 'SETTLED' and outstanding_principal <> 0)`,
  'events that do not add up': `
    select l.id from loan l left join lateral (
      select coalesce(sum(amount) filter (where type = 'DISBURSED'), 0) as disbursed,
             coalesce(sum(principal) filter (where type = 'REPAID'), 0) as repaid,
             coalesce(sum(amount) filter (where type = 'REPAID'), 0) as paid,
             coalesce(sum(principal + interest) filter (where type = 'REPAID'), 0) as parts,
             count(*) filter (where type = 'GRANTED') as granted,
             count(*) filter (where type = l.status) as current,
             max(occurred_on) as last
      from loan_event e where e.loan_id = l.id) ev on true
    where ev.disbursed <> l.disbursed_amount or ev.repaid <> l.disbursed_amount - l.outstanding_principal
       or ev.paid <> ev.parts or ev.granted <> (case when l.credit_amount is null then 0 else 1 end)
       or (l.status not in ('PENDING', 'ACTIVE') and ev.current <> 1) or ev.last > current_date`,
  'guarantee cover that the fund rules do not give': `
    select l.id from loan l join loan_product p on p.id = l.product_id join enterprise e on e.id = l.enterprise_id
    left join guarantee_fund f on f.id = l.guarantee_fund_id
    left join lateral (select (r->>'fundSharePercent')::int as share from jsonb_array_elements(f.rules) r
                       where r->>'grade' = e.credit_grade and (r->>'maxLoanAmount')::numeric >= l.credit_amount) rule on true
    where (l.guarantee_fund_id is not null) <> (l.credit_amount is not null and p.guarantee_fund_eligible
            and p.type in ('CREDIT', 'GUARANTEE') and e.credit_grade in ('A', 'B', 'C'))
       or l.fund_share_percent is distinct from rule.share
       or l.covered_amount is distinct from round(l.credit_amount * rule.share / 100.0, 2)
       or (l.compensated_amount is not null and l.status <> 'DEFAULTED')`,
  'dispatch to a bank without the product it names': `
    select d.id from dispatch d join loan_product p on p.id = d.product_id
    join whitelist_entry w on w.id = d.entry_id join enterprise e on e.uscc = w.uscc
    where p.institution_id <> d.institution_id or p.status <> 'PUBLISHED'
       or (d.status = 'PENDING') <> (d.responded_at is null)`,
};

test.each(Object.keys(BROKEN))('no %s', async (rule) => {
  expect(await server.sql(BROKEN[rule])).toEqual([]);
});
