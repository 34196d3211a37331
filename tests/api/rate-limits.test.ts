import { randomUUID } from 'node:crypto';
import { DEFAULT_BUCKETS, loadConfig, type Bucket, type RateLimitRole } from '../../src/config';
import { Role } from '../../src/entities/enums';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';
import { openFeed } from '../support/ws-feed';

/**
 * The cost-based bucket per principal (docs/hardening.md, "Rate limits"): every response says what
 * it cost and what is left; an empty bucket answers 429 RATE_LIMITED with Retry-After, before any
 * resolver runs.
 */

interface Cost {
  requested: number | null;
  actual: number | null;
  limit: { bucketSize: number; remaining: number; restoreRate: number };
}
const cost = (res: GraphQLResponse) => (res.body as { extensions?: { cost?: Cost } }).extensions?.cost;
const code = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions.code as string | undefined;

const roomy: Bucket = { bucketSize: 1_000_000, restoreRate: 1_000_000 };
function buckets(overrides: Partial<Record<RateLimitRole, Bucket>>): Record<RateLimitRole, Bucket> {
  return { ANONYMOUS: roomy, ENTERPRISE: roomy, BANK: roomy, REGULATOR: roomy, ADMIN: roomy, ...overrides };
}

const ME = '{ me { id } }';

/** A signed-in ENTERPRISE user (the schema wants an organisation for every role). */
async function enterpriseUser(server: TestServer) {
  return server.fixtures.principal(Role.ENTERPRISE, { enterprise: await server.fixtures.enterprise() } as never);
}

test('buckets come from RATE_LIMIT_<ROLE>_BUCKET / _RESTORE, defaults for the roles not set', () => {
  const env = { DATA_DIR: '.tmp/test-data', RATE_LIMIT_BANK_BUCKET: '50', RATE_LIMIT_BANK_RESTORE: '0.5' };
  expect(loadConfig(env).rateLimits).toEqual({ ...DEFAULT_BUCKETS, BANK: { bucketSize: 50, restoreRate: 0.5 } });
  expect(() => loadConfig({ ...env, RATE_LIMIT_ANONYMOUS_RESTORE: '0' })).toThrow(/RATE_LIMIT_ANONYMOUS_RESTORE/);
  expect(loadConfig({ DATA_DIR: '.tmp/test-data', QUERY_MAX_COST: '300' }).queryLimits?.maxCost).toBe(300);
});

describe('anonymous callers: one bucket per address', () => {
  let server: TestServer;
  // 3 points, restored at 1.5 per second: full again 2 s after the window opened.
  beforeAll(async () => {
    server = await startTestServer({ rateLimits: buckets({ ANONYMOUS: { bucketSize: 3, restoreRate: 1.5 } }) });
  });
  afterAll(() => server.close());

  test('each operation spends its cost; the empty bucket answers 429 RATE_LIMITED with Retry-After, then refills', async () => {
    const read = () => server.gql('{ departments { id } }');
    const served = [await read(), await read(), await read()];
    expect(served.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(served.map((r) => cost(r))).toEqual(
      [2, 1, 0].map((remaining) => ({
        requested: 1,
        actual: 1,
        limit: { bucketSize: 3, remaining, restoreRate: 1.5 },
      })),
    );

    const refused = await read();
    expect(refused.status).toBe(429);
    expect(code(refused)).toBe('RATE_LIMITED');
    expect(refused.body.data).toBeUndefined();
    expect(refused.sqlStatements).toBe(0);
    const retryAfter = refused.body.errors![0]!.extensions.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(refused.headers['retry-after']).toBe(String(retryAfter));
    expect(refused.body.errors![0]!.message).toContain(`${retryAfter} 秒`);
    expect(cost(refused)).toEqual({
      requested: 1,
      actual: null,
      limit: { bucketSize: 3, remaining: 0, restoreRate: 1.5 },
    });

    // A refusal takes nothing: after Retry-After the whole bucket is there again.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    const again = await read();
    expect(again.status).toBe(200);
    expect(cost(again)?.limit.remaining).toBe(2);
  });

  test('a response refused before execution still carries extensions.cost (nothing requested)', async () => {
    const res = await server.gql('{ departments { id }');
    expect(code(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(cost(res)).toMatchObject({ requested: null, actual: null, limit: { bucketSize: 3 } });
    expect(typeof cost(res)?.limit.remaining).toBe('number');
  });
});

/** Until this many offerReceived subscriptions listen (the first one started, the second never did). */
async function waitForListeners(server: TestServer, count: number) {
  const deadline = Date.now() + 5_000;
  while (server.app.events.listenerCount('offerReceived') !== count) {
    if (Date.now() > deadline) throw new Error(`${server.app.events.listenerCount('offerReceived')} listeners`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('signed-in principals: a bucket per user and per API key, sized by role', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      rateLimits: buckets({
        ENTERPRISE: { bucketSize: 5, restoreRate: 0.005 },
        BANK: { bucketSize: 300, restoreRate: 0.3 },
      }),
    });
  });
  afterAll(() => server.close());

  test('one user emptying its bucket leaves another user of the same role untouched', async () => {
    const [a, b] = [await enterpriseUser(server), await enterpriseUser(server)];
    for (let left = 4; left >= 0; left -= 1) {
      expect(cost(await server.gql(ME, {}, { token: a.token }))?.limit.remaining).toBe(left);
    }
    const refused = await server.gql(ME, {}, { token: a.token });
    expect(refused.status).toBe(429);
    expect(code(refused)).toBe('RATE_LIMITED');

    const other = await server.gql(ME, {}, { token: b.token });
    expect(other.body.errors).toBeUndefined();
    expect(cost(other)?.limit).toEqual({ bucketSize: 5, remaining: 4, restoreRate: 0.005 });
  });

  test('a subscription is charged to the same bucket when it starts', async () => {
    const user = await enterpriseUser(server);
    for (let left = 4; left >= 1; left -= 1) {
      expect(cost(await server.gql(ME, {}, { token: user.token }))?.limit.remaining).toBe(left);
    }
    // offerReceived { id } costs 1: the last point.
    const first = await openFeed(server.url, user.token, 'subscription { offerReceived { id } }');
    const second = await openFeed(server.url, user.token, 'subscription { offerReceived { id } }');
    try {
      await expect(second.next()).rejects.toThrow(/RATE_LIMITED/);
      await waitForListeners(server, 1);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    expect(code(await server.gql(ME, {}, { token: user.token }))).toBe('RATE_LIMITED');
  });

  test('a cost larger than the whole bucket is QUERY_TOO_COSTLY (waiting would not help), not RATE_LIMITED', async () => {
    const user = await enterpriseUser(server);
    const res = await server.gql('{ institutions(first: 20) { nodes { id } } }', {}, { token: user.token });
    expect(res.status).toBe(400);
    expect(code(res)).toBe('QUERY_TOO_COSTLY');
    expect(res.body.errors![0]!.extensions).toMatchObject({ cost: 21, maxCost: 5 });
    expect(cost(res)?.limit.remaining).toBe(5);
  });

  test('a read pays for what it returned; a write pays its price; an API key has its own bucket', async () => {
    const institution = await server.fixtures.institution();
    const bank = await server.fixtures.principal(Role.BANK, { institution } as never);
    const read = await server.gql('{ institutions(first: 50) { nodes { id } } }', {}, { token: bank.token });
    const institutions = read.body.data.institutions.nodes.length as number;
    // Requested 1 + 50 × 1; returned the connection and its nodes.
    expect(cost(read)).toEqual({
      requested: 51,
      actual: 1 + institutions,
      limit: { bucketSize: 300, remaining: 300 - 1 - institutions, restoreRate: 0.3 },
    });

    const created = await server.gql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code } } }',
      { input: { name: '核心系统' } },
      { token: bank.token },
    );
    // A mutation's root field costs 10, its payload 1.
    expect(cost(created)).toMatchObject({ requested: 11, actual: 11 });
    expect(cost(created)?.limit.remaining).toBe(300 - 1 - institutions - 11);

    const byKey = await server.gql(ME, {}, { apiKey: created.body.data.createApiKey.secret });
    expect(byKey.body.errors).toBeUndefined();
    expect(cost(byKey)?.limit).toEqual({ bucketSize: 300, remaining: 299, restoreRate: 0.3 });
  });
});

// The machine's Redis, when the run provides one (.ci/run does); a newcomer's machine has none.
const redisUrl = process.env.TEST_REDIS_URL;
(redisUrl ? describe : describe.skip)('two instances on one Redis share each bucket', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // Keys of this run only.
    const config = {
      redisUrl,
      redisPrefix: `cel-test-${randomUUID()}:`,
      rateLimits: buckets({ ENTERPRISE: { bucketSize: 3, restoreRate: 0.003 } }),
    };
    a = await startTestServer(config);
    b = await startTestServer(config, { database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('points spent on one instance are gone on the other', async () => {
    const user = await enterpriseUser(a);
    const remaining = async (on: TestServer) => cost(await on.gql(ME, {}, { token: user.token }))?.limit.remaining;
    expect([await remaining(a), await remaining(b), await remaining(a)]).toEqual([2, 1, 0]);
    const refused = await b.gql(ME, {}, { token: user.token });
    expect(refused.status).toBe(429);
    expect(code(refused)).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
