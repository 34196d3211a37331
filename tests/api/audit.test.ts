import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { cliEnv, runCli } from '../support/cli';
import type { World } from '../support/fixtures';
import { PASSWORD } from '../support/fixtures';
import { Marketplace, demandInput } from '../support/marketplace';
import { policyInput } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';

jest.setTimeout(120_000);

let server: TestServer;
let world: World;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
});
afterAll(() => server.close());

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id action actorRole targetType targetId at requestId actor { id login } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const verify = () => runCli('src/db/audit-verify.cli.ts', [], cliEnv(server.dbUrl));

async function events(filter: Record<string, unknown>, token = world.regulator.token, first = 50) {
  const res = await server.gql(EVENTS, { filter, first }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.auditEvents;
}

describe('who may read the audit trail', () => {
  test('regulators and admins read it; anonymous is UNAUTHENTICATED; enterprises and banks are FORBIDDEN', async () => {
    for (const token of [world.regulator.token, world.admin.token]) {
      const res = await server.gql(EVENTS, {}, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.auditEvents.totalCount).toBeGreaterThan(0);
    }
    const anonymous = await server.gql(EVENTS, {});
    expect(anonymous.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    for (const token of [world.enterprise.token, world.bank.token]) {
      const res = await server.gql(EVENTS, {}, { token });
      expect(res.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
      expect(res.body.data).toBeNull();
    }
  });
});

describe('what is recorded', () => {
  test('logins, successful and failed (without the password), with actor, role, target and request id', async () => {
    const user = await server.fixtures.user('BANK' as never, { institution: world.bankA } as never);
    const requestId = `req-${randomUUID()}`;
    const ok = await server.gql(
      'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
      { input: { login: user.login, password: PASSWORD } },
      { headers: { 'x-request-id': requestId } },
    );
    expect(ok.body.data.login.accessToken).toBeTruthy();
    const wrong = 'wrong-Secret-Password-9';
    await server.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', {
      input: { login: user.login, password: wrong },
    });

    const logins = await events({ action: 'login', targetId: user.id });
    expect(logins.nodes).toEqual([
      expect.objectContaining({
        action: 'login',
        actorRole: 'BANK',
        targetType: 'User',
        targetId: user.id,
        requestId,
        actor: { id: user.id, login: user.login },
      }),
    ]);
    const failed = await events({ action: 'login.failed', targetId: user.id });
    expect(failed.totalCount).toBe(1);
    expect(failed.nodes[0]).toMatchObject({ actorRole: null, actor: null, targetType: 'User' });
    const rows = await server.sql<{ row: string }>('select to_jsonb(a)::text as row from audit_event a where id = ?', [
      failed.nodes[0].id,
    ]);
    expect(rows[0]!.row).not.toContain(wrong);
    const anywhere = await server.sql('select id from audit_event a where to_jsonb(a)::text like ?', [`%${wrong}%`]);
    expect(anywhere).toEqual([]);
  });

  test('each mutation kind writes exactly one event; a failed one writes none', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token);

    async function run(query: string, input: Record<string, unknown>, token: string) {
      const requestId = `req-${randomUUID()}`;
      const res = await server.gql(query, { input }, { token, headers: { 'x-request-id': requestId } });
      expect(res.body.errors).toBeUndefined();
      const payload = Object.values(res.body.data as Record<string, any>)[0];
      const rows = await server.sql<{
        action: string;
        target_type: string;
        target_id: string;
        actor_id: string;
      }>('select action, target_type, target_id, actor_id from audit_event where request_id = ?', [requestId]);
      return { payload, rows };
    }
    const demand = await run(
      `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }`,
      demandInput(),
      enterprise.token,
    );
    const demandId = demand.payload.demand.id;
    expect(demand.rows).toEqual([
      expect.objectContaining({ action: 'publishDemand', target_type: 'FinancingDemand', target_id: demandId }),
    ]);

    const offer = await run(
      `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { id } userErrors { code } } }`,
      { demandId, productId, amount: '1000000.00', rate: '3.85', termMonths: 12, repaymentMethod: 'EQUAL_INSTALLMENT' },
      bank.token,
    );
    expect(offer.rows).toEqual([
      expect.objectContaining({ action: 'makeOffer', target_type: 'Offer', target_id: offer.payload.offer.id }),
    ]);

    const grant = await run(
      `mutation($input: GrantCreditAuthorizationInput!) { grantCreditAuthorization(input: $input) { authorization { id } userErrors { code } } }`,
      { institutionId: bank.org.id, scope: 'SUMMARY', purpose: '贷前审查', validDays: 30 },
      enterprise.token,
    );
    const authorizationId = grant.payload.authorization.id;
    expect(grant.rows).toEqual([
      expect.objectContaining({
        action: 'grantCreditAuthorization',
        target_type: 'CreditAuthorization',
        target_id: authorizationId,
      }),
    ]);

    const policy = await run(
      `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { id } userErrors { code } } }`,
      policyInput(server),
      world.regulator.token,
    );
    expect(policy.rows).toEqual([
      expect.objectContaining({ action: 'createPolicy', target_type: 'Policy', target_id: policy.payload.policy.id }),
    ]);

    // A failed mutation (userErrors) rolls back, its audit event with it.
    const before = await server.sql<{ n: number }>('select count(*)::int as n from audit_event');
    const failed = await run(
      `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }`,
      demandInput({ amount: '-1' }),
      enterprise.token,
    );
    expect(failed.payload.userErrors.length).toBeGreaterThan(0);
    expect(failed.rows).toEqual([]);
    const again = await run(
      `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { id } userErrors { code } } }`,
      { demandId, productId, amount: '1000000.00', rate: '3.85', termMonths: 12, repaymentMethod: 'EQUAL_INSTALLMENT' },
      bank.token,
    );
    expect(again.payload.userErrors.length).toBeGreaterThan(0);
    expect(again.rows).toEqual([]);
    const after = await server.sql<{ n: number }>('select count(*)::int as n from audit_event');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

test('a change and its audit event commit together: neither is visible until the transaction commits', async () => {
  const enterprise = await market.enterprise();
  // The audit chain is appended at COMMIT under this advisory lock: holding it stops the
  // mutation's transaction in the middle of its commit, with its change and its event written.
  const locker = new Client({ connectionString: server.dbUrl });
  await locker.connect();
  try {
    await locker.query('SELECT pg_advisory_lock(7422511653911400001)');
    const requestId = `req-${randomUUID()}`;
    const pending = server.gql(
      `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }`,
      { input: demandInput() },
      { token: enterprise.token, headers: { 'x-request-id': requestId } },
    );
    const visible = async () => {
      const [row] = await server.sql<{ demands: number; events: number }>(
        `select (select count(*)::int from financing_demand where enterprise_id = ?) as demands,
                (select count(*)::int from audit_event where request_id = ?) as events`,
        [enterprise.org.id, requestId],
      );
      return row!;
    };
    for (let waited = 0; ; waited += 20) {
      const [waiting] = await server.sql<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event = 'advisory'`,
      );
      if (waiting!.n > 0) break;
      if (waited > 5_000) throw new Error('the mutation never reached its commit');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await visible()).toEqual({ demands: 0, events: 0 });
    await locker.query('SELECT pg_advisory_unlock(7422511653911400001)');
    const res = await pending;
    expect(res.body.data.publishDemand.userErrors).toEqual([]);
    expect(await visible()).toEqual({ demands: 1, events: 1 });
  } finally {
    await locker.end();
  }
});

test('a change made with an API key is recorded with its user, role and key', async () => {
  const bank = await market.bank();
  const created = await server.gql(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    { input: { name: '核心系统' } },
    { token: bank.token },
  );
  const { secret, apiKey } = created.body.data.createApiKey;
  const enterprise = await market.enterprise();
  const demandId = await market.demand(enterprise.token);
  const productId = await market.product(bank.token);
  const requestId = `req-${randomUUID()}`;
  const res = await server.gql(
    `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { id } userErrors { code } } }`,
    {
      input: {
        demandId,
        productId,
        amount: '1000000.00',
        rate: '3.85',
        termMonths: 12,
        repaymentMethod: 'EQUAL_INSTALLMENT',
      },
    },
    { apiKey: secret, headers: { 'x-request-id': requestId } },
  );
  expect(res.body.data.makeOffer.offer.id).toBeTruthy();
  const rows = await server.sql<{ action: string; actor_role: string; detail: Record<string, unknown> }>(
    'select action, actor_role, detail from audit_event where request_id = ?',
    [requestId],
  );
  expect(rows).toEqual([
    expect.objectContaining({
      action: 'makeOffer',
      actor_role: 'BANK',
      detail: expect.objectContaining({ apiKeyId: apiKey.id }),
    }),
  ]);
});

describe('filters and pages', () => {
  test('actorId, action (exact), targetType, targetId and the from/to window; newest first, in pages', async () => {
    const enterprise = await market.enterprise();
    const start = server.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(await market.demand(enterprise.token));
      server.clock.advance(1000);
    }
    const end = server.clock.now();
    const [actor] = await server.sql<{ actor_id: string }>('select actor_id from audit_event where target_id = ?', [
      ids[0],
    ]);

    const mine = await events({ actorId: actor!.actor_id, action: 'publishDemand' });
    expect(mine.nodes.map((n: { targetId: string }) => n.targetId)).toEqual([...ids].reverse());
    expect((await events({ action: 'publish' })).totalCount).toBe(0);
    expect((await events({ targetType: 'FinancingDemand', targetId: ids[1] })).nodes).toEqual([
      expect.objectContaining({ action: 'publishDemand', targetId: ids[1], actorRole: 'ENTERPRISE' }),
    ]);
    const window = await events({
      actorId: actor!.actor_id,
      from: new Date(start.getTime() + 500).toISOString(),
      to: end.toISOString(),
    });
    expect(window.nodes.map((n: { targetId: string }) => n.targetId)).toEqual([ids[2], ids[1]]);
    expect((await events({ actorId: 'not-a-uuid' })).totalCount).toBe(0);

    const first = await server.gql(
      EVENTS,
      { filter: { actorId: actor!.actor_id }, first: 2 },
      { token: world.admin.token },
    );
    const page1 = first.body.data.auditEvents;
    expect(page1.nodes.map((n: { targetId: string }) => n.targetId)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await server.gql(
      EVENTS,
      { filter: { actorId: actor!.actor_id }, first: 2, after: page1.pageInfo.endCursor },
      { token: world.admin.token },
    );
    expect(second.body.data.auditEvents.nodes.map((n: { targetId: string }) => n.targetId)).toContain(ids[0]);
  });
});

describe('append-only and tamper-evident', () => {
  test('UPDATE, DELETE and TRUNCATE on audit_event fail', async () => {
    const [row] = await server.sql<{ id: string }>('select id from audit_event order by seq desc limit 1');
    await expect(server.sql("update audit_event set action = 'nothing' where id = ?", [row!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(server.sql('update audit_event set hash = null where id = ?', [row!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(server.sql('delete from audit_event where id = ?', [row!.id])).rejects.toThrow(/append-only/);
    await expect(server.sql('truncate audit_event')).rejects.toThrow(/append-only/);
    // Chain columns are the database's: a writer cannot forge them.
    const id = randomUUID();
    await server.sql(
      "insert into audit_event (id, action, target_type, seq, prev_hash, hash) values (?, 'forged', 'Test', 1, 'x', 'y')",
      [id],
    );
    const [forged] = await server.sql<{ seq: string; hash: string }>(
      'select seq::text as seq, hash from audit_event where id = ?',
      [id],
    );
    expect(forged!.seq).not.toBe('1');
    expect(forged!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('concurrent mutations keep one unbroken chain; audit:verify says so', async () => {
    const parties = await Promise.all(Array.from({ length: 10 }, () => market.enterprise()));
    const results = await Promise.all(
      parties.map((p) =>
        server.gql(
          `mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }`,
          { input: demandInput() },
          { token: p.token },
        ),
      ),
    );
    for (const r of results) expect(r.body.data.publishDemand.demand.id).toBeTruthy();
    const [{ n, max }] = await server.sql<{ n: string; max: string }>(
      'select count(*)::text as n, max(seq)::text as max from audit_event',
    );
    expect(max).toBe(n);
    const out = await verify();
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`${n} events, chain intact`);
    expect(out.code).toBe(0);
  });

  test('a row altered with the triggers disabled is found by audit:verify', async () => {
    const [victim] = await server.sql<{ id: string; seq: string; detail: string | null }>(
      "select id, seq::text as seq, detail::text as detail from audit_event where action = 'publishDemand' order by seq limit 1",
    );
    const tamper = async (statement: string, params: unknown[]) => {
      await server.sql('alter table audit_event disable trigger user');
      try {
        await server.sql(statement, params);
      } finally {
        await server.sql('alter table audit_event enable trigger user');
      }
    };
    await tamper(`update audit_event set detail = '{"amount":"1.00"}'::jsonb where id = ?`, [victim!.id]);
    const altered = await verify();
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(`seq ${victim!.seq} id ${victim!.id}`);
    expect(altered.stdout).toMatch(/content does not match its hash/);

    // Put back exactly as it was: intact again. Then remove a row from the middle: found too.
    await tamper('update audit_event set detail = ?::jsonb where id = ?', [victim!.detail, victim!.id]);
    expect((await verify()).code).toBe(0);
    const [gone] = await server.sql<{ id: string; seq: string }>(
      'select id, seq::text as seq from audit_event where seq = (select max(seq) - 3 from audit_event)',
    );
    await tamper('delete from audit_event where id = ?', [gone!.id]);
    const deleted = await verify();
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toContain(`seq ${BigInt(gone!.seq) + 1n} `);
    expect(deleted.stdout).toMatch(/rows are missing/);
  });
});
