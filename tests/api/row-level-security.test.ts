import type { EntityManager } from '@mikro-orm/postgresql';
import { ANONYMOUS, type Viewer } from '../../src/auth/viewer';
import { APP_ROLE, asSystem, beginScoped, type RowScope } from '../../src/db/row-security';
import { sql } from '../../src/services/sql';
import { Role } from '../../src/entities/enums';
import type { World } from '../support/fixtures';
import { Marketplace, type Party } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';
import type { FinancialInstitution } from '../../src/entities';

/**
 * Row-level security (docs/row-level-security.md): the server's own connection, with no viewer
 * stated, reads nothing of the secured tables, and with a viewer stated reads exactly the rows
 * the policies grant, whatever the query asks. The rest of the suite runs through the same
 * connection, so it shows that the policies refuse nothing the rules allow.
 */
const TABLES = ['credit_report', 'credit_record', 'credit_authorization', 'report_access', 'loan'] as const;
type Table = (typeof TABLES)[number];
type Rows = Record<Table, string[]>;

const REPORT = `query($id: ID!) { enterprise(id: $id) { creditReport { id } } }`;
const IMPORT = `mutation($input: ImportCreditRecordsInput!) {
  importCreditRecords(input: $input) { inserted reevaluated userErrors { code } }
}`;

let server: TestServer;
let world: World;
let market: Marketplace;
let bank1: Party<FinancialInstitution>;
let bank2: Party<FinancialInstitution>;
let deals: Awaited<ReturnType<Marketplace['pendingLoan']>>[];

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
  [bank1, bank2] = await Promise.all([market.bank(), market.bank()]);
  // Each bank lends to its own enterprise: a loan and a FULL authorisation each (acceptOffer).
  deals = await Promise.all([market.pendingLoan(bank1), market.pendingLoan(bank2)]);
  const records = deals.map((d, i) => ({
    uscc: d.enterprise.org.uscc,
    source: 'TAX',
    kind: 'VAT_PAID',
    externalId: `rls-${i}`,
    period: '2026-01',
    amount: '12000.00',
    occurredOn: '2026-01-15',
  }));
  const imported = await server.gql(IMPORT, { input: { records } }, { token: world.regulator.token });
  expect(imported.body.data.importCreditRecords).toMatchObject({ inserted: 2, reevaluated: 2, userErrors: [] });
  // Each bank reads its borrower's report once: one report_access row each.
  for (const [bank, deal] of [
    [bank1, deals[0]!],
    [bank2, deals[1]!],
  ] as const) {
    const res = await server.gql(REPORT, { id: deal.enterprise.org.id }, { token: bank.token });
    expect(res.body.data.enterprise.creditReport).not.toBeNull();
  }
}, 60_000);
afterAll(() => server.close());

/** Every row of the secured tables, by table, as the owner sees them (it runs with SYSTEM). */
async function allRows(): Promise<Rows> {
  const rows = {} as Rows;
  for (const table of TABLES) {
    rows[table] = (await server.sql<{ id: string }>(`select id from ${table} order by id`)).map((r) => r.id);
  }
  return rows;
}

/** The rows a table holds for one enterprise (by id, or by USCC for credit records). */
async function rowsOf(enterpriseIndex: number, only?: { institution: string }): Promise<Rows> {
  const e = deals[enterpriseIndex]!.enterprise.org;
  const where: Record<Table, string> = {
    credit_report: 'enterprise_id = ?',
    credit_record: 'uscc = (select uscc from enterprise where id = ?)',
    credit_authorization: 'enterprise_id = ?',
    report_access: only ? 'enterprise_id = ? and institution_id = ?' : 'enterprise_id = ?',
    loan: 'enterprise_id = ?',
  };
  const rows = {} as Rows;
  for (const table of TABLES) {
    const params = table === 'report_access' && only ? [e.id, only.institution] : [e.id];
    rows[table] = (
      await server.sql<{ id: string }>(`select id from ${table} where ${where[table]} order by id`, params)
    ).map((r) => r.id);
  }
  return rows;
}

/** The same queries (no WHERE at all) through the server's connection, in a transaction stating `scope`. */
async function seenBy(scope: RowScope): Promise<Rows> {
  return inScope(scope, async (em) => {
    const rows = {} as Rows;
    for (const table of TABLES) {
      rows[table] = (await sql<{ id: string }>(em, `select id from ${table} order by id`)).map((r) => r.id);
    }
    return rows;
  });
}

async function inScope<T>(scope: RowScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const em = server.appOrm.em.fork() as EntityManager;
  const trx = await beginScoped(em, scope);
  try {
    return await work(em);
  } finally {
    await trx.end('rollback');
  }
}

function viewer(role: Role, ids: Partial<Viewer>): Viewer {
  return { ...ANONYMOUS, userId: '00000000-0000-4000-8000-000000000001', role, ...ids };
}

const NOTHING: Rows = { credit_report: [], credit_record: [], credit_authorization: [], report_access: [], loan: [] };

describe('the serving role', () => {
  test(`${APP_ROLE} owns nothing, is no superuser and cannot bypass row security; the five tables FORCE it`, async () => {
    const [role] = await server.sql(
      `select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = ?`,
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const owned = await server.sql(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and pg_get_userbyid(c.relowner) = ?`,
      [APP_ROLE],
    );
    expect(owned).toEqual([]);
    const secured = await server.sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `select relname, relrowsecurity, relforcerowsecurity from pg_class
        where relname = any(?::text[]) and relkind = 'r' order by relname`,
      [`{${TABLES.join(',')}}`],
    );
    expect(secured).toEqual(
      [...TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })),
    );
  });

  test('the server’s sessions run as it, and no viewer outlives a request', async () => {
    // Requests of every kind first, so the pooled connections have served scoped transactions.
    await Promise.all([
      server.gql(REPORT, { id: deals[0]!.enterprise.org.id }, { token: bank1.token }),
      server.gql('{ loans(first: 5) { nodes { id } } }', {}, { token: world.regulator.token }),
      server.gql('{ me { login } }', {}, { token: deals[1]!.enterprise.token }),
    ]);
    const sessions = await Promise.all(
      [1, 2, 3].map(() =>
        server.appOrm.em
          .fork()
          .getConnection()
          .execute(
            `select current_user as "user", coalesce(current_setting('app.viewer_role', true), '') as viewer,
                    (select count(*)::int from loan) as loans`,
          ),
      ),
    );
    for (const [session] of sessions) expect(session).toEqual({ user: APP_ROLE, viewer: '', loans: 0 });
  });
});

describe('what each viewer reads of the secured tables, with queries that ask for everything', () => {
  test('the owner (SYSTEM) sees the rows the test made: two of each but the records, reports and reads', async () => {
    const all = await allRows();
    expect(all.loan).toHaveLength(2);
    expect(all.credit_authorization).toHaveLength(2);
    expect(all.report_access.length).toBeGreaterThanOrEqual(2);
    expect(all.credit_record).toHaveLength(2);
    expect(all.credit_report.length).toBeGreaterThanOrEqual(2);
  });

  test('no viewer stated (a raw query on the server’s connection): nothing, in a transaction or out of one', async () => {
    const raw = server.appOrm.em.fork().getConnection();
    for (const table of TABLES) {
      expect(await raw.execute(`select id from ${table}`)).toEqual([]);
    }
    expect(await seenBy(ANONYMOUS)).toEqual(NOTHING);
  });

  test('the operator (ADMIN) and an anonymous visitor: nothing', async () => {
    expect(await seenBy(viewer(Role.ADMIN, {}))).toEqual(NOTHING);
    expect(await seenBy({ ...ANONYMOUS })).toEqual(NOTHING);
  });

  test('an enterprise: its own rows only', async () => {
    for (const i of [0, 1]) {
      const own = await rowsOf(i);
      expect(own.loan).toHaveLength(1);
      expect(await seenBy(viewer(Role.ENTERPRISE, { enterpriseId: deals[i]!.enterprise.org.id }))).toEqual(own);
    }
  });

  test('a bank: its loans, its authorisations, its own reads, and what its FULL-authorised borrower holds', async () => {
    for (const [i, bank] of [
      [0, bank1],
      [1, bank2],
    ] as const) {
      const borrower = await rowsOf(i, { institution: bank.org.id });
      expect(borrower.report_access.length).toBeGreaterThanOrEqual(1);
      expect(await seenBy(viewer(Role.BANK, { institutionId: bank.org.id }))).toEqual(borrower);
    }
  });

  test('a bank that has neither lent nor been authorised: nothing', async () => {
    expect(await seenBy(viewer(Role.BANK, { institutionId: world.bankB.id }))).toEqual(NOTHING);
  });

  test('a regulator: everything', async () => {
    expect(await seenBy(viewer(Role.REGULATOR, { departmentId: world.departmentA.id }))).toEqual(await allRows());
  });
});

describe('writes', () => {
  test('a bank cannot change another bank’s loan (it is not there for it) nor log a read as another bank', async () => {
    const other = viewer(Role.BANK, { institutionId: bank2.org.id });
    const loanId = deals[0]!.loanId;
    const [before] = await server.sql('select rate from loan where id = ?', [loanId]);
    const updated = await inScope(other, (em) =>
      sql(em, `update loan set rate = rate + 1 where id = ? returning id`, [loanId]),
    );
    expect(updated).toEqual([]);
    const [access] = await server.sql('select * from report_access where institution_id = ? limit 1', [bank1.org.id]);
    await expect(
      inScope(other, (em) =>
        sql(
          em,
          `insert into report_access (id, enterprise_id, report_id, institution_id, user_id, scope, purpose, accessed_at)
           values (gen_random_uuid(), ?, ?, ?, null, 'SUMMARY', 'forged', now())`,
          [access.enterprise_id, access.report_id, bank1.org.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const [after] = await server.sql('select rate from loan where id = ?', [loanId]);
    expect(after.rate).toBe(before.rate);
  });

  test('only SYSTEM and regulators write credit reports; an enterprise cannot forge its own', async () => {
    const e = deals[0]!.enterprise.org.id;
    const [report] = await server.sql('select * from credit_report where enterprise_id = ? limit 1', [e]);
    await expect(
      inScope(viewer(Role.ENTERPRISE, { enterpriseId: e }), (em) =>
        sql(em, `update credit_report set score = 1000 where id = ? returning id`, [report.id]),
      ),
    ).resolves.toEqual([]);
    const [after] = await server.sql('select score from credit_report where id = ?', [report.id]);
    expect(after.score).toBe(report.score);
  });
});

describe('elevation', () => {
  test('asSystem sees across scopes for its work only; the viewer is stated again after it', async () => {
    const bank = viewer(Role.BANK, { institutionId: bank2.org.id });
    const seen = await inScope(bank, async (em) => {
      const count = async (e: EntityManager) =>
        (await sql<{ n: number }>(e, 'select count(*)::int as n from loan'))[0]!.n;
      const before = await count(em);
      const during = await asSystem(em, bank, count);
      const after = await count(em);
      return { before, during, after };
    });
    expect(seen).toEqual({ before: 1, during: 2, after: 1 });
  });

  test('a failure inside asSystem rolls its savepoint back, and the viewer with it', async () => {
    const bank = viewer(Role.BANK, { institutionId: bank2.org.id });
    const after = await inScope(bank, async (em) => {
      await expect(
        asSystem(em, bank, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      return (await sql<{ n: number }>(em, 'select count(*)::int as n from loan'))[0]!.n;
    });
    expect(after).toBe(1);
  });
});

describe('with a read replica', () => {
  let replicated: TestServer;
  beforeAll(async () => {
    replicated = await startTestServer({}, { replica: 'self' });
  });
  afterAll(() => replicated.close());

  test('queries read from the replica in READ ONLY transactions; a report read is still logged, on the primary', async () => {
    const m = new Marketplace(replicated);
    const bank = await m.bank();
    const deal = await m.pendingLoan(bank);
    const driver = replicated.appOrm.em.getDriver();
    const replica = driver.getConnection('read');
    expect(replica).not.toBe(driver.getConnection('write'));

    const regulator = (await replicated.fixtures.getWorld()).regulator;
    const record = {
      uscc: deal.enterprise.org.uscc,
      source: 'TAX',
      kind: 'VAT_PAID',
      externalId: 'replica-1',
      period: '2026-01',
      amount: '12000.00',
      occurredOn: '2026-01-15',
    };
    const imported = await replicated.gql(IMPORT, { input: { records: [record] } }, { token: regulator.token });
    expect(imported.body.data.importCreditRecords).toMatchObject({ inserted: 1, reevaluated: 1 });

    const res = await replicated.gql(REPORT, { id: deal.enterprise.org.id }, { token: bank.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprise.creditReport).not.toBeNull();
    const logged = await replicated.sql('select institution_id from report_access where enterprise_id = ?', [
      deal.enterprise.org.id,
    ]);
    expect(logged).toEqual([{ institution_id: bank.org.id }]);
    const pool = (replica.getKnex().client as { pool: { numUsed(): number; numFree(): number } }).pool;
    expect(pool.numUsed() + pool.numFree()).toBeGreaterThan(0);

    // What a query's transaction is: on the replica, READ ONLY, so a stray write fails loudly.
    const em = replicated.appOrm.em.fork() as EntityManager;
    const trx = await beginScoped(em, viewer(Role.BANK, { institutionId: bank.org.id }), { replica: true });
    try {
      expect(trx.onReplica).toBe(true);
      await expect(sql(em, `update loan set rate = rate where id = ?`, [deal.loanId])).rejects.toThrow(/read-only/);
    } finally {
      await trx.end('rollback');
    }
  });
});
