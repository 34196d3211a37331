import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import request from 'supertest';
import type { Logger } from 'pino';
import type { Config } from '../../src/config';
import { ormConfig } from '../../src/db/orm-config';
import { createLogger } from '../../src/logger';
import { ensureDefaultCreditModel } from '../../src/services/credit-model.service';
import { createApp, type App } from '../../src/server/app';
import { databaseUrl, withAdminClient } from './db';
import { Fixtures } from './fixtures';

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: string[]; extensions: Record<string, any> }[] };
  headers: Record<string, string>;
  /** SQL statements the server ran for this request. */
  sqlStatements: number;
}

export interface GqlOptions {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A clock the test moves; the server reads it for every "now". */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number) {
    this.offsetMs += ms;
  }
  advanceDays(days: number) {
    this.advance(days * 86_400_000);
  }
}

export interface TestServer {
  app: App;
  /** The test's own ORM: the owner with the SYSTEM scope (not the server's, which is under row-level security). */
  orm: MikroORM;
  /** The server's ORM, whose sessions run as the serving role. */
  appOrm: MikroORM;
  url: string;
  dbUrl: string;
  /** This server's database name, to start a second instance on it. */
  database: string;
  clock: TestClock;
  http: ReturnType<typeof request>;
  fixtures: Fixtures;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GraphQLResponse<T>>;
  /** Raw SQL on this file's database (`?` placeholders), to check what was really written. */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const roomy = { bucketSize: 1_000_000, restoreRate: 1_000_000 };
  return {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    databasePoolMax: 5,
    jwtSecret: 'test-secret-that-is-at-least-32-characters-long',
    seedDemo: false,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    introspection: true,
    corsOrigins: ['http://allowed.example'],
    // As deployed, graphql-jit executes (src/server/jit-gateway.ts); TEST_GRAPHQL_JIT=0 runs the
    // suite on graphql-js's executor instead.
    graphqlJit: process.env.TEST_GRAPHQL_JIT !== '0',
    trustProxy: false,
    redisPrefix: 'cel-test:',
    dataDir: '.tmp/test-data',
    statisticsCompactMs: 0,
    // The webhook worker does not poll: tests that need it call app.webhooks.runOnce() or drain().
    webhooks: {
      pollMs: 0,
      batchSize: 10,
      timeoutMs: 10_000,
      allowHttpLoopback: true,
      blockPrivateAddresses: false,
    },
    databaseAcquireTimeoutMs: 5_000,
    shutdownTimeoutMs: 25_000,
    // The production defaults (DEFAULT_QUERY_LIMITS) but for the cost: a few older tests read nested
    // connections of 100 × 100 on purpose. tests/api/query-limits.test.ts checks the real maximum.
    queryLimits: { maxDepth: 10, maxAliases: 15, maxDirectives: 50, maxTokens: 5_000, maxCost: 20_000 },
    // Buckets no test fills; tests of the rate limit pass tight ones.
    rateLimits: { ANONYMOUS: roomy, ENTERPRISE: roomy, BANK: roomy, REGULATOR: roomy, ADMIN: roomy },
    ...overrides,
  };
}

/** A real server on a random port, over its own fresh database cloned from the migrated template. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: {
    logger?: Logger;
    /** Another instance on the same database (not dropped by this one). */ database?: string;
    /** `self`: the server reads queries from a second pool on its own database, as from a replica. */
    replica?: 'self';
  } = {},
): Promise<TestServer> {
  const baseUrl = process.env.TEST_DATABASE_BASE_URL!;
  const template = process.env.TEST_TEMPLATE_DATABASE!;
  const name =
    options.database ??
    `cel_t_${process.env.TEST_TEMPLATE_DATABASE!.slice('cel_tpl_'.length)}_${randomBytes(6).toString('hex')}`;
  if (!options.database) {
    await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  }
  const dbUrl = databaseUrl(baseUrl, name);
  // The test's own connection (set-up, raw checks) runs as the owner with the SYSTEM scope; the
  // server's runs as the serving role, under row-level security, as in production.
  const orm = await MikroORM.init(ormConfig({ url: dbUrl, poolMax: 3 }));
  if (!options.database) await ensureDefaultCreditModel(orm.em.fork());
  const clock = new TestClock();
  const config = testConfig(overrides);
  const serving = config.rowSecurity === false ? 'system' : 'serving';
  // TEST_REPLICA=self: every server reads its queries from a second pool on the same database,
  // as from a replica (READ ONLY transactions), so the suite shows no query path writes.
  const asReplica = options.replica ?? process.env.TEST_REPLICA;
  const replicaUrls = config.databaseReplicaUrls ?? (asReplica === 'self' ? [dbUrl] : []);
  const appOrm = await MikroORM.init(
    ormConfig({ url: dbUrl, poolMax: config.databasePoolMax, session: serving, replicaUrls }),
  );
  const logger = options.logger ?? createLogger(config.logLevel);
  const app = await createApp({ config, orm: appOrm, logger, now: clock.now });
  await app.listen();
  const { port } = app.fastify.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const http = request(url);

  async function gql(query: string, variables?: Record<string, unknown>, options: GqlOptions = {}) {
    const req = http.post('/graphql').set('content-type', 'application/json');
    if (options.token) req.set('authorization', `Bearer ${options.token}`);
    if (options.apiKey) req.set('x-api-key', options.apiKey);
    for (const [k, v] of Object.entries(options.headers ?? {})) req.set(k, v);
    const res = await req.send({ query, variables });
    return {
      status: res.status,
      body: res.body,
      headers: res.headers as Record<string, string>,
      sqlStatements: Number(res.headers['x-sql-statements'] ?? NaN),
    };
  }

  const server: TestServer = {
    app,
    orm,
    appOrm,
    url,
    dbUrl,
    database: name,
    clock,
    http,
    gql,
    sql: (query, params = []) => orm.em.fork().getConnection().execute(query, params),
    fixtures: undefined as unknown as Fixtures,
    async close() {
      await app.close();
      await appOrm.close();
      await orm.close();
      if (!options.database) {
        await withAdminClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    },
  };
  server.fixtures = new Fixtures(server);
  return server;
}
