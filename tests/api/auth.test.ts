import { UnsecuredJWT } from 'jose';
import { AccessTokens } from '../../src/auth/tokens';
import { Role } from '../../src/entities/enums';
import { PASSWORD } from '../support/fixtures';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) {
    accessToken expiresAt refreshToken
    user { id login role }
    userErrors { code message field }
  }
}`;
const REFRESH = `mutation($input: RefreshTokenInput!) {
  refreshToken(input: $input) {
    accessToken expiresAt refreshToken
    user { id login role }
    userErrors { code message field }
  }
}`;
const LOGOUT = `mutation($input: LogoutInput!) { logout(input: $input) { ok userErrors { code message field } } }`;
const ME = '{ me { id login role } }';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FIFTEEN_MINUTES = 15 * 60 * 1000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function uniqueLogin(tag: string): string {
  return `${tag}-${Math.random().toString(36).slice(2, 10)}`;
}

async function login(s: TestServer, loginName: string, password = PASSWORD) {
  const res = await s.gql(LOGIN, { input: { login: loginName, password } });
  expect(res.body.errors).toBeUndefined();
  return { res, payload: res.body.data.login };
}

async function refresh(s: TestServer, refreshToken: string) {
  const res = await s.gql(REFRESH, { input: { refreshToken } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.refreshToken;
}

async function logout(s: TestServer, refreshToken: string) {
  const res = await s.gql(LOGOUT, { input: { refreshToken } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.logout;
}

function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function expectNoTokens(payload: any) {
  expect(payload.accessToken).toBeNull();
  expect(payload.refreshToken).toBeNull();
  expect(payload.expiresAt).toBeNull();
  expect(payload.user).toBeNull();
}

function expectUnauthenticated(res: GraphQLResponse) {
  expect(res.status).toBe(401);
  expect(res.body.data?.me ?? null).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
}

describe('login', () => {
  test('returns a 15-minute JWT, a refresh token and the user; the token signs `me` in', async () => {
    const user = await server.fixtures.user(Role.BANK, { institution: await server.fixtures.institution() } as never);
    const before = server.clock.now().getTime();
    const { payload } = await login(server, user.login);

    expect(payload.userErrors).toEqual([]);
    expect(payload.accessToken).toMatch(JWT_SHAPE);
    expect(decodeJwtPayload(payload.accessToken).sub).toBe(user.id);
    expect(typeof payload.refreshToken).toBe('string');
    expect(payload.refreshToken.length).toBeGreaterThanOrEqual(32);
    expect(payload.refreshToken).not.toBe(payload.accessToken);
    expect(payload.user).toEqual({ id: user.id, login: user.login, role: 'BANK' });

    expect(payload.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    const expiresAt = Date.parse(payload.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + FIFTEEN_MINUTES - 2_000);
    expect(expiresAt).toBeLessThanOrEqual(server.clock.now().getTime() + FIFTEEN_MINUTES + 2_000);

    const me = await server.gql(ME, {}, { token: payload.accessToken });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data.me).toEqual({ id: user.id, login: user.login, role: 'BANK' });
  });

  test('the login name is case-insensitive', async () => {
    const user = await server.fixtures.user(Role.ADMIN, {}, uniqueLogin('mixedcase'));
    const { payload } = await login(server, user.login.toUpperCase());
    expect(payload.userErrors).toEqual([]);
    expect(payload.accessToken).toMatch(JWT_SHAPE);
    expect(payload.user).toEqual({ id: user.id, login: user.login, role: 'ADMIN' });
  });

  test('a wrong password and an unknown login get the same userError and no tokens', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const wrongPassword = (await login(server, user.login, 'not-the-password-1')).payload;
    const unknownLogin = (await login(server, uniqueLogin('nobody'), PASSWORD)).payload;

    expectNoTokens(wrongPassword);
    expectNoTokens(unknownLogin);
    expect(wrongPassword.userErrors).toHaveLength(1);
    expect(wrongPassword.userErrors[0].code).toBe('INVALID');
    expect(wrongPassword.userErrors[0].message).toEqual(expect.any(String));
    expect(unknownLogin.userErrors).toEqual(wrongPassword.userErrors);
  });
});

describe('refresh token rotation', () => {
  test('refresh returns a new working access token and a new refresh token', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const first = (await login(server, user.login)).payload;
    server.clock.advance(1_000); // a different iat, so a fresh JWT differs from the first one

    const rotated = await refresh(server, first.refreshToken);
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.accessToken).toMatch(JWT_SHAPE);
    expect(rotated.accessToken).not.toBe(first.accessToken);
    expect(rotated.refreshToken).toEqual(expect.any(String));
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.user).toEqual({ id: user.id, login: user.login, role: 'ADMIN' });
    expect(Date.parse(rotated.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));

    const me = await server.gql(ME, {}, { token: rotated.accessToken });
    expect(me.body.data.me).toEqual({ id: user.id, login: user.login, role: 'ADMIN' });
  });

  test('reusing a rotated refresh token is refused and revokes the whole family, not other families', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const other = await server.fixtures.user(Role.ADMIN);
    const sessionA = (await login(server, user.login)).payload;
    const sessionA2 = (await login(server, user.login)).payload; // same user, a separate sign-in
    const sessionB = (await login(server, other.login)).payload;

    const r1 = await refresh(server, sessionA.refreshToken);
    expect(r1.userErrors).toEqual([]);
    const r2 = await refresh(server, r1.refreshToken);
    expect(r2.userErrors).toEqual([]);

    // The first token again: a replay.
    const replay = await refresh(server, sessionA.refreshToken);
    expectNoTokens(replay);
    expect(replay.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);

    // The newest token of that family no longer works either.
    const newest = await refresh(server, r2.refreshToken);
    expectNoTokens(newest);
    expect(newest.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);

    // Other families are untouched.
    const b = await refresh(server, sessionB.refreshToken);
    expect(b.userErrors).toEqual([]);
    expect(b.user.login).toBe(other.login);
    const a2 = await refresh(server, sessionA2.refreshToken);
    expect(a2.userErrors).toEqual([]);
    expect(a2.user.login).toBe(user.login);
  });

  test('an unknown refresh token is refused with INVALID', async () => {
    const res = await refresh(server, 'celr_this-token-was-never-issued');
    expectNoTokens(res);
    expect(res.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });

  test('a refresh token older than 30 days is refused with INVALID', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const session = (await login(server, user.login)).payload;
    server.clock.advanceDays(31);
    const res = await refresh(server, session.refreshToken);
    expectNoTokens(res);
    expect(res.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });

  test('two concurrent refreshes of one token: exactly one gets new tokens', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const session = (await login(server, user.login)).payload;
    const results = await Promise.all([refresh(server, session.refreshToken), refresh(server, session.refreshToken)]);
    const winners = results.filter((r) => r.refreshToken);
    expect(winners).toHaveLength(1);
    const loser = results.find((r) => !r.refreshToken);
    expect(loser.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });
});

describe('logout', () => {
  test('revokes the refresh token; the access token lapses on its own', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const session = (await login(server, user.login)).payload;

    const out = await logout(server, session.refreshToken);
    expect(out).toEqual({ ok: true, userErrors: [] });

    // The access token is not revoked: it lapses within 15 minutes.
    expect((await server.gql(ME, {}, { token: session.accessToken })).body.data.me.login).toBe(user.login);

    const after = await refresh(server, session.refreshToken);
    expectNoTokens(after);
    expect(after.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);

    // Logging out the same token twice is refused.
    const again = await logout(server, session.refreshToken);
    expect(again.ok).toBe(false);
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });

  test('logging out with an older, rotated token still ends the session', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const session = (await login(server, user.login)).payload;
    const rotated = await refresh(server, session.refreshToken);
    expect(rotated.userErrors).toEqual([]);

    expect(await logout(server, session.refreshToken)).toEqual({ ok: true, userErrors: [] });
    const after = await refresh(server, rotated.refreshToken);
    expectNoTokens(after);
    expect(after.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });

  test('an unknown refresh token is refused with INVALID', async () => {
    const out = await logout(server, 'celr_never-issued-token');
    expect(out.ok).toBe(false);
    expect(out.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);
  });
});

describe('access tokens', () => {
  test('no credentials: `me` is null, without errors', async () => {
    const res = await server.gql(ME);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ me: null });
  });

  test('a malformed Authorization header is UNAUTHENTICATED, not anonymous', async () => {
    const res = await server.gql(ME, {}, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expectUnauthenticated(res);
  });

  test('a token signed with another key, a tampered token and an unsigned token are UNAUTHENTICATED', async () => {
    const user = await server.fixtures.user(Role.BANK, { institution: await server.fixtures.institution() } as never);
    const claims = {
      userId: user.id,
      role: Role.ADMIN,
      enterpriseId: null,
      institutionId: null,
      departmentId: null,
    };
    const foreign = await new AccessTokens('another-secret-that-is-at-least-32-characters').sign(
      claims,
      server.clock.now(),
    );
    expectUnauthenticated(await server.gql(ME, {}, { token: foreign.token }));

    // A genuine token whose payload was edited to claim ADMIN, keeping the original signature.
    const genuine = (await login(server, user.login)).payload.accessToken as string;
    const [header, body, signature] = genuine.split('.');
    const edited = { ...JSON.parse(Buffer.from(body, 'base64url').toString('utf8')), role: 'ADMIN' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
    expectUnauthenticated(await server.gql(ME, {}, { token: tampered }));

    const unsigned = new UnsecuredJWT({ role: 'ADMIN' })
      .setSubject(user.id)
      .setIssuer('credit-easy-loan')
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expectUnauthenticated(await server.gql(ME, {}, { token: unsigned }));

    expectUnauthenticated(await server.gql(ME, {}, { token: 'not-a-jwt' }));

    // A refresh token is not an access token.
    const refreshToken = (await login(server, user.login)).payload.refreshToken as string;
    expectUnauthenticated(await server.gql(ME, {}, { token: refreshToken }));
  });

  test('an expired access token is UNAUTHENTICATED; refreshing gives a working one', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const session = (await login(server, user.login)).payload;
    expect((await server.gql(ME, {}, { token: session.accessToken })).body.data.me.login).toBe(user.login);

    server.clock.advance(16 * 60 * 1000);
    expectUnauthenticated(await server.gql(ME, {}, { token: session.accessToken }));

    const rotated = await refresh(server, session.refreshToken);
    expect(rotated.userErrors).toEqual([]);
    const me = await server.gql(ME, {}, { token: rotated.accessToken });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data.me.login).toBe(user.login);
  });
});

describe('audit', () => {
  const sql = (query: string, params: unknown[] = []) => server.sql(query, params);

  test('a successful login writes a `login` event naming the user and the request', async () => {
    const user = await server.fixtures.user(Role.ADMIN);
    const { res, payload } = await login(server, user.login);
    expect(payload.userErrors).toEqual([]);

    const rows = await sql(`select * from audit_event where action = 'login' and target_id = ?`, [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: user.id,
      actor_role: 'ADMIN',
      target_type: 'User',
      request_id: res.headers['x-request-id'],
    });
    expect(JSON.stringify(rows[0])).not.toContain(PASSWORD);
    expect(JSON.stringify(rows[0])).not.toContain(payload.refreshToken);
  });

  test('a failed login writes `login.failed` without the password anywhere', async () => {
    const attempted = uniqueLogin('audit-miss');
    const secretPassword = `Leaked-Password-${Math.random().toString(36).slice(2)}`;
    const { payload } = await login(server, attempted, secretPassword);
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'INVALID' })]);

    const rows = await sql(`select * from audit_event where action = 'login.failed' and detail->>'login' = ?`, [
      attempted,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: null, target_type: 'User' });
    const all = await sql('select * from audit_event');
    expect(JSON.stringify(all)).not.toContain(secretPassword);
  });
});

/** A server with its own database: the throttle's per-address count starts from zero. */
function ownServer(): () => TestServer {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());
  return () => t;
}

const codes = (payload: any) => payload.userErrors.map((e: { code: string }) => e.code);

describe('login throttling per login', () => {
  const own = ownServer();

  test('after 5 failures for one login, even the right password is refused with LIMIT_EXCEEDED', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    for (let i = 0; i < 5; i++) {
      // Mixed case: the attempts all count against the same login.
      const name = i % 2 ? user.login.toUpperCase() : user.login;
      const { payload } = await login(t, name, `wrong-password-${i}`);
      expect(codes(payload)).toEqual(['INVALID']);
    }
    const { payload } = await login(t, user.login, PASSWORD);
    expectNoTokens(payload);
    expect(codes(payload)).toEqual(['LIMIT_EXCEEDED']);
  });

  test('an unknown login is throttled the same way (no existence leak)', async () => {
    const t = own();
    const known = await t.fixtures.user(Role.ADMIN);
    const unknown = uniqueLogin('ghost');
    const blocked: any[] = [];
    for (const name of [known.login, unknown]) {
      for (let i = 0; i < 5; i++) {
        expect(codes((await login(t, name, `wrong-password-${i}`)).payload)).toEqual(['INVALID']);
      }
      blocked.push((await login(t, name, PASSWORD)).payload);
    }
    expect(codes(blocked[0])).toEqual(['LIMIT_EXCEEDED']);
    expect(blocked[1]).toEqual(blocked[0]);
  });

  test('another login from the same address is still allowed', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    const { payload } = await login(t, user.login);
    expect(payload.userErrors).toEqual([]);
    expect(payload.accessToken).toMatch(JWT_SHAPE);
  });
});

describe('login throttling: a success forgives earlier failures', () => {
  const own = ownServer();

  test('4 failures, a success, then 4 more failures: the right password still works', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    for (const round of [1, 2]) {
      for (let i = 0; i < 4; i++) {
        expect(codes((await login(t, user.login, `wrong-${round}-${i}`)).payload)).toEqual(['INVALID']);
      }
      const { payload } = await login(t, user.login);
      expect(payload.userErrors).toEqual([]);
      expect(payload.accessToken).toMatch(JWT_SHAPE);
    }
  });
});

describe('login throttling under parallel guessing', () => {
  const own = ownServer();

  test('12 guesses at once for one login: only 5 are checked, the rest get LIMIT_EXCEEDED', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(t, user.login, `parallel-guess-${i}`).then((r) => r.payload)),
    );
    const outcome = results.flatMap(codes).sort();
    expect(outcome).toEqual([...Array(5).fill('INVALID'), ...Array(7).fill('LIMIT_EXCEEDED')]);
    expect(codes((await login(t, user.login)).payload)).toEqual(['LIMIT_EXCEEDED']);
  });

  test('a very long login name is an ordinary INVALID, not a server error', async () => {
    const t = own();
    const res = await t.gql(LOGIN, { input: { login: 'a'.repeat(300), password: 'whatever-password' } });
    expect(res.body.errors).toBeUndefined();
    expectNoTokens(res.body.data.login);
    expect(codes(res.body.data.login)).toEqual(['INVALID']);
  });
});

describe('login throttling per address', () => {
  const own = ownServer();

  test('after 20 failures from one address, every login from it is refused, X-Forwarded-For or not', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    for (let i = 0; i < 20; i++) {
      const { payload } = await login(t, uniqueLogin(`spray${i}`), `wrong-password-${i}`);
      expect(codes(payload)).toEqual(['INVALID']);
    }
    const { payload } = await login(t, user.login);
    expectNoTokens(payload);
    expect(codes(payload)).toEqual(['LIMIT_EXCEEDED']);

    const spoofed = await t.gql(
      LOGIN,
      { input: { login: user.login, password: PASSWORD } },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expect(codes(spoofed.body.data.login)).toEqual(['LIMIT_EXCEEDED']);
  });
});

describe('audit of sessions', () => {
  const own = ownServer();

  test('a refresh and a throttled sign-in are audited too', async () => {
    const t = own();
    const user = await t.fixtures.user(Role.ADMIN);
    const signedIn = (await login(t, user.login)).payload;
    const refreshed = await t.gql(
      'mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }',
      { t: signedIn.refreshToken },
    );
    expect(refreshed.body.data.refreshToken.accessToken).toBeTruthy();
    for (let i = 0; i < 6; i++) await login(t, user.login, `wrong-password-${i}`);
    const rows = await t.sql('select action, actor_id from audit_event where action in (?, ?) order by at', [
      'refreshToken',
      'login.throttled',
    ]);
    expect(rows).toEqual([
      { action: 'refreshToken', actor_id: user.id },
      { action: 'login.throttled', actor_id: null },
    ]);
  });
});
