import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { shanghaiDate } from '../time';
import { EVALUATION_BATCH, evaluateEnterprises } from './evaluator';
import {
  BULK_COLUMNS,
  BulkImportError,
  CsvReader,
  LineSplitter,
  RAW_SHOWN,
  READ_CHUNK,
  assertReadableFile,
  detectFormat,
  jsonlItem,
  type Problem,
  type ReadItem,
} from './bulk-file-reader';
import { checkCreditRecord, type CreditRecordRow, type RecordCheck } from './record-validation';

export { BULK_COLUMNS, BulkImportError, assertReadableFile, detectFormat };

export interface BulkImportOptions {
  file: string;
  /** Defaults to `<file>.rejects.jsonl`. */
  rejectsPath?: string;
  /** The COPY runs on a dedicated connection to this database. */
  databaseUrl: string;
  /** Re-evaluation after the commit goes through the ORM. */
  orm: MikroORM;
  now?: Date;
  onProgress?: (message: string) => void;
  progressIntervalMs?: number;
}

export interface BulkImportSummary {
  rowsRead: number;
  inserted: number;
  updated: number;
  rejected: number;
  reevaluated: number;
  rejectsPath: string;
  seconds: number;
}

/**
 * checkCreditRecord after what the GraphQL layer does first: only the input's field names, the
 * Decimal scalar's syntax for `amount` (a decimal string, or an integer), and no NUL character,
 * which PostgreSQL text refuses.
 */
export function checkBulkRow(row: Record<string, unknown>, today: string): RecordCheck {
  const problems: Problem[] = [];
  for (const [field, v] of Object.entries(row)) {
    // A misspelt optional key (period_, external_id) would otherwise vanish without a word.
    if (!(BULK_COLUMNS as readonly string[]).includes(field)) {
      problems.push({ field, message: '未知字段（字段名区分大小写，如 externalId）' });
    }
    if (typeof v === 'string' && v.includes('\u0000')) problems.push({ field, message: '不能包含 NUL 字符' });
  }
  let check: RecordCheck;
  try {
    check = checkCreditRecord(row, today);
  } catch (err) {
    check = { ok: false, problems: [{ field: 'record', message: `无法校验：${(err as Error).message}` }] };
  }
  if (problems.length === 0) return check;
  return { ok: false, problems: [...problems, ...(check.ok ? [] : check.problems)] };
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const copyText = (v: string | null) =>
  v === null ? '\\N' : /[\\\n\r\t]/.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : v;

/** One line of COPY's text format for the staging table. */
export function copyLine(line: number, r: CreditRecordRow): string {
  return `${line}\t${[r.uscc, r.source, r.kind, r.external_id, r.period, r.amount, r.description, r.occurred_on, r.subject_name, r.legal_representative].map(copyText).join('\t')}\n`;
}

async function write(stream: Writable, data: string): Promise<void> {
  if (stream.errored) throw stream.errored;
  if (!stream.write(data)) await once(stream, 'drain');
}

const STAGING = `create temporary table import_staging (line bigint not null, uscc text not null, source text not null,
  kind text not null, external_id text not null, period text, amount numeric(18,2), description text,
  occurred_on date not null, subject_name text, legal_representative text) on commit drop`;

// The earlier lines of a (source, externalId) that the file repeats: the last line wins.
const SUPERSEDED = `create temporary table import_superseded on commit drop as
  select s.*, k.last_line as superseded_by from import_staging s
  join (select source, external_id, max(line) as last_line from import_staging
        group by source, external_id having count(*) > 1) k using (source, external_id)
  where s.line < k.last_line`;

// Same columns and conflict rule as record-upsert.ts. The subquery in RETURNING reads the
// statement's snapshot, i.e. the USCC an updated record had before: its enterprise is re-evaluated too.
const UPSERT = `with upserted as (
    insert into credit_record (id, uscc, source, kind, external_id, period, amount, description, occurred_on,
      subject_name, legal_representative, recorded_at)
    select gen_random_uuid(), uscc, source, kind, external_id, period, amount, description, occurred_on,
      subject_name, legal_representative, $1::timestamptz
    from import_staging
    on conflict (source, external_id) do update set
      uscc = excluded.uscc, kind = excluded.kind, period = excluded.period, amount = excluded.amount,
      description = excluded.description, occurred_on = excluded.occurred_on, subject_name = excluded.subject_name,
      legal_representative = excluded.legal_representative, recorded_at = excluded.recorded_at
    returning (xmax = 0) as inserted, uscc, (select o.uscc from credit_record o where o.id = credit_record.id) as old_uscc
  ), touched as (
    insert into import_touched select uscc from upserted union select old_uscc from upserted where old_uscc is not null
  )
  select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
  from upserted`;

/**
 * Streams the file into a temporary staging table with COPY, rejects invalid and superseded rows
 * into the rejects file, upserts the rest set-based in the same transaction, then re-evaluates the
 * registered enterprises whose records changed.
 */
export async function importCreditFile(options: BulkImportOptions): Promise<BulkImportSummary> {
  const { file, orm, onProgress = () => {} } = options;
  const format = detectFormat(file);
  await assertReadableFile(file);
  const started = Date.now();
  const now = options.now ?? new Date();
  const today = shanghaiDate(now);
  const rejectsPath = options.rejectsPath ?? `${file}.rejects.jsonl`;
  const rejects = createWriteStream(rejectsPath);
  rejects.on('error', () => {}); // surfaced by write() and finished()
  await once(rejects, 'open').catch((err: Error) => {
    throw new BulkImportError(`cannot write the rejects file ${rejectsPath}: ${err.message}`);
  });
  let rowsRead = 0;
  let rejected = 0;
  let ids: string[];
  let counts: { inserted: number; updated: number };
  let copy: CopyStreamQuery | undefined;
  const client = new Client({ connectionString: options.databaseUrl });
  client.on('error', () => {}); // a lost connection also fails the pending query, which reports it
  const elapsed = () => (Date.now() - started) / 1000;
  const rate = () => Math.round(rowsRead / Math.max(elapsed(), 0.001)).toLocaleString('en-US');
  let merging = 0;
  const timer = setInterval(
    () =>
      onProgress(
        merging
          ? `merging into credit_record… ${((Date.now() - merging) / 1000).toFixed(0)} s`
          : `${rowsRead.toLocaleString('en-US')} rows read, ${rate()} rows/s`,
      ),
    options.progressIntervalMs ?? 2000,
  );
  try {
    await client.connect();
    await client.query("set time zone 'Asia/Shanghai'");
    await client.query('begin');
    await client.query(STAGING);
    const staging = client.query(copyFrom('copy import_staging from stdin'));
    staging.on('error', () => {}); // surfaced by write() and finished()
    copy = staging;
    let copyBuffer = '';
    let rejectBuffer = '';
    const onItem = (item: ReadItem) => {
      rowsRead += 1;
      const check = item.row ? checkBulkRow(item.row, today) : null;
      if (check?.ok) {
        copyBuffer += copyLine(item.line, check.row);
        return;
      }
      rejected += 1;
      const problems = check ? check.problems : item.problems;
      const raw = item.raw && item.raw.length > RAW_SHOWN ? `${item.raw.slice(0, RAW_SHOWN)}…` : item.raw;
      rejectBuffer += `${JSON.stringify(item.row ? { line: item.line, row: item.row, problems } : { line: item.line, raw, problems })}\n`;
    };
    const csv = format === 'csv' ? new CsvReader(onItem) : null;
    const splitter = new LineSplitter((text, line) => {
      if (csv) csv.push(text, line);
      else {
        const item = jsonlItem(text, line);
        if (item) onItem(item);
      }
    });
    const flush = async () => {
      if (copyBuffer) await write(staging, copyBuffer);
      if (rejectBuffer) await write(rejects, rejectBuffer);
      [copyBuffer, rejectBuffer] = ['', ''];
    };
    for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK })) {
      splitter.write(chunk as Buffer);
      await flush();
    }
    splitter.end();
    csv?.end();
    await flush();
    staging.end();
    await finished(staging);
    merging = Date.now();
    onProgress(
      `read ${rowsRead.toLocaleString('en-US')} rows in ${elapsed().toFixed(1)} s (${rate()} rows/s); merging…`,
    );

    // The duplicate search and the union of touched USCCs sort whole files: keep them in memory.
    await client.query("set local work_mem = '64MB'");
    await client.query('analyze import_staging');
    const superseded = (await client.query(SUPERSEDED)).rowCount ?? 0;
    if (superseded > 0) {
      rejected += superseded;
      await writeSuperseded(client, (data) => write(rejects, data));
      await client.query('delete from import_staging s using import_superseded d where s.line = d.line');
    }
    await client.query('create temporary table import_touched (uscc text primary key) on commit drop');
    counts = (await client.query<{ inserted: number; updated: number }>(UPSERT, [now.toISOString()])).rows[0]!;
    const found = await client.query<{ id: string }>(
      'select e.id from enterprise e join import_touched t on t.uscc = e.uscc order by e.id',
    );
    ids = found.rows.map((r) => r.id);
    await client.query(
      `insert into audit_event (id, actor_id, actor_role, action, target_type, at, detail)
       values (gen_random_uuid(), null, null, 'importCreditRecords', 'CreditRecord', $1, $2::jsonb)`,
      [now.toISOString(), JSON.stringify({ via: 'import:credit', file: basename(file), ...counts, rejected })],
    );
    await client.query('commit');
  } catch (err) {
    // A COPY still open holds the connection: cancel it (CopyFail) before the rollback can run.
    if (copy && !copy.writableFinished && !copy.destroyed) {
      copy.destroy();
      await finished(copy).catch(() => {});
    }
    await client.query('rollback').catch(() => {});
    if (err instanceof BulkImportError) throw err;
    throw new BulkImportError(`${describe(err)}; the transaction was rolled back, nothing was imported`);
  } finally {
    clearInterval(timer);
    await client.end().catch(() => {});
    rejects.end();
    await finished(rejects).catch(() => {});
  }

  onProgress(`inserted ${counts.inserted}, updated ${counts.updated}; re-evaluating ${ids.length} enterprises…`);
  let reevaluated = 0;
  try {
    const step = EVALUATION_BATCH * 10;
    for (let i = 0; i < ids.length; i += step) {
      // One transaction per slice: a report is never left without the enterprise pointing to it.
      const slice = ids.slice(i, i + step);
      reevaluated += (await orm.em.fork().transactional((em) => evaluateEnterprises(em, { ids: slice }, now))).size;
      if (ids.length > step) onProgress(`re-evaluated ${reevaluated} of ${ids.length} enterprises`);
    }
  } catch (err) {
    throw new BulkImportError(
      `the records were imported (inserted ${counts.inserted}, updated ${counts.updated}) but re-evaluation failed after ${reevaluated} enterprises: ${describe(err)}`,
    );
  }
  return { rowsRead, ...counts, rejected, reevaluated, rejectsPath, seconds: elapsed() };
}

/** The superseded lines, in line order, through a cursor so a file of repeats stays in bounded memory. */
async function writeSuperseded(client: Client, out: (data: string) => Promise<void>): Promise<void> {
  await client.query(
    `declare superseded_rows no scroll cursor for
     select line, superseded_by, json_build_object('uscc', uscc, 'source', source, 'kind', kind,
       'externalId', external_id, 'period', period, 'amount', amount::text, 'description', description,
       'occurredOn', occurred_on::text, 'subjectName', subject_name, 'legalRepresentative', legal_representative
     )::text as row
     from import_superseded order by line`,
  );
  for (;;) {
    const { rows } = await client.query<{ line: string; superseded_by: string; row: string }>(
      'fetch 5000 from superseded_rows',
    );
    if (rows.length === 0) break;
    const entries = rows.map(({ line, superseded_by: by, row }) => {
      const message = `同一文件内 (source, externalId) 重复，以第 ${by} 行为准 (duplicate externalId in file, superseded by line ${by})`;
      const problems = JSON.stringify([{ field: 'externalId', message }]);
      return `{"line":${line},"row":${row},"problems":${problems},"supersededBy":${by}}\n`;
    });
    await out(entries.join(''));
  }
  await client.query('close superseded_rows');
}

export function describe(err: unknown): string {
  if (!(err instanceof Error)) return `database error: ${String(err)}`;
  // A refused connection to a name with several addresses is an AggregateError with an empty message.
  const message =
    err instanceof AggregateError && !err.message
      ? err.errors.map((e) => String(e?.message ?? e)).join('; ')
      : err.message;
  const detail = (err as { detail?: string }).detail;
  return `database error: ${message}${detail ? ` (${detail})` : ''}`;
}

export const USAGE = 'usage: npm run import:credit -- <file.csv|file.jsonl|file.ndjson> [--rejects <path>]';

export function parseImportArgs(argv: string[]): { help: true } | { help: false; file: string; rejectsPath?: string } {
  let file: string | undefined;
  let rejectsPath: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--rejects' || arg.startsWith('--rejects=')) {
      rejectsPath = arg === '--rejects' ? argv[++i] : arg.slice('--rejects='.length);
      if (!rejectsPath) throw new BulkImportError('--rejects needs a path', true);
    } else if (arg.startsWith('-') && arg !== '-') throw new BulkImportError(`unknown option ${arg}`, true);
    else if (file) throw new BulkImportError(`one file at a time (got ${file} and ${arg})`, true);
    else file = arg;
  }
  if (!file) throw new BulkImportError('no file given', true);
  detectFormat(file);
  return { help: false, file, rejectsPath };
}

export function formatSummary(s: BulkImportSummary): string {
  return (
    `inserted ${s.inserted}, updated ${s.updated}, rejected ${s.rejected}, re-evaluated ${s.reevaluated} enterprises\n` +
    `rejects: ${s.rejectsPath}\n`
  );
}
