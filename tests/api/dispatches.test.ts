import { randomUUID } from 'node:crypto';
import { LoanProduct } from '../../src/entities';
import { CreditGrade, LoanProductType, ProductStatus, RepaymentMethod, Role } from '../../src/entities/enums';
import type { Principal, World } from '../support/fixtures';
import { validUscc } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());
// Each test sets up its own market: products of earlier tests would compete for the entries.
beforeEach(() => server.sql("update loan_product set status = 'OFFLINE'"));

const UPLOAD = `mutation($input: UploadWhitelistInput!) {
  uploadWhitelist(input: $input) { whitelist { id } userErrors { field code message } }
}`;
const DISPATCH = `mutation($id: ID!) {
  dispatchWhitelist(input: { whitelistId: $id }) { dispatched userErrors { field code message } }
}`;
const RESPOND = `mutation($input: RespondToDispatchInput!) {
  respondToDispatch(input: $input) { dispatch { id status note respondedAt } userErrors { field code message } }
}`;
const DISPATCHES = `query($statuses: [DispatchStatus!], $first: Int, $after: String) {
  dispatches(statuses: $statuses, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id status reason institution { id } entry { uscc name } product { id name } }
  }
}`;

interface Bank {
  id: string;
  user: Principal;
}

async function newBank(): Promise<Bank> {
  const institution = await server.fixtures.institution();
  return { id: institution.id, user: await server.fixtures.principal(Role.BANK, { institution } as never) };
}

/** A published product, written straight through the ORM. */
async function product(bank: Bank, minRate: string, rule: Partial<LoanProduct> = {}): Promise<LoanProduct> {
  const em = server.orm.em.fork();
  const p = em.create(LoanProduct, {
    institution: bank.id,
    name: `${minRate}% 信用贷`,
    description: '测试产品',
    type: LoanProductType.CREDIT,
    minAmount: '10000.00',
    maxAmount: '3000000.00',
    minRate,
    maxRate: '12.0000',
    minTermMonths: 3,
    maxTermMonths: 36,
    repaymentMethods: [RepaymentMethod.EQUAL_INSTALLMENT],
    status: ProductStatus.PUBLISHED,
    publishedAt: new Date(),
    ...rule,
  } as never);
  await em.flush();
  return p;
}

/** `n` PENDING dispatches to the bank on a list of department B (someone else's backlog). */
async function backlog(bank: Bank, n: number) {
  const [list] = await server.sql(
    "insert into whitelist (id, department_id, name, entry_count) values (gen_random_uuid(), ?, '积压', ?) returning id",
    [world.departmentB.id, n],
  );
  await server.sql(
    `with e as (
       insert into whitelist_entry (id, whitelist_id, position, uscc, name)
       select gen_random_uuid(), ?, i, 'X' || i || md5(random()::text), '积压企业' from generate_series(0, ? - 1) i
       returning id)
     insert into dispatch (id, entry_id, institution_id, status, reason, assigned_at)
     select gen_random_uuid(), e.id, ?, 'PENDING', '积压', now() from e`,
    [list.id, n, bank.id],
  );
}

async function upload(entries: { uscc: string; name: string }[], token = world.regulator.token): Promise<string> {
  const res = await server.gql(UPLOAD, { input: { name: '派单名单', entries } }, { token });
  expect(res.body.data.uploadWhitelist.userErrors).toEqual([]);
  return res.body.data.uploadWhitelist.whitelist.id;
}

async function dispatch(id: string, token = world.regulator.token) {
  const res = await server.gql(DISPATCH, { id }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.dispatchWhitelist as {
    dispatched: number;
    userErrors: { field: string[]; code: string; message: string }[];
  };
}

/** Where each entry of the list went, in list order: institution id, reason, product, status. */
async function placements(whitelistId: string) {
  return server.sql(
    `select e.position, e.uscc, d.institution_id, d.reason, d.product_id, d.status
     from whitelist_entry e join dispatch d on d.entry_id = e.id
     where e.whitelist_id = ? order by e.position, d.assigned_at`,
    [whitelistId],
  );
}

const registered = async (overrides = {}) => {
  const e = await server.fixtures.enterprise(overrides);
  return { uscc: e.uscc, name: e.name };
};

describe('dispatchWhitelist chooses the bank', () => {
  test('the least-loaded bank first, even when dearer; the reason says why', async () => {
    const [busy, idle] = [await newBank(), await newBank()];
    await product(busy, '3.1000');
    const chosen = await product(idle, '3.4500', { name: '小微快贷' });
    await backlog(busy, 2);
    const list = await upload([await registered()]);
    expect(await dispatch(list)).toEqual({ dispatched: 1, userErrors: [] });
    const [row] = await placements(list);
    expect(row).toMatchObject({ institution_id: idle.id, product_id: chosen.id, status: 'PENDING' });
    expect(row.reason).toBe('待处理派单 0 件（最少）；可申请产品「小微快贷」年利率 3.45% 起');
  });

  test('equal loads go to the lower rate, counting what this run has already assigned', async () => {
    const [cheap, dear] = [await newBank(), await newBank()];
    await product(cheap, '3.4500');
    await product(dear, '4.3500');
    const list = await upload([await registered(), await registered(), await registered()]);
    expect((await dispatch(list)).dispatched).toBe(3);
    const rows = await placements(list);
    expect(rows.map((r) => r.institution_id)).toEqual([cheap.id, dear.id, cheap.id]);
    expect(rows[0].reason).toContain('（并列最少）');
    expect(rows[0].reason).toContain('3.45% 起（最低）');
    expect(rows[1].reason).toContain('待处理派单 0 件（最少）');
  });

  test('a bank whose products the enterprise is not eligible for is passed over; its cheapest eligible product is named', async () => {
    const [strict, open] = [await newBank(), await newBank()];
    await product(strict, '2.8000', { minGrade: CreditGrade.A });
    await product(strict, '3.0000', { regionCodes: ['110000'] });
    await product(open, '3.9000', { name: '普惠贷' });
    await product(open, '3.6000', { name: '科创贷', minGrade: CreditGrade.B });
    const list = await upload([await registered({ creditGrade: CreditGrade.B })]);
    expect((await dispatch(list)).dispatched).toBe(1);
    const [row] = await placements(list);
    expect(row.institution_id).toBe(open.id);
    expect(row.reason).toBe('唯一可承接的机构；待处理派单 0 件；可申请产品「科创贷」年利率 3.60% 起');
  });

  test('unregistered USCCs are NOT_FOUND and ineligible enterprises NOT_ELIGIBLE, by entry; the rest is dispatched', async () => {
    const bank = await newBank();
    await product(bank, '4.0000', { minGrade: CreditGrade.B });
    const ghost = { uscc: validUscc(), name: '未注册企业' };
    const weak = await registered({ creditGrade: CreditGrade.D, name: '评级不足企业' });
    const list = await upload([await registered({ creditGrade: CreditGrade.A }), ghost, weak]);
    const result = await dispatch(list);
    expect(result.dispatched).toBe(1);
    expect(result.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['entries', '1'], message: expect.stringContaining(ghost.uscc) },
      { code: 'NOT_ELIGIBLE', field: ['entries', '2'], message: expect.stringContaining(weak.uscc) },
    ]);
    expect(result.userErrors[0].message).toContain('未注册企业');
    expect(result.userErrors[1].message).toContain('评级不足企业');
    expect((await placements(list)).map((r) => r.position)).toEqual([0]);
  });

  test('a second run of the same list creates nothing new', async () => {
    const bank = await newBank();
    await product(bank, '4.0000');
    const list = await upload([await registered(), await registered()]);
    expect((await dispatch(list)).dispatched).toBe(2);
    expect(await dispatch(list)).toEqual({ dispatched: 0, userErrors: [] });
    expect(await placements(list)).toHaveLength(2);
  });

  test('two runs of the same list at once assign every entry once', async () => {
    await Promise.all([newBank(), newBank()].map(async (b) => product(await b, '4.0000')));
    const list = await upload(await Promise.all(Array.from({ length: 6 }, () => registered())));
    const results = await Promise.all([dispatch(list), dispatch(list)]);
    expect(results.map((r) => r.dispatched).sort()).toEqual([0, 6]);
    expect(await placements(list)).toHaveLength(6);
  });

  test('a declined entry goes to another bank on the next run; when every eligible bank declined it is NOT_ELIGIBLE', async () => {
    const [first, second] = [await newBank(), await newBank()];
    await product(first, '3.0000');
    await product(second, '5.0000');
    const list = await upload([await registered({ name: '被拒企业' })]);
    await dispatch(list);
    const [initial] = await placements(list);
    expect(initial.institution_id).toBe(first.id);
    const dispatchId = (await server.sql('select id from dispatch where institution_id = ?', [first.id]))[0].id;

    const declined = await server.gql(
      RESPOND,
      { input: { dispatchId, accept: false, note: '行业授信额度已满' } },
      { token: first.user.token },
    );
    expect(declined.body.data.respondToDispatch.dispatch).toMatchObject({
      status: 'DECLINED',
      note: '行业授信额度已满',
    });

    expect((await dispatch(list)).dispatched).toBe(1);
    expect((await placements(list)).map((r) => [r.institution_id, r.status])).toEqual([
      [first.id, 'DECLINED'],
      [second.id, 'PENDING'],
    ]);

    const secondId = (await server.sql('select id from dispatch where institution_id = ?', [second.id]))[0].id;
    await server.gql(RESPOND, { input: { dispatchId: secondId, accept: false } }, { token: second.user.token });
    const last = await dispatch(list);
    expect(last.dispatched).toBe(0);
    expect(last.userErrors).toEqual([
      { code: 'NOT_ELIGIBLE', field: ['entries', '0'], message: expect.stringContaining('均已拒绝') },
    ]);
  });
});

describe('dispatchWhitelist: whose list, and what it costs', () => {
  test("another department's list, or no list, is NOT_FOUND and nothing is dispatched", async () => {
    await product(await newBank(), '4.0000');
    const list = await upload([await registered()]);
    for (const id of [list, randomUUID(), 'not-a-uuid']) {
      const res = await server.gql(DISPATCH, { id }, { token: world.regulatorB.token });
      expect(res.body.data.dispatchWhitelist).toEqual({
        dispatched: 0,
        userErrors: [{ code: 'NOT_FOUND', field: ['input', 'whitelistId'], message: expect.any(String) }],
      });
    }
    expect(await placements(list)).toEqual([]);
  });

  test('the same statements for a list of 1 and of 40 entries; one audit event per run', async () => {
    await Promise.all([newBank(), newBank(), newBank()].map(async (b) => product(await b, '4.0000')));
    const statements: number[] = [];
    for (const n of [1, 40]) {
      const entries = await Promise.all(Array.from({ length: n }, () => registered()));
      entries.push({ uscc: validUscc(), name: '未注册' });
      const list = await upload(entries);
      const res = await server.gql(DISPATCH, { id: list }, { token: world.regulator.token });
      expect(res.body.data.dispatchWhitelist.dispatched).toBe(n);
      statements.push(res.sqlStatements);
      const [audit] = await server.sql(
        "select count(*)::int as n from audit_event where action = 'dispatchWhitelist' and target_id = ?",
        [list],
      );
      expect(audit.n).toBe(1);
    }
    expect(statements[1]).toBe(statements[0]);
  });
});

describe('respondToDispatch', () => {
  async function pendingDispatch() {
    const bank = await newBank();
    await product(bank, '4.0000');
    const list = await upload([await registered()]);
    await dispatch(list);
    const [row] = await server.sql('select id from dispatch where institution_id = ?', [bank.id]);
    return { bank, id: row.id as string };
  }

  test('the bank accepts once; answering again is INVALID_STATE; the answer is audited', async () => {
    const { bank, id } = await pendingDispatch();
    const accepted = await server.gql(
      RESPOND,
      { input: { dispatchId: id, accept: true, note: '已安排客户经理' } },
      {
        token: bank.user.token,
      },
    );
    expect(accepted.body.data.respondToDispatch).toEqual({
      dispatch: { id, status: 'ACCEPTED', note: '已安排客户经理', respondedAt: expect.any(String) },
      userErrors: [],
    });
    const again = await server.gql(RESPOND, { input: { dispatchId: id, accept: false } }, { token: bank.user.token });
    expect(again.body.data.respondToDispatch).toEqual({
      dispatch: null,
      userErrors: [
        { code: 'INVALID_STATE', field: ['input', 'dispatchId'], message: expect.stringContaining('已接单') },
      ],
    });
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'respondToDispatch' and target_id = ?",
      [id],
    );
    expect(audit.n).toBe(1);
  });

  test("another bank's dispatch, or none, is NOT_FOUND and stays PENDING", async () => {
    const { id } = await pendingDispatch();
    for (const dispatchId of [id, randomUUID(), 'nope']) {
      const res = await server.gql(RESPOND, { input: { dispatchId, accept: true } }, { token: world.bankUserB.token });
      expect(res.body.data.respondToDispatch.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'dispatchId'], message: expect.any(String) },
      ]);
    }
    expect((await server.sql('select status from dispatch where id = ?', [id]))[0].status).toBe('PENDING');
  });

  test('an over-long note is INVALID; an accept and a decline at once: exactly one wins', async () => {
    const { bank, id } = await pendingDispatch();
    const long = await server.gql(
      RESPOND,
      { input: { dispatchId: id, accept: true, note: '长'.repeat(501) } },
      {
        token: bank.user.token,
      },
    );
    expect(long.body.data.respondToDispatch.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'note'] }),
    ]);
    const results = await Promise.all(
      [true, false].map((accept) =>
        server.gql(RESPOND, { input: { dispatchId: id, accept } }, { token: bank.user.token }),
      ),
    );
    const codes = results.map((r) => r.body.data.respondToDispatch.userErrors[0]?.code ?? 'ok').sort();
    expect(codes).toEqual(['INVALID_STATE', 'ok']);
  });
});

describe('reading dispatches', () => {
  let bankA: Bank;
  let bankB: Bank;
  let list: string;
  beforeAll(async () => {
    await server.sql("update loan_product set status = 'OFFLINE'");
    [bankA, bankB] = [await newBank(), await newBank()];
    await product(bankA, '3.5000', { name: '甲行产品' });
    await product(bankB, '3.8000', { name: '乙行产品' });
    list = await upload([await registered({ name: '第一家' }), await registered({ name: '第二家' })]);
    await dispatch(list);
  });

  test('a bank sees only the dispatches to it, with entry, institution and product', async () => {
    const res = await server.gql(DISPATCHES, {}, { token: bankA.user.token });
    expect(res.body.data.dispatches).toMatchObject({
      totalCount: 1,
      nodes: [
        {
          status: 'PENDING',
          institution: { id: bankA.id },
          entry: { name: '第一家' },
          product: { name: '甲行产品' },
          reason: expect.stringContaining('甲行产品'),
        },
      ],
    });
  });

  test("a regulator sees its department's dispatches, filtered by status, newest first; another department's does not", async () => {
    const mine = await server.gql(DISPATCHES, { first: 100 }, { token: world.regulator.token });
    const names = mine.body.data.dispatches.nodes.map((n: { entry: { name: string } }) => n.entry.name);
    expect(names).toEqual(expect.arrayContaining(['第一家', '第二家']));
    const others = await server.gql(DISPATCHES, { first: 100 }, { token: world.regulatorB.token });
    const otherNames = others.body.data.dispatches.nodes.map((n: { entry: { name: string } }) => n.entry.name);
    expect(otherNames).not.toContain('第一家');

    const [first] = await server.sql('select id from dispatch where institution_id = ?', [bankA.id]);
    await server.gql(RESPOND, { input: { dispatchId: first.id, accept: true } }, { token: bankA.user.token });
    const accepted = await server.gql(DISPATCHES, { statuses: ['ACCEPTED'] }, { token: world.regulator.token });
    const nodes: { id: string; status: string }[] = accepted.body.data.dispatches.nodes;
    expect(nodes.map((n) => n.id)).toContain(first.id);
    expect(new Set(nodes.map((n) => n.status))).toEqual(new Set(['ACCEPTED']));

    server.clock.advance(1000);
    await product(bankB, '3.8000');
    const later = await upload([await registered({ name: '后派企业' })]);
    await dispatch(later);
    const newest = await server.gql(DISPATCHES, { first: 1 }, { token: world.regulator.token });
    expect(newest.body.data.dispatches.nodes[0].entry.name).toBe('后派企业');
    const next = await server.gql(
      DISPATCHES,
      { first: 1, after: newest.body.data.dispatches.pageInfo.endCursor },
      { token: world.regulator.token },
    );
    expect(next.body.data.dispatches.nodes[0].entry.name).not.toBe('后派企业');
  });

  test('WhitelistEntry.dispatches: a bank sees its own, not who else had the entry', async () => {
    const [row] = await server.sql(
      'select d.id from dispatch d join whitelist_entry e on e.id = d.entry_id where e.whitelist_id = ? and e.position = 1',
      [list],
    );
    await server.gql(RESPOND, { input: { dispatchId: row.id, accept: false } }, { token: bankB.user.token });
    await product(bankA, '3.5000');
    await dispatch(list);
    const query = `query { dispatches(first: 100) { nodes { entry { name dispatches { institution { id } status } } } } }`;
    const res = await server.gql(query, {}, { token: bankA.user.token });
    const second = res.body.data.dispatches.nodes.find((n: { entry: { name: string } }) => n.entry.name === '第二家');
    expect(second.entry.dispatches).toEqual([{ institution: { id: bankA.id }, status: 'PENDING' }]);
  });
});

test('whitelists with entries, enterprises and dispatches: the same statements for 2 entries and for 40', async () => {
  const regulator = await server.fixtures.principal(Role.REGULATOR, {
    department: await server.fixtures.department(),
  } as never);
  await product(await newBank(), '4.0000');
  for (let i = 0; i < 2; i += 1) {
    const entries = await Promise.all(Array.from({ length: 40 }, () => registered()));
    entries.push({ uscc: validUscc(), name: '未注册' });
    await dispatch(await upload(entries, regulator.token), regulator.token);
  }
  const query = `query($first: Int) { whitelists { nodes { name department { name } entries(first: $first) {
    totalCount nodes { uscc enterprise { id name } dispatches { status reason institution { name } } } } } } }`;
  const statements: number[] = [];
  for (const first of [2, 41]) {
    const res = await server.gql(query, { first }, { token: regulator.token });
    expect(res.body.errors).toBeUndefined();
    const lists = res.body.data.whitelists.nodes;
    expect(lists).toHaveLength(2);
    expect(lists[0].entries.nodes).toHaveLength(first);
    expect(lists[0].entries.totalCount).toBe(41);
    expect(lists[0].entries.nodes[0].dispatches).toHaveLength(1);
    statements.push(res.sqlStatements);
  }
  expect(statements[1]).toBe(statements[0]);
});
