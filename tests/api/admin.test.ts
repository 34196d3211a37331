import { Role } from '../../src/entities/enums';
import { startTestServer, type TestServer } from '../support/test-server';
import type { World } from '../support/fixtures';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const CREATE_INSTITUTION = `mutation($input: CreateInstitutionInput!) {
  createInstitution(input: $input) { institution { id name type regionCode createdAt } userErrors { field message code } }
}`;
const CREATE_DEPARTMENT = `mutation($input: CreateDepartmentInput!) {
  createDepartment(input: $input) { department { id name regionCode } userErrors { field message code } }
}`;
const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) {
    user { id login role displayName enterprise { id } institution { id name } department { id name } }
    userErrors { field message code }
  }
}`;

const admin = () => ({ token: world.admin.token });

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

describe('createInstitution', () => {
  test('creates a bank that the public list shows, and audits it', async () => {
    const res = await server.gql(
      CREATE_INSTITUTION,
      { input: { name: '振安村镇银行', type: 'RURAL_BANK', regionCode: '210604' } },
      admin(),
    );
    const { institution, userErrors } = res.body.data.createInstitution;
    expect(userErrors).toEqual([]);
    expect(institution).toMatchObject({ name: '振安村镇银行', type: 'RURAL_BANK', regionCode: '210604' });
    expect(institution.createdAt).toMatch(/\+08:00$/);
    const list = await server.gql('{ institutions(first: 100) { totalCount nodes { id name } } }');
    expect(list.body.data.institutions.nodes.map((n: { name: string }) => n.name)).toContain('振安村镇银行');
    expect(await count('audit_event', "action = 'createInstitution' and target_id = ?", [institution.id])).toBe(1);
  });

  test('a taken name is ALREADY_EXISTS; a bad region and a short name are INVALID, together', async () => {
    const dup = await server.gql(
      CREATE_INSTITUTION,
      { input: { name: '测试银行甲', type: 'OTHER', regionCode: '210600' } },
      admin(),
    );
    expect(dup.body.data.createInstitution).toEqual({
      institution: null,
      userErrors: [{ field: ['input', 'name'], message: '同名金融机构已存在', code: 'ALREADY_EXISTS' }],
    });
    const bad = await server.gql(
      CREATE_INSTITUTION,
      { input: { name: '甲', type: 'OTHER', regionCode: '999999' } },
      admin(),
    );
    expect(
      bad.body.data.createInstitution.userErrors.map((e: { field: string[]; code: string }) => [
        e.field.join('.'),
        e.code,
      ]),
    ).toEqual([
      ['input.name', 'INVALID'],
      ['input.regionCode', 'INVALID'],
    ]);
  });

  test('an unknown institution type is refused by GraphQL itself', async () => {
    const res = await server.gql(
      CREATE_INSTITUTION,
      { input: { name: '某银行', type: 'CASINO', regionCode: '210600' } },
      admin(),
    );
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('createDepartment and departments', () => {
  test('creates a department listed publicly by name', async () => {
    const res = await server.gql(
      CREATE_DEPARTMENT,
      { input: { name: '丹东市工业和信息化局', regionCode: '210600' } },
      admin(),
    );
    expect(res.body.data.createDepartment.userErrors).toEqual([]);
    const list = await server.gql('{ departments { name regionCode } }');
    expect(list.body.data.departments.map((d: { name: string }) => d.name)).toEqual(
      ['丹东市发展和改革委员会', '丹东市财政局', '丹东市工业和信息化局'].sort(),
    );
  });
});

describe('createUser', () => {
  test('creates a user of each role tied to its organisation; each can sign in', async () => {
    const cases = [
      { role: Role.BANK, institutionId: world.bankA.id },
      { role: Role.REGULATOR, departmentId: world.departmentB.id },
      { role: Role.ENTERPRISE, enterpriseId: world.enterpriseB.id },
      { role: Role.ADMIN },
    ];
    for (const [i, c] of cases.entries()) {
      const login = `new-user-${i}`;
      const res = await server.gql(
        CREATE_USER,
        { input: { login, password: 'long-enough-pw', displayName: '新用户', ...c } },
        admin(),
      );
      const { user, userErrors } = res.body.data.createUser;
      expect(userErrors).toEqual([]);
      expect(user.role).toBe(c.role);
      expect(user.institution?.id ?? null).toBe(c.institutionId ?? null);
      expect(user.department?.id ?? null).toBe(c.departmentId ?? null);
      expect(user.enterprise?.id ?? null).toBe(c.enterpriseId ?? null);
      const token = await server.fixtures.login(login, 'long-enough-pw');
      const me = await server.gql('{ me { login role } }', {}, { token });
      expect(me.body.data.me).toEqual({ login, role: c.role });
    }
  });

  test('the organisation must match the role', async () => {
    const attempt = async (input: Record<string, unknown>) =>
      (
        await server.gql(
          CREATE_USER,
          { input: { login: 'mismatch', password: 'long-enough-pw', displayName: 'x', ...input } },
          admin(),
        )
      ).body.data.createUser.userErrors;
    expect(await attempt({ role: 'BANK' })).toEqual([
      expect.objectContaining({ field: ['input', 'institutionId'], code: 'INVALID' }),
    ]);
    expect(await attempt({ role: 'BANK', institutionId: world.bankA.id, departmentId: world.departmentA.id })).toEqual([
      expect.objectContaining({ field: ['input', 'departmentId'], code: 'INVALID' }),
    ]);
    expect(await attempt({ role: 'REGULATOR', departmentId: '00000000-0000-4000-8000-000000000000' })).toEqual([
      expect.objectContaining({ field: ['input', 'departmentId'], code: 'NOT_FOUND' }),
    ]);
    expect(await attempt({ role: 'ADMIN', enterpriseId: world.enterpriseA.id })).toEqual([
      expect.objectContaining({ field: ['input', 'enterpriseId'], code: 'INVALID' }),
    ]);
    expect(await count('app_user', "login = 'mismatch'")).toBe(0);
  });

  test('logins are unique case-insensitively; short passwords and bad logins are INVALID', async () => {
    const dup = await server.gql(
      CREATE_USER,
      {
        input: {
          login: world.bank.user.login.toUpperCase(),
          password: 'long-enough-pw',
          displayName: 'x',
          role: 'ADMIN',
        },
      },
      admin(),
    );
    expect(dup.body.data.createUser.userErrors).toEqual([
      { field: ['input', 'login'], message: '登录名已被使用', code: 'ALREADY_EXISTS' },
    ]);
    const weak = await server.gql(
      CREATE_USER,
      { input: { login: 'a', password: 'short', displayName: '', role: 'ADMIN' } },
      admin(),
    );
    expect(weak.body.data.createUser.userErrors.map((e: { field: string[] }) => e.field.join('.'))).toEqual([
      'input.login',
      'input.password',
      'input.displayName',
    ]);
  });
});

describe('organisation of the signed-in user', () => {
  test('myInstitution is the bank of the bank user', async () => {
    const res = await server.gql('{ myInstitution { id name } }', {}, { token: world.bank.token });
    expect(res.body.data.myInstitution).toEqual({ id: world.bankA.id, name: '测试银行甲' });
  });

  test('institutions page through with cursors, newest first', async () => {
    for (let i = 0; i < 5; i += 1) await server.fixtures.institution(`分页银行${i}`);
    const seen: string[] = [];
    let after: string | null = null;
    let total: number;
    do {
      const page: any = await server.gql(
        'query($after: String) { institutions(first: 2, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const conn = page.body.data.institutions;
      total = conn.totalCount;
      seen.push(...conn.nodes.map((n: { name: string }) => n.name));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(total);
    expect(seen.slice(0, 5)).toEqual(['分页银行4', '分页银行3', '分页银行2', '分页银行1', '分页银行0']);
  });
});
