import type { Enterprise } from '../../src/entities';
import { Role, VerificationStatus } from '../../src/entities/enums';
import { shanghaiDate } from '../../src/services/time';
import type { Principal, World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const SIGN = `mutation($input: SignCreditCommitmentInput!) {
  signCreditCommitment(input: $input) {
    commitment { id title content status signedAt revokedAt enterprise { id } }
    userErrors { field message code }
  }
}`;
const COMMITMENTS = `query($first: Int, $after: String) {
  creditCommitments(first: $first, after: $after) {
    totalCount
    nodes { id title status enterprise { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ENTERPRISE = `query($id: ID!) {
  enterprise(id: $id) {
    id creditGrade riskLevel verificationStatus
    commitments { id title status }
    creditReport { score grade reasonCodes indicators { code value points maxPoints reasonCode } }
  }
}`;
const IMPORT = `mutation($input: ImportCreditRecordsInput!) {
  importCreditRecords(input: $input) { inserted rejected reevaluated userErrors { field message code } }
}`;
const EVALUATE = `mutation($input: EvaluateEnterpriseInput!) {
  evaluateEnterprise(input: $input) { report { score grade } userErrors { field code } }
}`;
const WARNINGS = `query($filter: RiskWarningFilter, $first: Int) {
  riskWarnings(filter: $filter, first: $first) {
    totalCount
    nodes { id level signals raisedAt enterprise { id regionCode industryCode } }
  }
}`;
const VERIFY = `mutation($input: VerifyEnterpriseInput!) {
  verifyEnterprise(input: $input) { enterprise { id verificationStatus } userErrors { field message code } }
}`;
const GRANT = `mutation($input: GrantCreditAuthorizationInput!) {
  grantCreditAuthorization(input: $input) { authorization { id } userErrors { field code } }
}`;

const regulator = () => ({ token: world.regulator.token });
const LETTER = { title: '信用承诺书', content: '本企业承诺所提交的全部信息真实、准确、完整，愿承担失信后果。' };

function daysAgo(days: number): string {
  return shanghaiDate(new Date(server.clock.now().getTime() - days * 86_400_000));
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

let externalIds = 0;
function record(uscc: string, overrides: Record<string, unknown>) {
  externalIds += 1;
  return { uscc, externalId: `risk-${externalIds}`, occurredOn: daysAgo(10), ...overrides };
}
const penalty = (uscc: string, days: number) =>
  record(uscc, { source: 'PENALTY', kind: 'ADMIN_PENALTY', amount: '3000.00', occurredOn: daysAgo(days) });
const judgment = (uscc: string, days: number) =>
  record(uscc, { source: 'JUDGMENT', kind: 'COURT_JUDGMENT', amount: '80000.00', occurredOn: daysAgo(days) });

async function importRecords(records: Record<string, unknown>[]) {
  const res = await server.gql(IMPORT, { input: { records } }, regulator());
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.importCreditRecords.userErrors).toEqual([]);
  return res.body.data.importCreditRecords;
}

async function enterpriseView(id: string, token?: string) {
  const res = await server.gql(ENTERPRISE, { id }, token ? { token } : {});
  expect(res.body.errors).toBeUndefined();
  return res.body.data.enterprise;
}

/** Moves the server's clock; access tokens last 15 minutes, so everyone signs in again. */
async function advanceDays(days: number, ...extra: Principal[]) {
  server.clock.advanceDays(days);
  const principals = [
    world.admin,
    world.regulator,
    world.regulatorB,
    world.bank,
    world.bankUserB,
    world.enterprise,
    world.enterpriseUserB,
    ...extra,
  ];
  await Promise.all(
    principals.map(async (p) => {
      p.token = await server.fixtures.login(p.user.login);
    }),
  );
}

async function withOwner(overrides: Partial<Enterprise> = {}): Promise<{ enterprise: Enterprise; owner: Principal }> {
  const enterprise = await server.fixtures.enterprise(overrides);
  const owner = await server.fixtures.principal(Role.ENTERPRISE, { enterprise } as never);
  return { enterprise, owner };
}

async function warningsFor(enterpriseId: string) {
  return server.sql('select level, signals from risk_warning where enterprise_id = ? order by raised_at', [
    enterpriseId,
  ]);
}

describe('signCreditCommitment', () => {
  test('a signed letter is public, newest first, and on the enterprise', async () => {
    const first = await withOwner();
    const second = await withOwner();
    const a = await server.gql(SIGN, { input: { ...LETTER, title: '守信承诺' } }, { token: first.owner.token });
    expect(a.body.data.signCreditCommitment.userErrors).toEqual([]);
    expect(a.body.data.signCreditCommitment.commitment).toMatchObject({
      title: '守信承诺',
      content: LETTER.content,
      status: 'SIGNED',
      revokedAt: null,
      enterprise: { id: first.enterprise.id },
    });
    expect(a.body.data.signCreditCommitment.commitment.signedAt).toMatch(/\+08:00$/);
    server.clock.advance(1000);
    const b = await server.gql(SIGN, { input: LETTER }, { token: second.owner.token });
    const bId = b.body.data.signCreditCommitment.commitment.id;
    const aId = a.body.data.signCreditCommitment.commitment.id;

    const list = await server.gql(COMMITMENTS, { first: 2 }); // anonymous
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.creditCommitments.nodes.map((n: { id: string }) => n.id)).toEqual([bId, aId]);
    expect(list.body.data.creditCommitments.totalCount).toBe(await count('credit_commitment'));

    const own = await enterpriseView(first.enterprise.id); // anonymous: commitments are public
    expect(own.commitments).toEqual([{ id: aId, title: '守信承诺', status: 'SIGNED' }]);
    expect(await count('audit_event', "action = 'signCreditCommitment' and target_id = ?", [aId])).toBe(1);
  });

  test('the commitment indicator goes to full points in the new report', async () => {
    const { enterprise, owner } = await withOwner();
    await server.gql(EVALUATE, { input: { enterpriseId: enterprise.id } }, regulator());
    const before = (await enterpriseView(enterprise.id, owner.token)).creditReport;
    const indicator = (r: { indicators: { code: string }[] }) =>
      r.indicators.find((i) => i.code === 'CREDIT_COMMITMENT');
    expect(indicator(before)).toMatchObject({ points: 0, maxPoints: 20, reasonCode: 'NO_COMMITMENT', value: '未签署' });
    expect(before.reasonCodes).toContain('NO_COMMITMENT');

    await server.gql(SIGN, { input: LETTER }, { token: owner.token });
    const after = (await enterpriseView(enterprise.id, owner.token)).creditReport;
    expect(indicator(after)).toMatchObject({ points: 20, maxPoints: 20, reasonCode: null, value: '已签署' });
    expect(after.score).toBe(before.score + 20);
    expect(after.reasonCodes).not.toContain('NO_COMMITMENT');
    expect(await count('credit_report', 'enterprise_id = ?', [enterprise.id])).toBe(2);
  });

  test('title and content are validated; nothing is written', async () => {
    const { enterprise, owner } = await withOwner();
    const sign = async (input: Record<string, string>) =>
      (await server.gql(SIGN, { input }, { token: owner.token })).body.data.signCreditCommitment;
    const short = await sign({ title: '诺', content: '太短了' });
    expect(short.commitment).toBeNull();
    expect(short.userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code])).toEqual([
      [['input', 'title'], 'INVALID'],
      [['input', 'content'], 'INVALID'],
    ]);
    const blank = await sign({ title: '   ', content: LETTER.content });
    expect(blank.userErrors).toEqual([expect.objectContaining({ field: ['input', 'title'], code: 'INVALID' })]);
    const long = await sign({ title: '长'.repeat(101), content: LETTER.content });
    expect(long.userErrors).toEqual([expect.objectContaining({ field: ['input', 'title'], code: 'INVALID' })]);
    expect(await count('credit_commitment', 'enterprise_id = ?', [enterprise.id])).toBe(0);
    expect(await count('credit_report', 'enterprise_id = ?', [enterprise.id])).toBe(0);
  });

  test('only enterprises sign', async () => {
    for (const token of [world.bank.token, world.regulator.token, world.admin.token]) {
      const res = await server.gql(SIGN, { input: LETTER }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await server.gql(SIGN, { input: LETTER })).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('the public list pages newest first', async () => {
    const { owner } = await withOwner();
    for (let i = 0; i < 3; i += 1) {
      server.clock.advance(1000);
      await server.gql(SIGN, { input: { ...LETTER, title: `分页承诺${i}` } }, { token: owner.token });
    }
    const first = await server.gql(COMMITMENTS, { first: 2 });
    const conn = first.body.data.creditCommitments;
    expect(conn.nodes.map((n: { title: string }) => n.title)).toEqual(['分页承诺2', '分页承诺1']);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = await server.gql(COMMITMENTS, { first: 1, after: conn.pageInfo.endCursor });
    expect(next.body.data.creditCommitments.nodes[0].title).toBe('分页承诺0');
  });
});

describe('risk level and warnings', () => {
  test('an administrative penalty within 90 days: YELLOW with NEW_PENALTY, and a warning', async () => {
    const { enterprise, owner } = await withOwner();
    await importRecords([penalty(enterprise.uscc, 20)]);
    expect((await enterpriseView(enterprise.id, world.regulator.token)).riskLevel).toBe('YELLOW');
    expect((await enterpriseView(enterprise.id, owner.token)).riskLevel).toBe('YELLOW');
    expect(await warningsFor(enterprise.id)).toEqual([{ level: 'YELLOW', signals: ['NEW_PENALTY'] }]);
    const listed = await server.gql(WARNINGS, { first: 100 }, regulator());
    expect(
      listed.body.data.riskWarnings.nodes.filter(
        (w: { enterprise: { id: string } }) => w.enterprise.id === enterprise.id,
      ),
    ).toEqual([expect.objectContaining({ level: 'YELLOW', signals: ['NEW_PENALTY'] })]);
    // Evaluating again with nothing new raises no second warning.
    await server.gql(EVALUATE, { input: { enterpriseId: enterprise.id } }, regulator());
    expect(await warningsFor(enterprise.id)).toHaveLength(1);
  });

  test('a penalty and a court judgment: RED', async () => {
    const { enterprise } = await withOwner();
    await importRecords([penalty(enterprise.uscc, 30), judgment(enterprise.uscc, 60)]);
    expect((await enterpriseView(enterprise.id, world.regulator.token)).riskLevel).toBe('RED');
    expect(await warningsFor(enterprise.id)).toEqual([{ level: 'RED', signals: ['NEW_PENALTY', 'JUDGMENT'] }]);
  });

  test('a penalty 100 days old is no NEW_PENALTY: GREEN, no warning', async () => {
    const { enterprise } = await withOwner();
    await importRecords([penalty(enterprise.uscc, 100)]);
    const seen = await enterpriseView(enterprise.id, world.regulator.token);
    expect(seen.riskLevel).toBe('GREEN');
    expect(seen.creditReport.reasonCodes).toContain('ADMIN_PENALTY');
    expect(await warningsFor(enterprise.id)).toEqual([]);
  });

  test('the level follows the clock: 91 days after the penalty it is GREEN again', async () => {
    const { enterprise } = await withOwner();
    await importRecords([penalty(enterprise.uscc, 85)]);
    expect((await enterpriseView(enterprise.id, world.regulator.token)).riskLevel).toBe('YELLOW');
    await advanceDays(6);
    expect((await enterpriseView(enterprise.id, world.regulator.token)).riskLevel).toBe('GREEN');
  });

  test('GRADE_DROP when a second evaluation grades lower', async () => {
    // Strong tax data, two years old: 807 points (A) under v1.
    const { enterprise } = await withOwner({ establishedOn: daysAgo(800) });
    await importRecords([
      record(enterprise.uscc, { source: 'TAX', kind: 'VAT_PAID', amount: '3000000.00', occurredOn: daysAgo(30) }),
      record(enterprise.uscc, { source: 'TAX', kind: 'VAT_PAID', amount: '2000000.00', occurredOn: daysAgo(250) }),
      record(enterprise.uscc, { source: 'TAX', kind: 'TAX_CREDIT_LEVEL', description: 'A', occurredOn: daysAgo(60) }),
    ]);
    const before = await enterpriseView(enterprise.id, world.regulator.token);
    expect(before).toMatchObject({ creditGrade: 'A', riskLevel: 'GREEN' });
    // A dishonest-debtor listing older than a year: it costs its 80 points but is not a fresh JUDGMENT.
    await importRecords([
      record(enterprise.uscc, { source: 'JUDGMENT', kind: 'DISHONEST_DEBTOR', occurredOn: daysAgo(400) }),
    ]);
    const after = await enterpriseView(enterprise.id, world.regulator.token);
    expect(after.creditGrade).toBe('B');
    expect(after.creditReport.score).toBe(before.creditReport.score - 80);
    expect(after.riskLevel).toBe('YELLOW');
    expect(await warningsFor(enterprise.id)).toEqual([{ level: 'YELLOW', signals: ['GRADE_DROP'] }]);
  });

  test('riskLevel: null for anonymous viewers, other enterprises and banks without a FULL authorisation', async () => {
    const { enterprise, owner } = await withOwner();
    await importRecords([penalty(enterprise.uscc, 5)]);
    expect((await enterpriseView(enterprise.id)).riskLevel).toBeNull();
    expect((await enterpriseView(enterprise.id, world.enterprise.token)).riskLevel).toBeNull();
    expect((await enterpriseView(enterprise.id, world.bank.token)).riskLevel).toBeNull();
    expect((await enterpriseView(enterprise.id, world.admin.token)).riskLevel).toBeNull();
    const grant = async (scope: string, institutionId: string) => {
      const res = await server.gql(
        GRANT,
        { input: { institutionId, scope, purpose: '贷前调查', validDays: 10 } },
        { token: owner.token },
      );
      expect(res.body.data.grantCreditAuthorization.userErrors).toEqual([]);
    };
    await grant('SUMMARY', world.bankA.id);
    expect((await enterpriseView(enterprise.id, world.bank.token)).riskLevel).toBeNull();
    await grant('FULL', world.bankB.id);
    expect((await enterpriseView(enterprise.id, world.bank.token)).riskLevel).toBeNull();
    expect((await enterpriseView(enterprise.id, world.bankUserB.token)).riskLevel).toBe('YELLOW');
  });

  describe('riskWarnings', () => {
    let red: Enterprise;
    let yellowElsewhere: Enterprise;
    let yellowRetail: Enterprise;
    beforeAll(async () => {
      red = await server.fixtures.enterprise({ regionCode: '210602', industryCode: 'C39' });
      yellowElsewhere = await server.fixtures.enterprise({ regionCode: '210281', industryCode: 'C39' });
      yellowRetail = await server.fixtures.enterprise({ regionCode: '210603', industryCode: 'F52' });
      await importRecords([
        penalty(red.uscc, 3),
        judgment(red.uscc, 3),
        penalty(yellowElsewhere.uscc, 3),
        judgment(yellowRetail.uscc, 3),
      ]);
    });

    const listed = async (filter: Record<string, unknown> | null) => {
      const res = await server.gql(WARNINGS, { filter, first: 100 }, regulator());
      expect(res.body.errors).toBeUndefined();
      return res.body.data.riskWarnings.nodes as {
        id: string;
        level: string;
        signals: string[];
        raisedAt: string;
        enterprise: { id: string; regionCode: string; industryCode: string };
      }[];
    };
    const ids = (nodes: { enterprise: { id: string } }[]) => nodes.map((n) => n.enterprise.id);

    test('regulators see every warning, newest first', async () => {
      const all = await listed(null);
      expect(ids(all)).toEqual(expect.arrayContaining([red.id, yellowElsewhere.id, yellowRetail.id]));
      const times = all.map((n) => Date.parse(n.raisedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(all.find((n) => n.enterprise.id === yellowRetail.id)).toMatchObject({
        level: 'YELLOW',
        signals: ['JUDGMENT'],
      });
    });

    test('filtered by level, region and industry', async () => {
      const redOnly = await listed({ levels: ['RED'] });
      expect(redOnly.every((n) => n.level === 'RED')).toBe(true);
      expect(ids(redOnly)).toContain(red.id);
      expect(ids(redOnly)).not.toContain(yellowElsewhere.id);

      const donggang = await listed({ regionCodes: ['210281'] });
      expect(ids(donggang)).toEqual([yellowElsewhere.id]);
      const dandongCity = await listed({ regionCodes: ['210600'] });
      expect(ids(dandongCity)).toEqual(expect.arrayContaining([red.id, yellowRetail.id]));
      expect(ids(dandongCity)).not.toContain(yellowElsewhere.id);

      const retail = await listed({ industryCodes: ['F52'] });
      expect(ids(retail)).toEqual([yellowRetail.id]);
      const manufacturing = await listed({ industryCodes: ['C'], levels: ['YELLOW'] });
      expect(ids(manufacturing)).toContain(yellowElsewhere.id);
      expect(ids(manufacturing)).not.toContain(red.id);
      expect(ids(manufacturing)).not.toContain(yellowRetail.id);
    });

    test('banks see none (no loans yet); enterprises and anonymous viewers are refused', async () => {
      const bank = await server.gql(WARNINGS, {}, { token: world.bank.token });
      expect(bank.body.errors).toBeUndefined();
      expect(bank.body.data.riskWarnings).toMatchObject({ totalCount: 0, nodes: [] });
      const enterprise = await server.gql(WARNINGS, {}, { token: world.enterprise.token });
      expect(enterprise.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      const admin = await server.gql(WARNINGS, {}, { token: world.admin.token });
      expect(admin.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      const anonymous = await server.gql(WARNINGS);
      expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });
});

describe('verifyEnterprise', () => {
  const registry = (e: Enterprise, overrides: Record<string, unknown> = {}) =>
    record(e.uscc, {
      source: 'REGISTRY',
      kind: 'BUSINESS_REGISTRATION',
      subjectName: e.name,
      legalRepresentative: e.legalRepresentative,
      occurredOn: '2015-06-01',
      ...overrides,
    });
  const pending = (overrides: Partial<Enterprise> = {}) =>
    server.fixtures.enterprise({ verificationStatus: VerificationStatus.PENDING, ...overrides });
  const verify = async (enterpriseId: string, token = world.regulator.token) => {
    const res = await server.gql(VERIFY, { input: { enterpriseId } }, { token });
    return res;
  };
  const statusOf = async (id: string) =>
    (await server.sql('select verification_status from enterprise where id = ?', [id]))[0].verification_status;

  test('a matching registry record verifies the enterprise', async () => {
    const e = await pending();
    await importRecords([registry(e)]);
    const res = await verify(e.id);
    expect(res.body.data.verifyEnterprise).toEqual({
      enterprise: { id: e.id, verificationStatus: 'VERIFIED' },
      userErrors: [],
    });
    expect(await statusOf(e.id)).toBe('VERIFIED');
    expect(await count('audit_event', "action = 'verifyEnterprise' and target_id = ?", [e.id])).toBe(1);
  });

  test('a different name rejects it with NOT_ELIGIBLE naming the mismatch', async () => {
    const e = await pending({ name: '丹东实名测试有限公司' });
    await importRecords([registry(e, { subjectName: '丹东另一家有限公司' })]);
    const res = await verify(e.id);
    const payload = res.body.data.verifyEnterprise;
    expect(payload.enterprise).toEqual({ id: e.id, verificationStatus: 'REJECTED' });
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'enterpriseId'], code: 'NOT_ELIGIBLE' }),
    ]);
    expect(payload.userErrors[0].message).toContain('名称');
    expect(payload.userErrors[0].message).toContain('丹东另一家有限公司');
    expect(await statusOf(e.id)).toBe('REJECTED');
  });

  test('a different legal representative rejects it too', async () => {
    const e = await pending({ legalRepresentative: '王建国' });
    await importRecords([registry(e, { legalRepresentative: '王建军' })]);
    const payload = (await verify(e.id)).body.data.verifyEnterprise;
    expect(payload.enterprise.verificationStatus).toBe('REJECTED');
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ELIGIBLE' })]);
    expect(payload.userErrors[0].message).toContain('法定代表人');
  });

  test('full-width brackets and spaces do not count as a difference', async () => {
    const e = await pending({ name: '丹东（东港）海产品有限公司' });
    await importRecords([registry(e, { subjectName: '丹东(东港) 海产品有限公司' })]);
    const payload = (await verify(e.id)).body.data.verifyEnterprise;
    expect(payload).toEqual({ enterprise: { id: e.id, verificationStatus: 'VERIFIED' }, userErrors: [] });
  });

  test('the newest registry record counts (a renamed enterprise)', async () => {
    const e = await pending({ name: '丹东新名称有限公司' });
    await importRecords([
      registry(e, { subjectName: '丹东旧名称有限公司', occurredOn: '2015-06-01' }),
      registry(e, { occurredOn: '2022-03-15' }),
    ]);
    expect((await verify(e.id)).body.data.verifyEnterprise.enterprise.verificationStatus).toBe('VERIFIED');
  });

  test('no registry record: NOT_FOUND and the status unchanged', async () => {
    const e = await pending();
    // Other records of the USCC are no registration.
    await importRecords([penalty(e.uscc, 10)]);
    const payload = (await verify(e.id)).body.data.verifyEnterprise;
    expect(payload).toEqual({
      enterprise: null,
      userErrors: [expect.objectContaining({ field: ['input', 'enterpriseId'], code: 'NOT_FOUND' })],
    });
    expect(await statusOf(e.id)).toBe('PENDING');
    const unknown = (await verify('00000000-0000-4000-8000-000000000000')).body.data.verifyEnterprise;
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  test('only regulators verify', async () => {
    const e = await pending();
    await importRecords([registry(e)]);
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      expect((await verify(e.id, token)).body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const anonymous = await server.gql(VERIFY, { input: { enterpriseId: e.id } });
    expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await statusOf(e.id)).toBe('PENDING');
  });
});
