import type { EntityManager } from '@mikro-orm/postgresql';
import { RiskLevel } from '../../entities/enums';
import { pgArray } from '../ids';
import { sql } from '../sql';

export type RiskSignal = 'LOAN_OVERDUE' | 'DEFAULTED' | 'NEW_PENALTY' | 'JUDGMENT' | 'GRADE_DROP';

/** DESIGN.md: GREEN by default; YELLOW on any signal; RED on DEFAULTED or two or more signals. */
export function riskLevelFor(signals: readonly string[]): RiskLevel {
  if (signals.includes('DEFAULTED') || signals.length >= 2) return RiskLevel.RED;
  return signals.length ? RiskLevel.YELLOW : RiskLevel.GREEN;
}

/**
 * The signals of each enterprise as of `asOf`, in one statement: a loan now OVERDUE
 * (LOAN_OVERDUE) or DEFAULTED, an administrative penalty in
 * the last 90 days (NEW_PENALTY), a court judgment or dishonest-debtor listing in the last 365
 * days (JUDGMENT), and a latest report graded below the one before it (GRADE_DROP).
 */
const SIGNALS_SQL = `
select e.id, coalesce(loans.overdue, false) as overdue, coalesce(loans.defaulted, false) as defaulted,
  coalesce(recent.new_penalty, false) as new_penalty, coalesce(recent.judgment, false) as judgment,
  (select array_agg(t.grade order by t.generated_at desc)
     from (select grade, generated_at from credit_report cr where cr.enterprise_id = e.id
           order by generated_at desc limit 2) t) as grades,
  e.risk_level, e.risk_signals
from enterprise e
-- Per enterprise, through the (uscc, occurred_on) index: a year of its records, not every
-- judgment in the table.
left join lateral (
  select bool_or(r.kind = 'ADMIN_PENALTY' and r.occurred_on > ?::date - 90) as new_penalty,
         bool_or(r.source = 'JUDGMENT') as judgment
  from credit_record r
  where r.uscc = e.uscc and r.occurred_on > ?::date - 365 and r.occurred_on <= ?::date
) recent on true
-- Loans on the platform: one overdue now (LOAN_OVERDUE), one non-performing (DEFAULTED).
left join lateral (
  select bool_or(l.status = 'OVERDUE') as overdue, bool_or(l.status = 'DEFAULTED') as defaulted
  from loan l where l.enterprise_id = e.id and l.status in ('OVERDUE', 'DEFAULTED')
) loans on true
where e.id = any(?::uuid[])
`;

export interface RiskAssessment {
  signals: RiskSignal[];
  level: RiskLevel;
  /** What the last assessment stored, to raise a warning only when something changed. */
  stored: { level: RiskLevel | null; signals: string[] };
}

export async function riskSignals(
  em: EntityManager,
  ids: string[],
  asOf: string,
): Promise<Map<string, RiskAssessment>> {
  const result = new Map<string, RiskAssessment>();
  if (ids.length === 0) return result;
  const rows: {
    id: string;
    overdue: boolean;
    defaulted: boolean;
    new_penalty: boolean;
    judgment: boolean;
    grades: string[] | null;
    risk_level: RiskLevel | null;
    risk_signals: string[] | null;
  }[] = await sql(em, SIGNALS_SQL, [asOf, asOf, asOf, pgArray(ids)]);
  for (const row of rows) {
    const signals: RiskSignal[] = [];
    if (row.overdue) signals.push('LOAN_OVERDUE');
    if (row.defaulted) signals.push('DEFAULTED');
    if (row.new_penalty) signals.push('NEW_PENALTY');
    if (row.judgment) signals.push('JUDGMENT');
    // Grades are letters A (best) … D: a later letter is a drop.
    if (row.grades && row.grades.length === 2 && row.grades[0] > row.grades[1]) signals.push('GRADE_DROP');
    result.set(row.id, {
      signals,
      level: riskLevelFor(signals),
      stored: { level: row.risk_level, signals: row.risk_signals ?? [] },
    });
  }
  return result;
}
