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
