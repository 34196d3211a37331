import type { EntityManager } from '@mikro-orm/postgresql';
import { countSqlStatement } from '../db/sql-counter';

/**
 * Runs set-based SQL in the entity manager's transaction (when it has one) with real bind
 * parameters. em.execute() would paste the parameters into the SQL text, which costs more than
 * the query itself for the megabyte JSON payloads the evaluator and importers send.
 */
export async function sql<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const query = em
    .getConnection()
    .getKnex()
    .raw(text, params as never[]);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx);
  countSqlStatement();
  const result = (await query) as { rows: T[] };
  return result.rows;
}
