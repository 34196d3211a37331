import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreditRecordRow } from './record-validation';
import { sql } from '../sql';

/**
 * Upserts records by (source, externalId) in one statement; `xmax = 0` tells a fresh insert
 * from an update of an existing row. Returns the counts and the USCCs touched: the new ones and,
 * when an update moves a record to another USCC (a correction), the one it left, whose
 * evaluation read it too.
 */
export async function upsertCreditRecords(
  em: EntityManager,
  rows: CreditRecordRow[],
  recordedAt: Date,
): Promise<{ inserted: number; updated: number; usccs: string[] }> {
  if (rows.length === 0) return { inserted: 0, updated: 0, usccs: [] };
  const result: { inserted: boolean; uscc: string; previous_uscc: string | null }[] = await sql(
    em,
    `insert into credit_record (id, uscc, source, kind, external_id, period, amount, description, occurred_on,
       subject_name, legal_representative, recorded_at)
     select gen_random_uuid(), uscc, source, kind, external_id, period, amount, description, occurred_on,
       subject_name, legal_representative, ?::timestamptz
     from jsonb_to_recordset(?::jsonb) as x(uscc text, source text, kind text, external_id text, period text,
       amount numeric, description text, occurred_on date, subject_name text, legal_representative text)
     on conflict (source, external_id) do update set
       uscc = excluded.uscc, kind = excluded.kind, period = excluded.period, amount = excluded.amount,
       description = excluded.description, occurred_on = excluded.occurred_on, subject_name = excluded.subject_name,
       legal_representative = excluded.legal_representative, recorded_at = excluded.recorded_at
     returning (xmax = 0) as inserted, uscc,
       -- A subquery in RETURNING reads the statement's snapshot: the row as it was before the update.
       (select o.uscc from credit_record o where o.id = credit_record.id) as previous_uscc`,
    [recordedAt.toISOString(), JSON.stringify(rows)],
  );
  const inserted = result.filter((r) => r.inserted).length;
  const usccs = new Set(result.flatMap((r) => (r.previous_uscc ? [r.uscc, r.previous_uscc] : [r.uscc])));
  return { inserted, updated: result.length - inserted, usccs: [...usccs] };
}
