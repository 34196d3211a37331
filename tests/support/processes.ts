import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../../src/db/orm-config';
import { databaseUrl, withAdminClient } from './db';
import { Fixtures } from './fixtures';
import { Marketplace } from './marketplace';
import type { GqlOptions, GraphQLResponse, TestServer } from './test-server';

/**
 * Real server processes (`npm start`, i.e. `node -r @swc-node/register src/main.ts`) for the tests
 * that need what one process cannot show: several instances, signals, lost connections.
 */

const ROOT = join(__dirname, '../..');

/** The secret every process of a test shares, so a token from one instance works on the others. */
export const PROCESS_JWT_SECRET = 'process-test-secret-that-is-at-least-32-characters';

/** Polls `check` until it returns something other than undefined; fails with `what` after `ms`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// ── HTTP without connection reuse: each call is a new connection, as a new client's would be ──

export interface HttpResult {
  status: number;
  body: any;
  ms: number;
}

/** One HTTP request on a fresh connection; rejects with the socket error (e.g. ECONNREFUSED) or a timeout. */
export function httpCall(
  url: string,
  {
    method = 'GET',
    body,
    headers = {},
    timeoutMs = 15_000,
  }: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  const started = Date.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: Date.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GraphQL request in the shape the in-process TestServer's `gql` returns. */
export async function gqlAt<T = any>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  options: GqlOptions & { timeoutMs?: number } = {},
): Promise<GraphQLResponse<T> & { ms: number }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  const res = await httpCall(`${baseUrl}/graphql`, {
    method: 'POST',
    body: { query, variables },
    headers,
    timeoutMs: options.timeoutMs,
  });
  return { status: res.status, body: res.body, headers: {}, sqlStatements: NaN, ms: res.ms };
}

// ── databases ─────────────────────────────────────────────────────────────────────────────────

export interface TestDatabase {
  name: string;
  url: string;
  /** An ORM on it for the test's own fixtures and checks (not the server's pool). */
  orm: MikroORM;
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh clone of the migrated template, as every test file gets (see global-setup.ts). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_BASE_URL!;
  const template = process.env.TEST_TEMPLATE_DATABASE!;
  const name = `cel_t_${template.slice('cel_tpl_'.length)}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(baseUrl, name);
  const orm = await MikroORM.init(ormConfig({ url, poolMax: 3, applicationName: 'cel-test-fixtures' }));
  return {
    name,
    url,
    orm,
    sql: (query, params = []) => orm.em.fork().getConnection().execute(query, params),
    async drop() {
      await orm.close();
      await withAdminClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface ProcessHost {
  fixtures: Fixtures;
  market: Marketplace;
}

/**
 * The usual fixtures and marketplace steps, rows written through the test's ORM, API calls
 * (sign-in, products, demands) made to the given server process.
 */
export function processHost(db: TestDatabase, server: ServerProcess): ProcessHost {
  const host = { orm: db.orm, gql: server.gql } as unknown as TestServer;
  host.fixtures = new Fixtures(host);
  return { fixtures: host.fixtures, market: new Marketplace(host) };
}

// ── server processes ──────────────────────────────────────────────────────────────────────────

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Everything the process wrote (stdout and stderr: pino JSON lines and the start-up banner). */
  output(): string;
  /** Resolves with the first output line after `from` (an output() length) matching `pattern`. */
  waitForOutput(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: GqlOptions & { timeoutMs?: number },
  ): Promise<GraphQLResponse<T> & { ms: number }>;
  /** SIGTERM, then SIGKILL if it has not exited within `ms`. */
  stop(ms?: number): Promise<void>;
}

/**
 * Starts `src/main.ts` as `npm start` does, production-like (NODE_ENV=production: Apollo's own
 * signal handling is on, as in a deployment), and resolves once it printed its address.
 */
export async function spawnServer(
  env: Record<string, string>,
  { startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TEST_') && !['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'JEST_WORKER_ID'].includes(k),
    ),
  );
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_DEMO: '0',
      JWT_SECRET: PROCESS_JWT_SECRET,
      LOG_LEVEL: 'warn',
      STATISTICS_COMPACT_MS: '0',
      ...env,
    },
  });
  let out = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    }),
  );

  const waitForOutput = (pattern: RegExp, { from = 0, timeoutMs = 15_000 } = {}) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = out
          .slice(from)
          .split('\n')
          .find((l) => pattern.test(l));
        if (line !== undefined) return finish(() => resolve(line));
        if (child.exitCode !== null || child.signalCode !== null) {
          return finish(() => reject(new Error(`process exited before printing ${pattern}; output:\n${out}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; output:\n${out}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  let url: string;
  try {
    const banner = await waitForOutput(/GraphQL API: http:\/\/\S+\/graphql/, { timeoutMs: startTimeoutMs });
    url = /GraphQL API: (http:\/\/\S+)\/graphql/.exec(banner)![1]!;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const server: ServerProcess = {
    url,
    pid: child.pid!,
    output: () => out,
    waitForOutput,
    exit,
    gql: (query, variables, options) => gqlAt(url, query, variables, options),
    async stop(ms = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await exit;
      clearTimeout(timer);
    },
  };
  return server;
}

/** The structured (pino) log lines of a process at `level` or above (40 warn, 50 error). */
export function logLines(output: string, minLevel = 40): { level: number; msg: string; [k: string]: unknown }[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as { level: number; msg: string };
      } catch {
        return undefined;
      }
    })
    .filter((l): l is { level: number; msg: string } => l !== undefined && l.level >= minLevel);
}
