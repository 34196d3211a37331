import type { Client } from 'pg';
import { RECORD_KINDS } from '../../src/services/credit/record-kinds';
import { isValidIndustryCode } from '../../src/reference/industries';
import { isValidRegionCode } from '../../src/reference/regions';
import { isValidUscc } from '../../src/services/uscc';

// A deterministic dataset, generated set-based inside PostgreSQL (INSERT … SELECT generate_series):
// the same (enterprises, records, today) gives the same rows on every run and machine. Pseudo-random
// choices come from hashint8extended(n, salt), PostgreSQL's stable integer hash (the one hash
// partitioning relies on), so nothing depends on random() or on insertion order.

export interface DatasetSpec {
  enterprises: number;
  records: number;
  /** The evaluation date (YYYY-MM-DD, Asia/Shanghai): records fall in the 24 months before it. */
  today: string;
  /** The evaluation instant: no record is recorded after it. */
  now: Date;
}

export interface DatasetStats {
  enterprises: number;
  records: number;
  recordsByKind: Record<string, number>;
  enterpriseSeconds: number;
  recordSeconds: number;
  vacuumAnalyzeSeconds: number;
  totalSeconds: number;
}

// GB 32100-2015, as in src/services/uscc.ts (which keeps them private); every generated code is
// checked against isValidUscc below, so a mismatch fails the run rather than skewing it.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const REGIONS = ['110100', '310100', '440300', '440100', '330100', '320500', '510100', '420100', '370200', '500100'];
const INDUSTRIES = ['A01', 'C13', 'C26', 'C34', 'C39', 'E48', 'F51', 'F52', 'G54', 'H62', 'I65', 'M75'];

/** h(n, salt, k): a stable pseudo-random 0..k-1 for row n; a session-local helper, gone with the connection. */
export const SETUP_SQL = `
create function pg_temp.h(n bigint, salt int, k int) returns int
  language sql immutable parallel safe
  as $$ select (((hashint8extended(n, salt) % k) + k) % k)::int $$;
`;

/**
 * One row per enterprise with everything the generators need, and its slice [start, start + cnt)
 * of the record numbers: counts vary with a weight of 2..6 and add up to exactly M. The profile
 * `pr` (strong 25 %, normal 35 %, weak 25 %, poor 15 %) drives trends, event rates and the tax
 * level, so grades spread over A–D.
 */
const PLAN_SQL = `
create temp table bench_plan as
with base as (
  select n,
    case when pg_temp.h(n, 1, 20) < 5 then 0 when pg_temp.h(n, 1, 20) < 12 then 1
         when pg_temp.h(n, 1, 20) < 17 then 2 else 3 end as pr,
    case when pg_temp.h(n, 2, 100) < 50 then 0 when pg_temp.h(n, 2, 100) < 80 then 1
         when pg_temp.h(n, 2, 100) < 95 then 2 else 3 end as size_idx,
    ($3::text[])[1 + pg_temp.h(n, 3, cardinality($3::text[]))] as region,
    ($4::text[])[1 + pg_temp.h(n, 4, cardinality($4::text[]))] as industry,
    $5::date - (60 + pg_temp.h(n, 5, 9000)) as established_on,
    case when pg_temp.h(n, 6, 20) = 0 then null
         else (array[100000, 500000, 1000000, 3000000, 5000000, 10000000, 30000000, 100000000])[1 + pg_temp.h(n, 7, 8)]
    end::numeric(18,2) as capital,
    pg_temp.h(n, 11, 10) = 0 as no_housing_fund,
    pg_temp.h(n, 12, 20) = 0 as no_social_security,
    2 + pg_temp.h(n, 8, 5) as weight,
    100000007::bigint + n * 7919 as org_number
  from generate_series(0, $1::bigint - 1) n
),
sized as (
  select base.*,
    (array['MICRO', 'SMALL', 'MEDIUM', 'LARGE'])[size_idx + 1] as size,
    case size_idx when 0 then 2 + pg_temp.h(n, 9, 8) when 1 then 10 + pg_temp.h(n, 9, 90)
                  when 2 then 100 + pg_temp.h(n, 9, 200) else 300 + pg_temp.h(n, 9, 1700) end as staff,
    (array[0.015, 0.0, -0.03, -0.06])[pr + 1] as trend,
    '91' || region || (
      select string_agg(substr($6, ((org_number / power(31::numeric, k)::bigint) % 31)::int + 1, 1), '' order by k desc)
      from generate_series(0, 8) k
    ) as code17,
    sum(weight) over (order by n) - weight as before,
    sum(weight) over () as total
  from base
)
select sized.*,
  md5('cel-bench-enterprise:' || n)::uuid as id,
  code17 || substr($6, ((31 - (check_sum % 31)) % 31 + 1)::int, 1) as uscc,
  staff * (800 + pg_temp.h(n, 10, 2400)) as monthly_vat,
  ($2::bigint * before / total) as start,
  ($2::bigint * (before + weight) / total) - ($2::bigint * before / total) as cnt
from sized
cross join lateral (
  select sum((strpos($6, substr(code17, k, 1)) - 1) * ($7::int[])[k]) as check_sum from generate_series(1, 17) k
) c
`;

const ENTERPRISES_SQL = `
insert into enterprise (id, uscc, name, legal_representative, industry_code, region_code, size, established_on,
  registered_capital, employees, annual_revenue, verification_status)
select id, uscc, '基准测试企业' || lpad(n::text, 7, '0') || '有限公司', '法人' || n, industry, region, size,
  established_on, capital, staff, (monthly_vat * 12 / 0.06)::numeric(18,2), 'VERIFIED'
from bench_plan order by n
`;

/**
 * Record s of an enterprise: s = 0 is its tax credit level; then rounds of four monthly kinds
 * (VAT paid, employees insured, a utility bill, housing fund contributors) spread evenly over the
 * 24 months before today, some of them replaced by an event (arrears, late bill, penalty,
 * judgment, dishonest-debtor listing, patent, loan overdue or default, licence revoked) at a rate
 * set by the profile. Rows go in by date, as departments send them, not clustered by enterprise.
 */
const RECORDS_SQL = `
insert into credit_record (id, uscc, source, kind, external_id, period, amount, description, occurred_on, recorded_at)
select md5('cel-bench-record:' || r.i)::uuid, r.uscc, k.source, r.kind, 'BENCH-' || lpad(r.i::text, 10, '0'),
  case when r.monthly then to_char(r.occurred_on, 'YYYY-MM')
       when r.kind = 'TAX_CREDIT_LEVEL' then to_char(r.occurred_on - 365, 'YYYY') end,
  r.amount, r.description, r.occurred_on,
  least(((r.occurred_on + 3) + time '10:00') at time zone 'Asia/Shanghai', $3::timestamptz)
from (
  select x.i, p.uscc, kd.kind, kd.monthly, d.occurred_on,
    case kd.kind
      when 'VAT_PAID' then round((p.monthly_vat * power(1 + p.trend, -kd.months_back)
                                 * (0.9 + pg_temp.h(x.i, 30, 21) / 100.0))::numeric, 2)
      when 'EMPLOYEES_INSURED' then greatest(1, round(p.staff * power(1 + p.trend / 2, -kd.months_back)))
      when 'HOUSING_FUND_CONTRIBUTORS' then
        case when pg_temp.h(x.i, 31, 10) < (array[0, 1, 4, 8])[p.pr + 1] then 0 else ceil(p.staff * 0.6) end
      when 'TAX_ARREARS' then 1000 * (1 + pg_temp.h(x.i, 32, 150))
      when 'SOCIAL_SECURITY_ARREARS' then 500 * (1 + pg_temp.h(x.i, 33, 120))
      when 'HOUSING_FUND_ARREARS' then 500 * (1 + pg_temp.h(x.i, 34, 60))
      when 'ADMIN_PENALTY' then 1000 * pg_temp.h(x.i, 35, 60)
      when 'COURT_JUDGMENT' then 10000 * (1 + pg_temp.h(x.i, 36, 100))
      when 'LOAN_OVERDUE' then 5000 * (1 + pg_temp.h(x.i, 37, 100))
      when 'LOAN_DEFAULT' then 100000 * (1 + pg_temp.h(x.i, 38, 20))
    end::numeric(18,2) as amount,
    case kd.kind
      when 'TAX_CREDIT_LEVEL' then substr((array['AAAB', 'ABBM', 'BMCC', 'CCDD'])[p.pr + 1], 1 + pg_temp.h(x.i, 40, 4), 1)
      when 'UTILITY_PAID_ON_TIME' then (array['电费', '水费', '燃气费'])[1 + pg_temp.h(x.i, 41, 3)]
      when 'UTILITY_PAID_LATE' then (array['电费', '水费', '燃气费'])[1 + pg_temp.h(x.i, 41, 3)]
      when 'ADMIN_PENALTY' then '未按规定履行环保义务'
      when 'COURT_JUDGMENT' then '买卖合同纠纷'
      when 'DISHONEST_DEBTOR' then '列入失信被执行人名单'
      when 'PATENT_GRANTED' then '实用新型专利'
      when 'LICENSE_REVOKED' then '吊销排污许可证'
    end as description
  from bench_plan p
  cross join lateral generate_series(0, p.cnt - 1) s
  cross join lateral (
    select p.start + s as i, (s - 1) % 4 as slot,
      greatest(1, 24 / greatest(1, ceil((p.cnt - 1) / 4.0)::int)) as step,
      s > 0 and pg_temp.h(p.start + s, 21, 1000) < (array[10, 80, 300, 600])[p.pr + 1] as event
  ) x
  cross join lateral (
    select case
      when s = 0 then 'TAX_CREDIT_LEVEL'
      when x.event then
        case when pg_temp.h(x.i, 22, 100) < 15 then 'TAX_ARREARS'
             when pg_temp.h(x.i, 22, 100) < 25 then 'SOCIAL_SECURITY_ARREARS'
             when pg_temp.h(x.i, 22, 100) < 32 then 'HOUSING_FUND_ARREARS'
             when pg_temp.h(x.i, 22, 100) < 52 then 'UTILITY_PAID_LATE'
             when pg_temp.h(x.i, 22, 100) < 66 then 'ADMIN_PENALTY'
             when pg_temp.h(x.i, 22, 100) < 76 then 'COURT_JUDGMENT'
             when pg_temp.h(x.i, 22, 100) < 86 then 'PATENT_GRANTED'
             when pg_temp.h(x.i, 22, 100) < 92 then 'LOAN_OVERDUE'
             when pg_temp.h(x.i, 22, 100) < 96 then 'DISHONEST_DEBTOR'
             when pg_temp.h(x.i, 22, 100) < 98 then 'LOAN_DEFAULT'
             else 'LICENSE_REVOKED' end
      when x.slot = 0 then 'VAT_PAID'
      when x.slot = 1 and not p.no_social_security then 'EMPLOYEES_INSURED'
      when x.slot = 3 and not p.no_housing_fund then 'HOUSING_FUND_CONTRIBUTORS'
      when pg_temp.h(x.i, 26, 100) < (array[2, 10, 35, 60])[p.pr + 1] then 'UTILITY_PAID_LATE'
      else 'UTILITY_PAID_ON_TIME'
    end as kind,
    s > 0 and not x.event as monthly,
    1 + (((s - 1) / 4) * x.step) % 24 as months_back
  ) kd
  cross join lateral (
    select case
      when kd.monthly then (date_trunc('month', $2::date::timestamp) - kd.months_back * interval '1 month')::date
                           + pg_temp.h(x.i, 23, 28)
      when kd.kind = 'TAX_CREDIT_LEVEL' then $2::date - (1 + pg_temp.h(x.i, 24, 330))
      else $2::date - (1 + pg_temp.h(x.i, 25, 729))
    end as occurred_on
  ) d
) r
join unnest($1::text[], $4::text[]) as k(kind, source) on k.kind = r.kind
order by r.occurred_on, r.i
`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

export async function generateDataset(client: Client, spec: DatasetSpec): Promise<DatasetStats> {
  for (const code of REGIONS) if (!isValidRegionCode(code)) throw new Error(`bench region ${code} is not valid`);
  for (const code of INDUSTRIES) if (!isValidIndustryCode(code)) throw new Error(`bench industry ${code} is not valid`);
  const kinds = Object.keys(RECORD_KINDS);
  const sources = Object.values(RECORD_KINDS) as string[];
  await client.query(SETUP_SQL);

  const enterpriseSeconds = await timed(async () => {
    await client.query(PLAN_SQL, [
      spec.enterprises,
      spec.records,
      REGIONS,
      INDUSTRIES,
      spec.today,
      USCC_ALPHABET,
      USCC_WEIGHTS,
    ]);
    await client.query(ENTERPRISES_SQL);
  });
  const { rows: codes } = await client.query<{ uscc: string }>('select uscc from enterprise');
  const invalid = codes.filter((r) => !isValidUscc(r.uscc));
  if (invalid.length) throw new Error(`generated ${invalid.length} invalid USCCs, e.g. ${invalid[0]!.uscc}`);

  const recordSeconds = await timed(() =>
    client.query(RECORDS_SQL, [kinds, spec.today, spec.now.toISOString(), sources]),
  );
  await client.query('drop table bench_plan');
  const vacuumAnalyzeSeconds = await timed(() => client.query('vacuum analyze'));

  const { rows: byKind } = await client.query<{ kind: string; n: string }>(
    'select kind, count(*) as n from credit_record group by kind order by count(*) desc',
  );
  const recordsByKind = Object.fromEntries(byKind.map((r) => [r.kind, Number(r.n)]));
  const records = byKind.reduce((sum, r) => sum + Number(r.n), 0);
  if (codes.length !== spec.enterprises || records !== spec.records) {
    throw new Error(
      `generated ${codes.length} enterprises and ${records} records, not ${spec.enterprises} / ${spec.records}`,
    );
  }
  return {
    enterprises: codes.length,
    records,
    recordsByKind,
    enterpriseSeconds,
    recordSeconds,
    vacuumAnalyzeSeconds,
    totalSeconds: enterpriseSeconds + recordSeconds + vacuumAnalyzeSeconds,
  };
}
