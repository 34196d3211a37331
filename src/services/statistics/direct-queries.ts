/**
 * platformStatistics computed straight from the base tables (definitions: docs/statistics.md).
 * The service answers from the rollup (rollup-queries.ts); these statements are the reference it
 * is checked against (`npm run statistics:verify`, tests/api/statistics-rollup.test.ts), and
 * define each figure in the plainest SQL. Parameters are `@name`, bound by `bind()`.
 */
import type { StatisticsQueries } from './params';
import { enterpriseInScope, inWindow, instantInWindow, institutionInScope } from './fragments';

/**
 * The loans that count anywhere, one row each, with the flags every figure filters on:
 * g = credit granted in the window, d = first disbursement in the window,
 * live = ACTIVE, OVERDUE or DEFAULTED now (the stock of outstanding principal).
 */
const LOAN_FACTS = `
  lf AS (
    SELECT l.id, l.institution_id, l.demand_id, e.region_code, left(e.industry_code, 3) AS industry,
           l.status, coalesce(l.credit_amount, 0) AS credit_amount, l.disbursed_amount,
           l.outstanding_principal, l.rate, l.granted_on, l.disbursed_on, p.type = 'CREDIT' AS is_credit,
           ${inWindow('l.granted_on')} AS g,
           ${inWindow('l.disbursed_on')} AS d,
           l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED') AS live
      FROM loan l
      JOIN enterprise e ON e.id = l.enterprise_id
      JOIN loan_product p ON p.id = l.product_id
     WHERE ${enterpriseInScope('e')} AND ${institutionInScope('l.institution_id')}
       AND (l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED') OR ${inWindow('l.granted_on')} OR ${inWindow('l.disbursed_on')})
  )`;

/** The loan figures of one group (or of everything): granted, disbursed, balance, NPL. */
const LOAN_AGGREGATES = `
  count(*) FILTER (WHERE g) AS granted_count,
  coalesce(sum(credit_amount) FILTER (WHERE g), 0) AS granted_amount,
  count(*) FILTER (WHERE d) AS disbursed_count,
  coalesce(sum(disbursed_amount) FILTER (WHERE d), 0) AS disbursed_amount,
  coalesce(sum(outstanding_principal) FILTER (WHERE live), 0) AS outstanding_balance,
  coalesce(round(sum(outstanding_principal) FILTER (WHERE status = 'DEFAULTED')
                 / nullif(sum(outstanding_principal) FILTER (WHERE live), 0), 4), 0) AS npl_ratio`;

/** Weighted by disbursed amount, over loans first disbursed in the window; null when none. */
const AVERAGE_RATE = `
  round(sum(rate * disbursed_amount) FILTER (WHERE d) / nullif(sum(disbursed_amount) FILTER (WHERE d), 0), 2) AS average_rate`;

const TOTALS_SQL = `
WITH ent AS (
    SELECT e.id, e.verification_status FROM enterprise e WHERE ${enterpriseInScope('e')}
  ),${LOAN_FACTS},
  dm AS (
    SELECT fd.amount,
           (fd.status <> 'OPEN' OR fd.expires_at <= @now::timestamptz) AS closed_out,
           EXISTS (SELECT 1 FROM loan gl WHERE gl.demand_id = fd.id AND gl.granted_on IS NOT NULL) AS reached_granted
      FROM financing_demand fd
      JOIN enterprise e ON e.id = fd.enterprise_id
     WHERE ${instantInWindow('fd.created_at')} AND ${enterpriseInScope('e')}
  ),
  loans AS (
    SELECT ${LOAN_AGGREGATES},
           ${AVERAGE_RATE},
           coalesce(round(sum(disbursed_amount) FILTER (WHERE d AND is_credit)
                          / nullif(sum(disbursed_amount) FILTER (WHERE d), 0), 4), 0) AS credit_loan_share
      FROM lf
  ),
  days AS (
    SELECT round(avg(lf.granted_on - (fd.created_at AT TIME ZONE 'Asia/Shanghai')::date), 2) AS average_days_to_credit
      FROM lf JOIN financing_demand fd ON fd.id = lf.demand_id
     WHERE lf.g
  ),
  demands AS (
    SELECT count(*) AS demand_count, coalesce(sum(amount), 0) AS demand_amount,
           coalesce(round(count(*) FILTER (WHERE reached_granted)::numeric
                          / nullif(count(*) FILTER (WHERE closed_out), 0), 4), 0) AS match_rate
      FROM dm
  )
SELECT 'TOTALS' AS list,
       (SELECT count(*) FROM ent) AS enterprises,
       (SELECT count(*) FROM ent WHERE verification_status = 'VERIFIED') AS verified_enterprises,
       (SELECT count(*) FROM financial_institution fi WHERE ${institutionInScope('fi.id')}) AS institutions,
       (SELECT count(*) FROM loan_product lp WHERE lp.status = 'PUBLISHED' AND ${institutionInScope('lp.institution_id')}) AS published_products,
       demands.*, loans.*, days.*
  FROM demands, loans, days`;

/** Every institution in scope, with its figures, ranked by disbursed amount (rank(): ties share a rank). */
const BY_INSTITUTION_SQL = `
WITH ${LOAN_FACTS},
  per_loan AS (
    SELECT institution_id, ${LOAN_AGGREGATES}, ${AVERAGE_RATE} FROM lf GROUP BY institution_id
  ),
  per_offer AS (
    SELECT o.institution_id, count(*) AS offers
      FROM offer o
      JOIN financing_demand fd ON fd.id = o.demand_id
      JOIN enterprise e ON e.id = fd.enterprise_id
     WHERE ${instantInWindow('o.created_at')} AND ${enterpriseInScope('e')} AND ${institutionInScope('o.institution_id')}
     GROUP BY o.institution_id
  )
SELECT 'INSTITUTION' AS list, fi.id AS institution_id,
       coalesce(po.offers, 0) AS offers,
       coalesce(pl.granted_count, 0) AS granted_count, coalesce(pl.granted_amount, 0) AS granted_amount,
       coalesce(pl.disbursed_count, 0) AS disbursed_count, coalesce(pl.disbursed_amount, 0) AS disbursed_amount,
       coalesce(pl.outstanding_balance, 0) AS outstanding_balance, coalesce(pl.npl_ratio, 0) AS npl_ratio,
       pl.average_rate,
       rank() OVER (ORDER BY coalesce(pl.disbursed_amount, 0) DESC) AS rank
  FROM financial_institution fi
  LEFT JOIN per_loan pl ON pl.institution_id = fi.id
  LEFT JOIN per_offer po ON po.institution_id = fi.id
 WHERE ${institutionInScope('fi.id')}
 ORDER BY rank, fi.name, fi.id`;

/**
 * byRegion (the borrower's registered region code), byIndustry (its GB/T 4754 division, e.g. C39)
 * and byMonth (YYYY-MM of each event: grants by granted month, disbursements and their cohort's
 * balance by first-disbursement month), in one statement.
 */
const GROUPS_SQL = `
WITH ${LOAN_FACTS},
  month_events AS (
    SELECT to_char(granted_on, 'YYYY-MM') AS key, 1 AS granted_count, credit_amount AS granted_amount,
           0 AS disbursed_count, 0 AS disbursed_amount, 0 AS outstanding, 0 AS defaulted
      FROM lf WHERE g
    UNION ALL
    SELECT to_char(disbursed_on, 'YYYY-MM'), 0, 0, 1, disbursed_amount,
           CASE WHEN live THEN outstanding_principal ELSE 0 END,
           CASE WHEN status = 'DEFAULTED' THEN outstanding_principal ELSE 0 END
      FROM lf WHERE d
  )
SELECT 'REGION' AS list, region_code AS key, ${LOAN_AGGREGATES} FROM lf GROUP BY region_code
UNION ALL
SELECT 'INDUSTRY', industry, ${LOAN_AGGREGATES} FROM lf GROUP BY industry
UNION ALL
SELECT 'MONTH', key, sum(granted_count), sum(granted_amount), sum(disbursed_count), sum(disbursed_amount),
       sum(outstanding), coalesce(round(sum(defaulted) / nullif(sum(outstanding), 0), 4), 0)
  FROM month_events GROUP BY key
ORDER BY 1, 2`;

export const DIRECT_QUERIES: StatisticsQueries = [TOTALS_SQL, BY_INSTITUTION_SQL, GROUPS_SQL];
