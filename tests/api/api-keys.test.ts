import { randomUUID } from 'node:crypto';
import { Role } from '../../src/entities/enums';
import type { Principal, World } from '../support/fixtures';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey { id name prefix createdAt lastUsedAt revokedAt }
    userErrors { code message field }
  }
}`;
const REVOKE = `mutation($input: RevokeApiKeyInput!) {
  revokeApiKey(input: $input) {
    apiKey { id name revokedAt }
    userErrors { code message field }
  }
}`;
const MY_KEYS = '{ myApiKeys { id name prefix createdAt lastUsedAt revokedAt } }';
const ME = '{ me { id login role institution { name } } }';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const sql = (query: string, params: unknown[] = []) => server.sql(query, params);

function keyName(): string {
  return `核心系统对接 ${Math.random().toString(36).slice(2, 8)}`;
}

async function createKey(token: string, name = keyName()) {
  const res = await server.gql(CREATE, { input: { name } }, { token });
  expect(res.body.errors).toBeUndefined();
  const payload = res.body.data.createApiKey;
  expect(payload.userErrors).toEqual([]);
  return payload as { secret: string; apiKey: { id: string; name: string; prefix: string; lastUsedAt: string | null } };
}

async function revoke(id: string, options: { token?: string; apiKey?: string }) {
  const res = await server.gql(REVOKE, { input: { id } }, options);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.revokeApiKey;
}

async function myKeys(token: string) {
  const res = await server.gql(MY_KEYS, {}, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.myApiKeys as { id: string; name: string; prefix: string; lastUsedAt: string | null }[];
}

/** A fresh bank user of bank A, signed in, with no keys yet. */
async function freshBankUser(): Promise<Principal> {
  return server.fixtures.principal(Role.BANK, { institution: world.bankA } as never);
}

function expectGraphQLError(res: GraphQLResponse, field: string, code: string) {
  expect(res.body.data?.[field] ?? null).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].extensions?.code).toBe(code);
}

function expectCredentialRefused(res: GraphQLResponse) {
  expect(res.status).toBe(401);
  expectGraphQLError(res, 'me', 'UNAUTHENTICATED');
}

describe('createApiKey', () => {
  test('returns the secret once; the key lists by its short prefix, never the secret', async () => {
    const bank = await freshBankUser();
    const name = keyName();
    const created = await createKey(bank.token, name);

    expect(created.secret).toMatch(/^cel_[A-Za-z0-9_-]{32,}$/);
    expect(created.apiKey).toMatchObject({ name, lastUsedAt: null, revokedAt: null });
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey.prefix.length).toBeGreaterThan('cel_'.length);
    expect(created.apiKey.prefix.length).toBeLessThanOrEqual(created.secret.length / 3);

    const listed = await myKeys(bank.token);
    expect(listed).toEqual([
      {
        id: created.apiKey.id,
        name,
        prefix: created.apiKey.prefix,
        createdAt: expect.stringMatching(/\+08:00$/),
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    // There is no field that would give the secret back.
    const asking = await server.gql('{ myApiKeys { id secret } }', {}, { token: bank.token });
    expect(asking.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(asking.body)).not.toContain(created.secret);
  });

  test('the database keeps only a hash of the secret', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    const hidden = created.secret.slice(created.apiKey.prefix.length);

    const rows = await sql('select * from api_key where id = ?', [created.apiKey.id]);
    expect(rows).toHaveLength(1);
    for (const value of Object.values(rows[0])) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain(hidden);
    }
    // Nor does the audit trail hold it.
    const audit = await sql('select * from audit_event');
    expect(JSON.stringify(audit)).not.toContain(hidden);
  });

  test('an empty, blank or over-long name is INVALID on ["input","name"] and creates nothing', async () => {
    const bank = await freshBankUser();
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const res = await server.gql(CREATE, { input: { name } }, { token: bank.token });
      expect(res.body.errors).toBeUndefined();
      const payload = res.body.data.createApiKey;
      expect(payload.secret).toBeNull();
      expect(payload.apiKey).toBeNull();
      expect(payload.userErrors).toEqual([{ code: 'INVALID', message: expect.any(String), field: ['input', 'name'] }]);
    }
    expect(await myKeys(bank.token)).toEqual([]);
  });

  test('a bank user may hold at most 20 active keys; revoking one frees a place', async () => {
    const bank = await freshBankUser();
    const keys = [];
    for (let i = 0; i < 20; i++) keys.push(await createKey(bank.token, `key ${i}`));
    const res = await server.gql(CREATE, { input: { name: 'one too many' } }, { token: bank.token });
    expect(res.body.data.createApiKey.secret).toBeNull();
    expect(res.body.data.createApiKey.userErrors).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED' })]);

    expect((await revoke(keys[0].apiKey.id, { token: bank.token })).userErrors).toEqual([]);
    await createKey(bank.token, 'after a revocation');
  });

  test('25 concurrent creations for one user stop at 20 active keys', async () => {
    const bank = await freshBankUser();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        server.gql(CREATE, { input: { name: `burst ${i}` } }, { token: bank.token }),
      ),
    );
    const payloads = results.map((r) => r.body.data.createApiKey);
    expect(payloads.filter((p) => p.secret)).toHaveLength(20);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'LIMIT_EXCEEDED')).toHaveLength(5);
    expect(await myKeys(bank.token)).toHaveLength(20);
  });
});

describe('using a key', () => {
  test('works as `Authorization: Bearer` and as `X-Api-Key`; `me` is the bank user who made it', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    const expected = { id: bank.user.id, login: bank.user.login, role: 'BANK', institution: { name: '测试银行甲' } };

    const viaBearer = await server.gql(ME, {}, { headers: { authorization: `Bearer ${created.secret}` } });
    expect(viaBearer.body.errors).toBeUndefined();
    expect(viaBearer.body.data.me).toEqual(expected);

    const viaHeader = await server.gql(ME, {}, { apiKey: created.secret });
    expect(viaHeader.body.errors).toBeUndefined();
    expect(viaHeader.body.data.me).toEqual(expected);

    // A key reads what its user may read.
    const listed = await server.gql(MY_KEYS, {}, { apiKey: created.secret });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.myApiKeys.map((k: { id: string }) => k.id)).toEqual([created.apiKey.id]);
  });

  test('lastUsedAt is set once the key has been used', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    expect((await myKeys(bank.token))[0].lastUsedAt).toBeNull();

    const before = server.clock.now().getTime();
    expect((await server.gql(ME, {}, { apiKey: created.secret })).body.data.me.id).toBe(bank.user.id);

    const [listed] = await myKeys(bank.token);
    expect(listed.lastUsedAt).toMatch(/\+08:00$/);
    expect(Date.parse(listed.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(listed.lastUsedAt!)).toBeLessThanOrEqual(server.clock.now().getTime() + 1_000);
  });

  test('an unknown key is UNAUTHENTICATED, never anonymous', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    // The same key with its last character changed.
    const wrong = created.secret.slice(0, -1) + (created.secret.endsWith('A') ? 'B' : 'A');
    expectCredentialRefused(await server.gql(ME, {}, { apiKey: wrong }));
    expectCredentialRefused(await server.gql(ME, {}, { headers: { authorization: `Bearer ${wrong}` } }));
  });
});

describe('revokeApiKey', () => {
  test('a revoked key is UNAUTHENTICATED; revoking it again is INVALID_STATE', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    const kept = await createKey(bank.token);
    expect((await server.gql(ME, {}, { apiKey: created.secret })).body.data.me.id).toBe(bank.user.id);

    const revoked = await revoke(created.apiKey.id, { token: bank.token });
    expect(revoked.userErrors).toEqual([]);
    expect(revoked.apiKey.id).toBe(created.apiKey.id);
    expect(revoked.apiKey.revokedAt).toMatch(/\+08:00$/);

    expectCredentialRefused(await server.gql(ME, {}, { apiKey: created.secret }));
    expectCredentialRefused(await server.gql(ME, {}, { headers: { authorization: `Bearer ${created.secret}` } }));
    // The user's other key still works.
    expect((await server.gql(ME, {}, { apiKey: kept.secret })).body.data.me.id).toBe(bank.user.id);

    const again = await revoke(created.apiKey.id, { token: bank.token });
    expect(again.apiKey).toBeNull();
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE' })]);

    const listed = await myKeys(bank.token);
    expect(listed.find((k) => k.id === created.apiKey.id)).toMatchObject({ revokedAt: expect.any(String) });
  });

  test('two concurrent revocations of one key: one succeeds, the other is INVALID_STATE', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    const results = await Promise.all([1, 2, 3].map(() => revoke(created.apiKey.id, { token: bank.token })));
    const outcome = results.map((r) => r.userErrors[0]?.code ?? 'OK').sort();
    expect(outcome).toEqual(['INVALID_STATE', 'INVALID_STATE', 'OK']);
    const audit = await sql(
      `select count(*)::int as n from audit_event where action = 'revokeApiKey' and target_id = ?`,
      [created.apiKey.id],
    );
    expect(audit[0].n).toBe(1);
  });

  test("another bank user's key is NOT_FOUND and keeps working", async () => {
    const owner = await freshBankUser();
    const created = await createKey(owner.token);
    const colleague = await freshBankUser(); // the same bank, a different user
    for (const other of [colleague, world.bankUserB]) {
      const res = await revoke(created.apiKey.id, { token: other.token });
      expect(res.apiKey).toBeNull();
      expect(res.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'id'] })]);
    }
    expect((await server.gql(ME, {}, { apiKey: created.secret })).body.data.me.id).toBe(owner.user.id);
  });

  test('an id that does not exist, or is not a UUID, is a NOT_FOUND userError', async () => {
    const bank = await freshBankUser();
    for (const id of [randomUUID(), 'not-a-uuid', '42']) {
      const res = await revoke(id, { token: bank.token });
      expect(res.apiKey).toBeNull();
      expect(res.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'id'] })]);
    }
  });
});

describe('who may manage keys', () => {
  test('a key cannot mint keys: createApiKey through an API key is FORBIDDEN', async () => {
    const bank = await freshBankUser();
    const created = await createKey(bank.token);
    for (const options of [{ apiKey: created.secret }, { headers: { authorization: `Bearer ${created.secret}` } }]) {
      const res = await server.gql(CREATE, { input: { name: 'minted by a key' } }, options);
      expectGraphQLError(res, 'createApiKey', 'FORBIDDEN');
    }
    expect((await myKeys(bank.token)).map((k) => k.id)).toEqual([created.apiKey.id]);
  });

  test('createApiKey and myApiKeys are for banks only', async () => {
    for (const who of [world.enterprise, world.regulator, world.admin]) {
      expectGraphQLError(
        await server.gql(CREATE, { input: { name: 'not a bank' } }, { token: who.token }),
        'createApiKey',
        'FORBIDDEN',
      );
      expectGraphQLError(await server.gql(MY_KEYS, {}, { token: who.token }), 'myApiKeys', 'FORBIDDEN');
      expectGraphQLError(
        await server.gql(REVOKE, { input: { id: randomUUID() } }, { token: who.token }),
        'revokeApiKey',
        'FORBIDDEN',
      );
    }
    const rows = await sql('select count(*)::int as n from api_key where name = ?', ['not a bank']);
    expect(rows[0].n).toBe(0);
  });

  test('anonymous callers are UNAUTHENTICATED', async () => {
    expectGraphQLError(await server.gql(CREATE, { input: { name: 'anonymous' } }), 'createApiKey', 'UNAUTHENTICATED');
    expectGraphQLError(await server.gql(MY_KEYS), 'myApiKeys', 'UNAUTHENTICATED');
    expectGraphQLError(await server.gql(REVOKE, { input: { id: randomUUID() } }), 'revokeApiKey', 'UNAUTHENTICATED');
  });
});

test('X-Api-Key carries API keys only: a session token there is refused', async () => {
  const res = await server.gql(ME, {}, { headers: { 'x-api-key': world.bank.token } });
  expect(res.status).toBe(401);
  expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
});
