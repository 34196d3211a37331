import { shanghaiDate } from '../../src/services/time';
import { usccCheckChar } from '../../src/services/uscc';
import { validUscc } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const REGISTER = `
  mutation Register($input: RegisterEnterpriseInput!) {
    registerEnterprise(input: $input) {
      enterprise {
        id uscc name industryCode regionCode size establishedOn registeredCapital verificationStatus
      }
      user { id login displayName role enterprise { id } }
      userErrors { field message code }
    }
  }
`;

const MY_ENTERPRISE = `{
  myEnterprise {
    id uscc name legalRepresentative industryCode regionCode size establishedOn
    registeredCapital employees annualRevenue verificationStatus
  }
}`;

const CHINESE = /[\u4e00-\u9fff]/;
const PASSWORD = 'a-long-enough-password';

let sequence = 0;
function registration(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    uscc: validUscc(),
    name: `丹东注册测试${sequence}有限公司`,
    legalRepresentative: '张三丰',
    industryCode: 'C39',
    regionCode: '210602',
    establishedOn: '2015-06-01',
    registeredCapital: '5000000.00',
    employees: 300,
    annualRevenue: '20000000.00',
    login: `reg-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    password: PASSWORD,
    displayName: '张经理',
    ...overrides,
  };
}

function register(input: Record<string, unknown>) {
  return server.gql(REGISTER, { input });
}

/** The 18-character code with a valid check character for these 17. */
function withCheck(first17: string): string {
  return first17 + usccCheckChar(first17);
}

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return server.sql<T>(query, params);
}

async function enterpriseRows(uscc: string): Promise<number> {
  const [row] = await sql<{ n: number }>('select count(*)::int as n from enterprise where uscc = ?', [uscc]);
  return row!.n;
}

async function userRows(login: string): Promise<number> {
  const [row] = await sql<{ n: number }>('select count(*)::int as n from app_user where login = ?', [
    login.toLowerCase(),
  ]);
  return row!.n;
}

function expectOneInvalid(res: Awaited<ReturnType<typeof register>>, field: string) {
  expect(res.body.errors).toBeUndefined();
  const payload = res.body.data.registerEnterprise;
  expect(payload.enterprise).toBeNull();
  expect(payload.user).toBeNull();
  expect(payload.userErrors).toEqual([{ code: 'INVALID', field: ['input', field], message: expect.any(String) }]);
  expect(payload.userErrors[0].message).toMatch(CHINESE);
}

describe('registerEnterprise: success', () => {
  it('creates a PENDING enterprise with a derived size and its ENTERPRISE user', async () => {
    // Money without decimals comes back with the two places it is stored with, here and later.
    const input = registration({ registeredCapital: '5000000', annualRevenue: '20000000.0' });
    const res = await register(input);
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.registerEnterprise;
    expect(payload.userErrors).toEqual([]);
    expect(payload.enterprise).toEqual({
      id: expect.any(String),
      uscc: input.uscc,
      name: input.name,
      industryCode: 'C39',
      regionCode: '210602',
      size: 'MEDIUM', // 工业: ≥ 300 staff and ≥ 2,000 万元
      establishedOn: '2015-06-01',
      registeredCapital: '5000000.00',
      verificationStatus: 'PENDING',
    });
    expect(payload.user).toEqual({
      id: expect.any(String),
      login: input.login,
      displayName: '张经理',
      role: 'ENTERPRISE',
      enterprise: { id: payload.enterprise.id },
    });

    // The new user signs in and sees the whole profile, unmasked.
    const token = await server.fixtures.login(input.login, PASSWORD);
    const mine = await server.gql(MY_ENTERPRISE, {}, { token });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.myEnterprise).toEqual({
      id: payload.enterprise.id,
      uscc: input.uscc,
      name: input.name,
      legalRepresentative: '张三丰',
      industryCode: 'C39',
      regionCode: '210602',
      size: 'MEDIUM',
      establishedOn: '2015-06-01',
      registeredCapital: '5000000.00',
      employees: 300,
      annualRevenue: '20000000.00',
      verificationStatus: 'PENDING',
    });

    const audit = await sql<{ actor_id: string; actor_role: string; target_type: string }>(
      "select actor_id, actor_role, target_type from audit_event where action = 'registerEnterprise' and target_id = ?",
      [payload.enterprise.id],
    );
    expect(audit).toEqual([{ actor_id: payload.user.id, actor_role: 'ENTERPRISE', target_type: 'Enterprise' }]);
  });

  it('derives MICRO for software with fewer than 10 staff, whatever the revenue', async () => {
    const res = await register(registration({ industryCode: 'I65', employees: 9, annualRevenue: '5000000.00' }));
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.size).toBe('MICRO');
  });

  it('derives SMALL for an industrial enterprise just short of medium', async () => {
    const res = await register(registration({ employees: 299, annualRevenue: '20000000.00' }));
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.size).toBe('SMALL');
  });

  it('registers with only the required fields (no capital, staff or revenue): MICRO', async () => {
    const input: Record<string, unknown> = registration();
    delete input.registeredCapital;
    delete input.employees;
    delete input.annualRevenue;
    const res = await register(input);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise).toMatchObject({ size: 'MICRO', registeredCapital: null });
  });
});

describe('registerEnterprise: USCC', () => {
  it.each(['91110000600037341L', '913710001234567888'])('accepts the design example %s', async (uscc) => {
    const res = await register(registration({ uscc }));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.uscc).toBe(uscc);
    expect(await enterpriseRows(uscc)).toBe(1);
  });

  it('accepts a lower-case code whose upper-cased form is valid, and stores it upper-cased', async () => {
    const uscc = withCheck('91210602MA0XYAB12');
    expect(uscc).toMatch(/[A-Z]/);
    const res = await register(registration({ uscc: uscc.toLowerCase() }));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.uscc).toBe(uscc);
    expect(await enterpriseRows(uscc)).toBe(1);
  });

  it('refuses a wrong check character', async () => {
    const good = validUscc();
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await register(registration({ uscc: wrong }));
    expectOneInvalid(res, 'uscc');
    expect(await enterpriseRows(wrong)).toBe(0);
  });

  it('refuses 17 and 19 characters', async () => {
    const good = validUscc();
    expectOneInvalid(await register(registration({ uscc: good.slice(0, 17) })), 'uscc');
    expectOneInvalid(await register(registration({ uscc: `${good}0` })), 'uscc');
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('refuses the letter %s (not in the alphabet)', async (letter) => {
    // Position 10 holds a letter that is not in the USCC alphabet, with every other character valid.
    const base = '91210602MA0XYAB12';
    const code = `${base.slice(0, 10)}${letter}${base.slice(11)}0`;
    expect(code).toHaveLength(18);
    const res = await register(registration({ uscc: code }));
    expectOneInvalid(res, 'uscc');
    // …in lower case too.
    expectOneInvalid(await register(registration({ uscc: code.toLowerCase() })), 'uscc');
  });

  it('refuses a lower-case code whose upper-cased form has a wrong check character', async () => {
    const good = withCheck('91210602MA0XYAB13');
    const wrongCheck = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
    expectOneInvalid(await register(registration({ uscc: wrongCheck.toLowerCase() })), 'uscc');
  });
});

describe('registerEnterprise: duplicates', () => {
  it('refuses a USCC that is already registered (also when typed in lower case)', async () => {
    const uscc = withCheck('91210602MA0XYAB14');
    const first = await register(registration({ uscc }));
    expect(first.body.data.registerEnterprise.userErrors).toEqual([]);

    for (const again of [uscc, uscc.toLowerCase()]) {
      const input = registration({ uscc: again });
      const res = await register(input);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.registerEnterprise).toEqual({
        enterprise: null,
        user: null,
        userErrors: [{ code: 'ALREADY_EXISTS', field: ['input', 'uscc'], message: expect.stringMatching(CHINESE) }],
      });
      expect(await userRows(input.login)).toBe(0);
    }
    expect(await enterpriseRows(uscc)).toBe(1);
  });

  it('refuses a taken login and leaves neither the enterprise nor a user behind', async () => {
    const first = registration();
    expect((await register(first)).body.data.registerEnterprise.userErrors).toEqual([]);

    for (const login of [first.login, first.login.toUpperCase()]) {
      const second = registration({ login });
      const res = await register(second);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.registerEnterprise).toEqual({
        enterprise: null,
        user: null,
        userErrors: [{ code: 'ALREADY_EXISTS', field: ['input', 'login'], message: expect.stringMatching(CHINESE) }],
      });
      expect(await enterpriseRows(second.uscc)).toBe(0);
    }
    expect(await userRows(first.login)).toBe(1);
    // The original user still signs in.
    await expect(server.fixtures.login(first.login, PASSWORD)).resolves.toEqual(expect.any(String));
  });

  it('lets exactly one of five concurrent registrations of one USCC through', async () => {
    const uscc = validUscc();
    const inputs = Array.from({ length: 5 }, () => registration({ uscc }));
    const results = await Promise.all(inputs.map((input) => register(input)));
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const payloads = results.map((res) => res.body.data.registerEnterprise);
    const winners = payloads.filter((p) => p.userErrors.length === 0);
    const losers = payloads.filter((p) => p.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(winners[0].enterprise.uscc).toBe(uscc);
    expect(losers).toHaveLength(4);
    for (const loser of losers) {
      expect(loser.enterprise).toBeNull();
      expect(loser.userErrors).toEqual([
        { code: 'ALREADY_EXISTS', field: ['input', 'uscc'], message: expect.any(String) },
      ]);
    }
    expect(await enterpriseRows(uscc)).toBe(1);
    const users = await Promise.all(inputs.map((input) => userRows(input.login)));
    expect(users.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('registerEnterprise: validation', () => {
  it.each([
    ['industryCode', 'C01'], // division 01 belongs to section A
    ['industryCode', 'X99'],
    ['industryCode', 'c39'],
    ['regionCode', '999999'],
    ['regionCode', '21060'],
    ['password', 'short-pw1'],
    ['annualRevenue', '1.005'],
    ['registeredCapital', '1.005'],
    ['registeredCapital', '0'],
    ['registeredCapital', '-100.00'],
    ['annualRevenue', '-0.01'],
    ['employees', -1],
    ['login', 'a b'],
    ['name', ' '],
    ['legalRepresentative', ''],
  ])('refuses %s = %j at its field', async (field, value) => {
    const input = registration({ [field]: value });
    const res = await register(input);
    expectOneInvalid(res, field);
    expect(await enterpriseRows(input.uscc)).toBe(0);
  });

  it('accepts zero revenue and zero staff', async () => {
    const res = await register(registration({ annualRevenue: '0', employees: 0 }));
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.size).toBe('MICRO');
  });

  it('refuses an establishment date after today (Asia/Shanghai) and accepts today', async () => {
    const today = shanghaiDate(server.clock.now());
    const tomorrow = shanghaiDate(new Date(server.clock.now().getTime() + 86_400_000));
    expectOneInvalid(await register(registration({ establishedOn: tomorrow })), 'establishedOn');

    const res = await register(registration({ establishedOn: today }));
    expect(res.body.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.body.data.registerEnterprise.enterprise.establishedOn).toBe(today);
  });

  it('reports several problems together', async () => {
    const tomorrow = shanghaiDate(new Date(server.clock.now().getTime() + 86_400_000));
    const input = registration({
      uscc: '91110000600037341A',
      industryCode: 'X99',
      regionCode: '21060',
      establishedOn: tomorrow,
      password: 'short',
      annualRevenue: '1.005',
      employees: -3,
    });
    const res = await register(input);
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.registerEnterprise;
    expect(payload.enterprise).toBeNull();
    const fields = payload.userErrors.map((e: { field: string[] }) => e.field.join('.')).sort();
    expect(fields).toEqual(
      [
        'input.annualRevenue',
        'input.employees',
        'input.establishedOn',
        'input.industryCode',
        'input.password',
        'input.regionCode',
        'input.uscc',
      ].sort(),
    );
    for (const error of payload.userErrors) {
      expect(error.code).toBe('INVALID');
      expect(error.message).toMatch(CHINESE);
    }
    expect(await userRows(input.login)).toBe(0);
  });

  it('answers a malformed Decimal literal with BAD_USER_INPUT, not a crash', async () => {
    const input = registration({ annualRevenue: 'abc' });
    const res = await register(input);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(await enterpriseRows(input.uscc)).toBe(0);

    const inline = await server.gql(
      `mutation { registerEnterprise(input: {
        uscc: "${validUscc()}", name: "丹东内联测试有限公司", legalRepresentative: "张三", industryCode: "C39",
        regionCode: "210602", establishedOn: "2015-06-01", annualRevenue: "12x", login: "inline-decimal",
        password: "${PASSWORD}", displayName: "张三" }) { userErrors { code } } }`,
    );
    expect(inline.body.data).toBeUndefined();
    expect(inline.body.errors![0]!.extensions!.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('answers a malformed Date with BAD_USER_INPUT', async () => {
    const res = await register(registration({ establishedOn: '2015-02-30' }));
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
