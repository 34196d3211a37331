import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import { ormConfig } from '../src/db/orm-config';
import { createLogger } from '../src/logger';
import { createApp, type App } from '../src/server/app';
import { ensureDefaultCreditModel } from '../src/services/credit-model.service';
import type { RequestContext } from '../src/services/request-context';
import { StatisticsService, statisticsParams, type StatisticsFilter } from '../src/services/statistics.service';
import { DIRECT_QUERIES } from '../src/services/statistics/direct-queries';
import { bind } from '../src/services/statistics/params';
import { addDays, shanghaiDate } from '../src/services/time';
import { benchConfig } from './lib/bench-config';
import { machineInfo } from './lib/report';
import { createDatabase, dropDatabase, openServer, serverVersion, withClient } from './lib/server';
import {
  CITY_FILTER,
  generateStatisticsDataset,
  type StatisticsDatasetSpec,
  type StatisticsDatasetStats,
} from './lib/statistics-dataset';

// platformStatistics through HTTP (sign-in as a regulator, every field selected), with no filter
// and with a one-city region filter, against the floor: PostgreSQL running the very statements the
// service runs, with the same parameters, straight through `pg`. See bench/README.md.

const log = (message: string) => console.log(`[bench] ${message}`);

const SIZES: Record<'default' | 'small', Omit<StatisticsDatasetSpec, 'today'>> = {
  default: { institutions: 20, products: 40, enterprises: 50_000, demands: 200_000, loans: 1_000_000 },
  small: { institutions: 20, products: 40, enterprises: 5_000, demands: 20_000, loans: 100_000 },
};

const USAGE = `npm run bench:stats -- [options]

  --size default|small  1,000,000 loans / 200,000 demands / 50,000 enterprises (default), or 10× fewer
  --runs N              measured requests per case (default 30)
  --warmup N            unmeasured requests first (default 3)
  --database-url URL    PostgreSQL server to use (default: DATABASE_URL, else an embedded PostgreSQL)
                        the run creates and drops its own database cel_bench_stats_<pid> there
  --out FILE            write the JSON result here instead of bench/results/<date>-statistics[-small].json
  --keep                do not drop the benchmark database at the end
  --help`;

const AMOUNT = 'count amount';
const LOAN_FIGURES = `granted { ${AMOUNT} } disbursed { ${AMOUNT} } outstandingBalance nplRatio`;
const GROUP = `key ${LOAN_FIGURES}`;
const QUERY = `query($filter: StatisticsFilter) {
  platformStatistics(filter: $filter) {
    enterprises verifiedEnterprises institutions publishedProducts
    demands { ${AMOUNT} } matchRate ${LOAN_FIGURES} averageRate creditLoanShare averageDaysToCredit
    byInstitution { institution { id name } offers ${LOAN_FIGURES} averageRate rank }
    byRegion { ${GROUP} } byIndustry { ${GROUP} } byMonth { ${GROUP} }
  }
}`;

interface Statement {
  text: string;
  values: unknown[];
}

interface Percentiles {
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

interface CaseResult {
  name: string;
  filter: StatisticsFilter;
  /** The same figures from the base tables with plain aggregates (no rollup), median of 3, for scale. */
  baseTablesMs: number;
  server: Percentiles & { samplesMs: number[]; sqlStatements: number; responseBytes: number };
  floor: Percentiles & { samplesMs: number[]; statements: number };
  /** Each statement alone, one connection, median of 3 (which statement the time goes to). */
  perStatementMs: { statement: string; p50: number }[];
  ratioP50: number;
  ratioP99: number;
}

/** Nearest-rank percentile (with 30 samples p99 is the slowest one). */
function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return {
    p50: at(0.5),
    p99: at(0.99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/**
 * The statements platformStatistics runs for a filter, with their parameters: the service itself
 * runs against a recording stand-in for the entity manager (src/services/sql.ts calls
 * getConnection().getKnex().raw(text, params)), so the floor follows the service if its SQL changes.
 */
async function capturedStatements(filter: StatisticsFilter, now: Date): Promise<Statement[]> {
  const captured: Statement[] = [];
  const knex = {
    raw(text: string, values: unknown[]) {
      captured.push({ text, values });
      const result = Promise.resolve({ rows: [{ list: 'TOTALS' }] });
      return { transacting: () => undefined, then: result.then.bind(result) };
    },
  };
  const em = {
    getConnection: () => ({ getKnex: () => knex }),
    getTransactionContext: () => undefined,
    isInTransaction: () => false,
  };
  await new StatisticsService().platformStatistics({ em, now: () => now } as unknown as RequestContext, filter);
  return captured.map(({ text, values }) => numbered(text, values));
}

/** The plain aggregates over the base tables for the same filter (src/services/statistics/direct-queries.ts). */
function directStatements(filter: StatisticsFilter, now: Date): Statement[] {
  const params = statisticsParams(filter, now);
  return DIRECT_QUERIES.map((text) => numbered(...bind(text, params)));
}

/** knex binds `?` positionally; pg wants $1, $2, … */
function numbered(text: string, values: unknown[]): Statement {
  let i = 0;
  const sql = text.replace(/\?/g, () => `$${++i}`);
  if (i !== values.length) throw new Error(`expected ${values.length} placeholders, found ${i}`);
  return { text: sql, values };
}

function describe(text: string): string {
  if (text.includes('statistics_rollup')) return 'everything, from the rollup';
  if (text.includes('per_offer')) return 'by institution';
  if (text.includes('month_events')) return 'groups (region, industry, month)';
  if (text.includes('verified_enterprises')) return 'totals';
  if (text.includes('financial_institution')) return 'institutions (loader)';
  return text.replace(/\s+/g, ' ').slice(0, 40);
}

async function signInRegulator(url: string, graphqlUrl: string): Promise<string> {
  const password = 'bench-regulator-password';
  const hash = await hashPassword(password);
  await withClient(url, async (c) => {
    await c.query(
      `insert into department (id, created_at, name, region_code) values (md5('dept')::uuid, now(), '基准监管部门', '210600')`,
    );
    await c.query(
      `insert into app_user (id, created_at, login, password_hash, display_name, role, department_id)
       values (md5('regulator')::uuid, now(), 'bench-regulator', $1, '基准监管用户', 'REGULATOR', md5('dept')::uuid)`,
      [hash],
    );
  });
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code message } } }',
      variables: { input: { login: 'bench-regulator', password } },
    }),
  });
  const body = (await res.json()) as { data?: { login?: { accessToken?: string } } };
  const token = body.data?.login?.accessToken;
  if (!token) throw new Error(`login failed: ${JSON.stringify(body)}`);
  return token;
}

async function measureServer(
  graphqlUrl: string,
  token: string,
  filter: StatisticsFilter,
  runs: number,
  warmup: number,
): Promise<CaseResult['server']> {
  const once = async () => {
    const started = performance.now();
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY, variables: { filter } }),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    const body = JSON.parse(text) as { errors?: unknown[]; data?: unknown };
    if (res.status !== 200 || body.errors || !body.data) throw new Error(`platformStatistics failed: ${text}`);
    return { ms, sql: Number(res.headers.get('x-sql-statements') ?? NaN), bytes: text.length };
  };
  for (let i = 0; i < warmup; i++) await once();
  const samples: number[] = [];
  let last = { ms: 0, sql: NaN, bytes: 0 };
  for (let i = 0; i < runs; i++) {
    last = await once();
    samples.push(last.ms);
  }
  return { ...percentiles(samples), samplesMs: samples, sqlStatements: last.sql, responseBytes: last.bytes };
}

/** The statements concurrently, one connection each, as the service runs them (Promise.all). */
async function measureFloor(
  pool: Pool,
  statements: Statement[],
  runs: number,
  warmup: number,
): Promise<CaseResult['floor']> {
  const once = async () => {
    const started = performance.now();
    await Promise.all(statements.map((s) => pool.query(s.text, s.values)));
    return performance.now() - started;
  };
  for (let i = 0; i < warmup; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return { ...percentiles(samples), samplesMs: samples, statements: statements.length };
}

async function perStatement(pool: Pool, statements: Statement[]): Promise<CaseResult['perStatementMs']> {
  const out: CaseResult['perStatementMs'] = [];
  for (const s of statements) {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await pool.query(s.text, s.values);
      samples.push(performance.now() - started);
    }
    out.push({ statement: describe(s.text), p50: percentiles(samples).p50 });
  }
  return out;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function formatTable(cases: CaseResult[]): string {
  const header = [
    'case',
    'server p50',
    'server p99',
    'floor p50',
    'floor p99',
    'p50 server/floor',
    'SQL/request',
    'base tables',
  ];
  const rows = cases.map((c) => [
    c.name,
    ms(c.server.p50),
    ms(c.server.p99),
    ms(c.floor.p50),
    ms(c.floor.p99),
    `${c.ratioP50.toFixed(2)}×`,
    `${c.server.sqlStatements} (floor ${c.floor.statements})`,
    ms(c.baseTablesMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const rule = '─'.repeat(line(header).length);
  const detail = cases.flatMap((c) =>
    c.perStatementMs.map(
      (s) => `  ${`${c.name}:`.padEnd(widths[0]! + 1)} ${s.statement.padEnd(34)} ${ms(s.p50)} alone`,
    ),
  );
  return [rule, line(header), ...rows.map(line), rule, ...detail].join('\n');
}

async function run(options: {
  size: 'default' | 'small';
  runs: number;
  warmup: number;
  databaseUrl: string | undefined;
  out: string | undefined;
  keep: boolean;
}): Promise<void> {
  const now = new Date();
  const today = shanghaiDate(now);
  const server = await openServer(options.databaseUrl);
  const name = `cel_bench_stats_${process.pid}`;
  let orm: MikroORM | undefined;
  let app: App | undefined;
  let pool: Pool | undefined;
  try {
    log(`${server.embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}: creating database ${name}`);
    const url = await createDatabase(server.url, name);
    const postgres = await serverVersion(url);
    orm = await MikroORM.init(ormConfig({ url, poolMax: 10 }));
    await orm.getMigrator().up();
    await ensureDefaultCreditModel(orm.em.fork(), now);

    const spec: StatisticsDatasetSpec = { ...SIZES[options.size], today };
    log(
      `generating ${spec.loans.toLocaleString('en-US')} loans, ${spec.demands.toLocaleString('en-US')} demands, ` +
        `${spec.enterprises.toLocaleString('en-US')} enterprises`,
    );
    const generation: StatisticsDatasetStats = await withClient(url, (c) => generateStatisticsDataset(c, spec, log));
    log(`generated in ${generation.totalSeconds.toFixed(1)} s (not part of the measurement)`);
    // The triggers appended the generated rows as deltas; fold them in as the server's compactor would.
    const compaction = await withClient(url, async (c) => {
      const started = performance.now();
      const { rows } = await c.query<{ moved: string }>('select statistics_compact() as moved');
      await c.query('vacuum analyze statistics_rollup');
      const { rows: size } = await c.query<{ n: string }>('select count(*) as n from statistics_rollup');
      return {
        deltas: Number(rows[0]!.moved),
        rollupRows: Number(size[0]!.n),
        seconds: (performance.now() - started) / 1000,
      };
    });
    log(
      `rollup: ${compaction.deltas.toLocaleString('en-US')} deltas compacted into ` +
        `${compaction.rollupRows.toLocaleString('en-US')} rows in ${compaction.seconds.toFixed(1)} s`,
    );

    app = await createApp({ config: benchConfig(10), orm, logger: createLogger('warn') });
    await app.listen();
    const { port } = app.fastify.server.address() as AddressInfo;
    const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    const token = await signInRegulator(url, graphqlUrl);

    // Asia/Shanghai, as the application's connections (orm-config.ts).
    pool = new Pool({ connectionString: url, max: 4, options: '-c TimeZone=Asia/Shanghai' });
    const { rows: institutionIds } = await pool.query<{ id: string }>('select id from financial_institution');

    const cases: { name: string; filter: StatisticsFilter }[] = [
      { name: 'no filter', filter: {} },
      { name: `region ${CITY_FILTER} (one city)`, filter: { regionCodes: [CITY_FILTER] } },
      // Not month-aligned: the edge days come from the base tables.
      { name: 'last 90 days', filter: { from: addDays(today, -89), to: today } },
    ];
    const results: CaseResult[] = [];
    for (const c of cases) {
      log(`${c.name}: ${options.warmup} warm-up + ${options.runs} requests through HTTP`);
      const measured = await measureServer(graphqlUrl, token, c.filter, options.runs, options.warmup);
      // The service's statements, plus the institution loader's one batched select (byInstitution { institution }).
      const statements = [
        ...(await capturedStatements(c.filter, now)),
        {
          text: 'select f0.* from financial_institution as f0 where f0.id = any($1::uuid[])',
          values: [institutionIds.map((r) => r.id)],
        },
      ];
      log(
        `${c.name}: ${options.warmup} warm-up + ${options.runs} runs of the ${statements.length} statements through pg`,
      );
      const floor = await measureFloor(pool, statements, options.runs, options.warmup);
      const perStatementMs = await perStatement(pool, statements);
      log(`${c.name}: 3 runs of the plain aggregates over the base tables (what the rollup replaces)`);
      const direct = directStatements(c.filter, now);
      const baseTablesMs = (await measureFloor(pool, direct, 3, 0)).p50;
      results.push({
        ...c,
        baseTablesMs,
        server: measured,
        floor,
        perStatementMs,
        ratioP50: measured.p50 / floor.p50,
        ratioP99: measured.p99 / floor.p99,
      });
    }

    const result = {
      benchmark: 'statistics',
      date: now.toISOString(),
      machine: machineInfo(postgres, server.embedded),
      params: { size: options.size, ...spec, runs: options.runs, warmup: options.warmup },
      generation,
      compaction,
      cases: results,
    };
    const file =
      options.out ?? join(__dirname, 'results', `${today}-statistics${options.size === 'small' ? '-small' : ''}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `dataset: ${Object.entries(generation.counts)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    console.log(
      `loans by status: ${Object.entries(generation.loansByStatus)
        .map(([s, n]) => `${s} ${n.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    console.log(
      `generation: ${generation.totalSeconds.toFixed(1)} s (${Object.entries(generation.seconds)
        .map(([s, n]) => `${s} ${n.toFixed(1)} s`)
        .join(', ')})`,
    );
    console.log(
      `PostgreSQL ${postgres} (${result.machine.server}), ${result.machine.cpus} cores, Node ${process.versions.node}`,
    );
    console.log(formatTable(results));
    log(`wrote ${file}`);
  } finally {
    await pool?.end();
    await app?.close();
    await orm?.close();
    if (options.keep) log(`kept database ${name} on ${server.embedded ? 'the embedded server' : server.url}`);
    else await dropDatabase(server.url, name).catch((err) => log(`could not drop ${name}: ${String(err)}`));
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      size: { type: 'string', default: 'default' },
      runs: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.size !== 'default' && values.size !== 'small') throw new Error('--size must be default or small');
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  const warmup = Number(values.warmup);
  if (!Number.isSafeInteger(warmup) || warmup < 0) throw new Error('--warmup must be a whole number ≥ 0');
  await run({
    size: values.size,
    runs,
    warmup,
    databaseUrl: values['database-url'] || process.env.DATABASE_URL || undefined,
    out: values.out,
    keep: values.keep ?? false,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
