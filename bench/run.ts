import 'reflect-metadata';
import { parse, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { buildAppSchema } from '../src/schema/build-schema';
import { operationCost } from '../src/server/query-cost';
import type { StatisticsFilter } from '../src/services/statistics.service';
import { statisticsStatements } from './floor/statistics';
import { BENCH_LOGINS, parseSize, prepareDataset, signIn, type PreparedDataset } from './lib/bench-dataset';
import { startChild, type Child } from './lib/child';
import { driveHttp, driveSql, measure, soak, type HttpRequest, type Load } from './lib/drive';
import { machineInfo } from './lib/report';
import { openServer, serverVersion } from './lib/server';
import { formatWorkload, writeWorkloadResult, type CaseResult, type WorkloadResult } from './lib/workload-report';
import { WORKLOADS, type GraphQLBody, type Workload, type WorkloadCase } from './workloads';

// npm run bench -- W1 [W2 W3 W4] [options]: the application and the floor on the same dataset,
// driven with autocannon at each connection count; a table per workload and a JSON result in
// bench/results/<date>-<workload>[-<size>].json. See bench/README.md.

const USAGE = `npm run bench -- W1|W2|W3|W4|all … [options]

  --size S|M|L          dataset (default S); generated on first use, then reused the same day
  --duration N          seconds per measured run (default 30)
  --warmup N            seconds of unmeasured load before each target's runs (default 5)
  --connections A,B     connection counts (default 10,50)
  --soak N              with W1: N more seconds at the largest connection count, RSS sampled (default 0)
  --pool N              database pool of the server and of the floor (default 10)
  --database-url URL    PostgreSQL server (default: DATABASE_URL, else an embedded PostgreSQL)
  --fresh               regenerate the dataset
  --out-dir DIR         where the JSON results go (default bench/results)
  --cpu-prof DIR        write the server's V8 CPU profile there (summarise: bench/profile.ts)
  --compiled            run the server from dist/ (npm run build first, done here), without the
                        in-memory transpiler: the figure to judge memory by
  --row-security-baseline
                        also run the server without row-level security (ROW_SECURITY=off) in the
                        same run: the rows 'no-rls' and the cost of the policies and the per-request
                        transaction (docs/row-level-security.md)
  --help`;

const log = (message: string) => console.log(`[bench] ${message}`);

interface Options {
  workloads: Workload[];
  size: ReturnType<typeof parseSize>;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number[];
  soakSeconds: number;
  poolMax: number;
  databaseUrl: string | undefined;
  fresh: boolean;
  outDir: string;
  cpuProfDir: string | undefined;
  rowSecurityBaseline: boolean;
  compiled: boolean;
}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return n;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      soak: { type: 'string' },
      pool: { type: 'string' },
      'database-url': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      'cpu-prof': { type: 'string' },
      'row-security-baseline': { type: 'boolean', default: false },
      compiled: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const names = positionals.length === 0 || positionals.includes('all') ? Object.keys(WORKLOADS) : positionals;
  const workloads = names.map((n) => {
    const w = WORKLOADS[n.toUpperCase() as Workload['id']];
    if (!w) throw new Error(`unknown workload ${n}: W1, W2, W3, W4 or all`);
    return w;
  });
  const connections = (values.connections ?? '10,50').split(',').map((c) => wholeNumber('connections', c, 0, 1));
  return {
    workloads,
    size: parseSize(values.size),
    durationSeconds: wholeNumber('duration', values.duration, 30, 1),
    warmupSeconds: wholeNumber('warmup', values.warmup, 5, 0),
    connections,
    soakSeconds: wholeNumber('soak', values.soak, 0, 0),
    poolMax: wholeNumber('pool', values.pool, 10, 1),
    databaseUrl: values['database-url'] || process.env.DATABASE_URL || undefined,
    fresh: values.fresh ?? false,
    outDir: values['out-dir'] ?? join(__dirname, 'results'),
    cpuProfDir: values['cpu-prof'],
    rowSecurityBaseline: values['row-security-baseline'] ?? false,
    compiled: values.compiled ?? false,
  };
}

/** The first place two JSON values differ, or null when they are equal. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

async function post(request: HttpRequest): Promise<{ body: GraphQLBody; bytes: number; sql: number }> {
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await res.text();
  return {
    body: JSON.parse(text) as GraphQLBody,
    bytes: Buffer.byteLength(text),
    sql: Number(res.headers.get('x-sql-statements')),
  };
}

interface Targets {
  app: Child;
  /** The same server with row-level security off (--row-security-baseline). */
  noRls: Child | null;
  floor: Child | null;
  admin: Client;
  prepared: PreparedDataset;
  schema: Awaited<ReturnType<typeof buildAppSchema>>;
}

function costOf(schema: Targets['schema'], w: Workload, variables: Record<string, unknown>): number {
  const document = parse(w.document);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return operationCost({ schema, operation, fragments, variables });
}

async function runCase(
  w: Workload,
  c: WorkloadCase,
  token: string | null,
  t: Targets,
  o: Options,
): Promise<CaseResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ operationName: w.operationName, query: w.document, variables: c.variables });
  const server: HttpRequest = { url: `http://127.0.0.1:${t.app.port}/graphql`, headers, body };
  const first = await post(server);
  const problems = w.check(first.body, c.variables);
  if (problems.length) throw new Error(`${c.label}: the server's answer is wrong: ${problems.join('; ')}`);
  const result: CaseResult = {
    label: c.label,
    variables: c.variables,
    // Counted on a repeated request, the first one having warmed the process.
    sqlStatements: { server: (await post(server)).sql, floor: null },
    responseBytes: { server: first.bytes, floor: null },
    cost: costOf(t.schema, w, c.variables),
    floorSameData: null,
    rows: [],
  };
  const database = t.prepared.database;
  const load = (connections: number, seconds = o.durationSeconds): Load => ({ connections, durationSeconds: seconds });
  const maxConnections = Math.max(...o.connections);

  log(
    `${c.label}: server, ${o.warmupSeconds} s warm-up, then ${o.connections.join(' and ')} connections × ${o.durationSeconds} s`,
  );
  if (o.warmupSeconds) await driveHttp(server, load(maxConnections, o.warmupSeconds));
  for (const n of o.connections) {
    const m = await measure(() => driveHttp(server, load(n)), n, t.app, t.admin, database);
    result.rows.push({ target: 'server', ratioToFloor: null, ...m });
  }
  if (t.noRls) {
    const plain: HttpRequest = { ...server, url: `http://127.0.0.1:${t.noRls.port}/graphql` };
    log(`${c.label}: the server without row-level security`);
    if (o.warmupSeconds) await driveHttp(plain, load(maxConnections, o.warmupSeconds));
    for (const n of o.connections) {
      const m = await measure(() => driveHttp(plain, load(n)), n, t.noRls, t.admin, database);
      result.rows.push({ target: 'no-rls', ratioToFloor: null, ...m });
    }
  }

  if (w.floor === 'http' && t.floor) {
    const floor: HttpRequest = { ...server, url: `http://127.0.0.1:${t.floor.port}/graphql` };
    const answer = await post(floor);
    result.sqlStatements.floor = answer.sql;
    result.responseBytes.floor = answer.bytes;
    const difference = firstDifference(first.body.data, answer.body.data);
    result.floorSameData = difference === null;
    if (difference) result.floorDifference = difference;
    log(`${c.label}: floor (${difference ? `differs: ${difference}` : 'same data'})`);
    if (o.warmupSeconds) await driveHttp(floor, load(maxConnections, o.warmupSeconds));
    for (const n of o.connections) {
      const m = await measure(() => driveHttp(floor, load(n)), n, t.floor, t.admin, database);
      result.rows.push({ target: 'floor', ratioToFloor: null, ...m });
    }
  }

  if (w.floor === 'sql') {
    const filter = (c.variables.filter ?? {}) as StatisticsFilter;
    const statements = await statisticsStatements(t.prepared.url, filter, new Date());
    result.sqlStatements.floor = statements.length;
    const pool = new Pool({ connectionString: t.prepared.url, max: o.poolMax, options: '-c TimeZone=Asia/Shanghai' });
    try {
      result.floorStatementsMs = [];
      for (const s of statements) {
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          await pool.query(s.text, s.values);
          times.push(performance.now() - started);
        }
        result.floorStatementsMs.push(times.sort((a, b) => a - b)[1]!);
      }
      log(`${c.label}: PostgreSQL alone, the service's ${statements.length} statements`);
      if (o.warmupSeconds) await driveSql(pool, statements, load(maxConnections, o.warmupSeconds));
      for (const n of o.connections) {
        const m = await measure(() => driveSql(pool, statements, load(n)), n, null, t.admin, database);
        result.rows.push({ target: 'floor', ratioToFloor: null, ...m });
      }
    } finally {
      await pool.end();
    }
  }

  for (const row of result.rows) {
    const floor = result.rows.find((r) => r.target === 'floor' && r.connections === row.connections);
    if (row.target === 'server' && floor) row.ratioToFloor = row.reqPerSec / floor.reqPerSec;
  }
  return result;
}

async function run(o: Options): Promise<void> {
  const server = await openServer(o.databaseUrl);
  let app: Child | undefined;
  let noRls: Child | null = null;
  let floor: Child | null = null;
  let admin: Client | undefined;
  try {
    const prepared = await prepareDataset(server.url, o.size, { fresh: o.fresh, log });
    const postgres = await serverVersion(prepared.url);
    const env: Record<string, string> = { BENCH_DATABASE_URL: prepared.url, BENCH_POOL_MAX: String(o.poolMax) };
    if (o.compiled) {
      log('compiling the application (npm run build)');
      execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
      env.BENCH_COMPILED = '1';
    }
    log('starting the server (bench/lib/serve.ts)');
    const profile = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
    app = await startChild(join(__dirname, 'lib', 'serve.ts'), env, profile);
    if (o.rowSecurityBaseline) {
      log('starting the server without row-level security (ROW_SECURITY=off)');
      noRls = await startChild(join(__dirname, 'lib', 'serve.ts'), { ...env, BENCH_ROW_SECURITY: 'off' });
    }
    if (o.workloads.some((w) => w.floor === 'http')) {
      log('starting the floor (bench/floor/server.ts)');
      floor = await startChild(join(__dirname, 'floor', 'server.ts'), env);
    }
    admin = new Client({ connectionString: prepared.url });
    await admin.connect();
    const targets: Targets = { app, noRls, floor, admin, prepared, schema: await buildAppSchema() };
    const graphqlUrl = `http://127.0.0.1:${app.port}/graphql`;
    const date = new Date().toISOString().slice(0, 10);

    for (const w of o.workloads) {
      // Tokens last 15 minutes: a fresh one for each workload.
      const token = w.principal ? await signIn(graphqlUrl, BENCH_LOGINS[w.principal]) : null;
      const cases: CaseResult[] = [];
      for (const c of w.cases) cases.push(await runCase(w, c, token, targets, o));
      const result: WorkloadResult = {
        benchmark: 'workloads',
        workload: w.id,
        title: w.title,
        date: new Date().toISOString(),
        machine: machineInfo(postgres),
        params: {
          size: o.size,
          durationSeconds: o.durationSeconds,
          warmupSeconds: o.warmupSeconds,
          connections: o.connections,
          poolMax: o.poolMax,
          compiled: o.compiled,
        },
        dataset: prepared.generation,
        cases,
      };
      if (w.id === 'W1' && o.soakSeconds > 0) {
        const connections = Math.max(...o.connections);
        log(`W1 soak: ${o.soakSeconds} s at ${connections} connections, RSS every 5 s`);
        const c = w.cases[0]!;
        const request: HttpRequest = {
          url: graphqlUrl,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ operationName: w.operationName, query: w.document, variables: c.variables }),
        };
        const s = await soak(() => driveHttp(request, { connections, durationSeconds: o.soakSeconds }), app);
        result.soak = {
          seconds: o.soakSeconds,
          connections,
          reqPerSec: s.result.reqPerSec,
          p99Ms: s.result.p99Ms,
          rssMiB: s.rssMiB,
          maxRssMiB: Math.round(s.maxRssBytes / 2 ** 20),
        };
      }
      const file = join(o.outDir, `${date}-${w.id.toLowerCase()}${o.size === 'M' ? '' : `-${o.size}`}.json`);
      writeWorkloadResult(file, result);
      console.log(`\n${w.id} — ${w.title} (size ${o.size})`);
      console.log(formatWorkload(result));
      log(`wrote ${file}`);
    }
  } finally {
    await admin?.end();
    await floor?.stop();
    await app?.stop();
    await noRls?.stop();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return console.log(USAGE);
  await run(options);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
