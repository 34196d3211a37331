import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/entities/enums';
import { PASSWORD } from '../support/fixtures';
import {
  createTestDatabase,
  processHost,
  spawnServer,
  waitUntil,
  type ProcessHost,
  type ServerProcess,
  type TestDatabase,
} from '../support/processes';
import { openFeed, type Feed } from '../support/ws-feed';

/**
 * Two real server processes (as a load balancer would have them) on one PostgreSQL and one Redis:
 * what one instance learns, the other knows, because nothing of it lives only in process memory.
 */

const DEMAND_PUBLISHED = 'subscription { demandPublished { id } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }';

const rateLimitBuilt = existsSync(join(__dirname, '../../src/server/rate-limit.ts'));

// The machine's Redis, when the run provides one (.ci/run does); a newcomer's machine has none.
const redisUrl = process.env.TEST_REDIS_URL;

(redisUrl ? describe : describe.skip)('two server processes sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let onA: ProcessHost;
  let onB: ProcessHost;
  const feeds: Feed[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Keys and channels of this run only.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl!,
      REDIS_PREFIX: `cel-test-${randomUUID()}:`,
      RATE_LIMIT_ADMIN_BUCKET: '5',
      RATE_LIMIT_ADMIN_RESTORE: '0.001',
    };
    // Started together, as a deployment starts them (start-up work is serialised by a lock).
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
    onA = processHost(db, a);
    onB = processHost(db, b);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  test('both instances started against one database; a token from one works on the other', async () => {
    expect(a.url).not.toBe(b.url);
    const world = await onA.fixtures.principal(Role.REGULATOR, {
      department: await onA.fixtures.department(),
    } as never);
    const me = await b.gql('{ me { login } }', {}, { token: world.token });
    expect(me.body.data.me.login).toBe(world.user.login);
  });

  test('a bank subscribed on B receives demandPublished, exactly once, for a demand published through A', async () => {
    const bank = await onA.market.bank();
    await onA.market.product(bank.token, { type: 'CREDIT' });
    const feed = await openFeed(b.url, bank.token, DEMAND_PUBLISHED);
    feeds.push(feed);
    const demand = async (on: ProcessHost) => {
      const enterprise = await on.market.enterprise();
      return on.market.demand(enterprise.token, { acceptedTypes: ['CREDIT'] }) as Promise<string>;
    };

    // Nothing tells a client when the server has started its subscription; B's own events reach
    // it without Redis, so once one of them arrives, the subscription is live.
    const warmUps = new Set<string>();
    await waitUntil(
      'the subscription on B to deliver an event published on B',
      async () => {
        warmUps.add(await demand(onB));
        return feed.next(2_000).catch(() => undefined);
      },
      { timeoutMs: 20_000, intervalMs: 0 },
    );

    const fromA = await demand(onA);
    const afterIt = await demand(onB);
    const received: string[] = [];
    // One subscription delivers in publication order: A's event comes before B's later one, and
    // a duplicate of A's would come between them.
    while (received.at(-1) !== afterIt) {
      const event = await feed.next(10_000);
      const id = event.data.demandPublished.id as string;
      if (!warmUps.has(id)) received.push(id);
    }
    expect(received).toEqual([fromA, afterIt]);
  });

  test('failed sign-ins on A count on B (the login throttle lives in Redis)', async () => {
    const user = await onA.fixtures.user(Role.BANK, { institution: await onA.fixtures.institution() } as never);
    const attempt = async (on: ServerProcess, password: string) => {
      const res = await on.gql(LOGIN, { input: { login: user.login, password } });
      return res.body.data.login.userErrors[0]?.code ?? 'OK';
    };
    for (let i = 0; i < 5; i += 1) expect(await attempt(a, 'not-the-password')).toBe('INVALID');
    // Every failure was on A; B refuses the sixth try even with the right password.
    expect(await attempt(b, PASSWORD)).toBe('LIMIT_EXCEEDED');
  });

  // The cost-based rate limit (src/server/rate-limit.ts) is built alongside this test; in a
  // checkout without it there is nothing to spend, and the sign-in throttle above is the
  // cross-instance limit under test.
  (rateLimitBuilt ? test : test.skip)('a rate limit spent on A is spent on B', async () => {
    // ADMIN's bucket is 5 points here (RATE_LIMIT_ADMIN_*), restored over 5,000 s: a `me` read costs 1.
    const admin = await onA.fixtures.principal(Role.ADMIN);
    const me = (on: ServerProcess) => on.gql('{ me { login } }', {}, { token: admin.token });
    const remaining = (res: Awaited<ReturnType<typeof me>>) =>
      (res.body as { extensions?: { cost?: { limit?: { remaining?: number } } } }).extensions?.cost?.limit?.remaining;
    const first = await me(a);
    const second = await me(b);
    expect(remaining(second)).toBe(remaining(first)! - 1);

    let spent = await me(a);
    for (let i = 0; i < 10 && !spent.body.errors; i += 1) spent = await me(a);
    expect(spent.status).toBe(429);
    expect(spent.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    // Every point was spent on A; B refuses too.
    const onB = await me(b);
    expect(onB.status).toBe(429);
    expect(onB.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  });
});
