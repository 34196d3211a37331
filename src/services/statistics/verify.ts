import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { computeStatistics, statisticsParams, type StatisticsFilter } from '../statistics.service';
import { DIRECT_QUERIES } from './direct-queries';
import { ROLLUP_QUERIES } from './rollup-queries';

export interface SourceComparison {
  /** Paths where the rollup and the base tables disagree, e.g. `byRegion[2].outstandingBalance: 10.00 ≠ 12.00`. */
  differences: string[];
  rollupMs: number;
  directMs: number;
}

function diff(path: string, rollup: unknown, direct: unknown, out: string[]): void {
  if (Array.isArray(rollup) && Array.isArray(direct)) {
    if (rollup.length !== direct.length) out.push(`${path}: ${rollup.length} rows ≠ ${direct.length}`);
    for (let i = 0; i < Math.min(rollup.length, direct.length); i += 1)
      diff(`${path}[${i}]`, rollup[i], direct[i], out);
  } else if (rollup && direct && typeof rollup === 'object' && typeof direct === 'object') {
    const a = rollup as Record<string, unknown>;
    const b = direct as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diff(path ? `${path}.${key}` : key, a[key], b[key], out);
  } else if (rollup !== direct) {
    out.push(`${path}: ${String(rollup)} ≠ ${String(direct)}`);
  }
}

/**
 * platformStatistics for one filter from the rollup and from the base tables, in one snapshot
 * (REPEATABLE READ, so a concurrent write cannot tell them apart), and where they differ.
 */
export async function compareStatisticsSources(
  em: EntityManager,
  filter: StatisticsFilter,
  now: Date,
): Promise<SourceComparison> {
  const params = statisticsParams(filter, now);
  return em.fork().transactional(
    async (tx) => {
      let started = performance.now();
      const rollup = await computeStatistics(tx, params, ROLLUP_QUERIES);
      const rollupMs = performance.now() - started;
      started = performance.now();
      const direct = await computeStatistics(tx, params, DIRECT_QUERIES);
      const directMs = performance.now() - started;
      const differences: string[] = [];
      diff('', rollup, direct, differences);
      return { differences, rollupMs, directMs };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
