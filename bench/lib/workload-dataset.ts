import type { Client } from 'pg';
import { SETUP_SQL } from './dataset';

// The marketplace around the credit dataset (bench/lib/dataset.ts makes the enterprises and their
// credit records): institutions, products, demands with offers, loans and policies, generated
// set-based (one INSERT … SELECT per table) and deterministic. Ids are md5('cel-bench-<table>:' || n),
// choices pg_temp.h(n, salt, k) (hashint8extended), and every time is counted back from midnight of
// `today` (Asia/Shanghai), so the same size and date give the same rows.

export interface MarketSpec {
  enterprises: number;
  institutions: number;
  /** A multiple of institutions: product n belongs to institution n % institutions. */
  products: number;
  demands: number;
  loans: number;
  policies: number;
  /** YYYY-MM-DD, Asia/Shanghai. */
  today: string;
}

export interface MarketStats {
  counts: Record<string, number>;
  seconds: Record<string, number>;
}

/** The workloads' principals: institution 0 is W1's bank, enterprise 0 W3's enterprise. */
export const BANK_ID_SQL = "md5('cel-bench-institution:0')::uuid";
export const ENTERPRISE_ID_SQL = "md5('cel-bench-enterprise:0')::uuid";
export const DEPARTMENT_ID_SQL = "md5('cel-bench-department')::uuid";
/** W3's enterprise owns this many demands (one in demands / 40), about half of them with a loan. */
const DASHBOARD_DEMANDS = 40;

/** Midnight of today in Shanghai: the newest row is just before it, so no row is in the future. */
const ANCHOR = `(($1::date)::timestamp at time zone 'Asia/Shanghai')`;

const INSTITUTIONS_SQL = `
insert into financial_institution (id, created_at, name, type, region_code)
select md5('cel-bench-institution:' || n)::uuid, ${ANCHOR} - interval '900 days',
       '基准银行' || lpad(n::text, 3, '0') || '分行',
       (array['STATE_OWNED_BANK', 'JOINT_STOCK_BANK', 'CITY_COMMERCIAL_BANK', 'RURAL_BANK', 'POLICY_BANK'])[1 + n % 5],
       '440300'
  from generate_series(0, $2::int - 1) n`;

/**
 * Product n belongs to institution n % I; its type cycles with n / I, so every institution has
 * products of every type. DRAFT 5 %, OFFLINE 10 %, PUBLISHED 85 %; amounts, rates, terms and
 * eligibility vary so that W2's filter and ordering select a real subset.
 */
const PRODUCTS_SQL = `
insert into loan_product (id, created_at, institution_id, name, description, type, min_amount, max_amount,
                          min_rate, max_rate, min_term_months, max_term_months, repayment_methods, min_grade,
                          industry_codes, region_codes, sizes, min_years_established, guarantee_fund_eligible,
                          status, published_at, updated_at)
select md5('cel-bench-product:' || n)::uuid, c.created, md5('cel-bench-institution:' || (n % $2))::uuid,
       (array['信易贷', '科创贷', '税易贷', '惠农贷', '链易贷'])[1 + (n / $2) % 5] || '·'
         || (array['小微', '成长', '普惠', '快捷'])[1 + pg_temp.h(n, 80, 4)] || lpad(n::text, 4, '0'),
       '面向中小微企业的基准测试产品，按信用等级差异化定价',
       (array['CREDIT', 'GUARANTEE', 'MORTGAGE', 'PLEDGE', 'SUPPLY_CHAIN'])[1 + (n / $2) % 5],
       (array[10000, 50000, 100000, 300000])[1 + pg_temp.h(n, 81, 4)],
       (array[1000000, 3000000, 5000000, 10000000, 30000000])[1 + pg_temp.h(n, 82, 5)],
       r.min_rate, r.min_rate + 1 + pg_temp.h(n, 84, 4),
       (array[1, 3, 6, 12])[1 + pg_temp.h(n, 85, 4)], (array[12, 24, 36, 60])[1 + pg_temp.h(n, 86, 4)],
       '["EQUAL_INSTALLMENT", "EQUAL_PRINCIPAL", "INTEREST_FIRST"]'::jsonb,
       case when pg_temp.h(n, 87, 10) < 5 then null when pg_temp.h(n, 87, 10) < 7 then 'C'
            when pg_temp.h(n, 87, 10) < 9 then 'B' else 'A' end,
       case when pg_temp.h(n, 88, 10) = 0 then '["C39", "I65"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 89, 10) = 0 then '["440300", "440100"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 90, 5) = 0 then '["MICRO", "SMALL"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 91, 5) = 0 then 2 end,
       pg_temp.h(n, 92, 10) < 3,
       s.status, case when s.status <> 'DRAFT' then c.created + make_interval(hours => 24 + pg_temp.h(n, 93, 240)) end,
       c.created
  from generate_series(0, $3::int - 1) n
  cross join lateral (select ${ANCHOR} - make_interval(days => 30 + pg_temp.h(n, 94, 700)) as created) c
  cross join lateral (select (3 + pg_temp.h(n, 83, 250) / 100.0)::numeric(9,4) as min_rate) r
  cross join lateral (select case when pg_temp.h(n, 95, 20) = 0 then 'DRAFT' when pg_temp.h(n, 95, 20) < 3 then 'OFFLINE'
                                  else 'PUBLISHED' end as status) s`;

/**
 * Demand d was published d / D × 730 days before today (d = 0 is the newest). One in D / 40 is
 * W3's enterprise's; the others spread over enterprises 1 … E − 1. Published in the last 30 days
 * (the default validity): OPEN 75 %, WITHDRAWN 5 %, MATCHED 10 %, GRANTED 10 %. Older: OPEN 3 %
 * (now past expires_at: reads EXPIRED), EXPIRED 12 %, WITHDRAWN 10 %, MATCHED 3 %, GRANTED 52 %,
 * CLOSED 20 %.
 */
const DEMANDS_SQL = `
insert into financing_demand (id, created_at, enterprise_id, amount, term_months, purpose, max_rate, accepted_types,
                              status, expires_at, updated_at)
select md5('cel-bench-demand:' || d)::uuid, c.at,
       md5('cel-bench-enterprise:' || case when d % greatest(1, $2::int / ${DASHBOARD_DEMANDS}) = 0 then 0
                                            else 1 + (d * 7919) % ($3::int - 1) end)::uuid,
       ((1 + pg_temp.h(d, 51, 100)) * 50000)::numeric(18,2),
       (array[6, 12, 12, 24, 36])[1 + pg_temp.h(d, 52, 5)],
       (array['采购原材料', '流动资金周转', '购置生产设备', '支付员工工资', '扩大产能'])[1 + pg_temp.h(d, 53, 5)],
       case when pg_temp.h(d, 54, 4) = 0 then (6 + pg_temp.h(d, 55, 40) / 10.0)::numeric(9,4) end,
       case pg_temp.h(d, 56, 5) when 0 then '{CREDIT}'::text[] when 1 then '{CREDIT,GUARANTEE}'
            when 2 then '{CREDIT,GUARANTEE,MORTGAGE}' when 3 then '{SUPPLY_CHAIN,PLEDGE}'
            else '{CREDIT,GUARANTEE,MORTGAGE,PLEDGE,SUPPLY_CHAIN}' end,
       case when c.recent then
              case when s < 75 then 'OPEN' when s < 80 then 'WITHDRAWN' when s < 90 then 'MATCHED' else 'GRANTED' end
            else
              case when s < 3 then 'OPEN' when s < 15 then 'EXPIRED' when s < 25 then 'WITHDRAWN'
                   when s < 28 then 'MATCHED' when s < 80 then 'GRANTED' else 'CLOSED' end
       end,
       c.at + interval '30 days', c.at
  from generate_series(0, $2::int - 1) d
  cross join lateral (select pg_temp.h(d, 58, 100) as s) r
  cross join lateral (
    select at, at > ${ANCHOR} - interval '30 days' as recent
      from (select ${ANCHOR} - make_interval(secs => floor((d::float8 / $2) * 730 * 86400) + 3600 + pg_temp.h(d, 57, 36000))
                   as at) t
  ) c`;

/**
 * 1–5 offers per demand (3 on average) from consecutive institutions, so no bank has two on one
 * demand (offer_one_pending_per_bank), each with one of its own products. OPEN demands: PENDING;
 * MATCHED, GRANTED and CLOSED: the first ACCEPTED, the others REJECTED; WITHDRAWN: REJECTED;
 * EXPIRED: EXPIRED.
 */
const OFFERS_SQL = `
insert into offer (id, created_at, demand_id, institution_id, product_id, amount, rate, term_months, repayment_method,
                   status, valid_until, updated_at)
select md5('cel-bench-offer:' || d || ':' || j)::uuid, o.at, fd.id, md5('cel-bench-institution:' || i)::uuid,
       md5('cel-bench-product:' || (i + $3::int * pg_temp.h(d * 8 + j, 63, $4::int / $3::int)))::uuid,
       fd.amount, (3.45 + pg_temp.h(d * 8 + j, 64, 300) / 100.0)::numeric(9,4), fd.term_months, 'EQUAL_INSTALLMENT',
       case when fd.status = 'OPEN' then 'PENDING' when fd.status = 'EXPIRED' then 'EXPIRED'
            when fd.status in ('MATCHED', 'GRANTED', 'CLOSED') and j = 0 then 'ACCEPTED' else 'REJECTED' end,
       fd.created_at + interval '30 days', o.at
  from generate_series(0, $2::int - 1) d
  join financing_demand fd on fd.id = md5('cel-bench-demand:' || d)::uuid
  cross join lateral generate_series(0, pg_temp.h(d, 60, 5)) j
  cross join lateral (select (pg_temp.h(d, 61, $3::int) + j) % $3::int as i,
                             least(fd.created_at + make_interval(mins => 20 * (j + 1)), ${ANCHOR}) as at) o
 order by o.at`;

/** Loan terms from its status: credit, disbursed and outstanding amounts, dates (never after today). */
const LOAN_TERMS = `
  cross join lateral (
    select case when st in ('ACTIVE', 'OVERDUE', 'DEFAULTED', 'SETTLED')
                then round(credit * (50 + pg_temp.h(n, 71, 51)) / 100, 2) else 0 end::numeric(18,2) as disbursed,
           case when st in ('PENDING', 'DECLINED') then null else least(granted, $1::date) end as granted_on) t
  cross join lateral (
    select case when st in ('ACTIVE', 'OVERDUE', 'DEFAULTED')
                then round(disbursed * (10 + pg_temp.h(n, 72, 91)) / 100, 2) else 0 end::numeric(18,2) as outstanding,
           case when disbursed > 0 then least(granted_on + pg_temp.h(n, 73, 11), $1::date) end as disbursed_on) u`;

const LOAN_COLUMNS = `id, created_at, enterprise_id, institution_id, product_id, demand_id, offer_id, status, credit_amount,
  disbursed_amount, outstanding_principal, rate, term_months, repayment_method, granted_on, disbursed_on, maturity_date,
  days_overdue, updated_at`;

const LOAN_VALUES = `case when st in ('PENDING', 'DECLINED') then null else credit end, disbursed, outstanding, rate,
  term_months, 'EQUAL_INSTALLMENT', granted_on, disbursed_on,
  case when disbursed > 0 then (granted_on + make_interval(months => term_months))::date end,
  case when st = 'OVERDUE' then 1 + pg_temp.h(n, 74, 89) when st = 'DEFAULTED' then 90 + pg_temp.h(n, 74, 200) else 0 end`;

/**
 * A loan for each accepted offer, up to L: MATCHED demands give PENDING loans, CLOSED ones
 * DECLINED (40 %) or SETTLED, GRANTED ones GRANTED 10 %, ACTIVE 55 %, OVERDUE 8 %, DEFAULTED 5 %,
 * SETTLED 22 %; granted 3–30 days after the demand was published.
 */
const DEMAND_LOANS_SQL = `
insert into loan (${LOAN_COLUMNS})
select md5('cel-bench-loan:' || n)::uuid, least(a.created_at + interval '1 day', ${ANCHOR}), a.enterprise_id,
       a.institution_id, a.product_id, a.demand_id, a.offer_id, st, ${LOAN_VALUES}, least(a.created_at + interval '1 day', ${ANCHOR})
  from (
    select row_number() over (order by o.id) - 1 as n, o.id as offer_id, o.demand_id, o.institution_id, o.product_id,
           o.amount as credit, o.rate, o.term_months, o.created_at, fd.enterprise_id, fd.status as demand_status,
           fd.created_at::date + 3 + pg_temp.h(hashtext(o.id::text), 70, 28) as granted
      from offer o join financing_demand fd on fd.id = o.demand_id
     where o.status = 'ACCEPTED'
  ) a
  cross join lateral (select pg_temp.h(n, 75, 100) as s) r
  cross join lateral (
    select case when demand_status = 'MATCHED' then 'PENDING'
                when demand_status = 'CLOSED' then case when s < 40 then 'DECLINED' else 'SETTLED' end
                when s < 10 then 'GRANTED' when s < 65 then 'ACTIVE' when s < 73 then 'OVERDUE'
                when s < 78 then 'DEFAULTED' else 'SETTLED' end as st) x
  ${LOAN_TERMS}
 where n < $2::bigint`;

/** The rest of L: loans made without a demand on the platform, granted over the last 730 days. */
const DIRECT_LOANS_SQL = `
insert into loan (${LOAN_COLUMNS})
select md5('cel-bench-loan:' || n)::uuid, granted::timestamp at time zone 'Asia/Shanghai',
       md5('cel-bench-enterprise:' || (1 + (n * 7919) % ($4::int - 1)))::uuid,
       md5('cel-bench-institution:' || (n % $5::int))::uuid,
       md5('cel-bench-product:' || (n % $5::int + $5::int * pg_temp.h(n, 76, $6::int / $5::int)))::uuid,
       null, null, st, ${LOAN_VALUES}, granted::timestamp at time zone 'Asia/Shanghai'
  from generate_series($2::bigint, $3::bigint - 1) n
  cross join lateral (select pg_temp.h(n, 75, 100) as s, $1::date - 1 - pg_temp.h(n, 77, 730) as granted,
                             ((1 + pg_temp.h(n, 78, 50)) * 100000)::numeric(18,2) as credit,
                             (3.2 + pg_temp.h(n, 79, 530) / 100.0)::numeric(9,4) as rate,
                             (array[6, 12, 24, 36])[1 + pg_temp.h(n, 69, 4)] as term_months) r
  cross join lateral (
    select case when s < 5 then 'PENDING' when s < 10 then 'DECLINED' when s < 20 then 'GRANTED'
                when s < 60 then 'ACTIVE' when s < 65 then 'OVERDUE' when s < 70 then 'DEFAULTED'
                else 'SETTLED' end as st) x
  ${LOAN_TERMS}`;

const DEPARTMENT_SQL = `
insert into department (id, created_at, name, region_code)
values (${DEPARTMENT_ID_SQL}, ${ANCHOR} - interval '900 days', '基准测试发展和改革委员会', '440300')`;

/**
 * Policies of one department: PUBLISHED 80 % (most open today), CLOSED 10 %, DRAFT 10 %, with
 * eligibility rules (grade, industry, region, size, years, no recent penalty) that some
 * enterprises meet and others do not.
 */
const POLICIES_SQL = `
insert into policy (id, created_at, department_id, title, summary, body, category, min_grade, industry_codes,
                    region_codes, sizes, min_years_established, no_penalty_months, max_amount_per_claim, budget,
                    budget_committed, apply_from, apply_until, status, published_at, updated_at)
select md5('cel-bench-policy:' || n)::uuid, ${ANCHOR} - make_interval(days => 20 + w.since), ${DEPARTMENT_ID_SQL},
       '基准测试扶持政策' || lpad(n::text, 3, '0'), '对符合条件的中小微企业给予资金支持',
       '一、支持对象……二、支持标准……三、申报材料……',
       (array['SUBSIDY', 'INTEREST_SUBSIDY', 'RISK_COMPENSATION', 'GUARANTEE_FEE_SUBSIDY', 'TAX_RELIEF',
              'TECH_INNOVATION', 'TALENT', 'OTHER'])[1 + n % 8],
       (array[null, null, 'C', 'B', 'A'])[1 + pg_temp.h(n, 101, 5)],
       case when pg_temp.h(n, 102, 4) = 0 then '["C39", "C34", "I65"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 103, 4) = 0 then '["440300"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 104, 3) = 0 then '["MICRO", "SMALL"]' else '[]' end::jsonb,
       case when pg_temp.h(n, 105, 4) = 0 then 3 end, case when pg_temp.h(n, 106, 3) = 0 then 12 end,
       200000, 10000000, 0, $1::date - w.since, $1::date - w.since + w.length, s.status,
       case when s.status <> 'DRAFT' then ${ANCHOR} - make_interval(days => 10 + w.since) end,
       ${ANCHOR} - make_interval(days => 10 + w.since)
  from generate_series(0, $2::int - 1) n
  cross join lateral (select pg_temp.h(n, 107, 200) as since, 30 + pg_temp.h(n, 108, 400) as length) w
  cross join lateral (select case when pg_temp.h(n, 109, 10) = 0 then 'DRAFT' when pg_temp.h(n, 109, 10) = 1 then 'CLOSED'
                                  else 'PUBLISHED' end as status) s`;

async function timed(seconds: Record<string, number>, name: string, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  seconds[name] = (performance.now() - started) / 1000;
}

/** Everything but the enterprises and credit records, which must exist already (bench/lib/dataset.ts). */
export async function generateMarket(
  c: Client,
  spec: MarketSpec,
  log: (message: string) => void,
): Promise<MarketStats> {
  const { enterprises: E, institutions: I, products: P, demands: D, loans: L, policies, today } = spec;
  if (I < 5 || P % I !== 0) throw new Error('need at least 5 institutions and products a multiple of them');
  if (E < 2) throw new Error('need at least 2 enterprises');
  const seconds: Record<string, number> = {};
  await c.query(SETUP_SQL);
  await c.query("SET TIME ZONE 'Asia/Shanghai'");
  const step = async (name: string, text: string, values: unknown[]) => {
    await timed(seconds, name, () => c.query(text, values));
    log(`  ${name} ${seconds[name]!.toFixed(1)} s`);
  };
  await step('institutions', INSTITUTIONS_SQL, [today, I]);
  await step('products', PRODUCTS_SQL, [today, I, P]);
  await step('department', DEPARTMENT_SQL, [today]);
  await step('policies', POLICIES_SQL, [today, policies]);
  await step('demands', DEMANDS_SQL, [today, D, E]);
  await step('offers', OFFERS_SQL, [today, D, I, P]);
  await step('demandLoans', DEMAND_LOANS_SQL, [today, L]);
  const { rows } = await c.query<{ n: string }>('select count(*) as n from loan');
  await step('directLoans', DIRECT_LOANS_SQL, [today, Number(rows[0]!.n), L, E, I, P]);

  const counts: Record<string, number> = {};
  for (const table of ['financial_institution', 'loan_product', 'policy', 'financing_demand', 'offer', 'loan']) {
    counts[table] = Number((await c.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  }
  return { counts, seconds };
}
