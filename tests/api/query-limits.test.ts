import { Role } from '../../src/entities/enums';
import { DEFAULT_QUERY_LIMITS, loadConfig } from '../../src/config';
import { GRAPHIQL_CSP } from '../../src/server/graphiql';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

/**
 * Hostile queries are refused before any resolver runs (no SQL statement), with a code naming the
 * limit. The server runs the production limits (DEFAULT_QUERY_LIMITS), cost included.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ queryLimits: { ...DEFAULT_QUERY_LIMITS } });
  await server.fixtures.institution();
});
afterAll(() => server.close());

/** What a response says it cost (the body type of the test helper predates `extensions`). */
const cost = (res: GraphQLResponse) => (res.body as { extensions?: { cost?: Record<string, any> } }).extensions?.cost;

function refused(res: GraphQLResponse, code: string) {
  expect(res.body.errors?.map((e) => e.extensions.code)).toEqual([code]);
  expect(res.body.data).toBeUndefined();
  expect(res.sqlStatements).toBe(0);
}

/** institutions { nodes { products { nodes { institution { products … } } } } }, `levels` fields deep. */
function nested(levels: number): string {
  const path = ['institutions(first: 1)', 'nodes', 'products(first: 1)', 'nodes', 'institution'];
  const fields = Array.from({ length: levels - 1 }, (_, i) => path[i < 5 ? i : 2 + ((i - 2) % 3)]!);
  const leaf = /first/.test(fields.at(-1)!) ? 'totalCount' : 'id';
  return `{ ${fields.map((f) => `${f} {`).join(' ')} ${leaf} ${'}'.repeat(levels - 1)} }`;
}

describe('depth, aliases, directives, tokens (graphql-armor and the parser)', () => {
  test(`depth ${DEFAULT_QUERY_LIMITS.maxDepth} is served; one more is QUERY_TOO_DEEP (400)`, async () => {
    const ok = await server.gql(nested(DEFAULT_QUERY_LIMITS.maxDepth));
    expect(ok.body.errors).toBeUndefined();
    const res = await server.gql(nested(DEFAULT_QUERY_LIMITS.maxDepth + 1));
    expect(res.status).toBe(400);
    refused(res, 'QUERY_TOO_DEEP');
    expect(res.body.errors![0]!.extensions).toMatchObject({ limit: 10, found: 11 });
    expect(res.body.errors![0]!.message).toContain('10');
  });

  test('introspection (GraphiQL) is not held to the depth limit', async () => {
    const deep = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }`;
    const res = await server.gql(deep);
    expect(res.body.errors).toBeUndefined();
  });

  test('15 aliases are served; 16 are TOO_MANY_ALIASES', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: departments { id }`).join(' ')} }`;
    expect((await server.gql(aliases(15))).body.errors).toBeUndefined();
    const res = await server.gql(aliases(16));
    expect(res.status).toBe(400);
    refused(res, 'TOO_MANY_ALIASES');
    expect(res.body.errors![0]!.extensions.limit).toBe(15);
  });

  test('more than 50 directives are TOO_MANY_DIRECTIVES', async () => {
    const res = await server.gql(`{ departments { ${'id @include(if: true) '.repeat(51)} } }`);
    refused(res, 'TOO_MANY_DIRECTIVES');
    expect(res.body.errors![0]!.extensions.limit).toBe(50);
  });

  test('a document over the token limit is TOO_MANY_TOKENS, before it is even parsed whole', async () => {
    const res = await server.gql(`{ ${'__typename '.repeat(DEFAULT_QUERY_LIMITS.maxTokens)} }`);
    expect(res.status).toBe(400);
    refused(res, 'TOO_MANY_TOKENS');
    expect(res.body.errors![0]!.extensions.limit).toBe(DEFAULT_QUERY_LIMITS.maxTokens);
  });
});

describe('query cost', () => {
  const TWO_LEVELS = `query($n: Int) { institutions(first: $n) { nodes { id products(first: $n) { nodes { id } } } } }`;

  test('a connection multiplies its selection by `first` (from a variable too); over 1,000 is QUERY_TOO_COSTLY', async () => {
    // 1 + n × (nodes 1 + products (1 + n × nodes 1)): n = 10 → 121, n = 40 → 1,681.
    const ok = await server.gql(TWO_LEVELS, { n: 10 });
    expect(ok.body.errors).toBeUndefined();
    expect(cost(ok)?.requested).toBe(121);
    const res = await server.gql(TWO_LEVELS, { n: 40 });
    expect(res.status).toBe(400);
    refused(res, 'QUERY_TOO_COSTLY');
    expect(res.body.errors![0]!.extensions).toMatchObject({ cost: 1681, maxCost: 1000 });
  });

  test('an absent `first` is priced at the default page size (20)', async () => {
    const res = await server.gql('{ institutions { nodes { id products { nodes { id } } } } }');
    // 1 + 20 × (1 + 1 + 20 × 1) = 441
    expect(cost(res)?.requested).toBe(441);
  });

  test('a refused signed-in request runs no resolver either (only the sign-in lookup)', async () => {
    const department = await server.fixtures.department();
    const { token } = await server.fixtures.principal(Role.REGULATOR, { department } as never);
    const baseline = await server.gql('{ __typename }', {}, { token });
    const res = await server.gql(TWO_LEVELS, { n: 100 }, { token });
    expect(res.body.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(res.sqlStatements).toBe(baseline.sqlStatements);
  });
});

describe('what the errors do not give away', () => {
  test('field suggestions are hidden', async () => {
    const res = await server.gql('{ institutoins { nodes { id } } }');
    expect(res.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).not.toMatch(/Did you mean|institutions/);
    const arg = await server.gql('{ institutions(firts: 1) { nodes { id } } }');
    expect(arg.body.errors?.[0]?.message).not.toMatch(/Did you mean|"first"/);
  });

  test('introspection is on in development and test, off in production unless ENABLE_INTROSPECTION=1', async () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATA_DIR: '.tmp/test-data' } as const;
    expect(loadConfig({ DATA_DIR: '.tmp/test-data' }).introspection).toBe(true);
    expect(loadConfig(prod).introspection).toBe(false);
    expect(loadConfig({ ...prod, ENABLE_INTROSPECTION: '1' }).introspection).toBe(true);
    const closed = await startTestServer({ introspection: false });
    try {
      const res = await closed.gql('{ __schema { queryType { name } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await closed.close();
    }
  });
});

describe('HTTP', () => {
  test('operation batching is off: an array body is refused', async () => {
    const res = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ departments { id } }' }, { query: '{ departments { id } }' }]);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batching/i);
  });

  test('a body over 1 MiB is refused with 413 before GraphQL sees it', async () => {
    const res = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ departments { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
  });

  test('security headers on API responses; the IDE page keeps its own CSP', async () => {
    const res = await server.http.post('/graphql').send({ query: '{ __typename }' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['strict-transport-security']).toBeDefined();
    const ide = await server.http.get('/graphql').set('accept', 'text/html');
    expect(ide.status).toBe(200);
    expect(ide.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(ide.headers['x-content-type-options']).toBe('nosniff');
  });

  test('CORS lets the configured origins read Retry-After (the origins themselves: server.test.ts)', async () => {
    const other = await server.http
      .post('/graphql')
      .set('origin', 'http://evil.example')
      .send({ query: '{ __typename }' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await server.http
      .post('/graphql')
      .set('origin', 'http://allowed.example')
      .send({ query: '{ __typename }' });
    expect(simple.headers['access-control-expose-headers']).toMatch(/retry-after/);
  });
});

describe('input caps', () => {
  test('a list argument over 1,000 items is BAD_USER_INPUT naming the cap, before any resolver', async () => {
    const codes = Array.from({ length: 1001 }, () => '210600');
    const res = await server.gql('query($c: [String!]) { enterprises(filter: { regionCodes: $c }) { totalCount } }', {
      c: codes,
    });
    expect(res.status).toBe(400);
    refused(res, 'BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toContain('1000');
    expect(res.body.errors![0]!.extensions.limit).toBe(1000);
  });

  test('a string over 100,000 characters is BAD_USER_INPUT naming the cap, literal or variable', async () => {
    const long = '企'.repeat(100_001);
    const res = await server.gql('query($s: String) { enterprises(filter: { search: $s }) { totalCount } }', {
      s: long,
    });
    refused(res, 'BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toContain('100000');
    const literal = await server.gql(`{ enterprises(filter: { search: "${long}" }) { totalCount } }`);
    refused(literal, 'BAD_USER_INPUT');
  });

  test('a name over its field cap is a userError naming the cap (the services own per-field caps)', async () => {
    const bank = await server.fixtures.principal(Role.BANK, {
      institution: await server.fixtures.institution(),
    } as never);
    const res = await server.gql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } userErrors { field code message } } }',
      { input: { name: '名'.repeat(101) } },
      { token: bank.token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createApiKey.apiKey).toBeNull();
    expect(res.body.data.createApiKey.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'name'], message: expect.stringContaining('100') }),
    ]);
  });

  test('importCreditRecords over 1,000 rows and uploadWhitelist over 10,000 entries are LIMIT_EXCEEDED', async () => {
    const regulator = await server.fixtures.principal(Role.REGULATOR, {
      department: await server.fixtures.department(),
    } as never);
    const record = {
      uscc: '91110000600037341L',
      source: 'TAX',
      kind: 'VAT_PAID',
      externalId: 'r',
      occurredOn: '2026-01-01',
    };
    const imported = await server.gql(
      'mutation($input: ImportCreditRecordsInput!) { importCreditRecords(input: $input) { inserted userErrors { field code message } } }',
      { input: { records: Array.from({ length: 1001 }, () => record) } },
      { token: regulator.token },
    );
    expect(imported.body.data.importCreditRecords.userErrors).toEqual([
      { field: ['input', 'records'], code: 'LIMIT_EXCEEDED', message: expect.stringContaining('1000') },
    ]);
    const entry = { uscc: '91110000600037341L', name: '某企业' };
    const uploaded = await server.gql(
      'mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id } userErrors { field code message } } }',
      { input: { name: '超大名单', entries: Array.from({ length: 10_001 }, () => entry) } },
      { token: regulator.token },
    );
    expect(uploaded.body.data.uploadWhitelist.userErrors).toEqual([
      { field: ['input', 'entries'], code: 'LIMIT_EXCEEDED', message: expect.stringContaining('10000') },
    ]);
  });
});
