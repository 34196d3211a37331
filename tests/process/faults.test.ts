import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { SERVING_LIMITS } from '../../src/db/database';
import { ormConfig } from '../../src/db/orm-config';
import { createLogger } from '../../src/logger';
import { createRedis } from '../../src/server/redis';
import { RedisEventBus } from '../../src/server/redis-event-bus';
import { Role } from '../../src/entities/enums';
import { PASSWORD, type Principal } from '../support/fixtures';
import {
  createTestDatabase,
  httpCall,
  logLines,
  processHost,
  spawnServer,
  waitUntil,
  type ProcessHost,
  type ServerProcess,
  type TestDatabase,
} from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { openFeed, type Feed } from '../support/ws-feed';

/**
 * One real server process, its PostgreSQL and Redis reached through TCP proxies the test can cut:
 * the database or Redis "stops" for this server only, while other test files keep using them.
 * The process runs with a pool of 2 and a 1 s acquire timeout, so exhaustion is cheap to provoke.
 */

const ACQUIRE_TIMEOUT_MS = 1_000;
/** What a client must never wait past for an answer while the database is away. */
const BOUNDED_MS = ACQUIRE_TIMEOUT_MS + 2_500;
const MASKED = { message: '服务器内部错误，请稍后重试', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

const UPDATE_PROFILE = `mutation($input: UpdateEnterpriseProfileInput!) {
  updateEnterpriseProfile(input: $input) { enterprise { employees } userErrors { code message } }
}`;
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }';
const DEMAND_PUBLISHED = 'subscription { demandPublished { id } }';

const redisUrl = process.env.TEST_REDIS_URL;

let db: TestDatabase;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy | undefined;
let server: ServerProcess;
let on: ProcessHost;
const feeds: Feed[] = [];
const lockers: Client[] = [];
const redisPrefix = `cel-test-${randomUUID()}:`;

beforeAll(async () => {
  db = await createTestDatabase();
  pgProxy = await TcpProxy.start(TcpProxy.targetOf(db.url));
  if (redisUrl) redisProxy = await TcpProxy.start(TcpProxy.targetOf(redisUrl));
  server = await spawnServer({
    DATABASE_URL: pgProxy.url(db.url),
    DATABASE_POOL_MAX: '2',
    DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    ...(redisProxy ? { REDIS_URL: redisProxy.url(redisUrl!), REDIS_PREFIX: redisPrefix } : {}),
  });
  on = processHost(db, server);
}, 90_000);

afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  await Promise.all(lockers.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
  await pgProxy?.close();
  await redisProxy?.close();
  await db?.drop();
});

/** A signed-in enterprise of its own. */
async function enterprise(): Promise<Principal & { enterpriseId: string }> {
  const org = await on.fixtures.enterprise();
  const principal = await on.fixtures.principal(Role.ENTERPRISE, { enterprise: org } as never);
  return { ...principal, enterpriseId: org.id };
}

/**
 * Holds the enterprise's row locked from the test's own connection, so the server's
 * updateEnterpriseProfile blocks in its transaction (holding a pooled connection) until release().
 */
async function lockEnterprise(enterpriseId: string) {
  const client = new Client({ connectionString: db.url });
  lockers.push(client);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM enterprise WHERE id = $1 FOR UPDATE', [enterpriseId]);
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** The server's sessions waiting on a lock (its connections are named by application_name). */
async function blockedSessions(): Promise<number> {
  const [row] = await db.sql<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = ? AND application_name = 'credit-easy-loan' AND wait_event_type = 'Lock'`,
    [db.name],
  );
  return Number(row.n);
}

function updateProfile(token: string, employees: number) {
  return server.gql(UPDATE_PROFILE, { input: { employees } }, { token, timeoutMs: 30_000 });
}

test('a serving pool’s sessions carry the statement and idle-in-transaction limits', async () => {
  const orm = await MikroORM.init(ormConfig({ url: db.url, poolMax: 1, limits: SERVING_LIMITS }));
  try {
    const [settings] = await orm.em.getConnection().execute<Record<string, string>[]>(
      `SELECT current_setting('statement_timeout') AS statement,
              current_setting('idle_in_transaction_session_timeout') AS idle,
              current_setting('TimeZone') AS zone, current_setting('application_name') AS app`,
    );
    expect(settings).toEqual({ statement: '30s', idle: '1min', zone: 'Asia/Shanghai', app: 'credit-easy-loan' });
  } finally {
    await orm.close();
  }
});

test('pool exhaustion: transactions beyond the pool fail within the acquire timeout, then it serves again', async () => {
  const owner = await enterprise();
  const mark = server.output().length;
  const lock = await lockEnterprise(owner.enterpriseId);
  // Two long transactions take the whole pool (2)…
  const holding = [updateProfile(owner.token, 51), updateProfile(owner.token, 52)];
  await waitUntil('both pooled connections to block on the row lock', async () =>
    (await blockedSessions()) === 2 ? true : undefined,
  );
  // …so two more wait for a connection, and give up after the acquire timeout with a masked error:
  // 503, since the operation's transaction could not start and nothing of it ran.
  const excess = await Promise.all([updateProfile(owner.token, 53), server.gql('{ me { login } }', {}, owner)]);
  for (const res of excess) {
    expect(res.status).toBe(503);
    expect(res.body.errors?.[0]).toMatchObject(MASKED);
    expect(res.ms).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 50);
    expect(res.ms).toBeLessThan(BOUNDED_MS);
  }
  // The cause, in the server's log (the client saw nothing of it).
  await server.waitForOutput(/Timeout acquiring a connection/, { from: mark });

  await lock.release();
  for (const res of await Promise.all(holding)) {
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateEnterpriseProfile.userErrors).toEqual([]);
  }
  const me = await server.gql('{ me { login } }', {}, owner);
  expect(me.body.data.me.login).toBe(owner.user.login);
}, 30_000);

test('the server’s connections terminated (pg_terminate_backend): it reconnects by itself', async () => {
  const owner = await enterprise();
  expect((await server.gql('{ me { login } }', {}, owner)).body.data.me.login).toBe(owner.user.login);
  const serverSessions = `FROM pg_stat_activity WHERE datname = ? AND application_name = 'credit-easy-loan'`;
  const [terminated] = await db.sql<{ n: string }>(`SELECT count(pg_terminate_backend(pid)) AS n ${serverSessions}`, [
    db.name,
  ]);
  expect(Number(terminated.n)).toBeGreaterThan(0);
  await waitUntil('the terminated sessions to end', async () => {
    const [left] = await db.sql<{ n: string }>(`SELECT count(*) AS n ${serverSessions}`, [db.name]);
    return Number(left.n) === 0 ? true : undefined;
  });
  // A request racing the news of the termination may fail, masked; the pool then opens new connections.
  const answer = await waitUntil(
    'a request to succeed on new connections',
    async () => {
      const res = await server.gql('{ me { login } }', {}, { ...owner, timeoutMs: BOUNDED_MS });
      if (res.body.errors) {
        expect(res.body.errors[0]).toMatchObject(MASKED);
        return undefined;
      }
      return res.body.data.me.login as string;
    },
    { timeoutMs: 5_000 },
  );
  expect(answer).toBe(owner.user.login);
  expect((await httpCall(`${server.url}/readyz`)).status).toBe(200);
}, 30_000);

test('database stopped: /readyz fails fast, requests fail masked and quickly, and it recovers when the database is back', async () => {
  const owner = await enterprise();
  expect((await httpCall(`${server.url}/readyz`)).status).toBe(200);
  const mark = server.output().length;
  await pgProxy.cut();
  try {
    const ready = await httpCall(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'down' });
    expect(ready.ms).toBeLessThan(1_500);

    const [query, mutation] = await Promise.all([
      server.gql('{ me { login } }', {}, { ...owner, timeoutMs: 10_000 }),
      updateProfile(owner.token, 99),
    ]);
    for (const res of [query, mutation]) {
      expect(res.body.errors?.[0]).toMatchObject(MASKED);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|connect|knex|postgres/i);
      expect(res.ms).toBeLessThan(BOUNDED_MS);
    }
    // The process itself is alive: a liveness probe must not restart it for the database's sake.
    expect((await httpCall(`${server.url}/healthz`)).status).toBe(200);
    await server.waitForOutput(/database unreachable: not ready/, { from: mark });
  } finally {
    await pgProxy.restore();
  }

  await waitUntil(
    '/readyz to answer 200 again',
    async () => ((await httpCall(`${server.url}/readyz`)).status === 200 ? true : undefined),
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  const me = await server.gql('{ me { login } }', {}, owner);
  expect(me.body.data.me.login).toBe(owner.user.login);
  const updated = await updateProfile(owner.token, 42);
  expect(updated.body.data.updateEnterpriseProfile.enterprise.employees).toBe(42);
}, 40_000);

(redisUrl ? test : test.skip)(
  'Redis lost: queries, mutations and sign-in go on (throttled per instance), logged loudly; subscriptions resume when it returns',
  async () => {
    // Another instance, as far as Redis can tell: the same event bus class on the same channels.
    const logger = createLogger('silent');
    const otherRedis = createRedis(redisUrl!, logger);
    const other = new RedisEventBus(otherRedis, redisPrefix, logger);
    try {
      await other.ready();
      const bank = await on.market.bank();
      await on.market.product(bank.token, { type: 'CREDIT' });
      const feed = await openFeed(server.url, bank.token, DEMAND_PUBLISHED);
      feeds.push(feed);
      const publishDemand = async () => {
        const e = await on.market.enterprise();
        return on.market.demand(e.token, { acceptedTypes: ['CREDIT'] }) as Promise<string>;
      };
      const nextDemand = async () => (await feed.next(10_000)).data.demandPublished.id as string;

      // The subscription is live once the server delivers its own event to it.
      const local = new Set<string>();
      await waitUntil(
        'the subscription to deliver an event published on its instance',
        async () => {
          local.add(await publishDemand());
          return feed.next(2_000).catch(() => undefined);
        },
        { timeoutMs: 20_000, intervalMs: 0 },
      );
      const demandId = [...local][0];
      // Through Redis (and the proxy) from the other instance.
      other.publish({ type: 'demandPublished', demandId });
      // Late copies of the warm-up events may come first; the other instance's event must follow.
      let id = await nextDemand();
      while (id !== demandId && local.has(id)) id = await nextDemand();
      expect(id).toBe(demandId);

      const mark = server.output().length;
      await redisProxy!.cut();
      try {
        await server.waitForOutput(/Redis unavailable/, { from: mark });

        // Mutations and queries are served; a new demand still reaches this instance's subscribers.
        const during = await publishDemand();
        expect(await nextDemand()).toBe(during);
        const owner = await enterprise();
        const updated = await updateProfile(owner.token, 64);
        expect(updated.body.data.updateEnterpriseProfile.enterprise.employees).toBe(64);

        // Sign-in works, and failures are still counted: by this instance alone until Redis returns.
        const user = await on.fixtures.user(Role.BANK, { institution: bank.org } as never);
        const attempt = async (password: string) => {
          const res = await server.gql(LOGIN, { input: { login: user.login, password } }, { timeoutMs: BOUNDED_MS });
          return res.body.data.login.userErrors[0]?.code ?? 'OK';
        };
        for (let i = 0; i < 5; i += 1) expect(await attempt('not-the-password')).toBe('INVALID');
        expect(await attempt(PASSWORD)).toBe('LIMIT_EXCEEDED');
      } finally {
        await redisProxy!.restore();
      }

      // Once the server confirms its subscription again, the other instance's events arrive.
      await server.waitForOutput(/Redis event subscription restored/, { from: mark, timeoutMs: 15_000 });
      other.publish({ type: 'demandPublished', demandId });
      expect(await nextDemand()).toBe(demandId);

      await server.waitForOutput(/Redis is back/, { from: mark, timeoutMs: 15_000 });
      const logged = logLines(server.output().slice(mark));
      expect(logged.some((l) => l.level >= 50 && /Redis unavailable/.test(l.msg))).toBe(true);
    } finally {
      await other.close();
      otherRedis.disconnect();
    }
  },
  60_000,
);

// Last: it stops the server.
test('SIGTERM while a mutation runs: it completes and commits, new requests are refused, exit 0 within 30 s', async () => {
  await Promise.all(feeds.splice(0).map((f) => f.close()));
  const owner = await enterprise();
  const lock = await lockEnterprise(owner.enterpriseId);
  let settled = false;
  const slow = updateProfile(owner.token, 77).finally(() => (settled = true));
  await waitUntil('the mutation to block on the row lock', async () =>
    (await blockedSessions()) === 1 ? true : undefined,
  );

  const signalled = Date.now();
  process.kill(server.pid, 'SIGTERM');
  // New connections are refused (or answered 503 while closing); the slow mutation is still running.
  const refusal = await waitUntil(
    'the server to refuse new requests',
    async () => {
      try {
        const res = await httpCall(`${server.url}/healthz`, { timeoutMs: 2_000 });
        return res.status === 503 ? '503' : undefined;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'ECONNREFUSED' : undefined;
      }
    },
    { timeoutMs: 5_000 },
  );
  expect(['ECONNREFUSED', '503']).toContain(refusal);
  expect(settled).toBe(false);

  await lock.release();
  const res = await slow;
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.updateEnterpriseProfile).toEqual({ enterprise: { employees: 77 }, userErrors: [] });
  const [row] = await db.sql<{ employees: number }>('SELECT employees FROM enterprise WHERE id = ?', [
    owner.enterpriseId,
  ]);
  expect(row.employees).toBe(77);

  const exit = await server.exit;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(Date.now() - signalled).toBeLessThan(30_000);
}, 45_000);
