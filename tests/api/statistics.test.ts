import { randomUUID } from 'node:crypto';
import type { FinancialInstitution } from '../../src/entities';
import { VerificationStatus } from '../../src/entities/enums';
import { PUBLIC_STATISTICS_TTL_MS } from '../../src/services/statistics.service';
import type { World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

// platformStatistics (REGULATOR) and publicStatistics (anyone) over a fixed dataset written
// straight into the tables. Every expected figure is worked out by hand below; the definitions
// are those of docs/statistics.md. Besides this dataset the file's database holds only the world
// fixtures: two banks (no products, loans or offers) and two VERIFIED enterprises in 210602 / C39
// (no demands or loans), which count in the stocks (enterprises, institutions).

let server: TestServer;
let world: World;
let i1: FinancialInstitution;
let i2: FinancialInstitution;

const E1 = randomUUID(); // 210603 振兴区 (辽宁), C38, VERIFIED
const E2 = randomUUID(); // 370102 历下区 (山东), F51, PENDING
const E3 = randomUUID(); // 210603, F5131 (division F51), VERIFIED
const P1 = randomUUID(); // I1, CREDIT, PUBLISHED
const P2 = randomUUID(); // I2, GUARANTEE, PUBLISHED
const P3 = randomUUID(); // I1, MORTGAGE, DRAFT
const D = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`D${i + 1}`, randomUUID()]));

async function product(id: string, institutionId: string, type: string, status: string) {
  await server.sql(
    `insert into loan_product (id, institution_id, name, description, type, min_amount, max_amount, min_rate, max_rate,
       min_term_months, max_term_months, repayment_methods, industry_codes, region_codes, sizes, status, published_at)
     values (?, ?, ?, '统计测试产品', ?, 10000, 5000000, 3, 10, 1, 36, '["EQUAL_INSTALLMENT"]', '[]', '[]', '[]', ?, ?)`,
    [id, institutionId, `统计产品${id.slice(0, 6)}`, type, status, status === 'PUBLISHED' ? new Date() : null],
  );
}

async function demand(
  id: string,
  enterpriseId: string,
  amount: string,
  status: string,
  createdAt: string,
  expiresAt = '2099-01-01T00:00:00+08:00',
) {
  await server.sql(
    `insert into financing_demand (id, created_at, enterprise_id, amount, term_months, purpose, accepted_types, status, expires_at)
     values (?, ?, ?, ?, 12, '流动资金', '{CREDIT,GUARANTEE}', ?, ?)`,
    [id, createdAt, enterpriseId, amount, status, expiresAt],
  );
}

interface LoanRow {
  institution: string;
  enterprise: string;
  product: string;
  status: string;
  credit: string | null;
  disbursed: string;
  outstanding: string;
  rate: string;
  grantedOn: string | null;
  disbursedOn: string | null;
  demand: string | null;
}

async function loan(l: LoanRow) {
  await server.sql(
    `insert into loan (id, enterprise_id, institution_id, product_id, demand_id, status, credit_amount, disbursed_amount,
       outstanding_principal, rate, term_months, repayment_method, granted_on, disbursed_on)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 12, 'EQUAL_INSTALLMENT', ?, ?)`,
    [
      randomUUID(),
      l.enterprise,
      l.institution,
      l.product,
      l.demand,
      l.status,
      l.credit,
      l.disbursed,
      l.outstanding,
      l.rate,
      l.grantedOn,
      l.disbursedOn,
    ],
  );
}

async function offer(demandId: string, institutionId: string, productId: string, status: string, createdAt: string) {
  await server.sql(
    `insert into offer (id, created_at, demand_id, institution_id, product_id, amount, rate, term_months, repayment_method, status, valid_until)
     values (?, ?, ?, ?, ?, 100000, 4.5, 12, 'EQUAL_INSTALLMENT', ?, '2099-01-01T00:00:00+08:00')`,
    [randomUUID(), createdAt, demandId, institutionId, productId, status],
  );
}

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  [i1, i2] = await Promise.all([server.fixtures.institution('统计银行一'), server.fixtures.institution('统计银行二')]);
  await server.fixtures.enterprise({ id: E1, regionCode: '210603', industryCode: 'C38' });
  await server.fixtures.enterprise({
    id: E2,
    regionCode: '370102',
    industryCode: 'F51',
    verificationStatus: VerificationStatus.PENDING,
  });
  await server.fixtures.enterprise({ id: E3, regionCode: '210603', industryCode: 'F5131' });
  await product(P1, i1.id, 'CREDIT', 'PUBLISHED');
  await product(P2, i2.id, 'GUARANTEE', 'PUBLISHED');
  await product(P3, i1.id, 'MORTGAGE', 'DRAFT');

  // Demands: published (created_at, Shanghai time), status now.
  await demand(D.D1, E1, '1200000.00', 'GRANTED', '2026-09-01T10:00:00+08:00');
  // 00:30 in Shanghai is still 14 September in UTC: the published date is the 15th.
  await demand(D.D2, E2, '600000.00', 'GRANTED', '2026-09-15T00:30:00+08:00');
  await demand(D.D3, E1, '300000.00', 'GRANTED', '2026-10-01T09:00:00+08:00');
  await demand(D.D4, E1, '150000.00', 'GRANTED', '2026-10-10T09:00:00+08:00');
  await demand(D.D5, E1, '100000.00', 'MATCHED', '2026-10-12T09:00:00+08:00');
  await demand(D.D6, E2, '80000.00', 'CLOSED', '2026-09-25T09:00:00+08:00');
  await demand(D.D7, E2, '50000.00', 'WITHDRAWN', '2026-09-03T09:00:00+08:00');
  // Stored OPEN but past expiresAt: EXPIRED, so no longer OPEN.
  await demand(D.D8, E1, '70000.00', 'OPEN', '2026-10-05T09:00:00+08:00', '2026-10-20T09:00:00+08:00');
  await demand(D.D9, E2, '90000.00', 'OPEN', '2026-10-20T09:00:00+08:00');
  await demand(D.D10, E1, '40000.00', 'WITHDRAWN', '2026-10-25T09:00:00+08:00');

  const base = {
    credit: null,
    disbursed: '0.00',
    outstanding: '0.00',
    grantedOn: null,
    disbursedOn: null,
    demand: null,
  };
  // L1 I1 E1 CREDIT ACTIVE
  await loan({
    ...base,
    institution: i1.id,
    enterprise: E1,
    product: P1,
    status: 'ACTIVE',
    credit: '1000000.00',
    disbursed: '1000000.00',
    outstanding: '800000.00',
    rate: '4.3500',
    grantedOn: '2026-09-05',
    disbursedOn: '2026-09-10',
    demand: D.D1,
  });
  // L2 I1 E2 CREDIT OVERDUE
  await loan({
    ...base,
    institution: i1.id,
    enterprise: E2,
    product: P1,
    status: 'OVERDUE',
    credit: '500000.00',
    disbursed: '400000.00',
    outstanding: '350000.55',
    rate: '5.1000',
    grantedOn: '2026-09-20',
    disbursedOn: '2026-10-08',
    demand: D.D2,
  });
  // L3 I2 E1 GUARANTEE DEFAULTED
  await loan({
    ...base,
    institution: i2.id,
    enterprise: E1,
    product: P2,
    status: 'DEFAULTED',
    credit: '300000.00',
    disbursed: '300000.00',
    outstanding: '250000.25',
    rate: '6.0000',
    grantedOn: '2026-10-02',
    disbursedOn: '2026-10-03',
    demand: D.D3,
  });
  // L4 I2 E3 GUARANTEE SETTLED (no demand: a dispatch)
  await loan({
    ...base,
    institution: i2.id,
    enterprise: E3,
    product: P2,
    status: 'SETTLED',
    credit: '200000.00',
    disbursed: '200000.00',
    outstanding: '0.00',
    rate: '3.9000',
    grantedOn: '2026-09-01',
    disbursedOn: '2026-09-02',
  });
  // L5 I1 E1 CREDIT GRANTED (not disbursed yet)
  await loan({
    ...base,
    institution: i1.id,
    enterprise: E1,
    product: P1,
    status: 'GRANTED',
    credit: '150000.00',
    rate: '4.0000',
    grantedOn: '2026-10-15',
    demand: D.D4,
  });
  // L6 I2 E1 PENDING, L7 I1 E2 DECLINED: never granted, count nowhere.
  await loan({
    ...base,
    institution: i2.id,
    enterprise: E1,
    product: P2,
    status: 'PENDING',
    rate: '4.5000',
    demand: D.D5,
  });
  await loan({
    ...base,
    institution: i1.id,
    enterprise: E2,
    product: P1,
    status: 'DECLINED',
    rate: '4.8000',
    demand: D.D6,
  });

  // Offers (any status counts, by the day it was made): I1 4 (one in October), I2 3 (two in October).
  await offer(D.D1, i1.id, P1, 'ACCEPTED', '2026-09-02T09:00:00+08:00');
  await offer(D.D1, i2.id, P2, 'REJECTED', '2026-09-02T10:00:00+08:00');
  await offer(D.D2, i1.id, P1, 'ACCEPTED', '2026-09-16T09:00:00+08:00');
  await offer(D.D3, i2.id, P2, 'ACCEPTED', '2026-10-01T12:00:00+08:00');
  await offer(D.D4, i1.id, P1, 'ACCEPTED', '2026-10-11T09:00:00+08:00');
  await offer(D.D5, i2.id, P2, 'ACCEPTED', '2026-10-12T12:00:00+08:00');
  await offer(D.D6, i1.id, P1, 'ACCEPTED', '2026-09-26T09:00:00+08:00');
});
afterAll(() => server.close());

const AMOUNT = '{ count amount }';
const GROUP = `{ key granted ${AMOUNT} disbursed ${AMOUNT} outstandingBalance nplRatio }`;
const STATS = `query($filter: StatisticsFilter) {
  platformStatistics(filter: $filter) {
    enterprises verifiedEnterprises institutions publishedProducts
    demands ${AMOUNT} matchRate granted ${AMOUNT} disbursed ${AMOUNT}
    outstandingBalance averageRate nplRatio creditLoanShare averageDaysToCredit
    byInstitution { institution { id name } offers granted ${AMOUNT} disbursed ${AMOUNT} outstandingBalance nplRatio averageRate rank }
    byRegion ${GROUP} byIndustry ${GROUP} byMonth ${GROUP}
  }
}`;

async function stats(filter?: Record<string, unknown>) {
  const res = await server.gql(STATS, { filter }, { token: world.regulator.token });
  expect(res.body.errors).toBeUndefined();
  return { ...res.body.data.platformStatistics, sqlStatements: res.sqlStatements };
}

const amount = (count: number, sum: string) => ({ count, amount: sum });
const group = (
  key: string,
  granted: [number, string],
  disbursed: [number, string],
  outstandingBalance: string,
  nplRatio: number,
) => ({
  key,
  granted: amount(...granted),
  disbursed: amount(...disbursed),
  outstandingBalance,
  nplRatio,
});

describe('platformStatistics', () => {
  test('every figure, no filter', async () => {
    const s = await stats();
    // Stocks: 2 world + E1, E2, E3 enterprises; verified: 2 world + E1 + E3 (E2 is PENDING).
    expect(s.enterprises).toBe(5);
    expect(s.verifiedEnterprises).toBe(4);
    // 2 world banks + I1, I2; published products P1, P2 (P3 is a draft).
    expect(s.institutions).toBe(4);
    expect(s.publishedProducts).toBe(2);
    // Demands: 1,200,000 + 600,000 + 300,000 + 150,000 + 100,000 + 80,000 + 50,000 + 70,000 + 90,000 + 40,000.
    expect(s.demands).toEqual(amount(10, '2680000.00'));
    // No longer OPEN: all but D9 (D8 is EXPIRED) = 9; reached GRANTED: D1..D4 = 4; 4 / 9 = 0.4444.
    expect(s.matchRate).toBe(0.4444);
    // Granted L1..L5: 1,000,000 + 500,000 + 300,000 + 200,000 + 150,000.
    expect(s.granted).toEqual(amount(5, '2150000.00'));
    // Disbursed L1..L4: 1,000,000 + 400,000 + 300,000 + 200,000.
    expect(s.disbursed).toEqual(amount(4, '1900000.00'));
    // ACTIVE 800,000.00 + OVERDUE 350,000.55 + DEFAULTED 250,000.25.
    expect(s.outstandingBalance).toBe('1400000.80');
    // 250,000.25 / 1,400,000.80 = 0.178571…
    expect(s.nplRatio).toBe(0.1786);
    // (4.35×1,000,000 + 5.10×400,000 + 6.00×300,000 + 3.90×200,000) / 1,900,000 = 8,970,000 / 1,900,000 = 4.7210…
    expect(s.averageRate).toBe('4.72');
    // CREDIT (P1): L1 1,000,000 + L2 400,000 = 1,400,000 / 1,900,000 = 0.736842…
    expect(s.creditLoanShare).toBe(0.7368);
    // Published → granted: D1 09-01→09-05 4, D2 09-15→09-20 5 (Shanghai date), D3 10-01→10-02 1, D4 10-10→10-15 5: 15 / 4.
    expect(s.averageDaysToCredit).toBe(3.75);

    // I1: L1, L2, L5 granted (1,650,000), L1, L2 disbursed (1,400,000), balance 800,000 + 350,000.55, no default,
    //     rate (4,350,000 + 2,040,000) / 1,400,000 = 4.5642…, 4 offers.
    // I2: L3, L4 granted and disbursed (500,000), balance 250,000.25 all DEFAULTED,
    //     rate (1,800,000 + 780,000) / 500,000 = 5.16, 3 offers. The world banks: nothing, tied third.
    expect(s.byInstitution.map((i: { institution: { id: string } }) => i.institution.id)).toEqual([
      i1.id,
      i2.id,
      ...[world.bankA, world.bankB].sort((a, b) => a.name.localeCompare(b.name)).map((b) => b.id),
    ]);
    const [first, second, third, fourth] = s.byInstitution;
    expect({ ...first, institution: undefined }).toEqual({
      institution: undefined,
      offers: 4,
      granted: amount(3, '1650000.00'),
      disbursed: amount(2, '1400000.00'),
      outstandingBalance: '1150000.55',
      nplRatio: 0,
      averageRate: '4.56',
      rank: 1,
    });
    expect({ ...second, institution: undefined }).toEqual({
      institution: undefined,
      offers: 3,
      granted: amount(2, '500000.00'),
      disbursed: amount(2, '500000.00'),
      outstandingBalance: '250000.25',
      nplRatio: 1,
      averageRate: '5.16',
      rank: 2,
    });
    for (const idle of [third, fourth]) {
      expect({ ...idle, institution: undefined }).toEqual({
        institution: undefined,
        offers: 0,
        granted: amount(0, '0.00'),
        disbursed: amount(0, '0.00'),
        outstandingBalance: '0.00',
        nplRatio: 0,
        averageRate: null,
        rank: 3,
      });
    }

    // 210603: L1, L3, L4, L5 granted (1,000,000 + 300,000 + 200,000 + 150,000); L1, L3, L4 disbursed
    //         (1,000,000 + 300,000 + 200,000); balance 800,000 + 250,000.25; NPL 250,000.25 / 1,050,000.25 = 0.238095…
    // 370102: L2 only.
    expect(s.byRegion).toEqual([
      group('210603', [4, '1650000.00'], [3, '1500000.00'], '1050000.25', 0.2381),
      group('370102', [1, '500000.00'], [1, '400000.00'], '350000.55', 0),
    ]);
    // C38 (E1): L1, L3, L5; F51 (E2 and E3's F5131): L2, L4.
    expect(s.byIndustry).toEqual([
      group('C38', [3, '1450000.00'], [2, '1300000.00'], '1050000.25', 0.2381),
      group('F51', [2, '700000.00'], [2, '600000.00'], '350000.55', 0),
    ]);
    // 2026-09: granted L1, L2, L4 (1,000,000 + 500,000 + 200,000); disbursed L1, L4 (1,000,000 + 200,000),
    //          whose balance now is 800,000 + 0.
    // 2026-10: granted L3, L5 (300,000 + 150,000); disbursed L2, L3 (400,000 + 300,000), balance
    //          350,000.55 + 250,000.25 = 600,000.80, NPL 250,000.25 / 600,000.80 = 0.416666…
    expect(s.byMonth).toEqual([
      group('2026-09', [3, '1700000.00'], [2, '1200000.00'], '800000.00', 0),
      group('2026-10', [2, '450000.00'], [2, '700000.00'], '600000.80', 0.4167),
    ]);
  });

  test('a date window narrows the flows, not the stocks', async () => {
    const s = await stats({ from: '2026-10-01', to: '2026-10-31' });
    expect([s.enterprises, s.verifiedEnterprises, s.institutions, s.publishedProducts]).toEqual([5, 4, 4, 2]);
    // Published in October: D3, D4, D5, D8, D9, D10 = 300,000 + 150,000 + 100,000 + 70,000 + 90,000 + 40,000.
    expect(s.demands).toEqual(amount(6, '750000.00'));
    // No longer OPEN: D3, D4, D5, D8, D10 = 5; reached GRANTED: D3, D4 = 2.
    expect(s.matchRate).toBe(0.4);
    // Granted in October: L3, L5; first disbursed in October: L2, L3.
    expect(s.granted).toEqual(amount(2, '450000.00'));
    expect(s.disbursed).toEqual(amount(2, '700000.00'));
    // Stocks as of now, whatever the window.
    expect(s.outstandingBalance).toBe('1400000.80');
    expect(s.nplRatio).toBe(0.1786);
    // (5.10×400,000 + 6.00×300,000) / 700,000 = 3,840,000 / 700,000 = 5.4857…
    expect(s.averageRate).toBe('5.49');
    // 400,000 / 700,000 = 0.571428…
    expect(s.creditLoanShare).toBe(0.5714);
    // L3 1 day, L5 5 days.
    expect(s.averageDaysToCredit).toBe(3);
    expect(s.byMonth).toEqual([group('2026-10', [2, '450000.00'], [2, '700000.00'], '600000.80', 0.4167)]);
    expect(s.byRegion).toEqual([
      group('210603', [2, '450000.00'], [1, '300000.00'], '1050000.25', 0.2381),
      group('370102', [0, '0.00'], [1, '400000.00'], '350000.55', 0),
    ]);
    // Disbursed in October: I1 400,000 (L2) > I2 300,000 (L3). Offers made in October: I1 D4's; I2 D3's and D5's.
    expect(s.byInstitution.slice(0, 2).map((i: { offers: number; rank: number }) => [i.offers, i.rank])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(s.byInstitution[0].institution.id).toBe(i1.id);
  });

  test('the window is on Shanghai dates, both ends inclusive', async () => {
    const s = await stats({ from: '2026-09-15', to: '2026-09-15' });
    expect(s.demands).toEqual(amount(1, '600000.00'));
    expect((await stats({ from: '2026-09-14', to: '2026-09-14' })).demands).toEqual(amount(0, '0.00'));
    // An empty window: zeros, and null where there is nothing to average.
    const empty = await stats({ from: '2020-01-01', to: '2020-01-31' });
    expect(empty).toMatchObject({
      demands: amount(0, '0.00'),
      matchRate: 0,
      granted: amount(0, '0.00'),
      disbursed: amount(0, '0.00'),
      averageRate: null,
      creditLoanShare: 0,
      averageDaysToCredit: null,
      byMonth: [],
    });
  });

  test('a region filter narrows enterprises, demands and loans, hierarchically', async () => {
    // 370000 (山东) holds E2 only.
    const s = await stats({ regionCodes: ['370000'] });
    expect([s.enterprises, s.verifiedEnterprises, s.institutions, s.publishedProducts]).toEqual([1, 0, 4, 2]);
    // E2: D2, D6, D7, D9 = 600,000 + 80,000 + 50,000 + 90,000; closed out D2, D6, D7; reached D2: 1 / 3.
    expect(s.demands).toEqual(amount(4, '820000.00'));
    expect(s.matchRate).toBe(0.3333);
    expect(s.granted).toEqual(amount(1, '500000.00'));
    expect(s.disbursed).toEqual(amount(1, '400000.00'));
    expect(s.outstandingBalance).toBe('350000.55');
    expect(s.nplRatio).toBe(0);
    expect(s.averageRate).toBe('5.10');
    expect(s.creditLoanShare).toBe(1);
    expect(s.averageDaysToCredit).toBe(5);
    expect(s.byRegion.map((g: { key: string }) => g.key)).toEqual(['370102']);
    // The city 2106 (丹东) holds E1, E3 and the world's enterprises (210602).
    const dandong = await stats({ regionCodes: ['210600'] });
    expect(dandong.enterprises).toBe(4);
    expect(dandong.byRegion.map((g: { key: string }) => g.key)).toEqual(['210603']);
  });

  test('an industry filter matches by prefix', async () => {
    // F: E2 (F51) and E3 (F5131).
    const s = await stats({ industryCodes: ['F'] });
    expect([s.enterprises, s.verifiedEnterprises]).toEqual([2, 1]);
    expect(s.demands).toEqual(amount(4, '820000.00'));
    // L2, L4.
    expect(s.granted).toEqual(amount(2, '700000.00'));
    expect(s.disbursed).toEqual(amount(2, '600000.00'));
    expect(s.outstandingBalance).toBe('350000.55');
    // (5.10×400,000 + 3.90×200,000) / 600,000 = 2,820,000 / 600,000 = 4.70.
    expect(s.averageRate).toBe('4.70');
    // 400,000 / 600,000.
    expect(s.creditLoanShare).toBe(0.6667);
    // L2 only (L4 had no demand).
    expect(s.averageDaysToCredit).toBe(5);
    expect(s.byIndustry.map((g: { key: string }) => g.key)).toEqual(['F51']);
  });

  test('an institution filter narrows loans, offers, institutions and products', async () => {
    const s = await stats({ institutionIds: [i2.id] });
    expect([s.enterprises, s.institutions, s.publishedProducts]).toEqual([5, 1, 1]);
    // Demands belong to no institution: unchanged.
    expect(s.demands).toEqual(amount(10, '2680000.00'));
    expect(s.matchRate).toBe(0.4444);
    expect(s.granted).toEqual(amount(2, '500000.00'));
    expect(s.disbursed).toEqual(amount(2, '500000.00'));
    expect(s.outstandingBalance).toBe('250000.25');
    expect(s.nplRatio).toBe(1);
    expect(s.averageRate).toBe('5.16');
    expect(s.creditLoanShare).toBe(0);
    expect(s.averageDaysToCredit).toBe(1);
    expect(s.byInstitution).toHaveLength(1);
    expect(s.byInstitution[0]).toMatchObject({ institution: { id: i2.id }, offers: 3, rank: 1 });
  });

  test('filters combine', async () => {
    // I1's loans to Shandong in October: L2 disbursed; L2 was granted in September.
    const s = await stats({ from: '2026-10-01', to: '2026-10-31', regionCodes: ['370102'], institutionIds: [i1.id] });
    expect(s.granted).toEqual(amount(0, '0.00'));
    expect(s.disbursed).toEqual(amount(1, '400000.00'));
    expect(s.outstandingBalance).toBe('350000.55');
    // D9 only, still OPEN: nothing closed out.
    expect(s.demands).toEqual(amount(1, '90000.00'));
    expect(s.matchRate).toBe(0);
  });

  test('malformed filters are BAD_USER_INPUT naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: '2026-10-31', to: '2026-10-01' }, 'filter.from'],
      [{ regionCodes: ['999999'] }, 'filter.regionCodes'],
      [{ industryCodes: ['C01'] }, 'filter.industryCodes'],
      [{ institutionIds: ['not-a-uuid'] }, 'filter.institutionIds'],
    ];
    for (const [filter, argument] of cases) {
      const res = await server.gql(STATS, { filter }, { token: world.regulator.token });
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    }
  });

  test('a fixed number of statements, whatever the filter', async () => {
    const wide = await stats();
    const narrow = await stats({
      from: '2026-10-01',
      to: '2026-10-31',
      regionCodes: ['370102', '210600'],
      industryCodes: ['F', 'C38'],
      institutionIds: [i1.id, i2.id],
    });
    // Everything from the rollup in one statement, and one batched load of the institutions.
    expect(wide.sqlStatements).toBe(2);
    expect(narrow.sqlStatements).toBe(2);
  });

  test('the indexes the aggregates read exist', async () => {
    const rows = await server.sql<{ indexname: string }>(
      "select indexname from pg_indexes where tablename = 'loan' and indexname in ('loan_granted_on_index', 'loan_disbursed_on_index', 'loan_outstanding_index') order by indexname",
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'loan_disbursed_on_index',
      'loan_granted_on_index',
      'loan_outstanding_index',
    ]);
  });

  test('regulators only', async () => {
    const query = '{ platformStatistics { enterprises } }';
    expect((await server.gql(query)).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const who of [world.enterprise, world.bank, world.admin]) {
      const res = await server.gql(query, {}, { token: who.token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(res.body.data).toBeNull();
    }
    expect(
      (await server.gql(query, {}, { token: world.regulator.token })).body.data.platformStatistics.enterprises,
    ).toBe(5);
  });
});

describe('publicStatistics', () => {
  const PUBLIC = '{ publicStatistics { enterprises institutions publishedProducts grantedAmount grantedCount } }';

  test('the headline figures, for everyone', async () => {
    const expected = {
      enterprises: 5,
      institutions: 4,
      publishedProducts: 2,
      grantedAmount: '2150000.00',
      grantedCount: 5,
    };
    for (const token of [
      undefined,
      world.enterprise.token,
      world.bank.token,
      world.regulator.token,
      world.admin.token,
    ]) {
      const res = await server.gql(PUBLIC, {}, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.publicStatistics).toEqual(expected);
    }
  });

  test('cached briefly: a change shows once the TTL has passed', async () => {
    const read = async () => (await server.gql(PUBLIC)).body.data.publicStatistics;
    server.clock.advance(PUBLIC_STATISTICS_TTL_MS); // start from a fresh computation
    const before = await read();
    const computed = await server.gql(PUBLIC);
    expect(computed.sqlStatements).toBe(0); // served from memory
    await server.fixtures.institution('统计银行三');
    server.clock.advance(PUBLIC_STATISTICS_TTL_MS - 1_000);
    expect(await read()).toEqual(before);
    server.clock.advance(2_000);
    expect(await read()).toEqual({ ...before, institutions: before.institutions + 1 });
  });
});
