import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../src/entities/enums';
import { IdempotencyClaim } from '../../src/server/idempotency';
import type { RequestContext } from '../../src/services/request-context';
import { sql } from '../../src/services/sql';
import { transaction } from '../../src/services/transaction';
import { UserErrorCode, fail, ok } from '../../src/services/user-error';
import { PASSWORD, type World } from '../support/fixtures';
import { LOAN_FIELDS, LoanDesk, Marketplace, demandInput, serverToday, startLoanDesk } from '../support/marketplace';
import type { GraphQLResponse, TestServer } from '../support/test-server';

// Idempotency-Key on mutations (docs/idempotency.md): a retry with the same key and request
// replays the stored answer without running again; the effect is counted in SQL, not trusted
// from the answers.

let server: TestServer;
let world: World;
let market: Marketplace;
let desk: LoanDesk;
beforeAll(async () => ({ server, world, market, desk } = await startLoanDesk()));
afterAll(() => server.close());

const REPAY = `mutation Repay($input: RecordRepaymentInput!) {
  recordRepayment(input: $input) { loan { ${LOAN_FIELDS} } userErrors { field code message } }
}`;
const PUBLISH = `mutation Publish($input: PublishDemandInput!) {
  publishDemand(input: $input) { demand { id status amount termMonths purpose } userErrors { field code message } }
}`;

const keyed = (token: string, key: string) => ({ token, headers: { 'Idempotency-Key': key } });
const replayed = (res: GraphQLResponse) => res.headers['idempotent-replayed'] === 'true';
const errorCodes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions.code);

/** A loan of 1,000,000 disbursed today, and a repayment of it made today. */
async function repayable() {
  const bank = await market.bank();
  const { loanId } = await desk.activeLoan(bank);
  const input = (principal = '1000.00') => ({ loanId, principal, interest: '10.00', paidOn: serverToday(server) });
  return { bank, loanId, input };
}

async function repaymentsOf(loanId: string) {
  const [row] = await server.sql<{ repaid: number; audited: number; outstanding: string }>(
    `select (select count(*)::int from loan_event where loan_id = l.id and type = 'REPAID') as repaid,
            (select count(*)::int from audit_event where action = 'recordRepayment' and target_id = l.id::text) as audited,
            l.outstanding_principal::text as outstanding
       from loan l where l.id = ?`,
    [loanId],
  );
  return row;
}

async function enterprise(status = VerificationStatus.VERIFIED) {
  const org = await server.fixtures.enterprise({ verificationStatus: status });
  const principal = await server.fixtures.principal('ENTERPRISE' as never, { enterprise: org } as never);
  return { org, user: principal.user, token: principal.token };
}

const demandsOf = async (enterpriseId: string) =>
  (
    await server.sql<{ n: number }>('select count(*)::int as n from financing_demand where enterprise_id = ?', [
      enterpriseId,
    ])
  )[0].n;

const keyRow = async (userId: string, key: string) =>
  (
    await server.sql<{ status: string; http_status: number | null; response: unknown }>(
      'select status, http_status, response from idempotency_key where user_id = ? and key = ?',
      [userId, key],
    )
  )[0];

/** A row as a crashed attempt would have left it, for `key`, with the fingerprint of `PUBLISH(demandInput())`. */
async function leftBehind(token: string, userId: string, key: string, status: string, leaseSeconds: number) {
  const probe = randomUUID();
  await server.gql(PUBLISH, { input: demandInput() }, keyed(token, probe));
  await server.sql(
    `insert into idempotency_key (user_id, key, fingerprint, operation_name, status, owner, lease_until, expires_at, created_at)
     select user_id, ?, fingerprint, operation_name, ?, ?, ?::timestamptz, expires_at, created_at
       from idempotency_key where user_id = ? and key = ?`,
    [
      key,
      status,
      randomUUID(),
      new Date(server.clock.now().getTime() + leaseSeconds * 1000).toISOString(),
      userId,
      probe,
    ],
  );
}

/** The statements any request of this token costs before it reaches a resolver. */
const overhead = async (token: string) => (await server.gql('{ __typename }', {}, { token })).sqlStatements;

describe('a retried mutation', () => {
  test('recordRepayment: the retry returns the identical answer and the money moves once', async () => {
    const { bank, loanId, input } = await repayable();
    const key = randomUUID();
    const first = await server.gql(REPAY, { input: input() }, keyed(bank.token, key));
    expect(first.status).toBe(200);
    expect(first.body.data.recordRepayment.userErrors).toEqual([]);
    expect(first.body.data.recordRepayment.loan.outstandingPrincipal).toBe('999000.00');
    expect(replayed(first)).toBe(false);

    const retry = await server.gql(REPAY, { input: input() }, keyed(bank.token, key));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(JSON.stringify(retry.body.data)).toBe(JSON.stringify(first.body.data)); // field order too
    expect(replayed(retry)).toBe(true);
    // Replayed from the one lookup: no resolver, no other SQL.
    expect(retry.sqlStatements).toBe((await overhead(bank.token)) + 1);

    expect(await repaymentsOf(loanId)).toEqual({ repaid: 1, audited: 1, outstanding: '999000.00' });
    const [user] = await server.sql<{ id: string }>('select id from app_user where institution_id = ?', [bank.org.id]);
    expect(await keyRow(user.id, key)).toMatchObject({ status: 'COMPLETED', http_status: 200 });
  });

  test('publishDemand: one demand, and the order of the variables does not matter', async () => {
    const { org, token } = await enterprise();
    const key = randomUUID();
    const first = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    expect(first.body.data.publishDemand.userErrors).toEqual([]);
    const reordered = {
      input: { acceptedTypes: ['CREDIT', 'GUARANTEE'], purpose: '采购原材料', termMonths: 12, amount: '1000000.00' },
    };
    const retry = await server.gql(PUBLISH, reordered, keyed(token, key));
    expect(replayed(retry)).toBe(true);
    expect(retry.body).toEqual(first.body);
    expect(await demandsOf(org.id)).toBe(1);
  });

  test('the same key with other variables or another document is IDEMPOTENCY_KEY_REUSED (422) and runs nothing', async () => {
    const { org, token } = await enterprise();
    const key = randomUUID();
    await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    const otherVariables = await server.gql(
      PUBLISH,
      { input: demandInput({ amount: '900000.00' }) },
      keyed(token, key),
    );
    expect(otherVariables.status).toBe(422);
    expect(errorCodes(otherVariables)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(otherVariables.body.errors![0].message).toContain('Idempotency-Key');
    const otherDocument = await server.gql(
      PUBLISH.replace('termMonths purpose', 'termMonths'),
      { input: demandInput() },
      keyed(token, key),
    );
    expect(otherDocument.status).toBe(422);
    expect(errorCodes(otherDocument)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await demandsOf(org.id)).toBe(1);
  });

  test('two concurrent attempts with one key: exactly one runs, the other gets CONFLICT or the replay', async () => {
    const { bank, loanId, input } = await repayable();
    for (let round = 0; round < 3; round++) {
      const key = randomUUID();
      const answers = await Promise.all(
        [0, 1].map(() => server.gql(REPAY, { input: input() }, keyed(bank.token, key))),
      );
      const ran = answers.filter((a) => a.status === 200 && !replayed(a));
      expect(ran).toHaveLength(1);
      expect(ran[0].body.data.recordRepayment.userErrors).toEqual([]);
      const other = answers.find((a) => a !== ran[0])!;
      if (other.status === 409) expect(errorCodes(other)).toEqual(['CONFLICT']);
      else expect(other.body).toEqual(ran[0].body);
    }
    expect(await repaymentsOf(loanId)).toEqual({ repaid: 3, audited: 3, outstanding: '997000.00' });
  });

  test('the key is scoped to the principal: another user with the same key runs independently', async () => {
    const a = await enterprise();
    const b = await enterprise();
    const key = `shared-${randomUUID()}`;
    const first = await server.gql(PUBLISH, { input: demandInput() }, keyed(a.token, key));
    const second = await server.gql(PUBLISH, { input: demandInput() }, keyed(b.token, key));
    expect(replayed(second)).toBe(false);
    expect(second.body.data.publishDemand.demand.id).not.toBe(first.body.data.publishDemand.demand.id);
    expect([await demandsOf(a.org.id), await demandsOf(b.org.id)]).toEqual([1, 1]);
  });

  test('after 24 hours the key is free again, and expired keys are cleaned when the user claims a new one', async () => {
    const { org, user, token } = await enterprise();
    const [key, other] = [randomUUID(), randomUUID()];
    const first = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    await server.gql(PUBLISH, { input: demandInput({ amount: '500000.00' }) }, keyed(token, other));
    await desk.later(1, async () => {
      server.clock.advance(60_000);
      try {
        const fresh = await server.fixtures.login(user.login);
        const again = await server.gql(PUBLISH, { input: demandInput() }, keyed(fresh, key));
        expect(replayed(again)).toBe(false);
        expect(again.body.data.publishDemand.userErrors).toEqual([]);
        expect(again.body.data.publishDemand.demand.id).not.toBe(first.body.data.publishDemand.demand.id);
        expect(await demandsOf(org.id)).toBe(3);
        // Taking `key` over replaced its row; claiming a third key purged the expired `other`.
        expect(await keyRow(user.id, other)).toBeDefined();
        await server.gql(PUBLISH, { input: demandInput({ amount: '600000.00' }) }, keyed(fresh, randomUUID()));
        expect(await keyRow(user.id, other)).toBeUndefined();
        expect(await keyRow(user.id, key)).toMatchObject({ status: 'COMPLETED' });
      } finally {
        server.clock.advance(-60_000);
      }
    });
  });
});

describe('failures', () => {
  test('userErrors: nothing is written, and the stored answer is replayed', async () => {
    const { bank, loanId, input } = await repayable();
    const key = randomUUID();
    const refused = await server.gql(REPAY, { input: input('2000000.00') }, keyed(bank.token, key));
    expect(refused.body.data.recordRepayment.userErrors).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', field: ['input', 'principal'] }),
    ]);
    expect(await repaymentsOf(loanId)).toEqual({ repaid: 0, audited: 0, outstanding: '1000000.00' });
    const retry = await server.gql(REPAY, { input: input('2000000.00') }, keyed(bank.token, key));
    expect(replayed(retry)).toBe(true);
    expect(retry.body).toEqual(refused.body);
    expect(await repaymentsOf(loanId)).toEqual({ repaid: 0, audited: 0, outstanding: '1000000.00' });
    const [{ n }] = await server.sql<{ n: number }>(
      "select count(*)::int as n from idempotency_key where key = ? and status <> 'COMPLETED'",
      [key],
    );
    expect(n).toBe(0);
  });

  test('userErrors are replayed even after the state changed; a new key runs afresh', async () => {
    const { org, token } = await enterprise(VerificationStatus.PENDING);
    const key = randomUUID();
    const refused = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    expect(refused.body.data.publishDemand.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ELIGIBLE' })]);
    await server.sql('update enterprise set verification_status = ? where id = ?', [
      VerificationStatus.VERIFIED,
      org.id,
    ]);
    const retry = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    expect(retry.body).toEqual(refused.body);
    expect(await demandsOf(org.id)).toBe(0);
    const fresh = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, randomUUID()));
    expect(fresh.body.data.publishDemand.userErrors).toEqual([]);
    expect(await demandsOf(org.id)).toBe(1);
  });

  test('a GraphQL error commits nothing and releases the key', async () => {
    const key = randomUUID();
    const forbidden = await server.gql(PUBLISH, { input: demandInput() }, keyed(world.bank.token, key));
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    expect(await keyRow(world.bank.user.id, key)).toBeUndefined();
    // The key is free for another request.
    const repay = await server.gql(
      REPAY,
      { input: { loanId: randomUUID(), principal: '1', interest: '0', paidOn: serverToday(server) } },
      keyed(world.bank.token, key),
    );
    expect(repay.status).toBe(200);
    expect(repay.body.data.recordRepayment.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });
});

describe('crash windows', () => {
  test('an attempt that died before committing: CONFLICT during its lease, then a retry takes over and runs', async () => {
    const { org, user, token } = await enterprise();
    const key = randomUUID();
    await leftBehind(token, user.id, key, 'IN_PROGRESS', 30);
    expect(await demandsOf(org.id)).toBe(1); // the probe
    const during = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    expect(during.status).toBe(409);
    expect(errorCodes(during)).toEqual(['CONFLICT']);
    server.clock.advance(31_000);
    try {
      const after = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
      expect(after.status).toBe(200);
      expect(replayed(after)).toBe(false);
      expect(after.body.data.publishDemand.userErrors).toEqual([]);
      expect(await demandsOf(org.id)).toBe(2);
      const retry = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
      expect(retry.body).toEqual(after.body);
    } finally {
      server.clock.advance(-31_000);
    }
  });

  test('an attempt that committed but died before storing its answer is never run again', async () => {
    const { org, user, token } = await enterprise();
    const key = randomUUID();
    await leftBehind(token, user.id, key, 'COMMITTED', -1);
    const res = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
    expect(res.status).toBe(409);
    expect(errorCodes(res)).toEqual(['IDEMPOTENCY_RESPONSE_UNAVAILABLE']);
    expect(await demandsOf(org.id)).toBe(1); // the probe only
  });
});

describe('the fence in the mutation transaction', () => {
  const rename = (org: { id: string }, name: string) => async (em: EntityManager) => {
    await sql(em, 'update enterprise set name = ? where id = ?', [name, org.id]);
    return ok(true);
  };
  const nameOf = async (org: { id: string }) =>
    (await server.sql<{ name: string }>('select name from enterprise where id = ?', [org.id]))[0].name;
  const statusOf = async (userId: string, key: string) => (await keyRow(userId, key)).status;

  test('an attempt that no longer owns the key rolls its effect back; the owner commits it with the mark', async () => {
    const { org, user, token } = await enterprise();
    const before = await nameOf(org);
    const key = randomUUID();
    await leftBehind(token, user.id, key, 'IN_PROGRESS', 30); // owned by another attempt
    const claim = new IdempotencyClaim(user.id, key, 'f'.repeat(64), null, server.clock.now);
    const ctx = { em: server.orm.em.fork(), idempotency: claim } as unknown as RequestContext;

    await expect(transaction(ctx, rename(org, '被接手的尝试'))).rejects.toThrow();
    expect(claim.lost).toBe(true);
    expect(await nameOf(org)).toBe(before);
    expect(await statusOf(user.id, key)).toBe('IN_PROGRESS');

    // The owner's failed Result rolls the mark back with the rest …
    await server.sql('update idempotency_key set owner = ? where user_id = ? and key = ?', [claim.owner, user.id, key]);
    const refused = await transaction(ctx, async () => fail(UserErrorCode.INVALID, '不行'));
    expect(refused.ok).toBe(false);
    expect(await statusOf(user.id, key)).toBe('IN_PROGRESS');
    // … and its success commits the mark with the effect.
    expect((await transaction(ctx, rename(org, '拥有者的尝试'))).ok).toBe(true);
    expect(await nameOf(org)).toBe('拥有者的尝试');
    expect(await statusOf(user.id, key)).toBe('COMMITTED');
  });
});

describe('where the key does not apply', () => {
  test('a query ignores the key, well-formed or not', async () => {
    const key = randomUUID();
    for (const header of [key, 'not a valid key']) {
      const res = await server.gql('{ me { id } }', {}, keyed(world.enterprise.token, header));
      expect(res.status).toBe(200);
      expect(res.body.data.me.id).toBe(world.enterprise.user.id);
      expect(replayed(res)).toBe(false);
    }
    expect(await keyRow(world.enterprise.user.id, key)).toBeUndefined();
  });

  test('login ignores the key, signed in or not: no session secret is stored or replayed', async () => {
    const { user, token } = await enterprise();
    const LOGIN =
      'mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken userErrors { code } } }';
    const key = randomUUID();
    const send = (options: { token?: string }) =>
      server.gql(
        LOGIN,
        { input: { login: user.login, password: PASSWORD } },
        { ...options, headers: { 'Idempotency-Key': key } },
      );
    const answers = [await send({}), await send({}), await send({ token }), await send({ token })];
    expect(answers.filter(replayed)).toEqual([]);
    expect(new Set(answers.map((a) => a.body.data.login.refreshToken)).size).toBe(4);
    expect(await keyRow(user.id, key)).toBeUndefined();
  });

  test('a malformed key on a mutation is BAD_USER_INPUT naming the header, and nothing runs', async () => {
    const { org, token } = await enterprise();
    for (const key of ['two words', 'x'.repeat(256), 'café', 'a, b']) {
      const res = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, key));
      expect(res.status).toBe(400);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0].extensions.header).toBe('Idempotency-Key');
      expect(res.body.errors![0].message).toContain('Idempotency-Key');
    }
    // A key with a session mutation in the same operation could protect only part of it.
    const mixed = await server.gql(
      `mutation($login: LoginInput!, $input: PublishDemandInput!) {
        login(input: $login) { accessToken }
        publishDemand(input: $input) { demand { id } }
      }`,
      { login: { login: 'nobody', password: 'x' }, input: demandInput() },
      keyed(token, randomUUID()),
    );
    expect(mixed.status).toBe(400);
    expect(errorCodes(mixed)).toEqual(['BAD_USER_INPUT']);
    expect(await demandsOf(org.id)).toBe(0);
    const longest = await server.gql(PUBLISH, { input: demandInput() }, keyed(token, '~'.repeat(255)));
    expect(longest.body.data.publishDemand.userErrors).toEqual([]);
  });
});
