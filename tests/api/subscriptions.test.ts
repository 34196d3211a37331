import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ACCESS_RULES } from '../../src/auth/access-rules';
import { Role } from '../../src/entities/enums';
import { buildAppSchema } from '../../src/schema/build-schema';
import { RedisEventBus } from '../../src/server/redis-event-bus';
import type { DomainEventType } from '../../src/services/events';
import type { Principal, World } from '../support/fixtures';
import { subscribe } from '../support/ws-feed';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Live updates over graphql-ws against a real server. Non-delivery is never asserted with a
 * sleep: a later event that the same subscriber does receive must arrive first, since one
 * subscription delivers in publication order.
 */

const DEMAND_PUBLISHED = `subscription { demandPublished { id status acceptedTypes enterprise { id } } }`;
const OFFER_RECEIVED = `subscription { offerReceived { id amount rate demand { id } } }`;
const LOAN_UPDATED = `subscription { loanUpdated { id status enterprise { id employees } institution { id } } }`;

const PUBLISH_DEMAND = `mutation($input: PublishDemandInput!) {
  publishDemand(input: $input) { demand { id } userErrors { code message } }
}`;
const CREATE_PRODUCT = `mutation($input: CreateLoanProductInput!) {
  createLoanProduct(input: $input) { product { id } userErrors { code message } }
}`;
const PUBLISH_PRODUCT = `mutation($id: ID!) { publishLoanProduct(input: { id: $id }) { userErrors { code message } } }`;
const MAKE_OFFER = `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { id } userErrors { code message } } }`;
const ACCEPT_OFFER = `mutation($id: ID!) { acceptOffer(input: { id: $id }) { loan { id status } userErrors { code message } } }`;
const GRANT_CREDIT = `mutation($input: GrantCreditInput!) { grantCredit(input: $input) { loan { status } userErrors { code message } } }`;
const UPDATE_PROFILE = `mutation($input: UpdateEnterpriseProfileInput!) {
  updateEnterpriseProfile(input: $input) { userErrors { code message } }
}`;
const CREATE_API_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code } } }`;

// ── a graphql-ws client that the test can read event by event ────────────────────────────────

const clients: Client[] = [];

function wsUrl(server: TestServer) {
  return `${server.url.replace('http', 'ws')}/graphql`;
}

/** Resolves when the server acknowledged the connection, or with the close code it refused it with. */
function handshake(server: TestServer, connectionParams?: Record<string, unknown>) {
  return new Promise<{ client: Client; acked: boolean; code?: number }>((resolve) => {
    const client = createClient({
      url: wsUrl(server),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams,
      on: {
        connected: () => resolve({ client, acked: true }),
        closed: (event) => resolve({ client, acked: false, code: (event as { code: number }).code }),
      },
      onNonLazyError: () => undefined,
    });
    clients.push(client);
  });
}

async function connect(server: TestServer, credential: string): Promise<Client> {
  const { client, acked, code } = await handshake(server, { authorization: `Bearer ${credential}` });
  if (!acked) throw new Error(`connection refused with ${code}`);
  return client;
}

/** Polls the bus until this many subscriptions of a type listen: from then on, events reach them. */
async function listeners(server: TestServer, type: DomainEventType, count: number) {
  const deadline = Date.now() + 5_000;
  while (server.app.events.listenerCount(type) !== count) {
    if (Date.now() > deadline) {
      throw new Error(`${type}: ${server.app.events.listenerCount(type)} listeners, expected ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ── marketplace steps through the API ─────────────────────────────────────────────────────────

async function ok<T = any>(server: TestServer, query: string, variables: Record<string, unknown>, token: string) {
  const res = await server.gql(query, variables, { token });
  expect(res.body.errors).toBeUndefined();
  const payload = Object.values(res.body.data as Record<string, any>)[0];
  expect(payload.userErrors).toEqual([]);
  return payload as T;
}

async function publishProduct(server: TestServer, token: string, type: string): Promise<string> {
  const { product } = await ok(
    server,
    CREATE_PRODUCT,
    {
      input: {
        name: `${type} 产品 ${randomUUID().slice(0, 6)}`,
        description: '测试产品',
        type,
        minAmount: '10000',
        maxAmount: '5000000',
        minRate: '3.5',
        maxRate: '6',
        minTermMonths: 3,
        maxTermMonths: 36,
        repaymentMethods: ['EQUAL_INSTALLMENT'],
      },
    },
    token,
  );
  await ok(server, PUBLISH_PRODUCT, { id: product.id }, token);
  return product.id;
}

async function publishDemand(server: TestServer, token: string, acceptedTypes: string[]): Promise<string> {
  const { demand } = await ok(
    server,
    PUBLISH_DEMAND,
    { input: { amount: '800000.00', termMonths: 12, purpose: '采购原材料', acceptedTypes } },
    token,
  );
  return demand.id;
}

async function makeOffer(server: TestServer, token: string, demandId: string, productId: string) {
  const { offer } = await ok(
    server,
    MAKE_OFFER,
    {
      input: {
        demandId,
        productId,
        amount: '500000.00',
        rate: '4.5',
        termMonths: 12,
        repaymentMethod: 'EQUAL_INSTALLMENT',
      },
    },
    token,
  );
  return offer.id as string;
}

/** A fresh verified enterprise with its own signed-in user (each may publish only five demands). */
async function freshEnterprise(server: TestServer): Promise<Principal & { enterpriseId: string }> {
  const enterprise = await server.fixtures.enterprise();
  const principal = await server.fixtures.principal(Role.ENTERPRISE, { enterprise } as never);
  return { ...principal, enterpriseId: enterprise.id };
}

// ── one server ────────────────────────────────────────────────────────────────────────────────

describe('subscriptions on one instance', () => {
  let server: TestServer;
  let world: World;
  let creditProduct: string;
  let guaranteeProduct: string;

  beforeAll(async () => {
    server = await startTestServer();
    world = await server.fixtures.getWorld();
    // Bank A publishes CREDIT products, bank B GUARANTEE ones: their markets differ.
    creditProduct = await publishProduct(server, world.bank.token, 'CREDIT');
    guaranteeProduct = await publishProduct(server, world.bankUserB.token, 'GUARANTEE');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    for (const type of ['demandPublished', 'offerReceived', 'loanUpdated'] as const) await listeners(server, type, 0);
  });
  afterAll(() => server.close());

  test('a WebSocket message over 1 MiB closes the socket (1009), as a body over 1 MiB is refused over HTTP', async () => {
    const socket = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  test('a connection without valid credentials is closed with 4401', async () => {
    expect(await handshake(server)).toMatchObject({ acked: false, code: 4401 });
    expect(await handshake(server, { authorization: 'Bearer not-a-token' })).toMatchObject({
      acked: false,
      code: 4401,
    });
    expect(await handshake(server, { authorization: 'Bearer cel_not-a-real-api-key-at-all-0000000' })).toMatchObject({
      acked: false,
      code: 4401,
    });
  });

  test('every subscription admits exactly the roles of the access registry', async () => {
    const schema = await buildAppSchema();
    const fields = Object.keys(schema.getSubscriptionType()!.getFields()) as DomainEventType[];
    expect(fields.length).toBeGreaterThan(0);
    const principals: [Role, Principal][] = [
      [Role.ENTERPRISE, world.enterprise],
      [Role.BANK, world.bank],
      [Role.REGULATOR, world.regulator],
      [Role.ADMIN, world.admin],
    ];
    for (const field of fields) {
      const rule = ACCESS_RULES[`Subscription.${field}`];
      for (const [role, principal] of principals) {
        const client = await connect(server, principal.token);
        const feed = subscribe(client, `subscription { ${field} { __typename } }`);
        if (rule?.kind === 'roles' && rule.roles.includes(role)) {
          await listeners(server, field, 1);
        } else {
          const refused = await feed.next();
          expect({ field, role, codes: refused.errors?.map((e) => e.extensions?.code) }).toEqual({
            field,
            role,
            codes: ['FORBIDDEN'],
          });
          await feed.completed;
          expect(server.app.events.listenerCount(field)).toBe(0);
        }
        await client.dispose();
        await listeners(server, field, 0);
      }
    }
  });

  test('demandPublished: a bank receives the demands it may bid on, and only those', async () => {
    const enterprise = await freshEnterprise(server);
    const bankA = subscribe(await connect(server, world.bank.token), DEMAND_PUBLISHED);
    const bankB = subscribe(await connect(server, world.bankUserB.token), DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 2);

    const credit = await publishDemand(server, enterprise.token, ['CREDIT']);
    expect((await bankA.next()).data).toEqual({
      demandPublished: {
        id: credit,
        status: 'OPEN',
        acceptedTypes: ['CREDIT'],
        enterprise: { id: enterprise.enterpriseId },
      },
    });

    const guarantee = await publishDemand(server, enterprise.token, ['GUARANTEE']);
    // Bank B's first event is the GUARANTEE demand: the CREDIT one never reached it.
    expect((await bankB.next()).data.demandPublished.id).toBe(guarantee);

    const both = await publishDemand(server, enterprise.token, ['CREDIT', 'GUARANTEE']);
    // And bank A's next one skips the GUARANTEE demand it may not bid on.
    expect((await bankA.next()).data.demandPublished.id).toBe(both);
    expect((await bankB.next()).data.demandPublished.id).toBe(both);
  });

  test('demandPublished: the market is read per event, not when subscribing', async () => {
    const enterprise = await freshEnterprise(server);
    const bank = await server.fixtures.principal(Role.BANK, {
      institution: await server.fixtures.institution(),
    } as never);
    const feed = subscribe(await connect(server, bank.token), DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 1);

    await publishDemand(server, enterprise.token, ['CREDIT']); // nothing published yet: not its market
    await publishProduct(server, bank.token, 'CREDIT');
    const later = await publishDemand(server, enterprise.token, ['CREDIT']);
    expect((await feed.next()).data.demandPublished.id).toBe(later);
  });

  test('demandPublished: an API key subscribes like its bank user', async () => {
    const { secret } = await ok(
      server,
      CREATE_API_KEY,
      { input: { name: `ws-${randomUUID().slice(0, 6)}` } },
      world.bank.token,
    );
    const feed = subscribe(await connect(server, secret), DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 1);
    const enterprise = await freshEnterprise(server);
    const demand = await publishDemand(server, enterprise.token, ['CREDIT']);
    expect((await feed.next()).data.demandPublished.id).toBe(demand);
  });

  test('a revoked API key ends its subscriptions at the next event: UNAUTHENTICATED, then complete', async () => {
    const { secret, apiKey } = await ok(
      server,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } userErrors { code } } }`,
      { input: { name: `ws-${randomUUID().slice(0, 6)}` } },
      world.bank.token,
    );
    const feed = subscribe(await connect(server, secret), DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 1);
    const enterprise = await freshEnterprise(server);
    const first = await publishDemand(server, enterprise.token, ['CREDIT']);
    expect((await feed.next()).data.demandPublished.id).toBe(first);

    await ok(
      server,
      `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { userErrors { code } } }`,
      { input: { id: apiKey.id } },
      world.bank.token,
    );
    await publishDemand(server, enterprise.token, ['CREDIT']);
    await expect(feed.next()).rejects.toThrow(/UNAUTHENTICATED/);
    await listeners(server, 'demandPublished', 0);
  });

  test('demandPublished: enterprises and regulators are refused with FORBIDDEN', async () => {
    for (const principal of [world.enterprise, world.regulator]) {
      const feed = subscribe(await connect(server, principal.token), DEMAND_PUBLISHED);
      const result = await feed.next();
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      await feed.completed;
    }
    expect(server.app.events.listenerCount('demandPublished')).toBe(0);
  });

  test('the query limits hold over WebSocket too: 16 aliases are refused before any listener', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const feed = subscribe(await connect(server, world.bank.token), `subscription { demandPublished { ${aliases} } }`);
    await expect(feed.next()).rejects.toThrow(/TOO_MANY_ALIASES/);
    expect(server.app.events.listenerCount('demandPublished')).toBe(0);
  });

  test('and the token limit and the cost limit: each refused before any listener', async () => {
    const bank = await connect(server, world.bank.token);
    const tokens = Array.from({ length: 5_200 }, () => 'id').join(' ');
    const costly = `subscription { demandPublished { enterprise {
      demands(first: 100) { nodes { offers(first: 100) { nodes { id institution { id } } } } } } } }`;
    await expect(subscribe(bank, `subscription { demandPublished { ${tokens} } }`).next()).rejects.toThrow(
      /TOO_MANY_TOKENS/,
    );
    await expect(subscribe(bank, costly).next()).rejects.toThrow(/QUERY_TOO_COSTLY/);
    expect(server.app.events.listenerCount('demandPublished')).toBe(0);
  });

  test('offerReceived: only the enterprise that owns the demand', async () => {
    const owner = await freshEnterprise(server);
    const other = await freshEnterprise(server);
    const ownerFeed = subscribe(await connect(server, owner.token), OFFER_RECEIVED);
    const otherFeed = subscribe(await connect(server, other.token), OFFER_RECEIVED);
    await listeners(server, 'offerReceived', 2);

    const demand = await publishDemand(server, owner.token, ['CREDIT']);
    const offer = await makeOffer(server, world.bank.token, demand, creditProduct);
    expect((await ownerFeed.next()).data).toEqual({
      offerReceived: { id: offer, amount: '500000.00', rate: '4.5000', demand: { id: demand } },
    });

    const otherDemand = await publishDemand(server, other.token, ['GUARANTEE']);
    const otherOffer = await makeOffer(server, world.bankUserB.token, otherDemand, guaranteeProduct);
    // The other enterprise's first event is the offer on its own demand.
    expect((await otherFeed.next()).data.offerReceived.id).toBe(otherOffer);
  });

  test('loanUpdated: the borrower and the lender, not another bank; each event reads fresh rows', async () => {
    const borrower = await freshEnterprise(server);
    const borrowerFeed = subscribe(await connect(server, borrower.token), LOAN_UPDATED);
    const lenderFeed = subscribe(await connect(server, world.bank.token), LOAN_UPDATED);
    const otherBankFeed = subscribe(await connect(server, world.bankUserB.token), LOAN_UPDATED);
    await listeners(server, 'loanUpdated', 3);

    const demand = await publishDemand(server, borrower.token, ['CREDIT']);
    const offer = await makeOffer(server, world.bank.token, demand, creditProduct);
    const { loan } = await ok(server, ACCEPT_OFFER, { id: offer }, borrower.token);
    // The lender reads the profile through the FULL authorisation that acceptance granted it.
    const parties = (employees: number) => ({
      enterprise: { id: borrower.enterpriseId, employees },
      institution: { id: world.bankA.id },
    });
    for (const feed of [borrowerFeed, lenderFeed]) {
      expect((await feed.next()).data).toEqual({ loanUpdated: { id: loan.id, status: 'PENDING', ...parties(45) } });
    }

    await ok(server, UPDATE_PROFILE, { input: { employees: 60 } }, borrower.token);

    const today = new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    await ok(
      server,
      GRANT_CREDIT,
      { input: { loanId: loan.id, creditAmount: '500000.00', rate: '4.5', termMonths: 12, grantedOn: today } },
      world.bank.token,
    );
    // The same loan again, with its new status and its borrower's new profile: nothing read for
    // the first event (identity map, loader caches) answers for this one.
    for (const feed of [borrowerFeed, lenderFeed]) {
      expect((await feed.next()).data).toEqual({ loanUpdated: { id: loan.id, status: 'GRANTED', ...parties(60) } });
    }

    // Bank B's first loan event is one of its own loans: none of bank A's reached it.
    const otherBorrower = await freshEnterprise(server);
    const otherDemand = await publishDemand(server, otherBorrower.token, ['GUARANTEE']);
    const otherOffer = await makeOffer(server, world.bankUserB.token, otherDemand, guaranteeProduct);
    const accepted = await ok(server, ACCEPT_OFFER, { id: otherOffer }, otherBorrower.token);
    expect((await otherBankFeed.next()).data.loanUpdated.id).toBe(accepted.loan.id);
  });

  test('a token that lapses after connecting: new operations are UNAUTHENTICATED, the socket stays', async () => {
    const client = await connect(server, world.bank.token);
    server.clock.advance(20 * 60_000); // past the access token's 15 minutes
    try {
      for (let i = 0; i < 2; i += 1) {
        const feed = subscribe(client, DEMAND_PUBLISHED);
        expect((await feed.next()).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
        await feed.completed;
      }
      expect(server.app.events.listenerCount('demandPublished')).toBe(0);
    } finally {
      server.clock.advance(-20 * 60_000);
    }
  });

  test('unsubscribing and disconnecting remove the bus listener', async () => {
    const client = await connect(server, world.bank.token);
    const first = subscribe(client, DEMAND_PUBLISHED);
    subscribe(client, DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 2);
    first.unsubscribe();
    await listeners(server, 'demandPublished', 1);
    await client.dispose();
    await listeners(server, 'demandPublished', 0);
    // Publishing with nobody listening is fine.
    const enterprise = await freshEnterprise(server);
    await publishDemand(server, enterprise.token, ['CREDIT']);
  });
});

// ── Redis away ────────────────────────────────────────────────────────────────────────────────

describe('subscriptions while Redis is unreachable', () => {
  let server: TestServer;
  let world: World;
  beforeAll(async () => {
    // Nothing listens on port 9: every publish to Redis fails.
    server = await startTestServer({ redisUrl: 'redis://127.0.0.1:9', redisPrefix: `cel-test-${randomUUID()}:` });
    world = await server.fixtures.getWorld();
    await publishProduct(server, world.bank.token, 'CREDIT');
  });
  afterEach(() => Promise.all(clients.splice(0).map((c) => c.dispose())));
  afterAll(() => server.close());

  test('the mutation succeeds and this instance’s subscribers still receive the event', async () => {
    expect(server.app.events).toBeInstanceOf(RedisEventBus);
    const feed = subscribe(await connect(server, world.bank.token), DEMAND_PUBLISHED);
    await listeners(server, 'demandPublished', 1);
    const enterprise = await freshEnterprise(server);
    const demand = await publishDemand(server, enterprise.token, ['CREDIT']);
    expect((await feed.next()).data.demandPublished.id).toBe(demand);
  });
});

// ── two instances on Redis ────────────────────────────────────────────────────────────────────

// The machine's Redis, when the run provides one (.ci/run does); a newcomer's machine has none.
const redisUrl = process.env.TEST_REDIS_URL;
(redisUrl ? describe : describe.skip)('subscriptions across two instances sharing Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let world: World;

  beforeAll(async () => {
    // Channels of this run only: another run on the same Redis must not deliver into this one.
    const redisPrefix = `cel-test-${randomUUID()}:`;
    a = await startTestServer({ redisUrl, redisPrefix });
    b = await startTestServer({ redisUrl, redisPrefix }, { database: a.database });
    for (const server of [a, b]) {
      expect(server.app.events).toBeInstanceOf(RedisEventBus);
      await (server.app.events as RedisEventBus).ready();
    }
    world = await a.fixtures.getWorld();
    await publishProduct(a, world.bank.token, 'CREDIT');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await listeners(a, 'demandPublished', 0);
    await listeners(b, 'demandPublished', 0);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('an event published on one instance reaches subscribers on both, exactly once', async () => {
    const onA = subscribe(await connect(a, world.bank.token), DEMAND_PUBLISHED);
    const onB = subscribe(await connect(b, world.bank.token), DEMAND_PUBLISHED);
    await listeners(a, 'demandPublished', 1);
    await listeners(b, 'demandPublished', 1);
    const enterprise = await freshEnterprise(a);

    const first = await publishDemand(a, enterprise.token, ['CREDIT']);
    expect((await onB.next()).data.demandPublished.id).toBe(first);
    expect((await onA.next()).data.demandPublished.id).toBe(first);

    // The other way round; and the next event each side sees is the new one, not an echo.
    const second = await publishDemand(b, enterprise.token, ['CREDIT']);
    expect((await onA.next()).data.demandPublished.id).toBe(second);
    expect((await onB.next()).data.demandPublished.id).toBe(second);
  });

  test('the bank filter applies on the receiving instance too', async () => {
    const onB = subscribe(await connect(b, world.bankUserB.token), DEMAND_PUBLISHED);
    await listeners(b, 'demandPublished', 1);
    const enterprise = await freshEnterprise(a);
    await publishDemand(a, enterprise.token, ['CREDIT']); // bank B publishes no CREDIT product
    await publishProduct(a, world.bankUserB.token, 'GUARANTEE');
    const guarantee = await publishDemand(a, enterprise.token, ['GUARANTEE']);
    expect((await onB.next()).data.demandPublished.id).toBe(guarantee);
  });
});
