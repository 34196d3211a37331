import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import type { StatisticsFilter } from '../services/statistics.service';
import { compareStatisticsSources } from '../services/statistics/verify';
import { shanghaiDate } from '../services/time';
import { openDatabase } from './database';
import { runCheck } from './run-check';

/** Windows that exercise every way a window meets the months: none, whole months, edges, inside one month. */
export function verificationFilters(today: string, regionCode: string | null): [string, StatisticsFilter][] {
  const year = today.slice(0, 4);
  const month = today.slice(0, 7);
  const lastYear = String(Number(year) - 1);
  const windows: [string, StatisticsFilter][] = [
    ['all time', {}],
    [`${lastYear} (whole months)`, { from: `${lastYear}-01-01`, to: `${lastYear}-12-31` }],
    [`${lastYear}-03-17 … ${year}-01-09 (edges)`, { from: `${lastYear}-03-17`, to: `${year}-01-09` }],
    [`${lastYear}-06-05 … ${lastYear}-06-20 (inside a month)`, { from: `${lastYear}-06-05`, to: `${lastYear}-06-20` }],
    [`from ${month}-02 (open end)`, { from: `${month}-02` }],
    [`to ${lastYear}-08-14 (open start)`, { to: `${lastYear}-08-14` }],
  ];
  if (!regionCode) return windows;
  return [
    ...windows,
    ...windows
      .slice(0, 3)
      .map(([name, filter]): [string, StatisticsFilter] => [
        `${name}, region ${regionCode}`,
        { ...filter, regionCodes: [regionCode] },
      ]),
  ];
}

/**
 * `npm run statistics:verify`: computes platformStatistics from the rollup and from the base tables
 * for a set of windows and reports any difference (exit 1). Read-only: it refuses an unmigrated
 * database rather than migrating it.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, process.stderr);
  const db = await openDatabase(config, logger, { migrate: false });
  try {
    const em = db.orm.em.fork();
    const now = new Date();
    const [busiest] = await em
      .getConnection()
      .execute<{ code: string }[]>(
        `select left(region_code, 2) || '0000' as code from enterprise group by 1 order by count(*) desc, 1 limit 1`,
      );
    let failed = 0;
    for (const [name, filter] of verificationFilters(shanghaiDate(now), busiest?.code ?? null)) {
      const { differences, rollupMs, directMs } = await compareStatisticsSources(em, filter, now);
      const timing = `rollup ${rollupMs.toFixed(0)} ms, base tables ${directMs.toFixed(0)} ms`;
      if (differences.length) {
        failed += 1;
        process.stdout.write(`✗ ${name} (${timing}): ${differences.length} differences\n`);
        for (const line of differences.slice(0, 20)) process.stdout.write(`    ${line}\n`);
      } else {
        process.stdout.write(`✓ ${name} (${timing})\n`);
      }
    }
    process.stdout.write(
      failed
        ? `statistics:verify: ${failed} windows differ\n`
        : 'statistics:verify: the rollup matches the base tables\n',
    );
    return failed ? 1 : 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) runCheck('statistics:verify', main);
