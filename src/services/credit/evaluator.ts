import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { CreditModel } from '../../entities';
import { CreditModelStatus, RiskLevel } from '../../entities/enums';
import { shanghaiDate } from '../time';
import { gatherFeatures } from './feature-query';
import { riskSignals } from './risk';
import { evaluate, type ModelSpec } from './scorecard';
import { pgArray } from '../ids';
import { sql } from '../sql';

/** Enterprises per round trip: large enough to amortise, small enough to keep memory flat. */
export const EVALUATION_BATCH = 1000;

export function modelSpec(model: CreditModel): ModelSpec {
  return { version: model.version, weights: model.weights, gradeBands: model.gradeBands };
}

export async function activeModel(em: EntityManager): Promise<CreditModel> {
  return em.findOneOrFail(CreditModel, { status: CreditModelStatus.ACTIVE });
}

/**
 * Evaluates the given enterprises (or all) under the active model, set-based: per batch one
 * statement gathers features, one inserts the reports, one updates the enterprises, and three
 * more assess risk. Returns the report id of each enterprise evaluated.
 */
export async function evaluateEnterprises(
  em: EntityManager,
  target: { ids: string[] } | 'all',
  now: Date,
  model?: CreditModel,
): Promise<Map<string, string>> {
  const active = model ?? (await activeModel(em));
  const spec = modelSpec(active);
  const asOf = shanghaiDate(now);
  const reports = new Map<string, string>();
  for await (const batch of batches(em, target)) {
    // Lock the batch (in id order, so concurrent evaluations cannot deadlock): an import and a
    // commitment evaluating the same enterprise at once serialise, and the later one reads the
    // earlier one's records instead of overwriting its report with a stale one.
    await sql(em, 'select id from enterprise where id = any(?::uuid[]) order by id for update', [pgArray(batch)]);
    const rows = await gatherFeatures(em, batch, asOf);
    const written = rows.map(({ features }) => {
      const result = evaluate(features, spec);
      return {
        id: randomUUID(),
        enterprise_id: features.enterpriseId,
        model_id: active.id,
        model_version: active.version,
        score: result.score,
        grade: result.grade,
        indicators: result.indicators,
        reason_codes: result.reasonCodes,
        data_as_of: (features.latestRecordAt ?? now).toISOString(),
        generated_at: now.toISOString(),
      };
    });
    if (written.length === 0) continue;
    const payload = JSON.stringify(written);
    await sql(
      em,
      `insert into credit_report (id, enterprise_id, model_id, model_version, score, grade, indicators, reason_codes, data_as_of, generated_at)
       select id, enterprise_id, model_id, model_version, score, grade, indicators, reason_codes, data_as_of, generated_at
       from jsonb_to_recordset(?::jsonb) as x(id uuid, enterprise_id uuid, model_id uuid, model_version text, score int,
         grade text, indicators jsonb, reason_codes jsonb, data_as_of timestamptz, generated_at timestamptz)`,
      [payload],
    );
    // The enterprise keeps only the headline of its report: a small payload, not the indicators again.
    const headlines = written.map((w) => ({
      id: w.id,
      enterprise_id: w.enterprise_id,
      score: w.score,
      grade: w.grade,
    }));
    await sql(
      em,
      `update enterprise e set credit_grade = x.grade, credit_score = x.score, latest_report_id = x.id
       from jsonb_to_recordset(?::jsonb) as x(id uuid, enterprise_id uuid, score int, grade text)
       where e.id = x.enterprise_id`,
      [JSON.stringify(headlines)],
    );
    for (const w of written) reports.set(w.enterprise_id, w.id);
    await assessRisk(em, batch, asOf, now);
  }
  return reports;
}

/**
 * Re-assesses risk and raises a warning wherever the level or the signals changed to something
 * above GREEN; the enterprise keeps its latest assessment so the next run compares against it.
 */
export async function assessRisk(em: EntityManager, ids: string[], asOf: string, now: Date): Promise<void> {
  const assessments = await riskSignals(em, ids, asOf);
  const changed = [...assessments].filter(
    ([, a]) => a.level !== (a.stored.level ?? RiskLevel.GREEN) || a.signals.join() !== a.stored.signals.join(),
  );
  if (changed.length === 0) return;
  const warnings = changed
    .filter(([, a]) => a.level !== RiskLevel.GREEN)
    .map(([id, a]) => ({
      id: randomUUID(),
      enterprise_id: id,
      level: a.level,
      signals: a.signals,
      raised_at: now.toISOString(),
    }));
  if (warnings.length) {
    await sql(
      em,
      `insert into risk_warning (id, enterprise_id, level, signals, raised_at)
       select id, enterprise_id, level, signals, raised_at
       from jsonb_to_recordset(?::jsonb) as x(id uuid, enterprise_id uuid, level text, signals jsonb, raised_at timestamptz)`,
      [JSON.stringify(warnings)],
    );
  }
  await sql(
    em,
    `update enterprise e set risk_level = x.level, risk_signals = x.signals
     from jsonb_to_recordset(?::jsonb) as x(id uuid, level text, signals jsonb) where e.id = x.id`,
    [JSON.stringify(changed.map(([id, a]) => ({ id, level: a.level, signals: a.signals })))],
  );
}

async function* batches(em: EntityManager, target: { ids: string[] } | 'all'): AsyncGenerator<string[]> {
  if (target !== 'all') {
    for (let i = 0; i < target.ids.length; i += EVALUATION_BATCH) yield target.ids.slice(i, i + EVALUATION_BATCH);
    return;
  }
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: { id: string }[] = await sql(em, 'select id from enterprise where id > ? order by id limit ?', [
      after,
      EVALUATION_BATCH,
    ]);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1].id;
  }
}
