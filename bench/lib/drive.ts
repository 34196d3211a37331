import autocannon from 'autocannon';
import type { Client, Pool } from 'pg';
import { procCpuMs, type Child } from './child';

// Load generation and what is measured around it: autocannon against an HTTP target (the server
// or the W1/W2 floor), or a closed loop of the same statements on a pg pool (W4's floor); the
// target process's CPU and memory over IPC, and the CPU of the database's backends from /proc.

export interface Load {
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Connection errors, timeouts, non-2xx answers and (measured) errors the server logged. */
  failures: number;
}

export interface Measurement extends LoadResult {
  connections: number;
  /** CPU of the target process per request (null for PostgreSQL alone). */
  cpuMsPerRequest: number | null;
  /** CPU of this database's PostgreSQL backends per request (null where /proc is not readable). */
  dbCpuMsPerRequest: number | null;
  rssBytes: number | null;
  maxRssBytes: number | null;
}

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function driveHttp(request: HttpRequest, load: Load): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: load.connections,
    duration: load.durationSeconds,
    timeout: 30,
  });
  const requests = result.requests.total;
  return {
    requests,
    reqPerSec: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    failures: result.errors + result.non2xx,
  };
}

/** Nearest rank, as bench/statistics.ts reports. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * `connections` loops, each running one "request" (the statements together, as the service runs
 * them) after another until the time is up.
 */
export async function driveSql(
  pool: Pool,
  statements: { text: string; values: unknown[] }[],
  load: Load,
): Promise<LoadResult> {
  const samples: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + load.durationSeconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await Promise.all(statements.map((s) => pool.query(s.text, s.values)));
        samples.push(performance.now() - t);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: load.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  const sorted = samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    reqPerSec: samples.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    meanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    failures,
  };
}

/** CPU ms of every backend connected to `database`, by pid. */
async function backendCpu(admin: Client, database: string): Promise<Map<number, number> | null> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [database],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = procCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/**
 * Runs `drive` and measures around it: the target's CPU and memory (when it is a child process)
 * and the database backends' CPU. A backend that connected during the run counts from zero; one
 * that left during it is lost (the pools keep theirs open).
 */
export async function measure(
  drive: () => Promise<LoadResult>,
  connections: number,
  target: Child | null,
  admin: Client,
  database: string,
): Promise<Measurement> {
  await settle(admin, database);
  const before = await target?.usage();
  const dbBefore = await backendCpu(admin, database);
  const result = await drive();
  const dbAfter = await backendCpu(admin, database);
  const after = await target?.usage();
  const perRequest = (ms: number) => (result.requests ? ms / result.requests : null);
  // A GraphQL error is a 200 to autocannon: the server's own count of the errors it logged.
  const errors = before && after ? after.errors - before.errors : 0;
  let dbCpuMsPerRequest: number | null = null;
  if (dbBefore && dbAfter) {
    let total = 0;
    for (const [pid, ms] of dbAfter) total += ms - (dbBefore.get(pid) ?? 0);
    dbCpuMsPerRequest = perRequest(total);
  }
  return {
    ...result,
    failures: result.failures + errors,
    connections,
    cpuMsPerRequest: before && after ? perRequest(after.cpuMs - before.cpuMs) : null,
    dbCpuMsPerRequest,
    rssBytes: after?.rssBytes ?? null,
    maxRssBytes: after?.maxRssBytes ?? null,
  };
}

/**
 * Waits until no backend of `database` but this one is running a statement: autocannon stops at
 * the end of its time, while the server still works through the requests it had accepted (at 50
 * connections and seconds per request, long enough to spill into the next run).
 */
export async function settle(admin: Client, database: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && performance.now() < deadline) {
    const { rows } = await admin.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
      [database],
    );
    quiet = rows[0]!.n === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Drives for `seconds`, reading the target's RSS every `everyMs`; the samples in MiB. */
export async function soak(
  drive: () => Promise<LoadResult>,
  target: Child,
  everyMs = 5_000,
): Promise<{ result: LoadResult; rssMiB: number[]; maxRssBytes: number }> {
  const rssMiB: number[] = [];
  const timer = setInterval(() => {
    void target.usage().then((u) => rssMiB.push(Math.round(u.rssBytes / 2 ** 20)));
  }, everyMs);
  try {
    const result = await drive();
    const last = await target.usage();
    rssMiB.push(Math.round(last.rssBytes / 2 ** 20));
    return { result, rssMiB, maxRssBytes: last.maxRssBytes };
  } finally {
    clearInterval(timer);
  }
}
