import { usccCheckChar } from '../../src/services/uscc';
import type { World } from '../support/fixtures';
import { validUscc } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const UPLOAD = `mutation($input: UploadWhitelistInput!) {
  uploadWhitelist(input: $input) {
    whitelist {
      id name description entryCount createdAt department { id name }
      entries(first: 100) { totalCount nodes { uscc name note position enterprise { id name } dispatches { id } } }
    }
    userErrors { field code message }
  }
}`;
const WHITELISTS = `query($first: Int, $after: String) {
  whitelists(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name entryCount }
  }
}`;
const ENTRIES = `query($first: Int, $after: String) {
  whitelists(first: 1) { nodes { entries(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { name position }
  } } }
}`;

type Entry = { uscc: string; name: string; note?: string | null };
const entry = (name: string, overrides: Partial<Entry> = {}): Entry => ({ uscc: validUscc(), name, ...overrides });
const paths = (errors: { field: string[] }[]) => errors.map((e) => e.field.join('.'));

async function upload(input: Record<string, unknown>, token = world.regulator.token) {
  const res = await server.gql(UPLOAD, { input }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.uploadWhitelist;
}

// validUscc() makes 9,999 codes per process; a list at the cap needs more (region 210603 keeps them apart).
let bulkCounter = 0;
const bulkUscc = () => {
  bulkCounter += 1;
  const first17 = `91210603${String(bulkCounter).padStart(9, '0')}`;
  return first17 + usccCheckChar(first17);
};

const countRows = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n as number;

describe('uploadWhitelist', () => {
  test('a regulator uploads a list for its department; entries keep their order and find registered enterprises', async () => {
    const entries = [
      entry('丹东甲企业有限公司', { uscc: world.enterpriseA.uscc, note: '需求 300 万流动资金' }),
      entry('尚未注册的企业'),
      entry('丹东乙企业有限公司', { uscc: world.enterpriseB.uscc }),
    ];
    const { whitelist, userErrors } = await upload({ name: '  2026 年首批科技型企业  ', description: '首批', entries });
    expect(userErrors).toEqual([]);
    expect(whitelist).toMatchObject({
      name: '2026 年首批科技型企业',
      description: '首批',
      entryCount: 3,
      department: { id: world.departmentA.id, name: world.departmentA.name },
    });
    expect(whitelist.entries.totalCount).toBe(3);
    expect(whitelist.entries.nodes).toEqual([
      {
        uscc: world.enterpriseA.uscc,
        name: '丹东甲企业有限公司',
        note: '需求 300 万流动资金',
        position: 0,
        enterprise: { id: world.enterpriseA.id, name: world.enterpriseA.name },
        dispatches: [],
      },
      { uscc: entries[1].uscc, name: '尚未注册的企业', note: null, position: 1, enterprise: null, dispatches: [] },
      expect.objectContaining({ position: 2, enterprise: expect.objectContaining({ id: world.enterpriseB.id }) }),
    ]);
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'uploadWhitelist' and target_id = ?",
      [whitelist.id],
    );
    expect(audit.n).toBe(1);
  });

  test('every problem comes back at once, at its field, and nothing is written', async () => {
    const before = [await countRows('whitelist'), await countRows('whitelist_entry')];
    const repeated = validUscc();
    const { whitelist, userErrors } = await upload({
      name: '单',
      description: '说'.repeat(2001),
      entries: [
        entry('合格企业', { uscc: repeated }),
        entry('代码有误', { uscc: '91210602MA0000000X' }),
        entry('   '),
        entry('备注过长', { note: '长'.repeat(501) }),
        entry('名'.repeat(101)),
        entry('重复企业', { uscc: repeated.toLowerCase() }),
      ],
    });
    expect(whitelist).toBeNull();
    expect(userErrors.every((e: { code: string }) => e.code === 'INVALID')).toBe(true);
    expect(paths(userErrors).sort()).toEqual(
      [
        'input.name',
        'input.description',
        'input.entries.1.uscc',
        'input.entries.2.name',
        'input.entries.3.note',
        'input.entries.4.name',
        'input.entries.5.uscc',
      ].sort(),
    );
    const duplicate = userErrors.find((e: { field: string[] }) => e.field.join('.') === 'input.entries.5.uscc');
    expect(duplicate.message).toContain('第 1 条');
    expect([await countRows('whitelist'), await countRows('whitelist_entry')]).toEqual(before);
  });

  test('a list needs at least one entry', async () => {
    const { userErrors } = await upload({ name: '空名单', entries: [] });
    expect(userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'entries'] })]);
  });

  test('10,000 entries are accepted in one go; 10,001 are LIMIT_EXCEEDED and nothing is written', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ uscc: bulkUscc(), name: `企业${i}` }));
    const before = await countRows('whitelist_entry');
    const over = await upload({ name: '超大名单', entries: many(10_001) });
    expect(over.userErrors).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'entries'],
        message: expect.stringContaining('10000'),
      }),
    ]);
    expect(await countRows('whitelist_entry')).toBe(before);

    const res = await server.gql(
      'mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id entryCount } userErrors { code } } }',
      { input: { name: '最大名单', entries: many(10_000) } },
      { token: world.regulator.token },
    );
    expect(res.body.data.uploadWhitelist.whitelist.entryCount).toBe(10_000);
    const [row] = await server.sql(
      'select count(*)::int as n, min(position) as lo, max(position) as hi from whitelist_entry where whitelist_id = ?',
      [res.body.data.uploadWhitelist.whitelist.id],
    );
    expect(row).toEqual({ n: 10_000, lo: 0, hi: 9_999 });
  });

  test('the entries go in with the same statements whatever their number', async () => {
    const statements: number[] = [];
    for (const n of [1, 50]) {
      const entries = Array.from({ length: n }, (_, i) => entry(`企业${i}`));
      const res = await server.gql(
        'mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id } } }',
        { input: { name: `名单${n}`, entries } },
        { token: world.regulator.token },
      );
      expect(res.body.data.uploadWhitelist.whitelist).not.toBeNull();
      statements.push(res.sqlStatements);
    }
    expect(statements[1]).toBe(statements[0]);
  });
});

describe('whitelists', () => {
  test("a regulator reads its own department's lists, newest first, page by page; another department's regulator sees none of them", async () => {
    const regulator = await server.fixtures.principal(
      'REGULATOR' as never,
      { department: await server.fixtures.department() } as never,
    );
    for (const name of ['第一批', '第二批', '第三批']) {
      await upload({ name, entries: [entry('企业')] }, regulator.token);
      server.clock.advance(1000);
    }
    const first = await server.gql(WHITELISTS, { first: 2 }, { token: regulator.token });
    expect(first.body.data.whitelists).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      nodes: [{ name: '第三批' }, { name: '第二批' }],
    });
    const rest = await server.gql(
      WHITELISTS,
      { first: 2, after: first.body.data.whitelists.pageInfo.endCursor },
      { token: regulator.token },
    );
    expect(rest.body.data.whitelists.nodes.map((n: { name: string }) => n.name)).toEqual(['第一批']);

    const other = await server.gql(WHITELISTS, { first: 100 }, { token: world.regulatorB.token });
    const ids = other.body.data.whitelists.nodes.map((n: { id: string }) => n.id);
    const mine = first.body.data.whitelists.nodes.map((n: { id: string }) => n.id);
    expect(ids.filter((id: string) => mine.includes(id))).toEqual([]);
  });

  test('Whitelist.entries pages in upload order', async () => {
    const regulator = await server.fixtures.principal(
      'REGULATOR' as never,
      { department: await server.fixtures.department() } as never,
    );
    await upload({ name: '分页名单', entries: ['甲', '乙', '丙', '丁', '戊'].map((n) => entry(n)) }, regulator.token);
    const page1 = await server.gql(ENTRIES, { first: 2 }, { token: regulator.token });
    const entries1 = page1.body.data.whitelists.nodes[0].entries;
    expect(entries1).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    expect(entries1.nodes).toEqual([
      { name: '甲', position: 0 },
      { name: '乙', position: 1 },
    ]);
    const page2 = await server.gql(
      ENTRIES,
      { first: 2, after: entries1.pageInfo.endCursor },
      { token: regulator.token },
    );
    expect(page2.body.data.whitelists.nodes[0].entries.nodes.map((n: { name: string }) => n.name)).toEqual([
      '丙',
      '丁',
    ]);
    const page3 = await server.gql(
      ENTRIES,
      { first: 2, after: page2.body.data.whitelists.nodes[0].entries.pageInfo.endCursor },
      { token: regulator.token },
    );
    expect(page3.body.data.whitelists.nodes[0].entries).toMatchObject({
      pageInfo: { hasNextPage: false },
      nodes: [{ name: '戊', position: 4 }],
    });
  });
});

describe('who may use whitelists and dispatch', () => {
  const calls = {
    whitelists: ['query { whitelists { totalCount } }', {}],
    uploadWhitelist: [
      'mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { userErrors { code } } }',
      { input: { name: '越权名单', entries: [{ uscc: '91110000600037341L', name: '某企业' }] } },
    ],
    dispatchWhitelist: [
      'mutation($id: ID!) { dispatchWhitelist(input: { whitelistId: $id }) { dispatched } }',
      { id: '00000000-0000-4000-8000-000000000000' },
    ],
    dispatches: ['query { dispatches { totalCount } }', {}],
    respondToDispatch: [
      'mutation($id: ID!) { respondToDispatch(input: { dispatchId: $id, accept: true }) { userErrors { code } } }',
      { id: '00000000-0000-4000-8000-000000000000' },
    ],
  } as const;
  const admitted: Record<keyof typeof calls, string[]> = {
    whitelists: ['regulator'],
    uploadWhitelist: ['regulator'],
    dispatchWhitelist: ['regulator'],
    dispatches: ['bank', 'regulator'],
    respondToDispatch: ['bank'],
  };

  test('regulator fields refuse the other roles, bank fields the others, anonymous is UNAUTHENTICATED', async () => {
    const viewers = {
      anonymous: undefined,
      enterprise: world.enterprise.token,
      bank: world.bank.token,
      regulator: world.regulator.token,
      admin: world.admin.token,
    };
    const before = await countRows('whitelist');
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [field, [query, variables]] of Object.entries(calls)) {
      for (const [viewer, token] of Object.entries(viewers)) {
        const res = await server.gql(query, variables as Record<string, unknown>, { token });
        outcomes.push(`${field} as ${viewer}: ${res.body.errors?.[0]?.extensions.code ?? 'admitted'}`);
        const ok = admitted[field as keyof typeof calls].includes(viewer);
        expected.push(
          `${field} as ${viewer}: ${ok ? 'admitted' : viewer === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN'}`,
        );
      }
    }
    expect(outcomes).toEqual(expected);
    // Only the regulator's own upload went through.
    expect(await countRows('whitelist')).toBe(before + 1);
  });
});
