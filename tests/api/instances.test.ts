import { randomUUID } from 'node:crypto';
import { Role } from '../../src/entities/enums';
import { PASSWORD } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Two instances behind one load balancer must share what protects sign-in: five failures spread
 * over two instances are five failures. The database store is the default; Redis when given.
 */
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`;

async function attempt(server: TestServer, login: string, password: string): Promise<string | null> {
  const res = await server.gql(LOGIN, { input: { login, password } });
  return res.body.data.login.userErrors[0]?.code ?? null;
}

async function spreadFailures(a: TestServer, b: TestServer) {
  const user = await a.fixtures.user(Role.BANK, { institution: await a.fixtures.institution() } as never);
  for (let i = 0; i < 5; i += 1) {
    expect(await attempt(i % 2 ? a : b, user.login, 'not-the-password')).toBe('INVALID');
  }
  // The sixth try, on either instance, is refused even with the right password.
  expect(await attempt(a, user.login, PASSWORD)).toBe('LIMIT_EXCEEDED');
  expect(await attempt(b, user.login, PASSWORD)).toBe('LIMIT_EXCEEDED');
}

describe('two instances on one database', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer();
    b = await startTestServer({}, { database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('failed sign-ins count across instances', () => spreadFailures(a, b));

  test('a token from one instance works on the other (no per-instance session state)', async () => {
    const world = await a.fixtures.getWorld();
    const me = await b.gql('{ me { login } }', {}, { token: world.regulator.token });
    expect(me.body.data.me.login).toBe(world.regulator.user.login);
  });
});

// The machine's Redis, when the run provides one (.ci/run does); a newcomer's machine has none.
const redisUrl = process.env.TEST_REDIS_URL;
(redisUrl ? describe : describe.skip)('two instances sharing Redis', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // Keys of this run only: counters from earlier runs (kept 15 minutes) must not leak in.
    const redisPrefix = `cel-test-${randomUUID()}:`;
    a = await startTestServer({ redisUrl, redisPrefix });
    b = await startTestServer({ redisUrl, redisPrefix }, { database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('failed sign-ins count across instances through Redis', () => spreadFailures(a, b));
});
