/**
 * platformStatistics and publicStatistics from the monthly rollup (docs/statistics.md, "The
 * rollup"). `facts` is one stream of rows with the rollup's columns: the rollup and its pending
 * deltas (whole months count as in the window, every month counts for the stocks), plus the base
 * rows of the edge days the window covers only part of a month of (in the window, no stock). The
 * figures are then the same sums over `facts` whatever mixed them, and match direct-queries.ts.
 * Parameters are `@name`, bound by `bind()`.
 */
import { enterpriseInScope, instantInWindow, institutionInScope } from './fragments';
import type { StatisticsQueries } from './params';

const dayRun = (column: string, n: 1 | 2) => `(${column} >= @edge${n}From::date AND ${column} <= @edge${n}To::date)`;

const instantRun = (column: string, n: 1 | 2) =>
  `(${column} >= (@edge${n}From::date)::timestamp AT TIME ZONE 'Asia/Shanghai'` +
  ` AND ${column} < (@edge${n}To::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/** A base row on an edge run counts with that run's sign: added days +1, subtracted days -1. */
const runSign = (onFirst: string) => `(CASE WHEN ${onFirst} THEN @edge1Sign::int ELSE @edge2Sign::int END)`;

const shanghaiMonth = (column: string) => `date_trunc('month', ${column} AT TIME ZONE 'Asia/Shanghai')::date`;

/** The measures of one base row, in the rollup's column order, each times the row's sign (absent = 0). */
const MEASURES = [
  'granted_count',
  'granted_amount',
  'days_to_credit_sum',
  'days_to_credit_count',
  'disbursed_count',
  'disbursed_amount',
  'rate_amount',
  'credit_disbursed_amount',
  'live_count',
  'outstanding',
  'defaulted_outstanding',
  'offer_count',
  'demand_count',
  'demand_amount',
  'demand_closed_count',
  'demand_granted_count',
] as const;
/** The measures that are stocks (as of now), summed over every month rather than the window. */
const STOCKS: readonly string[] = ['live_count', 'outstanding', 'defaulted_outstanding'];

const signed = (sign: string, values: Partial<Record<(typeof MEASURES)[number], string>>) =>
  MEASURES.map((m) => (values[m] ? `${sign} * ${values[m]}` : '0')).join(', ');

const LIVE = "l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED')";

/**
 * The rollup keeps money in fen and Σ rate × disbursed in millionths, as bigints (migration
 * StatisticsRollup); base rows are scaled the same, and the figures scaled back at the end.
 */
const fen = (yuan: string) => `(${yuan} * 100)::bigint`;
const yuan = (fenSum: string) => `${fenSum} / 100`;

/**
 * Columns: month, region_code, industry_code, institution_id, w (counts as in the window),
 * stock (counts for the stocks), then the rollup's measures in its order. Base rows of the edge
 * runs count in the window only (their stock is in the rollup already).
 */
const FACTS = `
  facts AS (
    SELECT r.month, r.region_code, r.industry_code, r.institution_id,
           (r.month IS NOT NULL AND (@wholeFrom::date IS NULL OR r.month >= @wholeFrom::date)
                                AND (@wholeTo::date IS NULL OR r.month <= @wholeTo::date)) AS w,
           true AS stock, ${MEASURES.map((m) => `r.${m}`).join(', ')}
      FROM (SELECT * FROM statistics_rollup UNION ALL SELECT * FROM statistics_delta) r
     WHERE ${enterpriseInScope('r')} AND (r.institution_id IS NULL OR ${institutionInScope('r.institution_id')})
    UNION ALL
    SELECT date_trunc('month', l.granted_on)::date, e.region_code, e.industry_code, l.institution_id, true, false,
           ${signed(runSign(dayRun('l.granted_on', 1)), {
             granted_count: '1',
             granted_amount: fen('coalesce(l.credit_amount, 0)'),
             days_to_credit_sum: "coalesce(l.granted_on - (fd.created_at AT TIME ZONE 'Asia/Shanghai')::date, 0)",
             days_to_credit_count: '(fd.id IS NOT NULL)::int',
           })}
      FROM loan l JOIN enterprise e ON e.id = l.enterprise_id LEFT JOIN financing_demand fd ON fd.id = l.demand_id
     WHERE (${dayRun('l.granted_on', 1)} OR ${dayRun('l.granted_on', 2)})
       AND ${enterpriseInScope('e')} AND ${institutionInScope('l.institution_id')}
    UNION ALL
    SELECT date_trunc('month', l.disbursed_on)::date, e.region_code, e.industry_code, l.institution_id, true, false,
           ${signed(runSign(dayRun('l.disbursed_on', 1)), {
             disbursed_count: '1',
             disbursed_amount: fen('l.disbursed_amount'),
             rate_amount: '(l.rate * l.disbursed_amount * 1000000)::bigint',
             credit_disbursed_amount: `CASE WHEN p.type = 'CREDIT' THEN ${fen('l.disbursed_amount')} ELSE 0 END`,
             live_count: `(${LIVE})::int`,
             outstanding: `CASE WHEN ${LIVE} THEN ${fen('l.outstanding_principal')} ELSE 0 END`,
             defaulted_outstanding: `CASE WHEN l.status = 'DEFAULTED' THEN ${fen('l.outstanding_principal')} ELSE 0 END`,
           })}
      FROM loan l JOIN enterprise e ON e.id = l.enterprise_id JOIN loan_product p ON p.id = l.product_id
     WHERE (${dayRun('l.disbursed_on', 1)} OR ${dayRun('l.disbursed_on', 2)})
       AND ${enterpriseInScope('e')} AND ${institutionInScope('l.institution_id')}
    UNION ALL
    SELECT ${shanghaiMonth('fd.created_at')}, e.region_code, e.industry_code, NULL::uuid, true, false,
           ${signed(runSign(instantRun('fd.created_at', 1)), {
             demand_count: '1',
             demand_amount: fen('fd.amount'),
             demand_closed_count: "(fd.status <> 'OPEN')::int",
             demand_granted_count:
               '(EXISTS (SELECT 1 FROM loan gl WHERE gl.demand_id = fd.id AND gl.granted_on IS NOT NULL))::int',
           })}
      FROM financing_demand fd JOIN enterprise e ON e.id = fd.enterprise_id
     WHERE (${instantRun('fd.created_at', 1)} OR ${instantRun('fd.created_at', 2)}) AND ${enterpriseInScope('e')}
    UNION ALL
    SELECT ${shanghaiMonth('o.created_at')}, e.region_code, e.industry_code, o.institution_id, true, false,
           ${signed(runSign(instantRun('o.created_at', 1)), { offer_count: '1' })}
      FROM offer o JOIN financing_demand fd ON fd.id = o.demand_id JOIN enterprise e ON e.id = fd.enterprise_id
     WHERE (${instantRun('o.created_at', 1)} OR ${instantRun('o.created_at', 2)})
       AND ${enterpriseInScope('e')} AND ${institutionInScope('o.institution_id')}
  )`;

/**
 * OPEN demands published in the window whose expiry has passed: closed out by the clock, not by a
 * write, so no trigger sees them; the rollup counts the other closed demands.
 */
const EXPIRED_OPEN = `
  (SELECT count(*) FROM financing_demand fd JOIN enterprise e ON e.id = fd.enterprise_id
    WHERE fd.status = 'OPEN' AND fd.expires_at <= @now::timestamptz
      AND ${instantInWindow('fd.created_at')} AND ${enterpriseInScope('e')})`;

/**
 * Every group in one pass over the facts (GROUPING SETS: everything, per institution, region,
 * industry division and month), each with its window sums (w) and its stock sums (stock). A
 * month's balance is its disbursement cohort's (the month's rows in the window), not the stock.
 */
const GROUPS = `
  groups AS (
    SELECT CASE WHEN GROUPING(institution_id) = 0 THEN 'INSTITUTION'
                WHEN GROUPING(region_code) = 0 THEN 'REGION'
                WHEN GROUPING(left(industry_code, 3)) = 0 THEN 'INDUSTRY'
                WHEN GROUPING(month) = 0 THEN 'MONTH'
                ELSE 'TOTALS' END AS list,
           institution_id, region_code, left(industry_code, 3) AS industry, month,
           ${MEASURES.filter((m) => !STOCKS.includes(m))
             .map((m) => `coalesce(sum(${m}) FILTER (WHERE w), 0) AS ${m}`)
             .join(', ')},
           coalesce(sum(outstanding) FILTER (WHERE w), 0) AS cohort_outstanding,
           coalesce(sum(defaulted_outstanding) FILTER (WHERE w), 0) AS cohort_defaulted,
           coalesce(sum(live_count) FILTER (WHERE stock), 0) AS live_count,
           coalesce(sum(outstanding) FILTER (WHERE stock), 0) AS outstanding,
           coalesce(sum(defaulted_outstanding) FILTER (WHERE stock), 0) AS defaulted_outstanding
      FROM facts
     GROUP BY GROUPING SETS ((), (institution_id), (region_code), (left(industry_code, 3)), (month))
  )`;

/** Every column of the one statement, in order; a list leaves the others NULL. */
const COLUMNS = [
  'list',
  'key',
  'sort_rank',
  'sort_name',
  'enterprises',
  'verified_enterprises',
  'institutions',
  'published_products',
  'demand_count',
  'demand_amount',
  'match_rate',
  'granted_count',
  'granted_amount',
  'disbursed_count',
  'disbursed_amount',
  'outstanding_balance',
  'npl_ratio',
  'average_rate',
  'credit_loan_share',
  'average_days_to_credit',
  'institution_id',
  'offers',
  'rank',
] as const;

type Column = (typeof COLUMNS)[number];

/** One SELECT of the union: the given expressions, NULL for the other columns. */
function select(values: Partial<Record<Column, string>>, rest: string): string {
  return `SELECT ${COLUMNS.map((column) => `${values[column] ?? 'NULL'} AS ${column}`).join(', ')}\n${rest}`;
}

/** The loan figures of a group `g`: flows in the window, balance and NPL as stocks (or the month's cohort). */
const loanFigures = (g: string, balance = 'outstanding', defaulted = 'defaulted_outstanding') => ({
  granted_count: `coalesce(${g}.granted_count, 0)`,
  granted_amount: yuan(`coalesce(${g}.granted_amount, 0)`),
  disbursed_count: `coalesce(${g}.disbursed_count, 0)`,
  disbursed_amount: yuan(`coalesce(${g}.disbursed_amount, 0)`),
  outstanding_balance: yuan(`coalesce(${g}.${balance}, 0)`),
  npl_ratio: `coalesce(round(${g}.${defaulted} / nullif(${g}.${balance}, 0), 4), 0)`,
});

/** Weighted by disbursed amount, over loans first disbursed in the window; null when none. */
const averageRate = (g: string) => `round(${g}.rate_amount / (nullif(${g}.disbursed_amount, 0) * 10000), 2)`;

const TOTALS = select(
  {
    list: `'TOTALS'`,
    enterprises: `(SELECT count(*) FROM enterprise e WHERE ${enterpriseInScope('e')})`,
    verified_enterprises: `(SELECT count(*) FROM enterprise e WHERE e.verification_status = 'VERIFIED' AND ${enterpriseInScope('e')})`,
    institutions: `(SELECT count(*) FROM financial_institution fi WHERE ${institutionInScope('fi.id')})`,
    published_products: `(SELECT count(*) FROM loan_product lp WHERE lp.status = 'PUBLISHED' AND ${institutionInScope('lp.institution_id')})`,
    demand_count: 'g.demand_count',
    demand_amount: yuan('g.demand_amount'),
    match_rate: `coalesce(round(g.demand_granted_count::numeric / nullif(g.demand_closed_count + ${EXPIRED_OPEN}, 0), 4), 0)`,
    ...loanFigures('g'),
    average_rate: averageRate('g'),
    credit_loan_share: 'coalesce(round(g.credit_disbursed_amount / nullif(g.disbursed_amount, 0), 4), 0)',
    average_days_to_credit: 'round(g.days_to_credit_sum::numeric / nullif(g.days_to_credit_count, 0), 2)',
  },
  `FROM groups g WHERE g.list = 'TOTALS'`,
);

/** Every institution in scope, even one with nothing to show, ranked by disbursed amount (ties share a rank). */
const INSTITUTIONS = select(
  {
    list: `'INSTITUTION'`,
    sort_rank: 'rank() OVER (ORDER BY coalesce(g.disbursed_amount, 0) DESC)',
    sort_name: 'fi.name',
    key: 'fi.id::text',
    institution_id: 'fi.id',
    offers: 'coalesce(g.offer_count, 0)',
    ...loanFigures('g'),
    average_rate: averageRate('g'),
    rank: 'rank() OVER (ORDER BY coalesce(g.disbursed_amount, 0) DESC)',
  },
  `FROM financial_institution fi
   LEFT JOIN groups g ON g.list = 'INSTITUTION' AND g.institution_id = fi.id
  WHERE ${institutionInScope('fi.id')}`,
);

/** A region or industry shows when it has a loan granted or disbursed in the window, or one outstanding now. */
const group = (list: string, key: string) =>
  select(
    { list: `'${list}'`, key: `g.${key}`, ...loanFigures('g') },
    `FROM groups g WHERE g.list = '${list}' AND g.granted_count + g.disbursed_count + g.live_count > 0`,
  );

const MONTHS = select(
  {
    list: `'MONTH'`,
    key: `to_char(g.month, 'YYYY-MM')`,
    ...loanFigures('g', 'cohort_outstanding', 'cohort_defaulted'),
  },
  `FROM groups g WHERE g.list = 'MONTH' AND g.granted_count + g.disbursed_count > 0`,
);

/**
 * Everything in one statement, so the facts (and the edge days' base rows) are read once and
 * aggregated in one pass: the totals, the institutions in rank order, then the regions, industries
 * and months by key.
 */
const STATISTICS_SQL = `
WITH ${FACTS},${GROUPS}
${[TOTALS, INSTITUTIONS, group('REGION', 'region_code'), group('INDUSTRY', 'industry'), MONTHS].join('\nUNION ALL\n')}
ORDER BY list, sort_rank, sort_name, key`;

export const ROLLUP_QUERIES: StatisticsQueries = [STATISTICS_SQL];

/** The front page: everything to date, no filter; loans granted from the rollup. */
export const PUBLIC_SQL = `
SELECT (SELECT count(*) FROM enterprise) AS enterprises,
       (SELECT count(*) FROM financial_institution) AS institutions,
       (SELECT count(*) FROM loan_product WHERE status = 'PUBLISHED') AS published_products,
       coalesce(sum(granted_count), 0) AS granted_count,
       coalesce(sum(granted_amount), 0) / 100 AS granted_amount
  FROM (SELECT granted_count, granted_amount FROM statistics_rollup
        UNION ALL SELECT granted_count, granted_amount FROM statistics_delta) r`;
