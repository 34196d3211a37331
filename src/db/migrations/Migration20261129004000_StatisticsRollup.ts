import { Migration } from '@mikro-orm/migrations';

/**
 * The statistics rollup (docs/statistics.md, "The rollup"): per Asia/Shanghai month, borrower
 * region code, borrower industry code and institution, the sums every platformStatistics figure
 * is made of. Statement-level triggers on loan, financing_demand, offer and enterprise append
 * each change as signed delta rows to statistics_delta in the same transaction as the change, so
 * rollup + delta is always exact; compaction (statistics_compact(), run on a schedule) folds the
 * deltas into statistics_rollup to keep reads small. Bulk inserts cost one set-based statement
 * per statement (transition tables), not one per row.
 *
 * Every measure is a bigint: money in fen (yuan × 100), Σ rate × disbursed in millionths (rate has
 * 4 decimals, money 2), so sums are exact integers — and PostgreSQL sums bigints (128-bit
 * accumulators) about four times faster than numeric, which is what reading the rollup costs.
 */

const MEASURES = [
  ['granted_count', 'bigint'],
  ['granted_amount', 'bigint'],
  ['days_to_credit_sum', 'bigint'],
  ['days_to_credit_count', 'bigint'],
  ['disbursed_count', 'bigint'],
  ['disbursed_amount', 'bigint'],
  ['rate_amount', 'bigint'],
  ['credit_disbursed_amount', 'bigint'],
  ['live_count', 'bigint'],
  ['outstanding', 'bigint'],
  ['defaulted_outstanding', 'bigint'],
  ['offer_count', 'bigint'],
  ['demand_count', 'bigint'],
  ['demand_amount', 'bigint'],
  ['demand_closed_count', 'bigint'],
  ['demand_granted_count', 'bigint'],
] as const;

const KEYS = 'month, region_code, industry_code, institution_id';
const COLUMNS = `${KEYS}, ${MEASURES.map(([name]) => name).join(', ')}`;
const SUMS = MEASURES.map(([name]) => `sum(${name})`).join(', ');
const NONZERO = MEASURES.map(([name]) => `sum(${name}) <> 0`).join(' OR ');
const TABLE_BODY = `month date null, region_code text not null, industry_code text not null, institution_id uuid null, ${MEASURES.map(([name, type]) => `${name} ${type} not null default 0`).join(', ')}`;

/** Yuan (numeric, 2 decimals) to fen; exact. */
const fen = (yuan: string) => `(${yuan} * 100)::bigint`;

/** Rows of (COLUMNS) for one sign: the set-returning SELECTs the trigger functions feed the delta with. */
const LOAN_ROWS = (source: string, sign: string, enterprises = 'enterprise') => `
  SELECT date_trunc('month', l.granted_on)::date, e.region_code, e.industry_code, l.institution_id,
         ${sign}, ${sign} * ${fen('coalesce(l.credit_amount, 0)')},
         ${sign} * coalesce(l.granted_on - (fd.created_at AT TIME ZONE 'Asia/Shanghai')::date, 0),
         ${sign} * (fd.id IS NOT NULL)::int,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM ${source} l JOIN ${enterprises} e ON e.id = l.enterprise_id
    LEFT JOIN financing_demand fd ON fd.id = l.demand_id
   WHERE l.granted_on IS NOT NULL
  UNION ALL
  SELECT date_trunc('month', l.disbursed_on)::date, e.region_code, e.industry_code, l.institution_id,
         0, 0, 0, 0,
         ${sign} * (l.disbursed_on IS NOT NULL)::int,
         ${sign} * CASE WHEN l.disbursed_on IS NOT NULL THEN ${fen('l.disbursed_amount')} ELSE 0 END,
         ${sign} * CASE WHEN l.disbursed_on IS NOT NULL THEN (l.rate * l.disbursed_amount * 1000000)::bigint ELSE 0 END,
         ${sign} * CASE WHEN l.disbursed_on IS NOT NULL AND p.type = 'CREDIT' THEN ${fen('l.disbursed_amount')} ELSE 0 END,
         ${sign} * (l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED'))::int,
         ${sign} * CASE WHEN l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED') THEN ${fen('l.outstanding_principal')} ELSE 0 END,
         ${sign} * CASE WHEN l.status = 'DEFAULTED' THEN ${fen('l.outstanding_principal')} ELSE 0 END,
         0, 0, 0, 0, 0
    FROM ${source} l JOIN ${enterprises} e ON e.id = l.enterprise_id JOIN loan_product p ON p.id = l.product_id
   WHERE l.disbursed_on IS NOT NULL OR l.status IN ('ACTIVE', 'OVERDUE', 'DEFAULTED')
  UNION ALL
  SELECT date_trunc('month', fd.created_at AT TIME ZONE 'Asia/Shanghai')::date, e.region_code, e.industry_code, NULL::uuid,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ${sign}
    FROM ${source} l JOIN financing_demand fd ON fd.id = l.demand_id JOIN ${enterprises} e ON e.id = fd.enterprise_id
   WHERE l.granted_on IS NOT NULL`;

const DEMAND_ROWS = (source: string, sign: string, enterprises = 'enterprise') => `
  SELECT date_trunc('month', d.created_at AT TIME ZONE 'Asia/Shanghai')::date, e.region_code, e.industry_code, NULL::uuid,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         ${sign}, ${sign} * ${fen('d.amount')}, ${sign} * (d.status <> 'OPEN')::int, 0
    FROM ${source} d JOIN ${enterprises} e ON e.id = d.enterprise_id`;

const OFFER_ROWS = (source: string, sign: string, enterprises = 'enterprise') => `
  SELECT date_trunc('month', o.created_at AT TIME ZONE 'Asia/Shanghai')::date, e.region_code, e.industry_code, o.institution_id,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ${sign}, 0, 0, 0, 0
    FROM ${source} o JOIN financing_demand d ON d.id = o.demand_id JOIN ${enterprises} e ON e.id = d.enterprise_id`;

/** Sums rows of (COLUMNS) by key and appends the non-zero ones to the delta. */
const APPEND = (rows: string) =>
  `INSERT INTO statistics_delta (${COLUMNS}) SELECT ${KEYS}, ${SUMS} FROM (${rows}) AS r (${COLUMNS}) GROUP BY ${KEYS} HAVING ${NONZERO};`;

/** The loan columns any figure depends on; an UPDATE touching none of them appends nothing. */
const LOAN_FIGURES =
  'status, credit_amount, disbursed_amount, outstanding_principal, rate, granted_on, disbursed_on, institution_id, enterprise_id, product_id, demand_id';
const DEMAND_FIGURES = 'status, amount, created_at, enterprise_id';
const OFFER_FIGURES = 'created_at, institution_id, demand_id';

const changedRows = (table: string, figures: string) => {
  const tuple = (alias: string) =>
    `(${figures
      .split(', ')
      .map((c) => `${alias}.${c}`)
      .join(', ')})`;
  return {
    before: `(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${tuple('o')} IS DISTINCT FROM ${tuple('n')})`,
    after: `(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ${tuple('o')} IS DISTINCT FROM ${tuple('n')})`,
    table,
  };
};

function triggers(table: string, figures: string, rows: (source: string, sign: string) => string): string[] {
  const { before, after } = changedRows(table, figures);
  const fn = (event: string, body: string) =>
    `create function statistics_${table}_${event}() returns trigger language plpgsql as $$ begin ${body} return null; end $$;`;
  const trigger = (event: string, referencing: string) =>
    `create trigger statistics_${table}_${event} after ${event} on "${table}" referencing ${referencing} for each statement execute function statistics_${table}_${event}();`;
  return [
    fn('insert', APPEND(rows('new_rows', '1'))),
    fn('update', APPEND(`${rows(before, '-1')} UNION ALL ${rows(after, '1')}`)),
    fn('delete', APPEND(rows('old_rows', '-1'))),
    trigger('insert', 'new table as new_rows'),
    trigger('update', 'old table as old_rows new table as new_rows'),
    trigger('delete', 'old table as old_rows'),
  ];
}

/**
 * An enterprise's region or industry code moves all its rows: its loans, demands and the offers on
 * them are taken out under the old codes and put back under the new ones (the same row builders,
 * with the transition tables standing in for the enterprise table).
 */
const MOVED = (side: 'o' | 'n') =>
  `(SELECT ${side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.region_code, o.industry_code) IS DISTINCT FROM (n.region_code, n.industry_code))`;
const everything = (sign: string, enterprises: string) =>
  `${LOAN_ROWS('loan', sign, enterprises)} UNION ALL ${DEMAND_ROWS('financing_demand', sign, enterprises)} UNION ALL ${OFFER_ROWS('offer', sign, enterprises)}`;
const ENTERPRISE_MOVE = `
create function statistics_enterprise_update() returns trigger language plpgsql as $$
begin
  -- Most enterprise updates (scores, grades, verification) move nothing: leave before any join.
  IF NOT EXISTS ${MOVED('n')} THEN
    RETURN NULL;
  END IF;
  ${APPEND(`${everything('-1', MOVED('o'))} UNION ALL ${everything('1', MOVED('n'))}`)}
  return null;
end $$;`;

export class Migration20261129004000_StatisticsRollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table statistics_rollup (${TABLE_BODY});`);
    this.addSql(
      `alter table statistics_rollup add constraint statistics_rollup_key unique nulls not distinct (${KEYS});`,
    );
    this.addSql(`create table statistics_delta (${TABLE_BODY});`);
    // The verified-enterprise count in scope, from the index alone.
    this.addSql(
      `create index enterprise_verification_status_index on enterprise (verification_status) include (region_code, industry_code);`,
    );
    for (const sql of [
      ...triggers('loan', LOAN_FIGURES, LOAN_ROWS),
      ...triggers('financing_demand', DEMAND_FIGURES, DEMAND_ROWS),
      ...triggers('offer', OFFER_FIGURES, OFFER_ROWS),
      ENTERPRISE_MOVE,
      `create trigger statistics_enterprise_update after update on "enterprise" referencing old table as old_rows new table as new_rows for each statement execute function statistics_enterprise_update();`,
    ]) {
      this.addSql(sql);
    }
    // Folds the deltas into the rollup; one compactor at a time (the others return at once).
    this.addSql(`
create function statistics_compact() returns bigint language plpgsql as $$
declare moved bigint;
begin
  IF NOT pg_try_advisory_xact_lock(hashtext('statistics_compact')) THEN RETURN 0; END IF;
  WITH gone AS (DELETE FROM statistics_delta RETURNING *),
       summed AS (INSERT INTO statistics_rollup (${COLUMNS})
                  SELECT ${KEYS}, ${SUMS} FROM gone GROUP BY ${KEYS}
                  ON CONFLICT ON CONSTRAINT statistics_rollup_key DO UPDATE SET
                  ${MEASURES.map(([name]) => `${name} = statistics_rollup.${name} + excluded.${name}`).join(', ')}
                  RETURNING 1)
  SELECT count(*) INTO moved FROM gone;
  DELETE FROM statistics_rollup WHERE ${MEASURES.map(([name]) => `${name} = 0`).join(' AND ')};
  RETURN moved;
end $$;`);
    // What is already there: everything, as one delta, then compacted.
    this.addSql(APPEND(everything('1', 'enterprise')));
    this.addSql(`select statistics_compact();`);
  }

  override async down(): Promise<void> {
    for (const table of ['loan', 'financing_demand', 'offer']) {
      for (const event of ['insert', 'update', 'delete']) {
        this.addSql(`drop trigger if exists statistics_${table}_${event} on "${table}";`);
        this.addSql(`drop function if exists statistics_${table}_${event}();`);
      }
    }
    this.addSql(`drop trigger if exists statistics_enterprise_update on "enterprise";`);
    this.addSql(`drop function if exists statistics_enterprise_update();`);
    this.addSql(`drop function if exists statistics_compact();`);
    this.addSql(`drop index if exists enterprise_verification_status_index;`);
    this.addSql(`drop table if exists statistics_delta;`);
    this.addSql(`drop table if exists statistics_rollup;`);
  }
}
