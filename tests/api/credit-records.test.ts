import type { Enterprise } from '../../src/entities';
import { shanghaiDate } from '../../src/services/time';
import { validUscc, type World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const IMPORT = `mutation($input: ImportCreditRecordsInput!) {
  importCreditRecords(input: $input) { inserted updated rejected reevaluated userErrors { field message code } }
}`;
const RECORDS = `query($id: ID!, $first: Int, $after: String) {
  creditRecords(enterpriseId: $id, first: $first, after: $after) {
    totalCount
    nodes { id source kind period amount description occurredOn recordedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;
const EVALUATE = `mutation($input: EvaluateEnterpriseInput!) {
  evaluateEnterprise(input: $input) { report { score grade modelVersion } userErrors { field code } }
}`;
const GRADE = `query($id: ID!) { enterprise(id: $id) { creditGrade creditReport { id score grade reasonCodes } } }`;

const regulator = () => ({ token: world.regulator.token });

/** The Asia/Shanghai date `days` days before the server's today. */
function daysAgo(days: number): string {
  return shanghaiDate(new Date(server.clock.now().getTime() - days * 86_400_000));
}

let externalIds = 0;
type RecordInput = Record<string, unknown>;
function record(uscc: string, overrides: RecordInput = {}): RecordInput {
  externalIds += 1;
  return {
    uscc,
    source: 'TAX',
    kind: 'VAT_PAID',
    externalId: `rec-${externalIds}-${Math.random().toString(36).slice(2, 8)}`,
    period: '2026-01',
    amount: '12000.00',
    occurredOn: daysAgo(30),
    ...overrides,
  };
}

async function importRecords(records: RecordInput[]) {
  const res = await server.gql(IMPORT, { input: { records } }, regulator());
  expect(res.body.errors).toBeUndefined();
  return res.body.data.importCreditRecords as {
    inserted: number;
    updated: number;
    rejected: number;
    reevaluated: number;
    userErrors: { field: string[]; message: string; code: string }[];
  };
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

const recordsWithIds = (ids: unknown[]) =>
  count('credit_record', 'external_id = any(?::text[])', [`{${ids.map(String).join(',')}}`]);

describe('importCreditRecords: validation and counts', () => {
  test('a mix of valid and invalid rows: exact counts, one userError per bad row at its index and field', async () => {
    const uscc = validUscc();
    const badUscc = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
    const tomorrow = shanghaiDate(new Date(server.clock.now().getTime() + 86_400_000));
    const rows = [
      record(uscc),
      record(badUscc),
      record(uscc, { occurredOn: tomorrow }),
      record(uscc, { source: 'PENALTY', kind: 'VAT_PAID' }),
      record(uscc, { amount: '100.123' }),
      record(uscc, { amount: '-5.00' }),
      record(uscc, {
        source: 'REGISTRY',
        kind: 'BUSINESS_REGISTRATION',
        amount: null,
        legalRepresentative: '王建国',
      }),
      record(uscc, { kind: 'TAX_CREDIT_LEVEL', amount: null, description: 'Z' }),
      record(uscc, { source: 'SOCIAL_SECURITY', kind: 'EMPLOYEES_INSURED', amount: '12.5' }),
      // Today itself is not in the future; a lower-case USCC is the same code.
      record(uscc.toLowerCase(), {
        source: 'PENALTY',
        kind: 'ADMIN_PENALTY',
        amount: '5000.00',
        occurredOn: daysAgo(0),
      }),
      record(uscc, { kind: 'TAX_CREDIT_LEVEL', amount: null, description: 'A' }),
    ];
    const result = await importRecords(rows);
    expect(result).toMatchObject({ inserted: 3, updated: 0, rejected: 8 });
    expect(result.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'records', '1', 'uscc'], 'INVALID'],
      [['input', 'records', '2', 'occurredOn'], 'INVALID'],
      [['input', 'records', '3', 'kind'], 'INVALID'],
      [['input', 'records', '4', 'amount'], 'INVALID'],
      [['input', 'records', '5', 'amount'], 'INVALID'],
      [['input', 'records', '6', 'subjectName'], 'INVALID'],
      [['input', 'records', '7', 'description'], 'INVALID'],
      [['input', 'records', '8', 'amount'], 'INVALID'],
    ]);
    for (const e of result.userErrors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    // Only the valid rows were written.
    expect(await recordsWithIds(rows.map((r) => r.externalId))).toBe(3);
    expect(await recordsWithIds([0, 9, 10].map((i) => rows[i].externalId))).toBe(3);
    expect(await count('credit_record', 'uscc = ?', [uscc])).toBe(3);
  });

  test('re-sending the same batch updates instead of duplicating (idempotent)', async () => {
    const uscc = validUscc();
    const rows = [
      record(uscc),
      record(uscc, { source: 'PENALTY', kind: 'ADMIN_PENALTY', amount: '800.00', description: '消防' }),
      record(uscc, { source: 'UTILITY', kind: 'UTILITY_PAID_ON_TIME', amount: '320.50' }),
    ];
    expect(await importRecords(rows)).toMatchObject({ inserted: 3, updated: 0, rejected: 0, userErrors: [] });
    const before = await count('credit_record');
    expect(await importRecords(rows)).toMatchObject({ inserted: 0, updated: 3, rejected: 0, userErrors: [] });
    expect(await count('credit_record')).toBe(before);
    // A changed value under the same (source, externalId) replaces the old one.
    const changed = [{ ...rows[0], amount: '99999.99' }, ...rows.slice(1)];
    expect(await importRecords(changed)).toMatchObject({ inserted: 0, updated: 3 });
    const [row] = await server.sql('select amount::text as amount from credit_record where external_id = ?', [
      rows[0].externalId,
    ]);
    expect(row.amount).toBe('99999.99');
    expect(await count('credit_record')).toBe(before);
  });

  test('the same externalId under another source is another record', async () => {
    const uscc = validUscc();
    const first = record(uscc);
    const other = { ...first, source: 'PENALTY', kind: 'ADMIN_PENALTY' };
    expect(await importRecords([first, other])).toMatchObject({ inserted: 2, updated: 0, rejected: 0 });
  });

  test('a (source, externalId) repeated inside one batch is rejected, the first copy kept', async () => {
    const uscc = validUscc();
    const first = record(uscc, { amount: '100.00' });
    const result = await importRecords([first, record(uscc), { ...first, amount: '200.00' }]);
    expect(result).toMatchObject({ inserted: 2, updated: 0, rejected: 1 });
    expect(result.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'records', '2', 'externalId'], code: 'INVALID' }),
    ]);
    const [row] = await server.sql('select amount::text as amount from credit_record where external_id = ?', [
      first.externalId,
    ]);
    expect(row.amount).toBe('100.00');
  });

  test('more than 1,000 records is LIMIT_EXCEEDED and nothing is written', async () => {
    const uscc = validUscc();
    const rows = Array.from({ length: 1001 }, () => record(uscc));
    const before = await count('credit_record');
    const result = await importRecords(rows);
    expect(result).toMatchObject({ inserted: 0, updated: 0, rejected: 1001 });
    expect(result.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'records'], code: 'LIMIT_EXCEEDED' }),
    ]);
    expect(await count('credit_record')).toBe(before);
    // Exactly 1,000 is allowed.
    expect(await importRecords(rows.slice(0, 1000))).toMatchObject({ inserted: 1000, rejected: 0 });
  });

  test('only regulators import', async () => {
    const rows = [record(validUscc())];
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(IMPORT, { input: { records: rows } }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const anonymous = await server.gql(IMPORT, { input: { records: rows } });
    expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await recordsWithIds([rows[0].externalId])).toBe(0);
  });
});

describe('importCreditRecords: enterprises', () => {
  test('records for an unregistered USCC are kept and found when that enterprise registers', async () => {
    const uscc = validUscc();
    const rows = [
      record(uscc, { occurredOn: daysAgo(40) }),
      record(uscc, { source: 'SOCIAL_SECURITY', kind: 'EMPLOYEES_INSURED', amount: '25', occurredOn: daysAgo(10) }),
    ];
    expect(await importRecords(rows)).toMatchObject({ inserted: 2, reevaluated: 0 });

    const login = `late-${Math.random().toString(36).slice(2, 8)}`;
    const reg = await server.gql(
      `mutation($input: RegisterEnterpriseInput!) {
        registerEnterprise(input: $input) { enterprise { id } userErrors { field code } }
      }`,
      {
        input: {
          uscc,
          name: '丹东后注册有限公司',
          legalRepresentative: '赵六',
          industryCode: 'C39',
          regionCode: '210602',
          establishedOn: '2018-03-01',
          login,
          password: 'a-long-enough-password',
          displayName: '赵经理',
        },
      },
    );
    expect(reg.body.data.registerEnterprise.userErrors).toEqual([]);
    const id = reg.body.data.registerEnterprise.enterprise.id;
    const token = await server.fixtures.login(login, 'a-long-enough-password');
    const own = await server.gql(RECORDS, { id }, { token });
    expect(own.body.data.creditRecords.totalCount).toBe(2);
    expect(own.body.data.creditRecords.nodes.map((n: { kind: string }) => n.kind)).toEqual([
      'EMPLOYEES_INSURED',
      'VAT_PAID',
    ]);
    // Registering evaluates it at once, on the history that was waiting.
    const first = await server.gql(GRADE, { id }, { token });
    expect(first.body.data.enterprise.creditGrade).toMatch(/^[ABCD]$/);
    const [report] = await server.sql('select indicators from credit_report where enterprise_id = ?', [id]);
    const insured = report.indicators.find((i: { code: string }) => i.code === 'INSURED_EMPLOYEES');
    expect(insured.value).toContain('25');

    // From now on, its records re-evaluate it.
    const more = await importRecords([record(uscc, { amount: '600000.00' })]);
    expect(more).toMatchObject({ inserted: 1, reevaluated: 1 });
    const graded = await server.gql(GRADE, { id }, regulator());
    expect(graded.body.data.enterprise.creditGrade).toMatch(/^[ABCD]$/);
    expect(graded.body.data.enterprise.creditReport.score).toBeGreaterThan(0);
  });

  test('valid rows re-evaluate the registered enterprises they concern: grade and report change', async () => {
    const enterprise = await server.fixtures.enterprise();
    const other = await server.fixtures.enterprise();
    // A clean, strong enterprise first.
    const strong = [
      record(enterprise.uscc, { amount: '1200000.00', occurredOn: daysAgo(20) }),
      record(enterprise.uscc, { amount: '1100000.00', occurredOn: daysAgo(200) }),
      record(enterprise.uscc, { kind: 'TAX_CREDIT_LEVEL', amount: null, description: 'A', occurredOn: daysAgo(60) }),
      record(enterprise.uscc, {
        source: 'SOCIAL_SECURITY',
        kind: 'EMPLOYEES_INSURED',
        amount: '120',
        occurredOn: daysAgo(15),
      }),
    ];
    const first = await importRecords([...strong, record(other.uscc), record(validUscc())]);
    expect(first).toMatchObject({ inserted: 6, rejected: 0, reevaluated: 2 });
    const before = (await server.gql(GRADE, { id: enterprise.id }, regulator())).body.data.enterprise;
    expect(before.creditReport).not.toBeNull();

    const listing = await importRecords([
      record(enterprise.uscc, { source: 'JUDGMENT', kind: 'DISHONEST_DEBTOR', amount: null, occurredOn: daysAgo(5) }),
      record(enterprise.uscc, { amount: '1.001' }), // an invalid row does not stop the valid one
    ]);
    expect(listing).toMatchObject({ inserted: 1, rejected: 1, reevaluated: 1 });
    const after = (await server.gql(GRADE, { id: enterprise.id }, regulator())).body.data.enterprise;
    expect(after.creditReport.id).not.toBe(before.creditReport.id);
    // The listing takes all 80 points of DISHONEST_DEBTOR.
    expect(after.creditReport.score).toBe(before.creditReport.score - 80);
    expect(after.creditReport.reasonCodes[0]).toBe('DISHONEST_DEBTOR');
    expect(before.creditReport.reasonCodes).not.toContain('DISHONEST_DEBTOR');
    expect(after.creditGrade).toBe(after.creditReport.grade);
    expect(await count('credit_report', 'enterprise_id = ?', [enterprise.id])).toBe(2);
    // The other enterprise was not touched by the second import.
    expect(await count('credit_report', 'enterprise_id = ?', [other.id])).toBe(1);
  });

  test('a record corrected to another USCC re-evaluates the enterprise it left as well', async () => {
    const wronglyListed = await server.fixtures.enterprise();
    const debtor = await server.fixtures.enterprise();
    const listing = record(wronglyListed.uscc, {
      source: 'JUDGMENT',
      kind: 'DISHONEST_DEBTOR',
      amount: null,
      occurredOn: daysAgo(3),
    });
    expect(await importRecords([listing, record(debtor.uscc)])).toMatchObject({ inserted: 2, reevaluated: 2 });
    const listed = (await server.gql(GRADE, { id: wronglyListed.id }, regulator())).body.data.enterprise;
    expect(listed.creditReport.reasonCodes).toContain('DISHONEST_DEBTOR');

    // The court corrects the USCC of its listing: same (source, externalId), the right enterprise.
    const corrected = await importRecords([{ ...listing, uscc: debtor.uscc }]);
    expect(corrected).toMatchObject({ inserted: 0, updated: 1, reevaluated: 2 });
    const cleared = (await server.gql(GRADE, { id: wronglyListed.id }, regulator())).body.data.enterprise;
    expect(cleared.creditReport.reasonCodes).not.toContain('DISHONEST_DEBTOR');
    expect(cleared.creditReport.score).toBe(listed.creditReport.score + 80);
    const nowListed = (await server.gql(GRADE, { id: debtor.id }, regulator())).body.data.enterprise;
    expect(nowListed.creditReport.reasonCodes).toContain('DISHONEST_DEBTOR');
  });

  test('a batch with no valid row re-evaluates nobody', async () => {
    const enterprise = await server.fixtures.enterprise();
    const result = await importRecords([record(enterprise.uscc, { amount: '-1' })]);
    expect(result).toMatchObject({ inserted: 0, updated: 0, rejected: 1, reevaluated: 0 });
    expect(await count('credit_report', 'enterprise_id = ?', [enterprise.id])).toBe(0);
  });
});

describe('creditRecords', () => {
  let enterpriseId: string;
  let ids: string[];
  beforeAll(async () => {
    enterpriseId = world.enterpriseA.id;
    const rows = [40, 10, 300, 5, 120].map((d, i) =>
      record(world.enterpriseA.uscc, { occurredOn: daysAgo(d), amount: `${i + 1}000.00` }),
    );
    expect(await importRecords(rows)).toMatchObject({ inserted: 5 });
    ids = rows.map((r) => String(r.externalId));
  });

  test('the enterprise reads its own records, newest first, paginated', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: any = await server.gql(
        RECORDS,
        { id: enterpriseId, first: 2, after },
        { token: world.enterprise.token },
      );
      const conn = res.body.data.creditRecords;
      expect(conn.totalCount).toBe(5);
      expect(conn.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...conn.nodes.map((n: { occurredOn: string }) => n.occurredOn));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([5, 10, 40, 120, 300].map(daysAgo));
    expect(ids).toHaveLength(5);
  });

  test('shows the fields as imported', async () => {
    const res = await server.gql(RECORDS, { id: enterpriseId, first: 1 }, { token: world.enterprise.token });
    expect(res.body.data.creditRecords.nodes[0]).toMatchObject({
      source: 'TAX',
      kind: 'VAT_PAID',
      period: '2026-01',
      amount: '4000.00',
      description: null,
      occurredOn: daysAgo(5),
    });
    expect(res.body.data.creditRecords.nodes[0].recordedAt).toMatch(/\+08:00$/);
  });

  test('regulators read any enterprise’s records', async () => {
    const res = await server.gql(RECORDS, { id: enterpriseId }, regulator());
    expect(res.body.data.creditRecords.totalCount).toBe(5);
  });

  test('another enterprise gets NOT_FOUND; banks and the operator FORBIDDEN; anonymous UNAUTHENTICATED', async () => {
    const other = await server.gql(RECORDS, { id: enterpriseId }, { token: world.enterpriseUserB.token });
    expect(other.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(other.body.data?.creditRecords ?? null).toBeNull();
    for (const token of [world.bank.token, world.admin.token]) {
      const res = await server.gql(RECORDS, { id: enterpriseId }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const anonymous = await server.gql(RECORDS, { id: enterpriseId });
    expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('an unknown enterprise is NOT_FOUND for regulators too', async () => {
    const res = await server.gql(RECORDS, { id: '00000000-0000-4000-8000-000000000000' }, regulator());
    expect(res.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('evaluateEnterprise', () => {
  test('a regulator evaluates one enterprise under the active model; unknown id is NOT_FOUND', async () => {
    const enterprise = await server.fixtures.enterprise();
    const res = await server.gql(EVALUATE, { input: { enterpriseId: enterprise.id } }, regulator());
    expect(res.body.data.evaluateEnterprise.userErrors).toEqual([]);
    expect(res.body.data.evaluateEnterprise.report).toMatchObject({ modelVersion: 'v1' });
    const missing = await server.gql(
      EVALUATE,
      { input: { enterpriseId: '00000000-0000-4000-8000-000000000000' } },
      regulator(),
    );
    expect(missing.body.data.evaluateEnterprise).toEqual({
      report: null,
      userErrors: [{ field: ['input', 'enterpriseId'], code: 'NOT_FOUND' }],
    });
    const bank = await server.gql(EVALUATE, { input: { enterpriseId: enterprise.id } }, { token: world.bank.token });
    expect(bank.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('SQL statements of evaluation are set-based', () => {
  test('importing records for 100 enterprises takes as many statements as for 10, close to evaluating one', async () => {
    const enterprises: Enterprise[] = [];
    for (let i = 0; i < 110; i += 1) enterprises.push(await server.fixtures.enterprise());
    const batch = (list: typeof enterprises) =>
      list.flatMap((e) => [
        record(e.uscc, { occurredOn: daysAgo(15) }),
        record(e.uscc, { source: 'PENALTY', kind: 'ADMIN_PENALTY', amount: '2000.00', occurredOn: daysAgo(5) }),
      ]);

    const one = await server.gql(EVALUATE, { input: { enterpriseId: enterprises[0].id } }, regulator());
    expect(one.body.data.evaluateEnterprise.userErrors).toEqual([]);

    const ten = await server.gql(IMPORT, { input: { records: batch(enterprises.slice(0, 10)) } }, regulator());
    expect(ten.body.data.importCreditRecords).toMatchObject({ inserted: 20, reevaluated: 10 });
    const hundred = await server.gql(IMPORT, { input: { records: batch(enterprises.slice(10, 110)) } }, regulator());
    expect(hundred.body.data.importCreditRecords).toMatchObject({ inserted: 200, reevaluated: 100 });

    expect(one.sqlStatements).toBeGreaterThan(0);
    expect(hundred.sqlStatements).toBe(ten.sqlStatements);
    expect(ten.sqlStatements).toBeLessThanOrEqual(one.sqlStatements + 3);
    // And every one of them was evaluated: a report each, a warning for the fresh penalty.
    const ids = `{${enterprises
      .slice(10)
      .map((e) => e.id)
      .join(',')}}`;
    expect(await count('credit_report', 'enterprise_id = any(?::uuid[])', [ids])).toBe(100);
    expect(await count('risk_warning', 'enterprise_id = any(?::uuid[])', [ids])).toBe(100);
  });
});
