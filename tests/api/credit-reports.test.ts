import type { Enterprise } from '../../src/entities';
import { Role } from '../../src/entities/enums';
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

const REPORT_FIELDS = `id score grade modelVersion reasonCodes scope dataAsOf generatedAt
  indicators { code name category value points maxPoints reasonCode }`;
const VIEW = `query($id: ID!) {
  enterprise(id: $id) {
    id legalRepresentative employees annualRevenue creditGrade riskLevel
    creditReport { ${REPORT_FIELDS} }
  }
}`;
const REPORT_BY_ID = `query($id: ID!) {
  creditReport(id: $id) { ${REPORT_FIELDS} enterprise { id legalRepresentative employees annualRevenue } }
}`;
const GRANT = `mutation($input: GrantCreditAuthorizationInput!) {
  grantCreditAuthorization(input: $input) {
    authorization { id scope purpose status grantedAt expiresAt revokedAt institution { id } enterprise { id } }
    userErrors { field message code }
  }
}`;
const REVOKE = `mutation($input: RevokeCreditAuthorizationInput!) {
  revokeCreditAuthorization(input: $input) {
    authorization { id status revokedAt }
    userErrors { field message code }
  }
}`;
const ACCESSES = `query($id: ID!, $first: Int) {
  enterprise(id: $id) {
    reportAccesses(first: $first) {
      totalCount
      nodes { id scope purpose accessedAt institution { id } user { id } authorization { id scope } }
    }
  }
}`;
const AUTHORIZATIONS = `query($id: ID!) {
  enterprise(id: $id) {
    authorizations { totalCount nodes { id scope status institution { id } } }
  }
}`;
const IMPORT = `mutation($input: ImportCreditRecordsInput!) {
  importCreditRecords(input: $input) { inserted reevaluated userErrors { field code } }
}`;

interface Subject {
  enterprise: Enterprise;
  owner: Principal;
  reportId: string;
}

function daysAgo(days: number): string {
  return shanghaiDate(new Date(server.clock.now().getTime() - days * 86_400_000));
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

const accessRows = (enterpriseId: string) => count('report_access', 'enterprise_id = ?', [enterpriseId]);
const readEvents = (reportId: string) =>
  count('audit_event', "action = 'creditReport.read' and target_id = ?", [reportId]);

let subjects = 0;
/** A fresh enterprise with its own user and a credit report (from imported records). */
async function subject(): Promise<Subject> {
  subjects += 1;
  const enterprise = await server.fixtures.enterprise({
    legalRepresentative: '欧阳建国',
    employees: 88,
    annualRevenue: '36000000.00',
  });
  const owner = await server.fixtures.principal(Role.ENTERPRISE, { enterprise } as never);
  const records = [
    { source: 'TAX', kind: 'VAT_PAID', amount: '250000.00', occurredOn: daysAgo(40) },
    { source: 'TAX', kind: 'TAX_ARREARS', amount: '5000.00', occurredOn: daysAgo(20) },
    { source: 'SOCIAL_SECURITY', kind: 'EMPLOYEES_INSURED', amount: '30', occurredOn: daysAgo(10) },
  ].map((r, i) => ({ ...r, uscc: enterprise.uscc, externalId: `subject-${subjects}-${i}` }));
  const res = await server.gql(IMPORT, { input: { records } }, { token: world.regulator.token });
  expect(res.body.data.importCreditRecords).toMatchObject({ inserted: 3, reevaluated: 1 });
  const [row] = await server.sql('select latest_report_id from enterprise where id = ?', [enterprise.id]);
  return { enterprise, owner, reportId: row.latest_report_id };
}

/** Access tokens last 15 minutes: after moving the clock by hours, everyone signs in again. */
async function signInAgain(...extra: Principal[]) {
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

async function view(s: Subject, token?: string) {
  const res = await server.gql(VIEW, { id: s.enterprise.id }, token ? { token } : {});
  expect(res.body.errors).toBeUndefined();
  return res.body.data.enterprise;
}

async function grant(
  s: Subject,
  input: Partial<{ institutionId: string; scope: string; purpose: string; validDays: number; demandId: string }>,
  token = s.owner.token,
) {
  const res = await server.gql(
    GRANT,
    {
      input: { institutionId: world.bankA.id, scope: 'SUMMARY', purpose: '流动资金贷款审批', validDays: 30, ...input },
    },
    { token },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.grantCreditAuthorization;
}

async function revoke(id: string, token: string) {
  const res = await server.gql(REVOKE, { input: { id } }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.revokeCreditAuthorization;
}

describe('who reads a credit report', () => {
  test('the enterprise reads its own report in full; its own reads are not logged', async () => {
    const s = await subject();
    const own = await view(s, s.owner.token);
    expect(own.creditReport).toMatchObject({ id: s.reportId, scope: 'FULL', modelVersion: 'v1' });
    expect(own.creditReport.indicators).toHaveLength(20);
    expect(own.creditReport.reasonCodes).toContain('TAX_ARREARS');
    expect(own).toMatchObject({ legalRepresentative: '欧阳建国', employees: 88, annualRevenue: '36000000.00' });
    expect(own.creditGrade).toBe(own.creditReport.grade);
    expect(own.creditReport.dataAsOf).toMatch(/\+08:00$/);
    expect(await accessRows(s.enterprise.id)).toBe(0);
    expect(await readEvents(s.reportId)).toBe(0);
  });

  test('the points of the indicators add up to the score (± 1)', async () => {
    const s = await subject();
    const { creditReport } = await view(s, s.owner.token);
    const sum = creditReport.indicators.reduce((total: number, i: { points: number }) => total + i.points, 0);
    expect(Math.abs(sum - creditReport.score)).toBeLessThanOrEqual(1);
    const max = creditReport.indicators.reduce((total: number, i: { maxPoints: number }) => total + i.maxPoints, 0);
    expect(max).toBeCloseTo(1000, 6);
    for (const i of creditReport.indicators) {
      expect(i.points).toBeGreaterThanOrEqual(0);
      expect(i.points).toBeLessThanOrEqual(i.maxPoints);
    }
  });

  test('a regulator reads it in full, and every read is logged once (ReportAccess and audit event)', async () => {
    const s = await subject();
    const first = await view(s, world.regulator.token);
    expect(first.creditReport).toMatchObject({ id: s.reportId, scope: 'FULL' });
    expect(first.creditReport.indicators).toHaveLength(20);
    expect(await accessRows(s.enterprise.id)).toBe(1);
    expect(await readEvents(s.reportId)).toBe(1);
    const [row] = await server.sql('select * from report_access where enterprise_id = ?', [s.enterprise.id]);
    expect(row).toMatchObject({
      report_id: s.reportId,
      institution_id: null,
      user_id: world.regulator.user.id,
      authorization_id: null,
      scope: 'FULL',
    });
    await view(s, world.regulatorB.token);
    expect(await accessRows(s.enterprise.id)).toBe(2);
    expect(await readEvents(s.reportId)).toBe(2);
  });

  test('a bank without an authorisation gets no report and a masked profile; nothing is logged', async () => {
    const s = await subject();
    const seen = await view(s, world.bank.token);
    expect(seen).toMatchObject({
      creditReport: null,
      legalRepresentative: '欧*',
      employees: null,
      annualRevenue: null,
      riskLevel: null,
    });
    expect(seen.creditGrade).toMatch(/^[ABCD]$/);
    expect(await accessRows(s.enterprise.id)).toBe(0);
    expect(await readEvents(s.reportId)).toBe(0);
  });

  test('anonymous viewers and the operator get no report', async () => {
    const s = await subject();
    const anonymous = await view(s);
    expect(anonymous).toMatchObject({ creditReport: null, creditGrade: null, riskLevel: null });
    const admin = await view(s, world.admin.token);
    expect(admin.creditReport).toBeNull();
    const otherEnterprise = await view(s, world.enterprise.token);
    expect(otherEnterprise).toMatchObject({ creditReport: null, legalRepresentative: '欧*', riskLevel: null });
    expect(await accessRows(s.enterprise.id)).toBe(0);
  });

  test('SUMMARY: score, grade and reasons without indicators, profile still masked; logged with the authorisation', async () => {
    const s = await subject();
    const { authorization, userErrors } = await grant(s, { scope: 'SUMMARY', validDays: 30 });
    expect(userErrors).toEqual([]);
    expect(authorization).toMatchObject({
      scope: 'SUMMARY',
      status: 'ACTIVE',
      purpose: '流动资金贷款审批',
      revokedAt: null,
      institution: { id: world.bankA.id },
      enterprise: { id: s.enterprise.id },
    });
    const days = (Date.parse(authorization.expiresAt) - Date.parse(authorization.grantedAt)) / 86_400_000;
    expect(days).toBe(30);
    expect(
      await count('audit_event', "action = 'grantCreditAuthorization' and target_id = ?", [authorization.id]),
    ).toBe(1);

    const own = await view(s, s.owner.token);
    const seen = await view(s, world.bank.token);
    expect(seen.creditReport).toMatchObject({
      id: s.reportId,
      scope: 'SUMMARY',
      score: own.creditReport.score,
      grade: own.creditReport.grade,
      reasonCodes: own.creditReport.reasonCodes,
      indicators: [],
    });
    expect(seen).toMatchObject({ legalRepresentative: '欧*', employees: null, annualRevenue: null, riskLevel: null });
    const [row] = await server.sql('select * from report_access where enterprise_id = ?', [s.enterprise.id]);
    expect(row).toMatchObject({
      scope: 'SUMMARY',
      authorization_id: authorization.id,
      institution_id: world.bankA.id,
      user_id: world.bank.user.id,
      report_id: s.reportId,
    });
    expect(await accessRows(s.enterprise.id)).toBe(1);
    expect(await readEvents(s.reportId)).toBe(1);

    // The report's own enterprise field is masked the same way.
    const byId = await server.gql(REPORT_BY_ID, { id: s.reportId }, { token: world.bank.token });
    expect(byId.body.data.creditReport).toMatchObject({
      scope: 'SUMMARY',
      indicators: [],
      enterprise: { id: s.enterprise.id, legalRepresentative: '欧*', employees: null, annualRevenue: null },
    });
  });

  test('FULL: indicators and the unmasked profile', async () => {
    const s = await subject();
    const { authorization } = await grant(s, { scope: 'FULL', validDays: 90 });
    const seen = await view(s, world.bank.token);
    expect(seen.creditReport.scope).toBe('FULL');
    expect(seen.creditReport.indicators).toHaveLength(20);
    expect(seen).toMatchObject({ legalRepresentative: '欧阳建国', employees: 88, annualRevenue: '36000000.00' });
    expect(seen.riskLevel).toBe('GREEN');
    const [row] = await server.sql('select scope, authorization_id from report_access where enterprise_id = ?', [
      s.enterprise.id,
    ]);
    expect(row).toEqual({ scope: 'FULL', authorization_id: authorization.id });
  });

  test('SUMMARY and FULL to the same bank: the wider one counts', async () => {
    const s = await subject();
    await grant(s, { scope: 'SUMMARY' });
    const { authorization: full } = await grant(s, { scope: 'FULL' });
    const seen = await view(s, world.bank.token);
    expect(seen.creditReport.scope).toBe('FULL');
    const [row] = await server.sql('select authorization_id from report_access where enterprise_id = ?', [
      s.enterprise.id,
    ]);
    expect(row.authorization_id).toBe(full.id);
  });

  test('another bank than the authorised one gets nothing', async () => {
    const s = await subject();
    await grant(s, { scope: 'FULL', institutionId: world.bankA.id });
    const other = await view(s, world.bankUserB.token);
    expect(other).toMatchObject({ creditReport: null, legalRepresentative: '欧*', employees: null });
    expect(await accessRows(s.enterprise.id)).toBe(0);
  });

  test('after revocation the bank reads nothing again', async () => {
    const s = await subject();
    const { authorization } = await grant(s, { scope: 'FULL' });
    expect((await view(s, world.bank.token)).creditReport).not.toBeNull();
    const revoked = await revoke(authorization.id, s.owner.token);
    expect(revoked.userErrors).toEqual([]);
    expect(revoked.authorization).toMatchObject({ id: authorization.id, status: 'REVOKED' });
    expect(revoked.authorization.revokedAt).toMatch(/\+08:00$/);
    const after = await view(s, world.bank.token);
    expect(after).toMatchObject({ creditReport: null, legalRepresentative: '欧*', riskLevel: null });
    expect(await accessRows(s.enterprise.id)).toBe(1);
    const byId = await server.gql(REPORT_BY_ID, { id: s.reportId }, { token: world.bank.token });
    expect(byId.body.data.creditReport).toBeNull();
  });

  test('once the clock passes expiresAt the bank reads nothing and the consent shows EXPIRED', async () => {
    const s = await subject();
    const { authorization } = await grant(s, { scope: 'FULL', validDays: 1 });
    server.clock.advance(23 * 3_600_000);
    await signInAgain(s.owner);
    expect((await view(s, world.bank.token)).creditReport).not.toBeNull();
    server.clock.advance(2 * 3_600_000);
    await signInAgain(s.owner);
    const after = await view(s, world.bank.token);
    expect(after).toMatchObject({ creditReport: null, legalRepresentative: '欧*' });
    const byId = await server.gql(REPORT_BY_ID, { id: s.reportId }, { token: world.bank.token });
    expect(byId.body.data.creditReport).toBeNull();
    const list = await server.gql(AUTHORIZATIONS, { id: s.enterprise.id }, { token: s.owner.token });
    expect(list.body.data.enterprise.authorizations.nodes).toEqual([
      { id: authorization.id, scope: 'FULL', status: 'EXPIRED', institution: { id: world.bankA.id } },
    ]);
    expect(await accessRows(s.enterprise.id)).toBe(1);
    // An expired consent cannot be revoked any more.
    const late = await revoke(authorization.id, s.owner.token);
    expect(late.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })]);
  });
});

describe('creditReport(id)', () => {
  test('follows the same rules as Enterprise.creditReport', async () => {
    const s = await subject();
    const byId = async (token?: string) => server.gql(REPORT_BY_ID, { id: s.reportId }, token ? { token } : {});

    const own = await byId(s.owner.token);
    expect(own.body.data.creditReport).toMatchObject({ id: s.reportId, scope: 'FULL' });
    expect(own.body.data.creditReport.enterprise.legalRepresentative).toBe('欧阳建国');
    expect(await accessRows(s.enterprise.id)).toBe(0);

    expect((await byId(world.enterprise.token)).body.data.creditReport).toBeNull();
    expect((await byId(world.bank.token)).body.data.creditReport).toBeNull();
    expect(await accessRows(s.enterprise.id)).toBe(0);

    const reg = await byId(world.regulator.token);
    expect(reg.body.data.creditReport.indicators).toHaveLength(20);
    expect(await accessRows(s.enterprise.id)).toBe(1);
    expect(await readEvents(s.reportId)).toBe(1);

    expect((await byId()).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await byId(world.admin.token)).body.errors?.[0].extensions.code).toBe('FORBIDDEN');

    const unknown = await server.gql(
      REPORT_BY_ID,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: world.regulator.token },
    );
    expect(unknown.body.data.creditReport).toBeNull();
    const malformed = await server.gql(REPORT_BY_ID, { id: 'not-a-uuid' }, { token: world.regulator.token });
    expect(malformed.body.data.creditReport).toBeNull();
    expect(await accessRows(s.enterprise.id)).toBe(1);
  });
});

describe('exactly one access-log row per read', () => {
  test('the same report asked for twice in one request (aliases) is one read; a second request another', async () => {
    const s = await subject();
    await grant(s, { scope: 'SUMMARY' });
    const twice = `query($id: ID!, $report: ID!) {
      a: enterprise(id: $id) { creditReport { score } }
      b: enterprise(id: $id) { creditReport { grade } }
      c: creditReport(id: $report) { score }
      d: creditReport(id: $report) { reasonCodes }
    }`;
    const res = await server.gql(twice, { id: s.enterprise.id, report: s.reportId }, { token: world.bank.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.a.creditReport.score).toBe(res.body.data.c.score);
    expect(res.body.data.d.reasonCodes.length).toBeGreaterThan(0);
    expect(await accessRows(s.enterprise.id)).toBe(1);
    expect(await readEvents(s.reportId)).toBe(1);

    await server.gql(twice, { id: s.enterprise.id, report: s.reportId }, { token: world.bank.token });
    expect(await accessRows(s.enterprise.id)).toBe(2);
    expect(await readEvents(s.reportId)).toBe(2);
  });

  test('aliases of the same field by a regulator are one read too', async () => {
    const s = await subject();
    const twice = `query($id: ID!) {
      a: enterprise(id: $id) { creditReport { score } }
      b: enterprise(id: $id) { creditReport { score } }
    }`;
    await server.gql(twice, { id: s.enterprise.id }, { token: world.regulator.token });
    expect(await accessRows(s.enterprise.id)).toBe(1);
  });
});

describe('Enterprise.reportAccesses (查询记录)', () => {
  let s: Subject;
  let summaryId: string;
  beforeAll(async () => {
    s = await subject();
    summaryId = (await grant(s, { scope: 'SUMMARY' })).authorization.id;
    await view(s, world.regulator.token);
    server.clock.advance(1000);
    await view(s, world.bank.token);
  });

  test('the enterprise sees who read its report, newest first', async () => {
    const res = await server.gql(ACCESSES, { id: s.enterprise.id }, { token: s.owner.token });
    const conn = res.body.data.enterprise.reportAccesses;
    expect(conn.totalCount).toBe(2);
    expect(conn.nodes).toEqual([
      expect.objectContaining({
        scope: 'SUMMARY',
        purpose: '流动资金贷款审批',
        institution: { id: world.bankA.id },
        // The enterprise learns which institution read, not which of its staff.
        user: null,
        authorization: { id: summaryId, scope: 'SUMMARY' },
      }),
      expect.objectContaining({
        scope: 'FULL',
        institution: null,
        user: null,
        authorization: null,
      }),
    ]);
    expect(Date.parse(conn.nodes[0].accessedAt)).toBeGreaterThan(Date.parse(conn.nodes[1].accessedAt));
  });

  test('regulators see them too (reading the log is not a report read)', async () => {
    const res = await server.gql(ACCESSES, { id: s.enterprise.id, first: 1 }, { token: world.regulatorB.token });
    expect(res.body.data.enterprise.reportAccesses.totalCount).toBe(2);
    expect(res.body.data.enterprise.reportAccesses.nodes).toHaveLength(1);
    // Regulators also see the person who read.
    expect(res.body.data.enterprise.reportAccesses.nodes[0].user).toEqual({ id: world.bank.user.id });
    expect(await accessRows(s.enterprise.id)).toBe(2);
  });

  test('banks, other enterprises, the operator and anonymous viewers are refused', async () => {
    for (const token of [world.bank.token, world.enterprise.token, world.admin.token, undefined]) {
      const res = await server.gql(ACCESSES, { id: s.enterprise.id }, token ? { token } : {});
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(res.body.errors?.[0].path).toEqual(['enterprise', 'reportAccesses']);
    }
  });
});

describe('Enterprise.authorizations', () => {
  test('the enterprise sees all of its consents; a bank only those given to it', async () => {
    const s = await subject();
    const a1 = (await grant(s, { scope: 'SUMMARY', institutionId: world.bankA.id })).authorization.id;
    server.clock.advance(1000);
    const b1 = (await grant(s, { scope: 'FULL', institutionId: world.bankB.id })).authorization.id;
    server.clock.advance(1000);
    const a2 = (await grant(s, { scope: 'FULL', institutionId: world.bankA.id })).authorization.id;
    await revoke(a2, s.owner.token);

    const ids = async (token: string) => {
      const res = await server.gql(AUTHORIZATIONS, { id: s.enterprise.id }, { token });
      expect(res.body.errors).toBeUndefined();
      const conn = res.body.data.enterprise.authorizations;
      expect(conn.totalCount).toBe(conn.nodes.length);
      return conn.nodes.map((n: { id: string; status: string }) => [n.id, n.status]);
    };
    expect(await ids(s.owner.token)).toEqual([
      [a2, 'REVOKED'],
      [b1, 'ACTIVE'],
      [a1, 'ACTIVE'],
    ]);
    expect(await ids(world.bank.token)).toEqual([
      [a2, 'REVOKED'],
      [a1, 'ACTIVE'],
    ]);
    expect(await ids(world.bankUserB.token)).toEqual([[b1, 'ACTIVE']]);
    expect(await ids(world.regulator.token)).toHaveLength(3);
    const other = await server.gql(AUTHORIZATIONS, { id: s.enterprise.id }, { token: world.enterprise.token });
    expect(other.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('grantCreditAuthorization and revokeCreditAuthorization', () => {
  test('validDays must be 1..365', async () => {
    const s = await subject();
    for (const validDays of [0, 366, -3]) {
      const { authorization, userErrors } = await grant(s, { validDays });
      expect(authorization).toBeNull();
      expect(userErrors).toEqual([expect.objectContaining({ field: ['input', 'validDays'], code: 'INVALID' })]);
    }
    for (const validDays of [1, 365]) expect((await grant(s, { validDays })).userErrors).toEqual([]);
    expect(await count('credit_authorization', 'enterprise_id = ?', [s.enterprise.id])).toBe(2);
  });

  test('an unknown institution and an unknown demand are NOT_FOUND; a blank purpose INVALID', async () => {
    const s = await subject();
    const unknown = await grant(s, { institutionId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toEqual({
      authorization: null,
      userErrors: [expect.objectContaining({ field: ['input', 'institutionId'], code: 'NOT_FOUND' })],
    });
    const malformed = await grant(s, { institutionId: 'bank-a' });
    expect(malformed.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'institutionId'], code: 'NOT_FOUND' }),
    ]);
    const demand = await grant(s, { demandId: '00000000-0000-4000-8000-000000000001' });
    expect(demand.userErrors).toEqual([expect.objectContaining({ field: ['input', 'demandId'], code: 'NOT_FOUND' })]);
    const blank = await grant(s, { purpose: '  ' });
    expect(blank.userErrors).toEqual([expect.objectContaining({ field: ['input', 'purpose'], code: 'INVALID' })]);
    expect(await count('credit_authorization', 'enterprise_id = ?', [s.enterprise.id])).toBe(0);
  });

  test('only enterprises grant and revoke', async () => {
    const s = await subject();
    const { authorization } = await grant(s, {});
    for (const token of [world.bank.token, world.regulator.token, world.admin.token]) {
      const g = await server.gql(
        GRANT,
        { input: { institutionId: world.bankA.id, scope: 'FULL', purpose: '贷款审批', validDays: 30 } },
        { token },
      );
      expect(g.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      const r = await server.gql(REVOKE, { input: { id: authorization.id } }, { token });
      expect(r.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const anonymous = await server.gql(REVOKE, { input: { id: authorization.id } });
    expect(anonymous.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('revoking twice is INVALID_STATE; another enterprise’s consent NOT_FOUND', async () => {
    const s = await subject();
    const { authorization } = await grant(s, { scope: 'FULL' });
    const stranger = await revoke(authorization.id, world.enterprise.token);
    expect(stranger).toEqual({
      authorization: null,
      userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })],
    });
    expect((await view(s, world.bank.token)).creditReport).not.toBeNull();

    expect((await revoke(authorization.id, s.owner.token)).userErrors).toEqual([]);
    const twice = await revoke(authorization.id, s.owner.token);
    expect(twice).toEqual({
      authorization: null,
      userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })],
    });
    expect(
      await count('audit_event', "action = 'revokeCreditAuthorization' and target_id = ?", [authorization.id]),
    ).toBe(1);
    const unknown = await revoke('00000000-0000-4000-8000-000000000000', s.owner.token);
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });
});

describe('SQL statements are bounded by the page, not its size', () => {
  beforeAll(async () => {
    const enterprises: Enterprise[] = [];
    for (let i = 0; i < 105; i += 1) enterprises.push(await server.fixtures.enterprise());
    const records = enterprises
      .flatMap((e, i) => [
        { uscc: e.uscc, source: 'TAX', kind: 'VAT_PAID', amount: `${(i + 1) * 1000}.00`, occurredOn: daysAgo(20) },
        {
          uscc: e.uscc,
          source: 'PENALTY',
          kind: 'ADMIN_PENALTY',
          amount: '500.00',
          occurredOn: daysAgo(i % 2 ? 10 : 200),
        },
      ])
      .map((r, i) => ({ ...r, externalId: `page-${i}` }));
    const res = await server.gql(IMPORT, { input: { records } }, { token: world.regulator.token });
    expect(res.body.data.importCreditRecords).toMatchObject({ inserted: 210, reevaluated: 105 });
    for (const e of enterprises.slice(0, 30)) {
      await server.sql(
        `insert into credit_commitment (id, created_at, enterprise_id, title, content, status, signed_at)
         values (gen_random_uuid(), now(), ?, '信用承诺书', '本企业承诺所提供信息真实有效。', 'SIGNED', now())`,
        [e.id],
      );
    }
  });

  test('enterprises(first: N) with grade, risk, report and commitments: same statements for N = 1, 20, 100', async () => {
    const page = `query($first: Int) {
      enterprises(first: $first) {
        nodes { id creditGrade riskLevel creditReport { score indicators { code } } commitments { id } }
      }
    }`;
    const readsBefore = await count('report_access', 'user_id = ?', [world.regulator.user.id]);
    const statements: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(page, { first }, { token: world.regulator.token });
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data.enterprises.nodes;
      expect(nodes).toHaveLength(first);
      for (const n of nodes) {
        expect(n.creditReport.indicators).toHaveLength(20);
        expect(n.riskLevel).toMatch(/^(GREEN|YELLOW|RED)$/);
      }
      statements.push(res.sqlStatements);
    }
    expect(statements[0]).toBeGreaterThan(0);
    expect(statements[1]).toBe(statements[0]);
    expect(statements[2]).toBe(statements[0]);
    // Every report shown was one logged read.
    expect(await count('report_access', 'user_id = ?', [world.regulator.user.id])).toBe(readsBefore + 121);
    expect(statements[0]).toBeLessThanOrEqual(15);
  });
  test('nested consents and access logs of a page of enterprises: same statements for N = 1, 20, 100', async () => {
    const page = `query($first: Int) {
      enterprises(first: $first) {
        nodes { id authorizations(first: 5) { totalCount nodes { id status institution { name } } }
                reportAccesses(first: 5) { totalCount nodes { id scope } } }
      }
    }`;
    const statements: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(page, { first }, { token: world.regulator.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.enterprises.nodes).toHaveLength(first);
      statements.push(res.sqlStatements);
    }
    expect(new Set(statements).size).toBe(1);
  });
});

describe('evaluateEnterprise', () => {
  test('the regulator is handed the full report, and that read is logged like any other', async () => {
    const s = await subject();
    const before = await accessRows(s.enterprise.id);
    const res = await server.gql(
      `mutation($id: ID!) { evaluateEnterprise(input: { enterpriseId: $id }) { report { id scope indicators { code } } userErrors { code } } }`,
      { id: s.enterprise.id },
      { token: world.regulator.token },
    );
    const { report } = res.body.data.evaluateEnterprise;
    expect(report.scope).toBe('FULL');
    expect(report.indicators.length).toBeGreaterThan(0);
    expect(await accessRows(s.enterprise.id)).toBe(before + 1);
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'creditReport.read' and target_id = ?",
      [report.id],
    );
    expect(audit.n).toBe(1);
  });
});
