import type { WindowParts } from './window';

/**
 * The statistics filter, validated and turned into SQL parameters (null = no restriction), and
 * the statements platformStatistics runs with them.
 */
export interface StatisticsParams extends WindowParts {
  /** Inclusive window on event dates (Asia/Shanghai), YYYY-MM-DD. */
  from: string | null;
  to: string | null;
  /** LIKE patterns on enterprise.region_code / industry_code, e.g. `{"2106%"}`, as a text[] literal. */
  regions: string | null;
  industries: string | null;
  /** Institution ids as a uuid[] literal. */
  institutions: string | null;
  now: Date;
}

/** Replaces `@name` markers with `?` and lists the values in order (a name may repeat). */
export function bind(text: string, params: StatisticsParams): [string, unknown[]] {
  const values: unknown[] = [];
  const sql = text.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`unknown statistics parameter @${name}`);
    values.push(params[name as keyof StatisticsParams]);
    return '?';
  });
  return [sql, values];
}

/**
 * The statements of platformStatistics from one source. Every row names its `list`: TOTALS (one
 * row), INSTITUTION (ranked), REGION, INDUSTRY and MONTH (by key), with the columns the service
 * reads for that list.
 */
export type StatisticsQueries = readonly string[];
