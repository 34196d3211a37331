import type { Client } from 'pg';

// The platformStatistics dataset: institutions, products, enterprises, demands, offers and loans,
// generated set-based inside PostgreSQL (one INSERT … SELECT generate_series per table) and
// deterministic: ids are md5(prefix || n)::uuid and every choice is hashint8extended(n, salt), so
// the same size and date give the same rows. Money and dates respect the CHECK constraints
// (loan_money_check: disbursed ≤ credit, 0 ≤ outstanding ≤ disbursed; granted_on ≤ disbursed_on).

export interface StatisticsDatasetSpec {
  institutions: number;
  products: number;
  enterprises: number;
  demands: number;
  loans: number;
  /** YYYY-MM-DD (Asia/Shanghai): demands and loans fall in the 24 months before it. */
  today: string;
}

export interface StatisticsDatasetStats {
  counts: Record<string, number>;
  loansByStatus: Record<string, number>;
  seconds: Record<string, number>;
  totalSeconds: number;
}

/** Two cities' districts in Liaoning (Dandong 2106, Shenyang 2101) and Qingdao (3702). */
export const REGIONS = ['210602', '210603', '210604', '210681', '210102', '210103', '210104', '370202', '370203'];
/** The region filter the benchmark uses: one city, Dandong (every 2106… district). */
export const CITY_FILTER = '210600';
const INDUSTRIES = ['A011', 'C131', 'C261', 'C341', 'C391', 'E481', 'F512', 'F521', 'G543', 'I651', 'M751'];

const SETUP_SQL = `
create function pg_temp.h(n bigint, salt int, k int) returns int
  language sql immutable parallel safe
  as $$ select (((hashint8extended(n, salt) % k) + k) % k)::int $$;
`;

const INSTITUTIONS_SQL = `
insert into financial_institution (id, created_at, name, type, region_code)
select md5('fi' || n)::uuid, $2::date - 800, '基准银行' || lpad(n::text, 3, '0'),
       (array['STATE_OWNED_BANK', 'JOINT_STOCK_BANK', 'CITY_COMMERCIAL_BANK', 'RURAL_BANK'])[1 + n % 4],
       '210600'
  from generate_series(0, $1::int - 1) n`;

const PRODUCTS_SQL = `
insert into loan_product (id, created_at, institution_id, name, description, type, min_amount, max_amount,
                          min_rate, max_rate, min_term_months, max_term_months, repayment_methods, min_grade,
                          industry_codes, region_codes, sizes, guarantee_fund_eligible, status, published_at, updated_at)
select md5('lp' || n)::uuid, $3::date - 790, md5('fi' || (n % $2))::uuid, '基准产品' || n, '基准数据',
       (array['CREDIT', 'GUARANTEE', 'MORTGAGE', 'PLEDGE', 'SUPPLY_CHAIN'])[1 + n % 5],
       100000, 10000000, 3.2, 8.5, 6, 36, '["EQUAL_INSTALLMENT"]'::jsonb, null,
       '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, false,
       case when n % 8 = 7 then 'OFFLINE' else 'PUBLISHED' end, $3::date - 790, $3::date - 790
  from generate_series(0, $1::int - 1) n`;

const ENTERPRISES_SQL = `
insert into enterprise (id, created_at, uscc, name, legal_representative, industry_code, region_code, size,
                        established_on, registered_capital, employees, annual_revenue, verification_status, updated_at)
select md5('e' || n)::uuid, $2::date - 800 + n % 700,
       '91' || r.region || lpad(n::text, 9, '0') || '0', '基准企业' || n || '有限公司', '张三', i.industry, r.region,
       (array['MICRO', 'SMALL', 'MEDIUM', 'LARGE'])[1 + pg_temp.h(n, 2, 4)],
       $2::date - 400 - pg_temp.h(n, 3, 8000), 1000000 + pg_temp.h(n, 4, 100) * 100000, 5 + pg_temp.h(n, 5, 300),
       null, case when pg_temp.h(n, 6, 10) < 7 then 'VERIFIED' when pg_temp.h(n, 6, 10) < 9 then 'PENDING' else 'REJECTED' end,
       $2::date - 800
  from generate_series(0, $1::int - 1) n
  cross join lateral (select ($3::text[])[1 + pg_temp.h(n, 1, cardinality($3::text[]))] as region) r
  cross join lateral (select ($4::text[])[1 + pg_temp.h(n, 7, cardinality($4::text[]))] as industry) i`;

/**
 * Demand d belongs to enterprise (d * 31) % E and was published d % 730 days before today (plus a
 * time of day). Status: OPEN 20 % (some already past expires_at), MATCHED 10 %, GRANTED 35 %,
 * WITHDRAWN 10 %, EXPIRED 15 %, CLOSED 10 %.
 */
const DEMANDS_SQL = `
insert into financing_demand (id, created_at, enterprise_id, amount, term_months, purpose, max_rate, accepted_types,
                              status, expires_at, updated_at)
select md5('d' || d)::uuid, c.at, md5('e' || ((d * 31) % $2))::uuid,
       (100000 + pg_temp.h(d, 21, 50) * 100000)::numeric(18,2), 12, '流动资金', null, '{CREDIT,GUARANTEE}',
       case when s < 20 then 'OPEN' when s < 30 then 'MATCHED' when s < 65 then 'GRANTED'
            when s < 75 then 'WITHDRAWN' when s < 90 then 'EXPIRED' else 'CLOSED' end,
       c.at + interval '90 days', c.at
  from generate_series(0, $1::int - 1) d
  cross join lateral (select pg_temp.h(d, 20, 100) as s,
                             (($3::date - d % 730)::timestamp + make_interval(mins => pg_temp.h(d, 22, 1440)))
                               at time zone 'Asia/Shanghai' as at) c`;

/** One offer for every other demand, from the institution of product (d % P). */
const OFFERS_SQL = `
insert into offer (id, created_at, demand_id, institution_id, product_id, amount, rate, term_months, repayment_method,
                   status, valid_until, updated_at)
select md5('o' || d)::uuid, fd.created_at + interval '1 day', fd.id, md5('fi' || ((d % $2) % $3))::uuid,
       md5('lp' || (d % $2))::uuid, fd.amount, 4.35, 12, 'EQUAL_INSTALLMENT',
       case when fd.status in ('GRANTED', 'CLOSED', 'MATCHED') then 'ACCEPTED' else 'PENDING' end,
       fd.created_at + interval '30 days', fd.created_at + interval '1 day'
  from generate_series(0, $1::int - 1, 2) d
  join financing_demand fd on fd.id = md5('d' || d)::uuid`;

/**
 * Loan n: loans n < D/2 come from demand 2n (its enterprise, granted 3–30 days after it was
 * published); the others belong to enterprise (n * 7919) % E with a grant date in the last 730
 * days. Status: PENDING 5 %, DECLINED 5 %, GRANTED 10 %, ACTIVE 40 %, OVERDUE 5 %, DEFAULTED 5 %,
 * SETTLED 30 %. Disbursed within 0–10 days of the grant, never after today.
 */
const LOANS_SQL = `
insert into loan (id, created_at, enterprise_id, institution_id, product_id, demand_id, status, credit_amount,
                  disbursed_amount, outstanding_principal, rate, term_months, repayment_method, granted_on,
                  disbursed_on, maturity_date, days_overdue, updated_at)
select md5('l' || n)::uuid, g.granted::timestamp at time zone 'Asia/Shanghai', g.enterprise_id,
       md5('fi' || (p % $4))::uuid, md5('lp' || p)::uuid, g.demand_id, st,
       case when st = 'PENDING' then null else credit end,
       disbursed, outstanding,
       (3.2 + pg_temp.h(n, 33, 530) / 100.0)::numeric(9,4), 12, 'EQUAL_INSTALLMENT',
       case when st in ('PENDING', 'DECLINED') then null else g.granted end,
       case when disbursed > 0 then least(g.granted + pg_temp.h(n, 34, 11), $5::date) end,
       case when disbursed > 0 then g.granted + 365 end,
       case when st = 'OVERDUE' then 1 + pg_temp.h(n, 35, 89) when st = 'DEFAULTED' then 90 + pg_temp.h(n, 35, 200) else 0 end,
       g.granted::timestamp at time zone 'Asia/Shanghai'
  from generate_series(0, $1::bigint - 1) n
  cross join lateral (select pg_temp.h(n, 30, 40) as p, pg_temp.h(n, 31, 100) as s) r
  cross join lateral (
    select case when s < 5 then 'PENDING' when s < 10 then 'DECLINED' when s < 20 then 'GRANTED'
                when s < 60 then 'ACTIVE' when s < 65 then 'OVERDUE' when s < 70 then 'DEFAULTED' else 'SETTLED' end as st,
           ((1 + pg_temp.h(n, 32, 50)) * 100000)::numeric(18,2) as credit) c
  cross join lateral (
    select case when n < $2::bigint / 2 then md5('d' || (2 * n))::uuid end as demand_id,
           md5('e' || case when n < $2::bigint / 2 then (2 * n * 31) % $3 else (n * 7919) % $3 end)::uuid as enterprise_id,
           case when n < $2::bigint / 2 then least($5::date - ((2 * n) % 730)::int + 3 + pg_temp.h(n, 36, 28), $5::date)
                else $5::date - pg_temp.h(n, 37, 730) end as granted) g
  cross join lateral (
    select case when st in ('ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED')
                then round(credit * (50 + pg_temp.h(n, 38, 51)) / 100, 2) else 0 end::numeric(18,2) as disbursed) d
  cross join lateral (
    select case when st in ('ACTIVE', 'OVERDUE', 'DEFAULTED')
                then round(disbursed * (10 + pg_temp.h(n, 39, 91)) / 100, 2) else 0 end::numeric(18,2) as outstanding) o`;

async function timed(seconds: Record<string, number>, name: string, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  seconds[name] = (performance.now() - started) / 1000;
}

export async function generateStatisticsDataset(
  c: Client,
  spec: StatisticsDatasetSpec,
  log: (message: string) => void,
): Promise<StatisticsDatasetStats> {
  const seconds: Record<string, number> = {};
  const started = performance.now();
  await c.query(SETUP_SQL);
  await c.query("SET TIME ZONE 'Asia/Shanghai'");
  const { institutions: I, products: P, enterprises: E, demands: D, loans: L, today } = spec;
  if (L < D / 2) throw new Error('need at least demands / 2 loans (loan n < demands / 2 comes from demand 2n)');
  await timed(seconds, 'institutions', () => c.query(INSTITUTIONS_SQL, [I, today]));
  await timed(seconds, 'products', () => c.query(PRODUCTS_SQL, [P, I, today]));
  await timed(seconds, 'enterprises', () => c.query(ENTERPRISES_SQL, [E, today, REGIONS, INDUSTRIES]));
  log(`  enterprises ${seconds.enterprises!.toFixed(1)} s`);
  await timed(seconds, 'demands', () => c.query(DEMANDS_SQL, [D, E, today]));
  log(`  demands ${seconds.demands!.toFixed(1)} s`);
  await timed(seconds, 'offers', () => c.query(OFFERS_SQL, [D, P, I]));
  log(`  offers ${seconds.offers!.toFixed(1)} s`);
  await timed(seconds, 'loans', () => c.query(LOANS_SQL, [L, D, E, I, today]));
  log(`  loans ${seconds.loans!.toFixed(1)} s`);
  await timed(seconds, 'vacuumAnalyze', () => c.query('VACUUM ANALYZE'));
  const totalSeconds = (performance.now() - started) / 1000;

  const counts: Record<string, number> = {};
  for (const table of ['financial_institution', 'loan_product', 'enterprise', 'financing_demand', 'offer', 'loan']) {
    counts[table] = Number((await c.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  }
  const { rows } = await c.query<{ k: string; n: string }>(
    'select status as k, count(*) as n from loan group by 1 order by 1',
  );
  const loansByStatus = Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  return { counts, loansByStatus, seconds, totalSeconds };
}
