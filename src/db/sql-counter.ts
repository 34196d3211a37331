import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts SQL statements per request. Tests and benchmarks read the count (N+1 shows up as a
 * count that grows with the page size); the ORM's query logger increments it.
 */
export interface SqlCounter {
  statements: number;
}

const storage = new AsyncLocalStorage<SqlCounter>();

export function runWithSqlCounter<T>(counter: SqlCounter, fn: () => T): T {
  return storage.run(counter, fn);
}

export function countSqlStatement(): void {
  const counter = storage.getStore();
  if (counter) counter.statements += 1;
}

/**
 * Runs `fn` without counting its statements: the transaction and viewer scope that frame every
 * request (src/db/row-security.ts) are the same three statements whatever the request asks, and
 * would hide the count that matters, the statements the request's own work issues.
 */
export function runUncounted<T>(fn: () => T): T {
  return storage.exit(fn);
}
