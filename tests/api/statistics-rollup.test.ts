import { randomUUID } from 'node:crypto';
import type { StatisticsFilter } from '../../src/services/statistics.service';
import { compactStatistics, startStatisticsCompactor } from '../../src/services/statistics/compaction';
import { compareStatisticsSources } from '../../src/services/statistics/verify';
import { verificationFilters } from '../../src/db/statistics-verify.cli';
import { createLogger } from '../../src/logger';
import { cliEnv, runCli } from '../support/cli';
import { LoanDesk, Marketplace, serverToday, shiftDate } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

// The rollup (docs/statistics.md, "The rollup") against the base tables: platformStatistics from
// statistics_rollup + statistics_delta must equal the same figures computed straight from loans,
// demands and offers, for windows that meet the months in every way and for every filter —
// before compaction (deltas only), after it, and after every kind of change, including mutations
// through the API. statistics.test.ts checks the figures themselves by hand.

let server: TestServer;
const institutions: string[] = [];

/** mulberry32: the same dataset on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (base: string, days: number) =>
  new Date(Date.parse(`${base}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Expected {
  grantedCount: number;
  grantedFen: bigint;
  outstandingFen: bigint;
}
const expected: Expected = { grantedCount: 0, grantedFen: 0n, outstandingFen: 0n };

/** 8 enterprises in 4 districts and 5 industries, 3 banks, 60 demands, offers and 90 loans over nine months. */
async function seed() {
  const next = random(20261129);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  for (const name of ['汇总银行一', '汇总银行二', '汇总银行三']) {
    institutions.push((await server.fixtures.institution(name)).id);
  }
  const products: { id: string; institution: string }[] = [];
  for (const institution of institutions) {
    for (const type of ['CREDIT', 'GUARANTEE']) {
      const id = randomUUID();
      products.push({ id, institution });
      await server.sql(
        `insert into loan_product (id, institution_id, name, description, type, min_amount, max_amount, min_rate, max_rate,
           min_term_months, max_term_months, repayment_methods, industry_codes, region_codes, sizes, status, published_at)
         values (?, ?, ?, '汇总测试产品', ?, 10000, 5000000, 3, 10, 1, 36, '["EQUAL_INSTALLMENT"]', '[]', '[]', '[]', 'PUBLISHED', now())`,
        [id, institution, `汇总产品${id.slice(0, 6)}`, type],
      );
    }
  }
  const enterprises: string[] = [];
  const regions = ['210603', '210602', '370102', '370203'];
  const industries = ['C38', 'C3911', 'F51', 'F5131', 'A01'];
  for (let i = 0; i < 8; i += 1) {
    const org = await server.fixtures.enterprise({ regionCode: regions[i % 4], industryCode: industries[i % 5] });
    enterprises.push(org.id);
  }
  const demands: { id: string; enterprise: string; published: string }[] = [];
  for (let i = 0; i < 60; i += 1) {
    const id = randomUUID();
    const enterprise = pick(enterprises);
    const published = day('2026-03-01', Math.floor(next() * 270));
    // Some just after and some just before midnight in Shanghai: the month edge in UTC differs.
    const time = pick(['00:10', '09:30', '23:50']);
    const status = pick(['OPEN', 'OPEN', 'MATCHED', 'GRANTED', 'CLOSED', 'WITHDRAWN']);
    const expires = next() < 0.5 ? '2099-01-01T00:00:00+08:00' : `${day(published, 10)}T09:00:00+08:00`;
    await server.sql(
      `insert into financing_demand (id, created_at, enterprise_id, amount, term_months, purpose, accepted_types, status, expires_at)
       values (?, ?, ?, ?, 12, '流动资金', '{CREDIT,GUARANTEE}', ?, ?)`,
      [
        id,
        `${published}T${time}:00+08:00`,
        enterprise,
        `${10_000 + Math.floor(next() * 900) * 1_000}.00`,
        status,
        expires,
      ],
    );
    demands.push({ id, enterprise, published });
    // At most one offer per bank and one ACCEPTED per demand, as the unique indexes demand.
    for (let k = Math.floor(next() * 3) - 1; k >= 0; k -= 1) {
      const product = pick(products.filter((p) => p.institution === institutions[k]));
      await server.sql(
        `insert into offer (id, created_at, demand_id, institution_id, product_id, amount, rate, term_months, repayment_method, status, valid_until)
         values (?, ?, ?, ?, ?, 100000, 4.5, 12, 'EQUAL_INSTALLMENT', ?, '2099-01-01T00:00:00+08:00')`,
        [
          randomUUID(),
          `${day(published, Math.floor(next() * 40))}T${time}:00+08:00`,
          id,
          product.institution,
          product.id,
          k === 0 ? pick(['PENDING', 'ACCEPTED', 'REJECTED']) : pick(['PENDING', 'REJECTED']),
        ],
      );
    }
  }
  const statuses = ['PENDING', 'DECLINED', 'GRANTED', 'ACTIVE', 'ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED'];
  for (let i = 0; i < 90; i += 1) {
    const product = pick(products);
    const fromDemand = i < demands.length && next() < 0.7 ? demands[i] : null;
    const status = pick(statuses);
    const credit = BigInt(50_000 + Math.floor(next() * 2_000) * 500) * 100n + BigInt(Math.floor(next() * 100));
    const granted = !['PENDING', 'DECLINED'].includes(status);
    const disbursedOn = !['PENDING', 'DECLINED', 'GRANTED'].includes(status);
    const grantedOn = fromDemand
      ? day(fromDemand.published, 3 + Math.floor(next() * 25))
      : day('2026-03-01', Math.floor(next() * 260));
    const disbursed = disbursedOn ? (credit * BigInt(50 + Math.floor(next() * 51))) / 100n : 0n;
    const live = ['ACTIVE', 'OVERDUE', 'DEFAULTED'].includes(status);
    const outstanding = live ? (disbursed * BigInt(10 + Math.floor(next() * 91))) / 100n : 0n;
    const fen = (value: bigint) => `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
    if (granted) {
      expected.grantedCount += 1;
      expected.grantedFen += credit;
    }
    expected.outstandingFen += outstanding;
    await server.sql(
      `insert into loan (id, enterprise_id, institution_id, product_id, demand_id, status, credit_amount, disbursed_amount,
         outstanding_principal, rate, term_months, repayment_method, granted_on, disbursed_on)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 12, 'EQUAL_INSTALLMENT', ?, ?)`,
      [
        randomUUID(),
        fromDemand?.enterprise ?? pick(enterprises),
        product.institution,
        product.id,
        fromDemand?.id ?? null,
        status,
        granted ? fen(credit) : null,
        fen(disbursed),
        fen(outstanding),
        (3 + Math.floor(next() * 700) / 100).toFixed(4),
        granted ? grantedOn : null,
        // First disbursed up to 10 days after the grant: often in the next month.
        disbursedOn ? day(grantedOn, Math.floor(next() * 11)) : null,
      ],
    );
  }
}

function filters(): [string, StatisticsFilter][] {
  const windows: [string, StatisticsFilter][] = [
    ...verificationFilters(serverToday(server), null),
    ['2026-04-01 … 2026-06-30 (whole months)', { from: '2026-04-01', to: '2026-06-30' }],
    ['2026-04-30 … 2026-05-01 (two edges, no whole month)', { from: '2026-04-30', to: '2026-05-01' }],
    ['2026-07-15 (one day)', { from: '2026-07-15', to: '2026-07-15' }],
    ['2026-03-31 … 2026-10-01', { from: '2026-03-31', to: '2026-10-01' }],
    ['to 2026-06-30', { to: '2026-06-30' }],
    ['from 2026-06-01', { from: '2026-06-01' }],
    ['from 2026-06-02', { from: '2026-06-02' }],
    // Whole months minus a few days at each end (the cheaper correction).
    ['2026-04-03 … 2026-07-28 (months minus days)', { from: '2026-04-03', to: '2026-07-28' }],
    ['2026-05-02 … 2026-05-30 (a month minus its ends)', { from: '2026-05-02', to: '2026-05-30' }],
    ['this month so far', { from: shiftDate(serverToday(server).slice(0, 8) + '01', 1), to: serverToday(server) }],
    ['last 30 days', { from: shiftDate(serverToday(server), -29), to: serverToday(server) }],
  ];
  const scopes: [string, StatisticsFilter][] = [
    ['', {}],
    ['region 210600', { regionCodes: ['210600'] }],
    ['industry C', { industryCodes: ['C'] }],
    ['first bank', { institutionIds: [institutions[0]] }],
    [
      'Shandong, F51, banks two and three',
      { regionCodes: ['370000'], industryCodes: ['F51'], institutionIds: [institutions[1], institutions[2]] },
    ],
  ];
  return windows.flatMap(([w, window]) =>
    scopes.map(([s, scope]): [string, StatisticsFilter] => [s ? `${w}, ${s}` : w, { ...window, ...scope }]),
  );
}

/** Every window × filter; the differences, labelled, so a failure says where. */
async function disagreements(): Promise<string[]> {
  const found: string[] = [];
  for (const [name, filter] of filters()) {
    const { differences } = await compareStatisticsSources(server.orm.em.fork(), filter, server.clock.now());
    found.push(...differences.map((d) => `${name}: ${d}`));
  }
  return found;
}

const count = async (table: string) =>
  Number((await server.sql<{ n: string }>(`select count(*) as n from ${table}`))[0].n);

const allTime = async () =>
  (
    await server.gql(
      `{ platformStatistics { granted { count amount } outstandingBalance } }`,
      {},
      { token: (await server.fixtures.getWorld()).regulator.token },
    )
  ).body.data.platformStatistics;

beforeAll(async () => {
  server = await startTestServer();
  await seed();
});

afterAll(async () => {
  await server.close();
});

describe('the statistics rollup', () => {
  test('before compaction, from the deltas alone, it matches the base tables', async () => {
    expect(await count('statistics_rollup')).toBe(0);
    expect(await count('statistics_delta')).toBeGreaterThan(0);
    expect(await disagreements()).toEqual([]);
    // The dataset is not empty where it matters: the figures are the generated ones.
    const figures = await allTime();
    expect(figures.granted.count).toBe(expected.grantedCount);
    expect(figures.granted.amount).toBe(
      `${expected.grantedFen / 100n}.${String(expected.grantedFen % 100n).padStart(2, '0')}`,
    );
    expect(figures.outstandingBalance).toBe(
      `${expected.outstandingFen / 100n}.${String(expected.outstandingFen % 100n).padStart(2, '0')}`,
    );
  });

  test('compaction folds the deltas into the rollup without changing a figure', async () => {
    const before = await allTime();
    const deltas = await count('statistics_delta');
    expect(await compactStatistics(server.orm.em.fork())).toBe(deltas);
    expect(await count('statistics_delta')).toBe(0);
    expect(await count('statistics_rollup')).toBeGreaterThan(0);
    expect(await count('statistics_rollup')).toBeLessThan(deltas);
    expect(await allTime()).toEqual(before);
    expect(await disagreements()).toEqual([]);
    // Nothing pending: nothing to do.
    expect(await compactStatistics(server.orm.em.fork())).toBe(0);
  });

  test('two compactions at once: one does the work, the other returns at once', async () => {
    await server.sql(`update loan set outstanding_principal = outstanding_principal / 2 where status = 'ACTIVE'`);
    const pending = await count('statistics_delta');
    expect(pending).toBeGreaterThan(0);
    const moved = await Promise.all([compactStatistics(server.orm.em.fork()), compactStatistics(server.orm.em.fork())]);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(pending);
    expect(await count('statistics_delta')).toBe(0);
    expect(await disagreements()).toEqual([]);
  });

  test('an update that touches no figure appends nothing', async () => {
    await server.sql(`update loan set updated_at = now(), days_overdue = days_overdue`);
    await server.sql(`update financing_demand set purpose = purpose || '。'`);
    expect(await count('statistics_delta')).toBe(0);
  });

  test('every kind of change keeps it exact: status, money, dates, deletes, an enterprise moving region', async () => {
    await server.sql(`update loan set status = 'DEFAULTED' where status = 'OVERDUE'`);
    await server.sql(
      `update loan set disbursed_amount = credit_amount, outstanding_principal = credit_amount
        where status = 'ACTIVE' and credit_amount is not null`,
    );
    await server.sql(`update loan set granted_on = granted_on + 20 where status = 'GRANTED'`);
    await server.sql(`update loan set disbursed_on = disbursed_on - 3 where status = 'SETTLED'`);
    await server.sql(`update financing_demand set status = 'CLOSED' where status = 'MATCHED'`);
    await server.sql(`delete from offer where status = 'REJECTED'`);
    await server.sql(`delete from loan where status = 'DECLINED' or (status = 'SETTLED' and demand_id is not null)`);
    // Region and industry are the borrower's: every row of theirs moves with them.
    await server.sql(
      `update enterprise set region_code = '370203', industry_code = 'F5131'
        where id in (select enterprise_id from loan where status = 'DEFAULTED' limit 2)`,
    );
    expect(await disagreements()).toEqual([]);
    await compactStatistics(server.orm.em.fork());
    expect(await disagreements()).toEqual([]);
  });

  test('mutations through the API: grant, disburse, repay, decline', async () => {
    const market = new Marketplace(server);
    const desk = new LoanDesk(server, market);
    const bank = await market.bank();
    const active = await desk.activeLoan(bank, { enterprise: { regionCode: '210602', industryCode: 'C38' } });
    await desk.must('recordRepayment', bank.token, {
      loanId: active.loanId,
      principal: '250000.00',
      interest: '3208.33',
      paidOn: serverToday(server),
    });
    const pending = await market.pendingLoan(bank);
    await desk.must('declineLoan', bank.token, { loanId: pending.loanId, reason: '资料不全' });
    expect(await count('statistics_delta')).toBeGreaterThan(0);
    expect(await disagreements()).toEqual([]);
    const figures = await allTime();
    expect(figures.granted.count).toBeGreaterThan(0);
  });

  test('the background compactor empties the deltas on its own', async () => {
    await server.sql(`update loan set rate = rate + 0.01 where status = 'ACTIVE'`);
    expect(await count('statistics_delta')).toBeGreaterThan(0);
    const stop = startStatisticsCompactor(server.orm.em.fork(), createLogger('silent'), 20);
    try {
      for (let i = 0; i < 100 && (await count('statistics_delta')) > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await stop();
    }
    expect(await count('statistics_delta')).toBe(0);
    expect(await disagreements()).toEqual([]);
  });

  test('npm run statistics:verify reports agreement, and names a tampered rollup row', async () => {
    await compactStatistics(server.orm.em.fork());
    const fine = await runCli('src/db/statistics-verify.cli.ts', [], cliEnv(server.dbUrl));
    expect(fine.stdout).toContain('the rollup matches the base tables');
    expect(fine.code).toBe(0);
    await server.sql(
      `update statistics_rollup set granted_amount = granted_amount + 1
        where ctid = (select ctid from statistics_rollup where granted_count > 0 limit 1)`,
    );
    const broken = await runCli('src/db/statistics-verify.cli.ts', [], cliEnv(server.dbUrl));
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/✗ all time .*differences/);
    expect(broken.stdout).toMatch(/granted\.amount: \d+\.\d{2} ≠ \d+\.\d{2}/);
  });
});
