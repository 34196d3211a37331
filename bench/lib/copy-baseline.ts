import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export interface CopyTiming {
  seconds: number;
  rows: number;
  bytes: number;
}

export interface CopyBaseline {
  /** (a) every credit record out of PostgreSQL into this process: what the evaluation must read. */
  recordsOut: CopyTiming;
  /** (b) as many report-sized rows into a table: what the evaluation must write. */
  reportsIn: CopyTiming;
  seconds: number;
}

/** COPY … TO STDOUT, consumed (counted and dropped) by the client. */
async function copyOut(client: Client, sql: string): Promise<CopyTiming> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  const started = performance.now();
  const stream = client.query(copyTo(sql));
  await pipeline(stream, sink);
  return { seconds: (performance.now() - started) / 1000, rows: stream.rowCount, bytes };
}

/**
 * The fastest way PostgreSQL knows to move the same rows, on the same database in the same run:
 * read all credit records with COPY TO, and write the reports just produced back with COPY FROM
 * into a temporary table of the same shape. The reports are dumped to a file first (not timed),
 * so the timed part is PostgreSQL taking the rows in.
 */
export async function measureCopyBaseline(client: Client): Promise<CopyBaseline> {
  const recordsOut = await copyOut(client, 'COPY (SELECT * FROM credit_record) TO STDOUT');

  const dir = mkdtempSync(join(tmpdir(), 'cel-bench-copy-'));
  try {
    const file = join(dir, 'credit_report.copy');
    const dump = client.query(copyTo('COPY (SELECT * FROM credit_report) TO STDOUT'));
    await pipeline(dump, createWriteStream(file));
    await client.query('CREATE TEMP TABLE bench_report_copy (LIKE credit_report INCLUDING DEFAULTS)');
    const started = performance.now();
    const load = client.query(copyFrom('COPY bench_report_copy FROM STDIN'));
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), load);
    const reportsIn = {
      seconds: (performance.now() - started) / 1000,
      rows: load.rowCount,
      bytes: statSync(file).size,
    };
    await client.query('DROP TABLE bench_report_copy');
    return { recordsOut, reportsIn, seconds: recordsOut.seconds + reportsIn.seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
