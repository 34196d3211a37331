import { randomUUID } from 'node:crypto';
import { Enterprise } from '../../src/entities';
import { EnterpriseSize, Role, VerificationStatus } from '../../src/entities/enums';
import { usccCheckChar } from '../../src/services/uscc';
import { validUscc, type World } from '../support/fixtures';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const ENTERPRISE = `
  query One($id: ID!) {
    enterprise(id: $id) {
      id uscc name legalRepresentative industryCode regionCode size establishedOn
      registeredCapital employees annualRevenue verificationStatus
    }
  }
`;

const LIST = `
  query List($filter: EnterpriseFilter, $first: Int, $after: String) {
    enterprises(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
      nodes { id name uscc legalRepresentative employees annualRevenue createdAt }
    }
  }
`;

const UPDATE = `
  mutation Update($input: UpdateEnterpriseProfileInput!) {
    updateEnterpriseProfile(input: $input) {
      enterprise { id size registeredCapital employees annualRevenue legalRepresentative }
      userErrors { field message code }
    }
  }
`;

interface Node {
  id: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  employees: number | null;
  annualRevenue: string | null;
  createdAt: string;
}

function withCheck(first17: string): string {
  return first17 + usccCheckChar(first17);
}

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return server.sql<T>(query, params);
}

/** Many rows in one flush (fixtures.enterprise() flushes one at a time). */
async function manyEnterprises(count: number, make: (i: number) => Partial<Enterprise>): Promise<Enterprise[]> {
  const em = server.orm.em.fork();
  const rows = Array.from({ length: count }, (_, i) =>
    em.create(Enterprise, {
      uscc: validUscc(),
      name: `批量企业${i}有限公司`,
      legalRepresentative: '赵六',
      industryCode: 'C39',
      regionCode: '210602',
      size: EnterpriseSize.SMALL,
      establishedOn: '2018-01-01',
      registeredCapital: '1000000.00',
      employees: 30,
      annualRevenue: '5000000.00',
      verificationStatus: VerificationStatus.VERIFIED,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...make(i),
    }),
  );
  await em.flush();
  return rows;
}

function list(variables: Record<string, unknown>, token = world.regulator.token) {
  return server.gql(LIST, variables, { token });
}

function codeOf(res: GraphQLResponse): string | undefined {
  return res.body.errors?.[0]?.extensions?.code;
}

function ids(res: GraphQLResponse): string[] {
  expect(res.body.errors).toBeUndefined();
  return res.body.data.enterprises.nodes.map((n: Node) => n.id);
}

describe('enterprise(id): who sees what', () => {
  const publicFields = () => ({
    id: world.enterpriseA.id,
    uscc: world.enterpriseA.uscc,
    name: '丹东甲企业有限公司',
    industryCode: 'C39',
    regionCode: '210602',
    size: 'SMALL',
    establishedOn: '2015-06-01',
    registeredCapital: '5000000.00',
    verificationStatus: 'VERIFIED',
  });

  it.each([
    ['anonymous', () => undefined],
    ['another enterprise', () => world.enterpriseUserB.token],
    ['a bank without authorisation', () => world.bank.token],
    ['the platform operator (ADMIN)', () => world.admin.token],
  ])('%s sees public fields only, the legal representative masked', async (_who, token) => {
    const res = await server.gql(ENTERPRISE, { id: world.enterpriseA.id }, { token: token() });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprise).toEqual({
      ...publicFields(),
      legalRepresentative: '张*',
      employees: null,
      annualRevenue: null,
    });
  });

  it.each([
    ['the enterprise itself', () => world.enterprise.token],
    ['a regulator', () => world.regulator.token],
    ['a regulator of another department', () => world.regulatorB.token],
  ])('%s sees everything unmasked', async (_who, token) => {
    const res = await server.gql(ENTERPRISE, { id: world.enterpriseA.id }, { token: token() });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprise).toEqual({
      ...publicFields(),
      legalRepresentative: '张三丰',
      employees: 45,
      annualRevenue: '12000000.00',
    });
  });

  it('masks to the first character and one star whatever the length (astral characters included)', async () => {
    const long = await server.fixtures.enterprise({ legalRepresentative: '欧阳娜娜' });
    const astral = await server.fixtures.enterprise({ legalRepresentative: '𠮷野家' });
    const single = await server.fixtures.enterprise({ legalRepresentative: '王' });
    const read = async (id: string) =>
      (await server.gql(ENTERPRISE, { id }, { token: world.bank.token })).body.data.enterprise.legalRepresentative;
    expect(await read(long.id)).toBe('欧*');
    expect(await read(astral.id)).toBe('𠮷*');
    expect(await read(single.id)).toBe('王*');
  });

  it('answers null for an unknown id and for an id that is not a UUID', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '', "1' or '1'='1"]) {
      const res = await server.gql(ENTERPRISE, { id }, { token: world.regulator.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.enterprise).toBeNull();
    }
  });
});

describe('enterprises: row scope by role', () => {
  it('refuses anonymous viewers', async () => {
    const res = await server.gql(LIST, {});
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.body.data?.enterprises ?? null).toBeNull();
  });

  it.each([
    ['REGULATOR', () => world.regulator.token],
    ['ADMIN', () => world.admin.token],
  ])('%s sees every enterprise', async (_role, token) => {
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from enterprise');
    const res = await list({ first: 100 }, token());
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprises.totalCount).toBe(n);
    expect(ids(res)).toEqual(expect.arrayContaining([world.enterpriseA.id, world.enterpriseB.id]));
  });

  it('shows ADMIN masked profiles in the list, REGULATOR unmasked', async () => {
    const filter = { search: world.enterpriseA.uscc };
    const admin = await list({ filter }, world.admin.token);
    expect(admin.body.data.enterprises.nodes).toEqual([
      expect.objectContaining({
        id: world.enterpriseA.id,
        legalRepresentative: '张*',
        employees: null,
        annualRevenue: null,
      }),
    ]);
    const regulator = await list({ filter }, world.regulator.token);
    expect(regulator.body.data.enterprises.nodes).toEqual([
      expect.objectContaining({
        id: world.enterpriseA.id,
        legalRepresentative: '张三丰',
        employees: 45,
        annualRevenue: '12000000.00',
      }),
    ]);
  });

  it('shows an enterprise user only its own enterprise, unmasked', async () => {
    const res = await list({}, world.enterprise.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprises.totalCount).toBe(1);
    expect(res.body.data.enterprises.nodes).toEqual([
      expect.objectContaining({ id: world.enterpriseA.id, legalRepresentative: '张三丰', employees: 45 }),
    ]);
    // Filters narrow its own scope, never widen it.
    const other = await list({ filter: { search: world.enterpriseB.uscc } }, world.enterprise.token);
    expect(other.body.data.enterprises.totalCount).toBe(0);
    expect(other.body.data.enterprises.nodes).toEqual([]);
  });

  it('shows a bank nothing until enterprises relate to it', async () => {
    const res = await list({}, world.bank.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprises).toMatchObject({
      totalCount: 0,
      nodes: [],
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });
});

describe('enterprises: filters', () => {
  const TOKEN = '筛选样本';
  let e: Record<'a' | 'b' | 'c' | 'd' | 'f' | 'g', Enterprise>;
  let percent: Enterprise;
  let underscore: Enterprise;
  let lookalike: Enterprise;
  let backslash: Enterprise;

  beforeAll(async () => {
    const [a, b, c, d, f, g] = await Promise.all([
      server.fixtures.enterprise({ name: `丹东${TOKEN}甲有限公司`, regionCode: '210602', industryCode: 'C39' }),
      server.fixtures.enterprise({
        name: `丹东${TOKEN}乙有限公司`,
        regionCode: '210681',
        industryCode: 'C391',
        size: EnterpriseSize.MEDIUM,
      }),
      server.fixtures.enterprise({
        name: `沈阳${TOKEN}丙软件有限公司`,
        uscc: withCheck('91210102MA0QRT001'),
        regionCode: '210102',
        industryCode: 'I65',
        size: EnterpriseSize.MICRO,
      }),
      server.fixtures.enterprise({
        name: `北京${TOKEN}丁商贸有限公司`,
        regionCode: '110101',
        industryCode: 'F51',
        size: EnterpriseSize.MEDIUM,
        verificationStatus: VerificationStatus.PENDING,
      }),
      server.fixtures.enterprise({
        name: `威海${TOKEN}戊食品有限公司`,
        regionCode: '371002',
        industryCode: 'C13',
        verificationStatus: VerificationStatus.REJECTED,
      }),
      server.fixtures.enterprise({ name: `${TOKEN} Alpha Tech 有限公司`, regionCode: '210604', industryCode: 'L72' }),
    ]);
    e = { a, b, c, d, f, g };
    [percent, underscore, lookalike, backslash] = await Promise.all([
      server.fixtures.enterprise({ name: '百分百%满意有限公司' }),
      server.fixtures.enterprise({ name: '下划线A_B有限公司' }),
      server.fixtures.enterprise({ name: '下划线AxB有限公司' }),
      server.fixtures.enterprise({ name: '反斜杠C\\D有限公司' }),
    ]);
  });

  async function matching(filter: Record<string, unknown>): Promise<string[]> {
    const res = await list({ filter, first: 100 });
    const found = ids(res);
    expect(res.body.data.enterprises.totalCount).toBe(found.length);
    return found.sort();
  }

  const idsOf = (...rows: Enterprise[]) => rows.map((r) => r.id).sort();

  it('searches by a fragment of the name, case-insensitively', async () => {
    expect(await matching({ search: TOKEN })).toEqual(idsOf(e.a, e.b, e.c, e.d, e.f, e.g));
    expect(await matching({ search: `${TOKEN}丙` })).toEqual(idsOf(e.c));
    expect(await matching({ search: '  alpha tech ' })).toEqual(idsOf(e.g));
    expect(await matching({ search: '不存在的企业名称片段' })).toEqual([]);
  });

  it('searches by the start of the USCC (any case), not by its middle', async () => {
    expect(await matching({ search: '91210102MA0QRT' })).toEqual(idsOf(e.c));
    expect(await matching({ search: '91210102ma0qrt' })).toEqual(idsOf(e.c));
    expect(await matching({ search: e.c.uscc })).toEqual(idsOf(e.c));
    expect(await matching({ search: 'MA0QRT001' })).toEqual([]);
  });

  it('treats %, _ and \\ in the search as literal characters', async () => {
    expect(await matching({ search: '%' })).toEqual(idsOf(percent));
    expect(await matching({ search: 'A_B' })).toEqual(idsOf(underscore));
    expect(await matching({ search: 'A%B' })).toEqual([]);
    expect(await matching({ search: '_' })).toEqual(idsOf(underscore));
    expect(await matching({ search: '\\' })).toEqual(idsOf(backslash));
    expect(await matching({ search: '下划线' })).toEqual(idsOf(underscore, lookalike));
  });

  it('matches region codes hierarchically: county, city, province', async () => {
    expect(await matching({ search: TOKEN, regionCodes: ['210602'] })).toEqual(idsOf(e.a));
    // 210600 丹东市 holds 210602 元宝区, 210604 振安区 and 210681 东港市, not 沈阳 210102.
    expect(await matching({ search: TOKEN, regionCodes: ['210600'] })).toEqual(idsOf(e.a, e.b, e.g));
    // 210000 辽宁省 holds 丹东 and 沈阳, not 北京 or 威海.
    expect(await matching({ search: TOKEN, regionCodes: ['210000'] })).toEqual(idsOf(e.a, e.b, e.c, e.g));
    // Several codes: any of them.
    expect(await matching({ search: TOKEN, regionCodes: ['210102', '110000'] })).toEqual(idsOf(e.c, e.d));
    // Without a search, too.
    expect(await matching({ regionCodes: ['371002'] })).toEqual(idsOf(e.f));
    expect(await matching({ regionCodes: ['110100'] })).toEqual(idsOf(e.d));
  });

  it.each(['21060', '2106000', 'abcdef', '999999', '219900', ''])(
    'refuses the region filter code %j with BAD_USER_INPUT',
    async (code) => {
      const res = await list({ filter: { regionCodes: [code] } });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.body.data?.enterprises ?? null).toBeNull();
    },
  );

  it('matches industry sections and divisions', async () => {
    expect(await matching({ search: TOKEN, industryCodes: ['C'] })).toEqual(idsOf(e.a, e.b, e.f));
    expect(await matching({ search: TOKEN, industryCodes: ['C39'] })).toEqual(idsOf(e.a, e.b));
    expect(await matching({ search: TOKEN, industryCodes: ['I65', 'F51'] })).toEqual(idsOf(e.c, e.d));
    expect(await matching({ search: TOKEN, industryCodes: ['L'] })).toEqual(idsOf(e.g));
  });

  it.each(['C3', 'c39', 'C01', 'X', 'Z99'])('refuses the industry filter code %j with BAD_USER_INPUT', async (code) => {
    const res = await list({ filter: { industryCodes: [code] } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('filters by size and verification status', async () => {
    expect(await matching({ search: TOKEN, sizes: ['MICRO', 'MEDIUM'] })).toEqual(idsOf(e.b, e.c, e.d));
    expect(await matching({ search: TOKEN, sizes: ['LARGE'] })).toEqual([]);
    expect(await matching({ search: TOKEN, verificationStatus: 'PENDING' })).toEqual(idsOf(e.d));
    expect(await matching({ search: TOKEN, verificationStatus: 'REJECTED' })).toEqual(idsOf(e.f));
    expect(await matching({ search: TOKEN, verificationStatus: 'VERIFIED' })).toEqual(idsOf(e.a, e.b, e.c, e.g));
  });

  it('combines filters with AND', async () => {
    expect(await matching({ search: TOKEN, regionCodes: ['210000'], industryCodes: ['C'], sizes: ['MEDIUM'] })).toEqual(
      idsOf(e.b),
    );
  });
});

describe('enterprises: pagination', () => {
  const TOKEN = '翻页样本';
  let created: Enterprise[];

  beforeAll(async () => {
    // Groups of three share a creation instant, so the id tie-break is exercised.
    const base = Date.UTC(2020, 0, 1);
    created = await manyEnterprises(25, (i) => ({
      name: `${TOKEN}${i}有限公司`,
      createdAt: new Date(base + Math.floor(i / 3) * 60_000),
    }));
  });

  function newestFirst(rows: { id: string; createdAt: Date }[]): string[] {
    return [...rows]
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
      .map((r) => r.id);
  }

  it('pages with first: 10 through every match, newest first, without duplicates or gaps', async () => {
    const filter = { search: TOKEN };
    const seen: string[] = [];
    const pages: { size: number; hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const res = await list({ filter, first: 10, after });
      expect(res.body.errors).toBeUndefined();
      const connection = res.body.data.enterprises;
      expect(connection.totalCount).toBe(25);
      const { pageInfo, edges, nodes } = connection;
      expect(edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(nodes.map((n: Node) => n.id));
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      pages.push({ size: nodes.length, hasNextPage: pageInfo.hasNextPage, hasPreviousPage: pageInfo.hasPreviousPage });
      seen.push(...nodes.map((n: Node) => n.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(pages).toEqual([
      { size: 10, hasNextPage: true, hasPreviousPage: false },
      { size: 10, hasNextPage: true, hasPreviousPage: true },
      { size: 5, hasNextPage: false, hasPreviousPage: true },
    ]);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual(newestFirst(created));
  });

  it('pages through the whole unfiltered list in the database order (created_at desc, id desc)', async () => {
    const expected = (await sql<{ id: string }>('select id from enterprise order by created_at desc, id desc')).map(
      (r) => r.id,
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard += 1) {
      const res = await list({ first: 7, after });
      const connection = res.body.data.enterprises;
      expect(connection.totalCount).toBe(expected.length);
      seen.push(...ids(res));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('shows newest first by default: a new enterprise leads the first page', async () => {
    const fresh = await server.fixtures.enterprise({ createdAt: new Date(Date.now() + 60_000) });
    const res = await list({ first: 1 });
    expect(ids(res)).toEqual([fresh.id]);
    expect(res.body.data.enterprises.pageInfo.hasNextPage).toBe(true);
  });

  it.each([0, -1, 101, 1000])('refuses first: %d with BAD_USER_INPUT', async (first) => {
    const res = await list({ first });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('accepts first: 100 (the largest page)', async () => {
    const res = await list({ first: 100 });
    expect(ids(res)).toHaveLength(Math.min(100, res.body.data.enterprises.totalCount));
  });

  it.each([
    ['garbage', 'garbage'],
    ['base64 of plain text', Buffer.from('hello world').toString('base64url')],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['a number instead of an instant', Buffer.from(JSON.stringify([1, randomUUID()])).toString('base64url')],
    ['text instead of an instant', Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url')],
    [
      'an id that is not a UUID',
      Buffer.from(JSON.stringify([{ d: '2020-01-01T00:00:00.000Z' }, 'x'])).toString('base64url'),
    ],
  ])('refuses an after cursor that is %s with BAD_USER_INPUT', async (_what, after) => {
    const res = await list({ first: 10, after });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.data?.enterprises ?? null).toBeNull();
  });
});

describe('enterprises: SQL statements do not grow with the page', () => {
  const QUERY = `query($first: Int) { enterprises(first: $first) { totalCount nodes { id name legalRepresentative employees } } }`;

  beforeAll(async () => {
    await manyEnterprises(100, (i) => ({ name: `语句计数${i}有限公司` }));
  });

  it.each([
    ['REGULATOR', () => world.regulator.token, true],
    ['ADMIN', () => world.admin.token, true],
    ['BANK', () => world.bank.token, false],
    ['ENTERPRISE', () => world.enterprise.token, false],
  ])('%s: the same number of statements for 1, 20 and 100 rows', async (_role, token, seesAll) => {
    const counts: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(QUERY, { first }, { token: token() });
      expect(res.body.errors).toBeUndefined();
      const { nodes, totalCount } = res.body.data.enterprises;
      if (seesAll) {
        expect(nodes).toHaveLength(first);
        expect(totalCount).toBeGreaterThanOrEqual(100);
      }
      expect(Number.isFinite(res.sqlStatements)).toBe(true);
      counts.push(res.sqlStatements);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
  });
});

describe('updateEnterpriseProfile', () => {
  let own: Enterprise;
  let token: string;

  beforeAll(async () => {
    own = await server.fixtures.enterprise({
      legalRepresentative: '钱七',
      industryCode: 'C39',
      employees: 45,
      annualRevenue: '12000000.00',
      registeredCapital: '5000000.00',
      size: EnterpriseSize.SMALL,
    });
    ({ token } = await server.fixtures.principal(Role.ENTERPRISE, { enterprise: own } as never));
  });

  async function profile() {
    const res = await server.gql(ENTERPRISE, { id: own.id }, { token: world.regulator.token });
    return res.body.data.enterprise;
  }

  it('changes the figures and derives the size again', async () => {
    const res = await server.gql(
      UPDATE,
      { input: { employees: 300, annualRevenue: '20000000', registeredCapital: '8000000.5' } },
      { token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateEnterpriseProfile).toEqual({
      enterprise: {
        id: own.id,
        size: 'MEDIUM',
        registeredCapital: '8000000.50',
        employees: 300,
        annualRevenue: '20000000.00',
        legalRepresentative: '钱七',
      },
      userErrors: [],
    });
    expect(await profile()).toMatchObject({
      size: 'MEDIUM',
      registeredCapital: '8000000.50',
      employees: 300,
      annualRevenue: '20000000.00',
    });
    const audit = await sql<{ actor_role: string }>(
      "select actor_role from audit_event where action = 'updateEnterpriseProfile' and target_id = ?",
      [own.id],
    );
    expect(audit).toEqual([{ actor_role: 'ENTERPRISE' }]);
  });

  it('leaves fields it is not given alone, and re-derives the size from the rest', async () => {
    const res = await server.gql(UPDATE, { input: { employees: 19 } }, { token });
    expect(res.body.data.updateEnterpriseProfile.userErrors).toEqual([]);
    expect(await profile()).toMatchObject({
      size: 'MICRO', // 工业: small needs ≥ 20 staff
      registeredCapital: '8000000.50',
      employees: 19,
      annualRevenue: '20000000.00',
    });
  });

  it('refuses invalid figures with userErrors at their fields and changes nothing', async () => {
    const before = await profile();
    const res = await server.gql(
      UPDATE,
      { input: { employees: -1, annualRevenue: '1.005', registeredCapital: '0' } },
      { token },
    );
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.updateEnterpriseProfile;
    expect(payload.enterprise).toBeNull();
    expect(payload.userErrors.map((e: { field: string[] }) => e.field.join('.')).sort()).toEqual([
      'input.annualRevenue',
      'input.employees',
      'input.registeredCapital',
    ]);
    for (const error of payload.userErrors) expect(error.code).toBe('INVALID');

    // One bad field spoils the whole change.
    const mixed = await server.gql(UPDATE, { input: { employees: 500, annualRevenue: '-5.00' } }, { token });
    expect(mixed.body.data.updateEnterpriseProfile.userErrors).toEqual([
      { field: ['input', 'annualRevenue'], code: 'INVALID', message: expect.any(String) },
    ]);
    expect(await profile()).toEqual(before);
  });

  it('answers a malformed Decimal with BAD_USER_INPUT', async () => {
    const res = await server.gql(UPDATE, { input: { annualRevenue: 'abc' } }, { token });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['BANK', () => world.bank.token],
    ['REGULATOR', () => world.regulator.token],
    ['ADMIN', () => world.admin.token],
  ])('refuses %s with FORBIDDEN', async (_role, other) => {
    const before = await profile();
    const res = await server.gql(UPDATE, { input: { employees: 1 } }, { token: other() });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.body.data?.updateEnterpriseProfile ?? null).toBeNull();
    expect(await profile()).toEqual(before);
  });

  it('refuses anonymous viewers with UNAUTHENTICATED', async () => {
    const before = await profile();
    const res = await server.gql(UPDATE, { input: { employees: 1 } });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(await profile()).toEqual(before);
  });

  it("changes only the viewer's own enterprise", async () => {
    const beforeA = (await server.gql(ENTERPRISE, { id: world.enterpriseA.id }, { token: world.regulator.token })).body
      .data.enterprise;
    await server.gql(UPDATE, { input: { employees: 77 } }, { token });
    const afterA = (await server.gql(ENTERPRISE, { id: world.enterpriseA.id }, { token: world.regulator.token })).body
      .data.enterprise;
    expect(afterA).toEqual(beforeA);
    expect((await profile()).employees).toBe(77);
  });
});
