import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

/**
 * Folds the pending statistics deltas into the rollup (SQL function statistics_compact(), migration
 * StatisticsRollup); returns how many delta rows it moved. Figures are exact with or without it:
 * it only keeps what platformStatistics reads small. One compactor at a time across instances
 * (an advisory lock); the others return 0 at once.
 */
export async function compactStatistics(em: EntityManager): Promise<number> {
  const [row] = await em.getConnection().execute<{ moved: string }[]>('select statistics_compact() as moved');
  return Number(row.moved);
}

/** Runs compactStatistics every `intervalMs` in the background until stopped; failures are logged, not thrown. */
export function startStatisticsCompactor(em: EntityManager, logger: Logger, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = compactStatistics(em.fork())
      .then((moved) => {
        if (moved) logger.debug({ moved }, 'statistics deltas compacted');
      })
      .catch((err: unknown) => logger.error({ err }, 'statistics compaction failed'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
