import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { withAdminClient } from '../support/db';
import { PASSWORD, validUscc, type World } from '../support/fixtures';
import { Marketplace } from '../support/marketplace';
import { CLAIM_STATEMENT, ClaimDesk, PolicyDesk } from '../support/policies';
import { startTestServer, testConfig, type GraphQLResponse, type TestServer } from '../support/test-server';

// Nothing secret or internal in any response (issue 7, "Security tests"): no stack trace, no SQL or
// database message, no hash or secret column; internal failures are masked to one generic message.

let server: TestServer;
let world: World;
/** The raw body of every response this file saw, for the final scan. */
const seen: { what: string; text: string }[] = [];

const MASKED = '服务器内部错误，请稍后重试';

/** Raw SQL as the database's superuser (no row-level security), `?` placeholders. */
async function adminSql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  let i = 0;
  const text = query.replace(/\?/g, () => `$${++i}`);
  return withAdminClient(server.dbUrl, async (c) => (await c.query(text, params)).rows as T[]);
}

async function gql(what: string, query: string, variables?: Record<string, unknown>, token?: string) {
  const res = await server.gql(query, variables, { token });
  seen.push({ what, text: JSON.stringify(res.body) });
  return res;
}

/** Marks of a stack trace, SQL text or a database/driver message in an error. */
const INTERNALS =
  /\n\s+at |\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+|\b(select|insert into|update|delete from)\b .*\b(from|set|values|where)\b|\b(relation|column) "|violates|syntax error at|duplicate key|knex|mikro-?orm|postgres|ECONNREFUSED|pg_|sqlstate/i;

/** What is wrong with the errors of a response: internals in a message, or a stack in the extensions. */
function errorLeaks(res: GraphQLResponse): string[] {
  return (res.body.errors ?? []).flatMap((e) => {
    const out: string[] = [];
    if (INTERNALS.test(e.message)) out.push(`message: ${e.message.slice(0, 200)}`);
    const ext = e.extensions ?? {};
    for (const key of ['stacktrace', 'exception', 'originalError', 'sql', 'query', 'detail', 'hint']) {
      if (key in ext) out.push(`extensions.${key}`);
    }
    if (INTERNALS.test(JSON.stringify(ext))) out.push(`extensions: ${JSON.stringify(ext).slice(0, 200)}`);
    return out;
  });
}

function expectMasked(res: GraphQLResponse, path: string) {
  expect(res.status).toBeLessThan(500);
  const error = res.body.errors?.find((e) => e.path?.[0] === path);
  expect(error).toBeDefined();
  expect(error!.message).toBe(MASKED);
  expect(error!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  expect(errorLeaks(res)).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

describe('internal failures are masked', () => {
  test('a missing column (a resolver’s SELECT fails): one generic message, no SQL, no stack', async () => {
    const market = new Marketplace(server);
    const bank = await market.bank();
    await market.product(bank.token);
    await adminSql('alter table loan_product rename column name to name_gone');
    try {
      const res = await gql('missing column', `{ loanProducts(first: 5) { nodes { id name } } }`);
      expectMasked(res, 'loanProducts');
      expect(JSON.stringify(res.body)).not.toMatch(/name_gone|loan_product|does not exist/);
    } finally {
      await adminSql('alter table loan_product rename column name_gone to name');
    }
    // Restored, the same query works: the failure above was the missing column, not the query.
    const again = await gql('restored', `{ loanProducts(first: 5) { nodes { id name } } }`);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.loanProducts.nodes.length).toBeGreaterThan(0);
  });

  test('a missing table', async () => {
    await adminSql('alter table article rename to article_gone');
    try {
      const res = await gql('missing table', `{ articles(first: 5) { nodes { id title } } }`);
      expectMasked(res, 'articles');
      expect(JSON.stringify(res.body)).not.toMatch(/article_gone|relation/);
    } finally {
      await adminSql('alter table article_gone rename to article');
    }
  });

  test('a database exception raised inside a mutation never reaches the client, and nothing is written', async () => {
    const market = new Marketplace(server);
    const enterprise = await market.enterprise();
    const marker = 'LEAKED-DB-MESSAGE select password_hash from app_user';
    await adminSql(`create function security_test_boom() returns trigger language plpgsql as $$
      begin raise exception '${marker}' using detail = 'secret detail', hint = 'secret hint'; end $$`);
    await adminSql(
      'create trigger security_test_boom before insert on credit_commitment for each row execute function security_test_boom()',
    );
    try {
      const res = await gql(
        'trigger exception',
        `mutation($input: SignCreditCommitmentInput!) { signCreditCommitment(input: $input) { commitment { id } userErrors { code } } }`,
        { input: { title: '信用承诺书', content: '本企业承诺诚信经营，按期还本付息。' } },
        enterprise.token,
      );
      expectMasked(res, 'signCreditCommitment');
      expect(JSON.stringify(res.body)).not.toMatch(/LEAKED|secret detail|secret hint|password_hash/);
    } finally {
      await adminSql('drop trigger security_test_boom on credit_commitment');
      await adminSql('drop function security_test_boom()');
    }
    const [row] = await adminSql('select count(*)::int as n from credit_commitment where enterprise_id = ?', [
      enterprise.org.id,
    ]);
    expect(row.n).toBe(0);
  });

  test('a constraint violation (a failed write) is masked too', async () => {
    const market = new Marketplace(server);
    const enterprise = await market.enterprise();
    await adminSql(
      `alter table financing_demand add constraint security_test_never check (purpose = 'never-this') not valid`,
    );
    try {
      const res = await gql(
        'check violation',
        `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }`,
        { input: { amount: '100000', termMonths: 12, purpose: '采购原材料' } },
        enterprise.token,
      );
      expectMasked(res, 'publishDemand');
      expect(JSON.stringify(res.body)).not.toMatch(/security_test_never|financing_demand|check constraint/);
    } finally {
      await adminSql('alter table financing_demand drop constraint security_test_never');
    }
  });

  test('a statement cancelled by the database (a lock held elsewhere, then cancelled) is masked', async () => {
    // An admin session holds an exclusive lock; the resolver's query waits; the test cancels it.
    await withAdminClient(server.dbUrl, async (locker) => {
      await locker.query('begin');
      await locker.query('lock table department in access exclusive mode');
      const pending = gql('cancelled', `{ departments { id name } }`);
      // Wait until the server's query is blocked on the lock, then cancel it.
      let cancelled = 0;
      for (let i = 0; i < 100 && cancelled === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const rows = await adminSql(
          `select pg_cancel_backend(pid) as ok from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%department%'`,
        );
        cancelled = rows.filter((r) => r.ok).length;
      }
      await locker.query('rollback');
      expect(cancelled).toBeGreaterThan(0);
      expectMasked(await pending, 'departments');
      expect((await pending).body.data).toBeNull();
    });
  });
});

describe('client errors carry no internals', () => {
  test('syntax, validation, variable and guard errors: no stacktrace or exception in extensions', async () => {
    const responses = [
      await gql('syntax', `{ me { id `),
      await gql('unknown field', `{ me { passwordHash } }`),
      await gql('bad variable', `query($id: ID!) { loan(id: $id) { id } }`, { id: { $ne: null } }),
      await gql('guard', `{ auditEvents { totalCount } }`, {}, world.enterprise.token),
      await gql('anonymous', `{ loans { totalCount } }`),
      await gql(
        'too deep',
        `{ me { enterprise { demands { nodes { offers { nodes { demand { enterprise { demands { nodes { id } } } } } } } } } } }`,
        {},
        world.enterprise.token,
      ),
      await gql('page too large', `{ loans(first: 1000) { totalCount } }`, {}, world.regulator.token),
      await gql('bad cursor', `{ loans(after: "junk") { totalCount } }`, {}, world.regulator.token),
    ];
    for (const res of responses) {
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(errorLeaks(res)).toEqual([]);
      for (const e of res.body.errors!) expect(Object.keys(e.extensions ?? {})).not.toContain('stacktrace');
    }
    // The unknown field is not answered with a suggestion of real names.
    expect(responses[1].body.errors![0].message).not.toMatch(/Did you mean/);
  });

  test('a server in production mode hides the same (no stack traces there either)', async () => {
    const prod = await startTestServer({ env: 'production', introspection: false }, { database: server.database });
    try {
      await adminSql('alter table department rename column name to name_gone');
      try {
        const res = await prod.gql(`{ departments { id name } }`);
        expectMasked(res, 'departments');
      } finally {
        await adminSql('alter table department rename column name_gone to name');
      }
      const introspection = await prod.gql(`{ __schema { types { name } } }`);
      expect(introspection.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(errorLeaks(introspection)).toEqual([]);
    } finally {
      await prod.close();
    }
  });

  test('errors below GraphQL (bad JSON, a bad token, a huge body, an unknown route) carry no stack', async () => {
    const bodies: { what: string; status: number; text: string }[] = [];
    const badJson = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send('{"query": "{ me { id }');
    bodies.push({ what: 'bad JSON', status: badJson.status, text: badJson.text });
    const badToken = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', 'Bearer not.a.jwt')
      .send({ query: '{ me { id } }' });
    bodies.push({ what: 'bad token', status: badToken.status, text: badToken.text });
    const huge = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ me { id } }', variables: { x: 'x'.repeat(1_100_000) } });
    bodies.push({ what: 'huge body', status: huge.status, text: huge.text });
    const nowhere = await server.http.get('/no/such/route');
    bodies.push({ what: 'unknown route', status: nowhere.status, text: nowhere.text });
    expect(bodies.map((b) => [b.what, b.status])).toEqual([
      ['bad JSON', 400],
      ['bad token', 401],
      ['huge body', 413],
      ['unknown route', 404],
    ]);
    for (const b of bodies) {
      expect([b.what, INTERNALS.test(b.text) ? b.text.slice(0, 300) : null]).toEqual([b.what, null]);
      expect([b.what, /stack/i.test(b.text)]).toEqual([b.what, false]);
      seen.push({ what: b.what, text: b.text });
    }
  });
});

describe('no field of the schema holds a hash or secret', () => {
  /** Fields and arguments whose name says password/secret/token, each on purpose. */
  const ALLOWED = [
    // The API key's plaintext, returned once at creation (the contract: "The secret is shown once").
    'CreateApiKeyPayload.secret',
    // A webhook endpoint's signing secret, returned once at creation and at rotation (docs/webhooks.md).
    'WebhookSecretPayload',
    'WebhookSecretPayload.secret',
    'Mutation.rotateWebhookSecret',
    'Mutation.rotateWebhookSecret(input)',
    // Credentials the client sends.
    'LoginInput.password',
    'CreateUserInput.password',
    'RegisterEnterpriseInput.password',
    'RefreshTokenInput.refreshToken',
    'LogoutInput.refreshToken',
    // Session tokens handed to the signed-in user.
    'AuthPayload.accessToken',
    'AuthPayload.refreshToken',
    'Mutation.refreshToken',
    'Mutation.refreshToken(input)',
    'RefreshTokenInput',
  ];

  test('introspection: only the credentials a client sends or receives once', async () => {
    const res = await gql('introspection', getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
    const schema = res.body.data as IntrospectionQuery;
    const names: string[] = [];
    for (const type of schema.__schema.types) {
      if (type.name.startsWith('__')) continue;
      names.push(type.name);
      if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
        for (const field of type.fields) {
          names.push(`${type.name}.${field.name}`);
          for (const arg of field.args) names.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (type.kind === 'INPUT_OBJECT') for (const field of type.inputFields) names.push(`${type.name}.${field.name}`);
    }
    expect(names.length).toBeGreaterThan(500);
    const suspicious = names.filter((n) =>
      /hash|secret|salt|password|passwd|token|private_?key|credential/i.test(n.split('.').pop()!),
    );
    expect(suspicious.sort()).toEqual([...ALLOWED].sort());
  });
});

describe('no response carries a stored hash', () => {
  let secrets: string[];
  let apiKeySecret: string;

  beforeAll(async () => {
    // Rows behind every hash column: API keys, refresh tokens (from the sign-ins), a report read by a
    // bank (a User on ReportAccess), a reviewed claim (a User on ClaimReview), the audit chain.
    const created = await gql(
      'createApiKey',
      `mutation { createApiKey(input: { name: "泄露测试" }) { apiKey { id name prefix createdAt lastUsedAt revokedAt } secret userErrors { code } } }`,
      {},
      world.bank.token,
    );
    apiKeySecret = created.body.data.createApiKey.secret;
    expect(apiKeySecret.length).toBeGreaterThan(20);
    await server.gql(`{ me { id } }`, {}, { apiKey: apiKeySecret });
    const policy = await new PolicyDesk(server).published(world.regulator.token);
    const claims = new ClaimDesk(server);
    const claim = await claims.must('submitFundClaim', world.enterprise.token, {
      policyId: policy,
      requestedAmount: '1000.00',
      statement: CLAIM_STATEMENT,
    });
    await claims.approve(world.regulator.token, claim.id, '1000.00');
    await gql('refresh', `mutation($input: LoginInput!) { login(input: $input) { refreshToken } }`, {
      input: { login: world.bank.user.login, password: PASSWORD },
    });

    const hashes = await adminSql<{ v: string }>(
      `select password_hash as v from app_user
       union all select key_hash from api_key
       union all select token_hash from refresh_token
       union all select hash from audit_event where hash is not null
       union all select prev_hash from audit_event where prev_hash is not null`,
    );
    secrets = [...new Set(hashes.map((h) => h.v))];
    // Each kind of hash is there to be looked for.
    const [kinds] = await adminSql(
      `select (select count(*) from api_key)::int as keys, (select count(*) from refresh_token)::int as tokens,
              (select count(*) from audit_event where hash is not null)::int as audit`,
    );
    expect(kinds.keys).toBeGreaterThan(0);
    expect(kinds.tokens).toBeGreaterThan(0);
    expect(kinds.audit).toBeGreaterThan(0);
    // The API key's plaintext is stored nowhere: not as its hash, not in any column of its row.
    const [row] = await adminSql(`select row_to_json(k)::text as j from api_key k where name = '泄露测试'`);
    expect(row.j).not.toContain(apiKeySecret);
  });

  const USER = `id login displayName role createdAt enterprise { id name } institution { id name } department { id name }`;

  test('me, myApiKeys, audit actors, report readers and claim reviewers, as each role', async () => {
    const reads: [string, string, string | undefined][] = [];
    for (const [role, p] of Object.entries({
      enterprise: world.enterprise,
      bank: world.bank,
      regulator: world.regulator,
      admin: world.admin,
    })) {
      reads.push([`${role}: me`, `{ me { ${USER} } }`, p.token]);
    }
    reads.push([
      'bank: myApiKeys',
      `{ myApiKeys { id name prefix createdAt lastUsedAt revokedAt } }`,
      world.bank.token,
    ]);
    for (const p of [world.regulator, world.admin]) {
      reads.push([
        'audit',
        `{ auditEvents(first: 100) { nodes { id action targetType targetId actorRole requestId at actor { ${USER} } } } }`,
        p.token,
      ]);
    }
    reads.push([
      'claims',
      `{ fundClaims(first: 100) { nodes { id reviews { comment reviewer { ${USER} } } } } }`,
      world.regulator.token,
    ]);
    reads.push([
      'report readers',
      `query { enterprises(first: 100) { nodes { reportAccesses(first: 20) { nodes { user { ${USER} } } } } } }`,
      world.regulator.token,
    ]);
    reads.push(['anonymous me', `{ me { id } }`, undefined]);
    let users = 0;
    for (const [what, query, token] of reads) {
      const res = await gql(what, query, {}, token);
      expect([what, res.body.errors]).toEqual([what, undefined]);
      users += (JSON.stringify(res.body).match(/"login":/g) ?? []).length;
    }
    expect(users).toBeGreaterThan(4);
  });

  test('a signed-in session and a new user’s payload (login, createUser, registerEnterprise) hold no hash', async () => {
    await gql(
      'login payload',
      `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresAt user { ${USER} } } }`,
      { input: { login: world.regulator.user.login, password: PASSWORD } },
    );
    const created = await gql(
      'createUser',
      `mutation($input: CreateUserInput!) { createUser(input: $input) { user { ${USER} } userErrors { code } } }`,
      {
        input: {
          login: `leak-test-${Date.now()}`,
          password: 'another-long-password',
          displayName: '泄露测试',
          role: 'REGULATOR',
          departmentId: world.departmentA.id,
        },
      },
      world.admin.token,
    );
    expect(created.body.data.createUser.userErrors).toEqual([]);
    const registered = await gql(
      'registerEnterprise',
      `mutation($input: RegisterEnterpriseInput!) {
        registerEnterprise(input: $input) { enterprise { id legalRepresentative } user { ${USER} } userErrors { code } }
      }`,
      {
        input: {
          uscc: validUscc(),
          name: '丹东泄露测试有限公司',
          legalRepresentative: '赵六',
          industryCode: 'C39',
          regionCode: '210602',
          establishedOn: '2018-03-01',
          login: `leak-ent-${Date.now()}`,
          password: 'another-long-password',
          displayName: '泄露测试企业',
        },
      },
    );
    expect(registered.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(JSON.stringify(registered.body)).not.toContain('another-long-password');
  });

  test('no response of this file contains a stored hash, a password, the API key after creation, or the JWT secret', () => {
    const hits: string[] = [];
    const jwtSecret = testConfig().jwtSecret;
    for (const { what, text } of seen) {
      for (const secret of secrets) if (text.includes(secret)) hits.push(`${what}: hash ${secret.slice(0, 12)}…`);
      if (text.includes(PASSWORD)) hits.push(`${what}: the password`);
      if (text.includes(jwtSecret)) hits.push(`${what}: the JWT secret`);
      if (what !== 'createApiKey' && text.includes(apiKeySecret)) hits.push(`${what}: the API key`);
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(10);
    expect(hits).toEqual([]);
  });

  test('the scan can find one: the createApiKey answer does contain its plaintext (and nothing else secret)', () => {
    const answer = seen.find((s) => s.what === 'createApiKey')!;
    expect(answer.text).toContain(apiKeySecret);
    expect(secrets.filter((s) => answer.text.includes(s))).toEqual([]);
  });
});
