import { randomUUID } from 'node:crypto';
import { withAdminClient } from '../support/db';
import type { World } from '../support/fixtures';
import { Marketplace } from '../support/marketplace';
import { PolicyDesk } from '../support/policies';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

// Hostile strings in every text filter, search argument, id, cursor and enum-like string of the
// contract (issue 7, "Security tests"). Each must be answered sanely: a clear BAD_USER_INPUT (or
// NOT_FOUND for an id, or a userError), or a normal — for these strings, empty — result; never
// INTERNAL_SERVER_ERROR, never a 5xx; and the tables are all still there afterwards.

let server: TestServer;
let world: World;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Strings no stored row contains, each of which has broken some query builder somewhere. */
const HOSTILE: Record<string, string> = {
  'quote or-true': "' OR 1=1 --",
  'drop table': "'; DROP TABLE loan; --",
  'double quote': '" OR ""="',
  'union select': "x' UNION SELECT password_hash FROM app_user --",
  pg_sleep: "'; SELECT pg_sleep(5); --",
  'dollar quote': '$$; DROP TABLE enterprise; $$',
  placeholders: '? $1 :name ${x}',
  'JSON object': '{"$ne": null, "$or": [{"id": {"$gt": ""}}]}',
  'JSON array': '[1, 2, {"a": "b"}]',
  'NUL alone': '\u0000',
  'NUL inside': 'abc\u0000def',
  'control characters': '\u0001\u0007\b\u001b[31m\u007f',
  'RTL override': '\u202Egnp.exe\u202C',
  'zero-width and BOM': '\u200B\u200D\uFEFF',
  'lone surrogate': '\uD800',
  emoji: '😀👨‍👩‍👧‍👦🏳️‍🌈',
  'path traversal': '../../../etc/passwd',
  'html and script': '<script>alert(1)</script>',
  'long (100,000 characters)': 'a'.repeat(100_000),
  'long unicode (100,000 characters)': '信'.repeat(100_000),
};

/** Malformed cursors: not base64, not JSON, wrong shapes, out-of-range values, and NUL. */
const CURSORS: Record<string, string> = {
  'not base64': 'not a cursor!',
  'SQL text': "' OR 1=1 --",
  percent: '%',
  'valid base64, not JSON': Buffer.from('hello world').toString('base64url'),
  'JSON, not an array': b64({ a: 1 }),
  'empty array': b64([]),
  'id not a UUID': b64(['2020-01-01', "' OR 1=1 --"]),
  'SQL in the value': b64(["' OR 1=1 --", randomUUID()]),
  'NUL in the value': b64(['\u0000', randomUUID()]),
  'date before PostgreSQL’s range': b64([{ d: '-271821-04-20T00:00:00.000Z' }, randomUUID()]),
  'date after PostgreSQL’s range': b64([{ d: '+275760-09-13T00:00:00.000Z' }, randomUUID()]),
  'number overflow': Buffer.from(`[1e400, "${randomUUID()}"]`).toString('base64url'),
  'huge number': b64([Number.MAX_VALUE, randomUUID()]),
  'nested object': b64([{ d: { $gt: '' } }, randomUUID()]),
  'long cursor': 'A'.repeat(100_000),
  'unicode garbage': '信易贷😀\u202E',
};

/** Ids that are not UUIDs (and one that is, but names nothing). */
const IDS: Record<string, string> = {
  'SQL text': "' OR 1=1 --",
  'UUID with SQL': `${randomUUID()}' OR '1'='1`,
  'UUID too short': '00000000-0000-4000-8000-00000000000',
  'UUID with NUL': `${randomUUID().slice(0, 35)}\u0000`,
  'UUID in braces': `{${randomUUID()}}`,
  'UUID without dashes': randomUUID().replace(/-/g, ''),
  'uppercase UUID of nothing': randomUUID().toUpperCase(),
  integer: '1',
  'negative integer': '-1',
  'NUL alone': '\u0000',
  empty: '',
  'nil UUID': '00000000-0000-0000-0000-000000000000',
};

/** Raw SQL as the database's superuser (no row-level security), `?` placeholders. */
async function adminSql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  let i = 0;
  const text = query.replace(/\?/g, () => `$${++i}`);
  return withAdminClient(server.dbUrl, async (c) => (await c.query(text, params)).rows as T[]);
}

type Who = 'anonymous' | 'regulator' | 'bank' | 'enterprise' | 'admin';
const tokenOf = (who: Who) =>
  ({
    anonymous: undefined,
    regulator: world.regulator.token,
    bank: world.bank.token,
    enterprise: world.enterprise.token,
    admin: world.admin.token,
  })[who];

interface Target {
  /** Where the hostile value goes. */
  name: string;
  query: string;
  /** The variables for one hostile value. */
  variables: (value: string) => Record<string, unknown>;
  as: Who;
  /** The list the answer holds, when there is one: for hostile values it must be empty. */
  list?: (data: any) => unknown[] | null | undefined;
  /** Codes that are a clear refusal here (BAD_USER_INPUT always is). */
  codes?: string[];
}

/**
 * How an answer went wrong, or null when it is sane: a status under 500, no error outside the
 * allowed codes (no INTERNAL_SERVER_ERROR), and, when data came back, an empty list.
 */
function insanity(target: Target, res: GraphQLResponse): string | null {
  if (res.status >= 500) return `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
  const allowed = new Set(['BAD_USER_INPUT', ...(target.codes ?? [])]);
  const bad = (res.body.errors ?? []).filter((e) => !allowed.has(e.extensions?.code));
  if (bad.length) return `errors ${JSON.stringify(bad.map((e) => [e.extensions?.code, e.message.slice(0, 120)]))}`;
  if (!res.body.errors?.length) {
    if (!res.body.data) return 'neither data nor errors';
    const list = target.list?.(res.body.data);
    if (target.list && !Array.isArray(list)) return `no list in ${JSON.stringify(res.body.data).slice(0, 200)}`;
    if (list?.length) return `${list.length} rows matched`;
  }
  return null;
}

/** Every value against the target; the insane answers, known defects left out unless asked for. */
async function sweep(target: Target, values: Record<string, string>) {
  const failures: string[] = [];
  for (const [label, value] of Object.entries(values)) {
    const res = await server.gql(target.query, target.variables(value), { token: tokenOf(target.as) });
    const wrong = insanity(target, res);
    if (wrong) failures.push(`${target.name} ← ${label}: ${wrong}`);
  }
  return failures;
}

const conn = (field: string) => (data: any) => data?.[field]?.nodes;

// ── Every text filter and search argument.
const FILTERS: Target[] = [
  ...(['search', 'regionCodes', 'industryCodes'] as const).map((key): Target => ({
    name: `enterprises(filter.${key})`,
    query: `query($f: EnterpriseFilter) { enterprises(filter: $f, first: 100) { totalCount nodes { id name } } }`,
    variables: (s) => ({ f: { [key]: key === 'search' ? s : [s] } }),
    as: 'regulator',
    list: conn('enterprises'),
  })),
  ...(['search', 'institutionIds'] as const).map((key): Target => ({
    name: `loanProducts(filter.${key})`,
    query: `query($f: LoanProductFilter) { loanProducts(filter: $f, first: 100) { totalCount nodes { id name } } }`,
    variables: (s) => ({ f: { [key]: key === 'search' ? s : [s] } }),
    as: 'anonymous',
    list: conn('loanProducts'),
  })),
  ...(['search', 'departmentIds'] as const).map((key): Target => ({
    name: `policies(filter.${key})`,
    query: `query($f: PolicyFilter) { policies(filter: $f, first: 100) { totalCount nodes { id title } } }`,
    variables: (s) => ({ f: { [key]: key === 'search' ? s : [s] } }),
    as: 'anonymous',
    list: conn('policies'),
  })),
  ...(['regionCodes', 'industryCodes', 'enterpriseId'] as const).map((key): Target => ({
    name: `demands(filter.${key})`,
    query: `query($f: FinancingDemandFilter) { demands(filter: $f, first: 100) { totalCount nodes { id } } }`,
    variables: (s) => ({ f: { [key]: key === 'enterpriseId' ? s : [s] } }),
    as: 'regulator',
    list: conn('demands'),
  })),
  ...(['regionCodes', 'industryCodes', 'institutionIds', 'enterpriseId'] as const).map((key): Target => ({
    name: `loans(filter.${key})`,
    query: `query($f: LoanFilter) { loans(filter: $f, first: 100) { totalCount nodes { id } } }`,
    variables: (s) => ({ f: { [key]: key === 'enterpriseId' ? s : [s] } }),
    as: 'regulator',
    list: conn('loans'),
  })),
  ...(['regionCodes', 'industryCodes'] as const).map((key): Target => ({
    name: `riskWarnings(filter.${key})`,
    query: `query($f: RiskWarningFilter) { riskWarnings(filter: $f, first: 100) { totalCount nodes { id } } }`,
    variables: (s) => ({ f: { [key]: [s] } }),
    as: 'regulator',
    list: conn('riskWarnings'),
  })),
  ...(['regionCodes', 'industryCodes', 'institutionIds'] as const).map((key): Target => ({
    name: `platformStatistics(filter.${key})`,
    query: `query($f: StatisticsFilter) { platformStatistics(filter: $f) { enterprises granted { count amount } byRegion { key } } }`,
    variables: (s) => ({ f: { [key]: [s] } }),
    as: 'regulator',
    list: (data) => data?.platformStatistics?.byRegion,
  })),
  ...(['action', 'targetType', 'targetId', 'actorId'] as const).map((key): Target => ({
    name: `auditEvents(filter.${key})`,
    query: `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { totalCount nodes { id } } }`,
    variables: (s) => ({ f: { [key]: s } }),
    as: 'admin',
    list: conn('auditEvents'),
  })),
  {
    name: 'publicClaimNotices(policyId)',
    query: `query($id: ID) { publicClaimNotices(policyId: $id, first: 100) { totalCount nodes { claimId } } }`,
    variables: (s) => ({ id: s }),
    as: 'anonymous',
    list: conn('publicClaimNotices'),
  },
];

// ── Ids of root fields: null (or NOT_FOUND) for anything that names no row.
const BY_ID: Target[] = [
  ['enterprise', 'regulator', 'id name'],
  ['creditReport', 'regulator', 'id score'],
  ['demand', 'regulator', 'id'],
  ['loan', 'regulator', 'id'],
  ['fundClaim', 'regulator', 'id'],
  ['policy', 'anonymous', 'id'],
  ['loanProduct', 'anonymous', 'id'],
  ['article', 'anonymous', 'id'],
].map(([field, as, selection]): Target => ({
  name: `${field}(id)`,
  query: `query($id: ID!) { ${field}(id: $id) { ${selection} } }`,
  variables: (s) => ({ id: s }),
  as: as as Who,
  list: (data) => (data?.[field] === null ? [] : [data?.[field]]),
  codes: ['NOT_FOUND'],
}));
BY_ID.push({
  name: 'creditRecords(enterpriseId)',
  query: `query($id: ID!) { creditRecords(enterpriseId: $id, first: 100) { totalCount nodes { id } } }`,
  variables: (s) => ({ id: s }),
  as: 'regulator',
  list: conn('creditRecords'),
  codes: ['NOT_FOUND'],
});

// ── `after` on every connection (root and nested).
const CONNECTIONS: Target[] = [
  ['loanProducts', 'anonymous'],
  ['policies', 'anonymous'],
  ['articles', 'anonymous'],
  ['creditCommitments', 'anonymous'],
  ['publicClaimNotices', 'anonymous'],
  ['institutions', 'anonymous'],
  ['enterprises', 'regulator'],
  ['demands', 'regulator'],
  ['offers', 'regulator'],
  ['loans', 'regulator'],
  ['fundClaims', 'regulator'],
  ['whitelists', 'regulator'],
  ['dispatches', 'regulator'],
  ['riskWarnings', 'regulator'],
  ['auditEvents', 'regulator'],
].map(([field, as]): Target => ({
  name: `${field}(after)`,
  query: `query($after: String) { ${field}(first: 5, after: $after) { totalCount nodes { __typename } } }`,
  variables: (s) => ({ after: s }),
  as: as as Who,
  list: conn(field),
}));

/** One sign-in attempt with a hostile login or password; what was wrong with the answer, or null. */
async function hostileLogin(field: 'login' | 'password', value: string): Promise<string | null> {
  // The sign-in throttle would answer LIMIT_EXCEEDED before the login is looked up.
  await adminSql('delete from rate_limit');
  const input =
    field === 'login'
      ? { login: value, password: 'whatever-password' }
      : { login: world.enterprise.user.login, password: value };
  const res = await server.gql(
    `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`,
    { input },
  );
  const payload = res.body.data?.login;
  const sane =
    res.status < 500 &&
    (payload
      ? payload.accessToken === null && payload.userErrors.some((e: { code: string }) => e.code === 'INVALID')
      : (res.body.errors ?? []).length > 0 && res.body.errors!.every((e) => e.extensions?.code === 'BAD_USER_INPUT'));
  return sane ? null : `HTTP ${res.status} ${JSON.stringify(res.body.errors ?? res.body.data).slice(0, 160)}`;
}

let enterpriseId: string;
let policyId: string;
let demandId: string;
let whitelistId: string;

const NESTED = (): Target[] => [
  {
    name: 'creditRecords(after)',
    query: `query($id: ID!, $after: String) { creditRecords(enterpriseId: $id, after: $after) { nodes { id } } }`,
    variables: (s) => ({ id: enterpriseId, after: s }),
    as: 'regulator',
    list: conn('creditRecords'),
  },
  ...['demands', 'reportAccesses', 'authorizations'].map((field): Target => ({
    name: `Enterprise.${field}(after)`,
    query: `query($id: ID!, $after: String) { enterprise(id: $id) { ${field}(after: $after) { nodes { id } } } }`,
    variables: (s) => ({ id: enterpriseId, after: s }),
    as: 'regulator',
    list: (data) => data?.enterprise?.[field]?.nodes,
  })),
  {
    name: 'FinancialInstitution.products(after)',
    query: `query($after: String) { institutions(first: 100) { nodes { id products(after: $after) { nodes { id } } } } }`,
    variables: (s) => ({ after: s }),
    as: 'anonymous',
    list: (data) => data?.institutions?.nodes?.flatMap((n: any) => n.products.nodes),
  },
  {
    name: 'FinancingDemand.offers(after)',
    query: `query($id: ID!, $after: String) { demand(id: $id) { offers(after: $after) { nodes { id } } } }`,
    variables: (s) => ({ id: demandId, after: s }),
    as: 'regulator',
    list: (data) => data?.demand?.offers?.nodes,
  },
  {
    name: 'Policy.claims(after)',
    query: `query($id: ID!, $after: String) { policy(id: $id) { claims(after: $after) { nodes { id } } } }`,
    variables: (s) => ({ id: policyId, after: s }),
    as: 'regulator',
    list: (data) => data?.policy?.claims?.nodes,
  },
  {
    name: 'Whitelist.entries(after)',
    query: `query($after: String) { whitelists(first: 100) { nodes { id entries(after: $after) { nodes { id } } } } }`,
    variables: (s) => ({ after: s }),
    as: 'regulator',
    list: (data) => data?.whitelists?.nodes?.flatMap((n: any) => n.entries.nodes),
  },
];

const TABLES = [
  'app_user',
  'enterprise',
  'financial_institution',
  'department',
  'loan_product',
  'financing_demand',
  'offer',
  'loan',
  'loan_event',
  'policy',
  'fund_claim',
  'credit_record',
  'credit_report',
  'audit_event',
  'whitelist',
  'whitelist_entry',
  'dispatch',
  'api_key',
];
const census = async () =>
  Object.fromEntries(
    await Promise.all(
      TABLES.filter((t) => t !== 'audit_event').map(async (t) => {
        const [row] = await adminSql(`select count(*)::int as n from ${t}`);
        return [t, row.n] as const;
      }),
    ),
  );
let before: Record<string, number>;

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  const market = new Marketplace(server);
  // Some data in every list, so an injected OR-true would show rows.
  const bank = await market.bank();
  const loan = await market.pendingLoan(bank);
  enterpriseId = loan.enterprise.org.id;
  demandId = loan.demandId;
  await market.demand(loan.enterprise.token);
  policyId = await new PolicyDesk(server).published(world.regulator.token);
  const upload = await server.gql(
    `mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id } userErrors { code } } }`,
    {
      input: { name: '注入测试白名单', entries: [{ uscc: loan.enterprise.org.uscc, name: loan.enterprise.org.name }] },
    },
    { token: world.regulator.token },
  );
  whitelistId = upload.body.data.uploadWhitelist.whitelist.id;
  expect(whitelistId).toBeTruthy();
  before = await census();
}, 60_000);
afterAll(() => server.close());

describe('text filters and search arguments', () => {
  test.each(FILTERS.map((t) => [t.name, t] as const))(
    '%s: hostile strings are refused or match nothing',
    async (_, t) => {
      expect(await sweep(t, HOSTILE)).toEqual([]);
    },
  );

  test('the same filters with their normal values do return rows (the sweep can see a match)', async () => {
    const regulator = { token: world.regulator.token };
    const all = await server.gql(
      `{ enterprises(first: 5) { totalCount } loans(first: 5) { totalCount } demands(first: 5) { totalCount } }`,
      {},
      regulator,
    );
    expect(all.body.data.enterprises.totalCount).toBeGreaterThan(0);
    expect(all.body.data.loans.totalCount).toBeGreaterThan(0);
    expect(all.body.data.demands.totalCount).toBeGreaterThan(0);
    const products = await server.gql(`{ loanProducts(first: 5) { totalCount } policies(first: 5) { totalCount } }`);
    expect(products.body.data.loanProducts.totalCount).toBeGreaterThan(0);
    expect(products.body.data.policies.totalCount).toBeGreaterThan(0);
    const audit = await server.gql(`{ auditEvents(first: 5) { totalCount } }`, {}, { token: world.admin.token });
    expect(audit.body.data.auditEvents.totalCount).toBeGreaterThan(0);
  });

  test('a string over 100,000 characters is BAD_USER_INPUT before anything runs', async () => {
    const res = await server.gql(
      `query($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }`,
      { f: { search: 'x'.repeat(100_001) } },
      { token: world.regulator.token },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 100_000 });
    expect(res.sqlStatements).toBe(0);
  });
});

describe('ids of root fields', () => {
  test.each(BY_ID.map((t) => [t.name, t] as const))('%s: malformed UUIDs are null or NOT_FOUND', async (_, t) => {
    expect(await sweep(t, { ...IDS, ...HOSTILE })).toEqual([]);
  });
});

describe('cursors', () => {
  test.each(CONNECTIONS.map((t) => [t.name, t] as const))('%s: malformed cursors are BAD_USER_INPUT', async (_, t) => {
    expect(await sweep(t, CURSORS)).toEqual([]);
  });

  test('nested connections: malformed cursors are BAD_USER_INPUT', async () => {
    const failures: string[] = [];
    for (const t of NESTED()) failures.push(...(await sweep(t, CURSORS)));
    expect(failures).toEqual([]);
  });

  test('a cursor is refused with BAD_USER_INPUT naming `after`, not with an empty page', async () => {
    const res = await server.gql(
      `query($after: String) { loans(after: $after) { totalCount } }`,
      { after: CURSORS['SQL in the value'] },
      { token: world.regulator.token },
    );
    expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('enum-like strings and scalars', () => {
  const cases: [string, string, (s: string) => Record<string, unknown>, Who][] = [
    [
      'offers(statuses)',
      `query($s: [OfferStatus!]) { offers(statuses: $s) { totalCount } }`,
      (s) => ({ s: [s] }),
      'regulator',
    ],
    [
      'articles(category)',
      `query($s: ArticleCategory) { articles(category: $s) { totalCount } }`,
      (s) => ({ s }),
      'anonymous',
    ],
    [
      'loanProducts(filter.types)',
      `query($f: LoanProductFilter) { loanProducts(filter: $f) { totalCount } }`,
      (s) => ({ f: { types: [s] } }),
      'anonymous',
    ],
    [
      'loanProducts(orderBy.field)',
      `query($o: LoanProductOrder) { loanProducts(orderBy: $o) { totalCount } }`,
      (s) => ({ o: { field: s, direction: 'ASC' } }),
      'anonymous',
    ],
    [
      'loanProducts(filter.amount) Decimal',
      `query($f: LoanProductFilter) { loanProducts(filter: $f) { totalCount } }`,
      (s) => ({ f: { amount: s } }),
      'anonymous',
    ],
    [
      'platformStatistics(filter.from) Date',
      `query($f: StatisticsFilter) { platformStatistics(filter: $f) { enterprises } }`,
      (s) => ({ f: { from: s } }),
      'regulator',
    ],
    [
      'auditEvents(filter.from) DateTime',
      `query($f: AuditEventFilter) { auditEvents(filter: $f) { totalCount } }`,
      (s) => ({ f: { from: s } }),
      'admin',
    ],
  ];
  test.each(cases)('%s: every hostile value is BAD_USER_INPUT', async (_, query, variables, as) => {
    const failures: string[] = [];
    for (const [label, value] of Object.entries(HOSTILE)) {
      const res = await server.gql(query, variables(value), { token: tokenOf(as) });
      const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
      if (res.status >= 500 || codes.length === 0 || codes.some((c) => c !== 'BAD_USER_INPUT')) {
        failures.push(`${label}: HTTP ${res.status} ${JSON.stringify(codes)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('mutations with hostile text', () => {
  test('login: every hostile login or password is the usual INVALID userError', async () => {
    const failures: string[] = [];
    for (const [label, value] of Object.entries(HOSTILE)) {
      for (const field of ['login', 'password'] as const) {
        const wrong = await hostileLogin(field, value);
        if (wrong) failures.push(`${field} ← ${label}: ${wrong}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('registerEnterprise: a hostile USCC, name or login is a userError, never a 500', async () => {
    const failures: string[] = [];
    const base = {
      uscc: '91110000600037341L',
      name: '丹东注入测试有限公司',
      legalRepresentative: '王五',
      industryCode: 'C39',
      regionCode: '210602',
      establishedOn: '2015-01-01',
      login: 'inject-base',
      password: 'correct-horse-battery',
      displayName: '注入测试',
    };
    for (const [label, value] of Object.entries(HOSTILE)) {
      for (const field of ['uscc', 'industryCode', 'regionCode']) {
        const res = await server.gql(
          `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } userErrors { field code } } }`,
          { input: { ...base, [field]: value } },
        );
        const payload = res.body.data?.registerEnterprise;
        const sane =
          res.status < 500 &&
          (payload
            ? payload.enterprise === null && payload.userErrors.length > 0
            : (res.body.errors ?? []).every((e) => e.extensions?.code === 'BAD_USER_INPUT'));
        if (!sane) failures.push(`${field} ← ${label}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('`%`, `_` and `\\` in a name search match literally', () => {
  let names: Record<'percent' | 'underscore' | 'backslash' | 'plain', string>;
  beforeAll(async () => {
    const tag = randomUUID().slice(0, 6);
    names = {
      percent: `丹东百分${tag}%测试有限公司`,
      underscore: `丹东下划${tag}_测试有限公司`,
      backslash: `丹东反斜${tag}\\测试有限公司`,
      plain: `丹东普通${tag}甲测试有限公司`,
    };
    for (const name of Object.values(names)) await server.fixtures.enterprise({ name });
    const market = new Marketplace(server);
    const bank = await market.bank();
    for (const name of Object.values(names)) await market.product(bank.token, { name: name.replace('有限公司', '贷') });
    const policies = new PolicyDesk(server);
    for (const name of Object.values(names)) await policies.published(world.regulator.token, { title: name });
  });

  const searches: [string, string, string, (d: any) => { name?: string; title?: string }[], Who][] = [
    ['enterprises', 'EnterpriseFilter', 'name', (d) => d.enterprises.nodes, 'regulator'],
    ['loanProducts', 'LoanProductFilter', 'name', (d) => d.loanProducts.nodes, 'anonymous'],
    ['policies', 'PolicyFilter', 'title', (d) => d.policies.nodes, 'anonymous'],
  ];

  test.each(searches)('%s(filter.search)', async (field, type, key, nodes, as) => {
    const find = async (search: string) => {
      const res = await server.gql(
        `query($f: ${type}) { ${field}(filter: $f, first: 100) { nodes { ${key} } } }`,
        { f: { search } },
        { token: tokenOf(as) },
      );
      expect(res.body.errors).toBeUndefined();
      return nodes(res.body.data).map((n) => (n as Record<string, string>)[key]);
    };
    const ours = (found: string[]) =>
      found.filter((n) => Object.values(names).some((m) => n.startsWith(m.slice(0, 6))));
    // Each metacharacter finds exactly the row that holds it.
    expect(ours(await find('%'))).toEqual([expect.stringContaining('%')]);
    expect(ours(await find('_'))).toEqual([expect.stringContaining('_')]);
    expect(ours(await find('\\'))).toEqual([expect.stringContaining('\\')]);
    // A pattern that would match the plain name as a LIKE wildcard matches nothing literal.
    const plainTag = names.plain.slice(4, 10);
    expect(ours(await find(`普通${plainTag}_`))).toEqual([]);
    expect(ours(await find(`普通%甲`))).toEqual([]);
    // The plain name is found by an ordinary substring (the search works at all).
    expect(ours(await find(`普通${plainTag}甲`))).toHaveLength(1);
  });
});

test('afterwards every table is still there, with the rows it had', async () => {
  const [row] = await adminSql(
    `select count(*)::int as n from unnest(?::text[]) as t(name) where to_regclass('public.' || t.name) is not null`,
    [TABLES],
  );
  expect(row.n).toBe(TABLES.length);
  const after = await census();
  // The later describe blocks added rows on purpose; nothing was dropped or emptied.
  for (const table of Object.keys(before)) expect([table, after[table] >= before[table]]).toEqual([table, true]);
  expect(after.loan).toBe(before.loan);
  expect(after.enterprise).toBeGreaterThan(0);
  // The server still answers.
  const res = await server.gql(`{ loans(first: 1) { totalCount } }`, {}, { token: world.regulator.token });
  expect(res.body.data.loans.totalCount).toBe(before.loan);
});
