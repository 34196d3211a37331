import 'reflect-metadata';
import type { Connection } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from './database';
import { runCheck } from './run-check';

const BATCH = 5_000;

interface ChainRow {
  seq: string;
  id: string;
  prev_hash: string | null;
  hash: string | null;
  /** Recomputed by the same SQL function the chain trigger uses (migration AuditChain). */
  expected: string;
}

export interface BrokenLink {
  seq: string | null;
  id: string;
  problem: string;
  expected: string | null;
  stored: string | null;
}

/** What is wrong with `row` as the successor of (prevSeq, prevHash), or null when it follows. */
function linkProblem(
  row: ChainRow,
  prevSeq: bigint,
  prevHash: string | null,
): Pick<BrokenLink, 'problem' | 'expected' | 'stored'> | null {
  if (BigInt(row.seq) !== prevSeq + 1n) {
    return {
      problem: `seq ${row.seq} follows ${prevSeq}: rows are missing`,
      expected: String(prevSeq + 1n),
      stored: row.seq,
    };
  }
  if (row.prev_hash !== prevHash) {
    return { problem: 'prev_hash is not the previous row hash', expected: prevHash, stored: row.prev_hash };
  }
  if (row.hash !== row.expected) {
    return { problem: 'content does not match its hash', expected: row.expected, stored: row.hash };
  }
  return null;
}

/**
 * Walks the audit chain in seq order, in batches: every row must follow the previous one
 * (seq + 1), name its hash as prev_hash, and hash to what it stores. Returns the first broken link.
 */
export async function verifyAuditChain(
  conn: Connection,
): Promise<{ events: number; head: string | null; broken: BrokenLink | null }> {
  const [unchained] = await conn.execute<{ id: string }[]>(
    'select id from audit_event where seq is null or hash is null order by at, id limit 1',
  );
  let events = 0;
  let prevSeq = 0n;
  let prevHash: string | null = null;
  for (;;) {
    const rows: ChainRow[] = await conn.execute(
      `select seq::text as seq, id, prev_hash, hash,
              audit_event_hash(seq, id, actor_id, actor_role, action, target_type, target_id, at, request_id, detail, prev_hash) as expected
         from audit_event a where a.seq > ? order by a.seq limit ?`,
      [prevSeq.toString(), BATCH],
    );
    for (const row of rows) {
      const problem = linkProblem(row, prevSeq, prevHash);
      if (problem) return { events, head: prevHash, broken: { seq: row.seq, id: row.id, ...problem } };
      events += 1;
      prevSeq = BigInt(row.seq);
      prevHash = row.hash;
    }
    if (rows.length < BATCH) break;
  }
  if (unchained) {
    return {
      events,
      head: prevHash,
      broken: {
        seq: null,
        id: unchained.id,
        problem: 'row is outside the chain (no seq or hash)',
        expected: null,
        stored: null,
      },
    };
  }
  return { events, head: prevHash, broken: null };
}

/**
 * `npm run audit:verify`: checks the audit trail of DATABASE_URL (or the embedded database).
 * Exit 0 with "N events, chain intact" (and the head hash, worth recording elsewhere), or exit 1
 * naming the first broken link.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, process.stderr);
  const db = await openDatabase(config, logger, { migrate: false });
  try {
    const { events, head, broken } = await verifyAuditChain(db.orm.em.fork().getConnection());
    if (broken) {
      process.stdout.write(
        `audit:verify: BROKEN after ${events} intact events: seq ${broken.seq ?? '-'} id ${broken.id}: ${broken.problem}\n` +
          `  expected: ${broken.expected ?? '-'}\n  stored:   ${broken.stored ?? '-'}\n`,
      );
      return 1;
    }
    process.stdout.write(`audit:verify: ${events} events, chain intact${head ? ` (head ${head})` : ''}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) runCheck('audit:verify', main);
