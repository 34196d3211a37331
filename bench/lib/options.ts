import { parseArgs } from 'node:util';

export interface BenchOptions {
  enterprises: number;
  records: number;
  /** A server to create the benchmark database on; undefined starts an embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Where the JSON goes; undefined picks bench/results/<date>-credit-reevaluation[-size].json. */
  out: string | undefined;
  /** Leave the benchmark database in place (for EXPLAIN ANALYZE afterwards). */
  keep: boolean;
}

export const DEFAULT_ENTERPRISES = 100_000;
export const DEFAULT_RECORDS = 2_000_000;

export const USAGE = `npm run bench:credit -- [options]

  --enterprises N       enterprises to generate (default ${DEFAULT_ENTERPRISES})
  --records M           credit records spread over them (default ${DEFAULT_RECORDS})
  --database-url URL    PostgreSQL server to use (default: DATABASE_URL, else an embedded PostgreSQL)
                        the run creates and drops its own database cel_bench_<pid> there
  --out FILE            write the JSON result here instead of bench/results/
  --keep                do not drop the benchmark database at the end
  --help`;

/** Whole numbers with optional _ or , separators: 100_000, 2,000,000. */
function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      enterprises: { type: 'string' },
      records: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const enterprises = count('enterprises', values.enterprises, DEFAULT_ENTERPRISES, 1);
  const records = count('records', values.records, DEFAULT_RECORDS, 0);
  return {
    enterprises,
    records,
    databaseUrl: values['database-url'] || env.DATABASE_URL || undefined,
    out: values.out,
    keep: values.keep ?? false,
  };
}
