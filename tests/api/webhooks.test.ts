import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '../../src/entities/enums';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker';
import type { World } from '../support/fixtures';
import { Marketplace, codes } from '../support/marketplace';
import { startTestServer, testConfig, type TestServer } from '../support/test-server';

// ── A receiver on 127.0.0.1, as a bank's core system would run one ───────────────────────────

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

class Receiver {
  received: Received[] = [];
  /** The status each path answers with (200 unless set); 'hang' never answers. */
  answers = new Map<string, number | 'hang'>();
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body });
        const answer = this.answers.get(path) ?? 200;
        if (answer === 'hang') return;
        if (answer >= 300 && answer < 400) res.setHeader('location', `${this.url}/elsewhere`);
        res.statusCode = answer;
        res.end('ok');
      });
    });
  }

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The verification recipe of docs/webhooks.md, as a bank would write it. */
function verify(secret: string, headers: IncomingHttpHeaders, rawBody: string, nowSeconds: number): boolean {
  const timestamp = Number(headers['x-webhook-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const given = String(headers['x-webhook-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

// ── GraphQL ───────────────────────────────────────────────────────────────────────────────────

const ENDPOINT_FIELDS = 'id url description eventTypes status createdAt updatedAt';
const DELIVERY_FIELDS = `id endpointId eventId eventType body status attempts lastAttemptAt lastResponseCode lastError
  lastLatencyMs nextAttemptAt deliveredAt createdAt`;
const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT_FIELDS} } secret userErrors { field code message } }
}`;
const ID_MUTATIONS = ['pauseWebhookEndpoint', 'resumeWebhookEndpoint', 'deleteWebhookEndpoint', 'rotateWebhookSecret'];
const DELIVERIES = `query($endpointId: ID, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${DELIVERY_FIELDS} }
  }
}`;

let server: TestServer;
let world: World;
let market: Marketplace;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
  receiver = new Receiver();
  await receiver.start();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received = [];
  receiver.answers.clear();
});

const worker = () => server.app.webhooks;
const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);
let paths = 0;
const newPath = () => `/hook-${++paths}`;

/** A bank's credential: a session token, or (for tests that move the clock by days) an API key, which does not lapse. */
type Auth = { token?: string; apiKey?: string };

async function createEndpoint(auth: Auth, input: { url: string; eventTypes: string[]; description?: string }) {
  const res = await server.gql(CREATE, { input }, auth);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createWebhookEndpoint;
}

/**
 * A bank (with a published CREDIT product unless `product` is null), an API key of it, and an
 * endpoint at a fresh path of the receiver, registered with the key.
 */
async function bankWithEndpoint(eventTypes: string[], product: Record<string, unknown> | null = {}) {
  const bank = await market.bank();
  const productId = product ? await market.product(bank.token, product) : null;
  const key = await server.gql(
    'mutation { createApiKey(input: { name: "core" }) { secret } }',
    {},
    {
      token: bank.token,
    },
  );
  const auth: Auth = { apiKey: key.body.data.createApiKey.secret };
  const path = newPath();
  const created = await createEndpoint(auth, { url: receiver.url + path, eventTypes });
  expect(created.userErrors).toEqual([]);
  return { bank, auth, productId, path, endpoint: created.endpoint, secret: created.secret as string };
}

async function idMutation(name: string, id: string, auth: Auth) {
  const res = await server.gql(
    `mutation($id: ID!) { ${name}(input: { id: $id }) { userErrors { field code message } } }`,
    { id },
    auth,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data[name];
}

async function deliveries(auth: Auth, args: Record<string, unknown> = {}) {
  const res = await server.gql(DELIVERIES, args, auth);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.webhookDeliveries as { totalCount: number; nodes: any[]; pageInfo: any };
}

async function redeliver(deliveryId: string, auth: Auth) {
  const res = await server.gql(
    `mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { ${DELIVERY_FIELDS} } userErrors { field code } } }`,
    { id: deliveryId },
    auth,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.redeliverWebhook;
}

async function sendTest(endpointId: string, auth: Auth) {
  const res = await server.gql(
    `mutation($id: ID!) { sendTestWebhook(input: { endpointId: $id }) { delivery { ${DELIVERY_FIELDS} } userErrors { field code } } }`,
    { id: endpointId },
    auth,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.sendTestWebhook;
}

const bodies = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body));

// ── Registration ──────────────────────────────────────────────────────────────────────────────

describe('registering endpoints', () => {
  test('the secret is returned on creation and rotation only, and is never readable again', async () => {
    const created = await createEndpoint(
      { token: world.bank.token },
      { url: `${receiver.url}/core`, eventTypes: ['DEMAND_PUBLISHED', 'LOAN_UPDATED'], description: '核心系统' },
    );
    expect(created.userErrors).toEqual([]);
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(created.endpoint).toMatchObject({
      url: `${receiver.url}/core`,
      description: '核心系统',
      eventTypes: ['DEMAND_PUBLISHED', 'LOAN_UPDATED'],
      status: 'ACTIVE',
    });

    const listed = await server.gql(`{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`, {}, { token: world.bank.token });
    expect(listed.body.data.webhookEndpoints.map((e: { id: string }) => e.id)).toContain(created.endpoint.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    // No type has a field for it.
    const asked = await server.gql('{ webhookEndpoints { id secret } }', {}, { token: world.bank.token });
    expect(asked.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Kept as issued (the server signs with it), in a column only the database shows.
    const [row] = await server.sql('select secret from webhook_endpoint where id = ?', [created.endpoint.id]);
    expect(row.secret).toBe(created.secret);

    const rotated = await server.gql(
      `mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { endpoint { id } secret userErrors { code } } }`,
      { id: created.endpoint.id },
      { token: world.bank.token },
    );
    const { secret } = rotated.body.data.rotateWebhookSecret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    const [after] = await server.sql('select secret from webhook_endpoint where id = ?', [created.endpoint.id]);
    expect(after.secret).toBe(secret);
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where target_id = ? and action in ('createWebhookEndpoint', 'rotateWebhookSecret')",
      [created.endpoint.id],
    );
    expect(audit.n).toBe(2);
  });

  test("a bank's API key manages its institution's endpoints", async () => {
    const key = await server.gql(
      'mutation { createApiKey(input: { name: "webhooks" }) { secret } }',
      {},
      {
        token: world.bank.token,
      },
    );
    const apiKey = key.body.data.createApiKey.secret;
    const created = await createEndpoint({ apiKey }, { url: `${receiver.url}/by-key`, eventTypes: ['OFFER_ACCEPTED'] });
    expect(created.userErrors).toEqual([]);
    const listed = await server.gql('{ webhookEndpoints { id } }', {}, { token: world.bank.token });
    expect(listed.body.data.webhookEndpoints.map((e: { id: string }) => e.id)).toContain(created.endpoint.id);
  });

  test.each([
    ['another scheme', 'ftp://bank.example/hook'],
    ['credentials', 'https://user:secret@bank.example/hook'],
    ['a fragment', 'https://bank.example/hook#part'],
    ['an empty fragment', 'https://bank.example/hook#'],
    ['plain http off loopback', 'http://bank.example/hook'],
    ['plain http to a private address', 'http://10.0.0.8/hook'],
    ['no scheme', 'bank.example/hook'],
    ['over 2048 characters', `https://bank.example/${'a'.repeat(2100)}`],
  ])('a URL with %s is refused', async (_why, url) => {
    const created = await createEndpoint({ token: world.bank.token }, { url, eventTypes: ['DEMAND_PUBLISHED'] });
    expect(created.endpoint).toBeNull();
    expect(created.secret).toBeNull();
    expect(codes(created.userErrors)).toEqual(['input.url:INVALID']);
  });

  test('https anywhere, and http to loopback in tests, are accepted', async () => {
    const bank = await market.bank();
    for (const url of [
      'https://bank.example/hook?x=1',
      'http://127.0.0.1:9/h',
      'http://[::1]:9/h',
      'http://localhost:9/h',
    ]) {
      const created = await createEndpoint({ token: bank.token }, { url, eventTypes: ['DEMAND_PUBLISHED'] });
      expect({ url, errors: created.userErrors }).toEqual({ url, errors: [] });
    }
  });

  test('event types: at least one, no duplicates, never PING', async () => {
    const url = `${receiver.url}/types`;
    for (const eventTypes of [[], ['OFFER_ACCEPTED', 'OFFER_ACCEPTED'], ['PING']]) {
      const created = await createEndpoint({ token: world.bank.token }, { url, eventTypes });
      expect(codes(created.userErrors)).toEqual([
        eventTypes.length === 1 ? 'input.eventTypes.0:INVALID' : 'input.eventTypes:INVALID',
      ]);
    }
  });

  test('at most ten endpoints per institution', async () => {
    const bank = await market.bank();
    for (let i = 0; i < 10; i++) {
      const created = await createEndpoint(
        { token: bank.token },
        { url: `https://bank.example/${i}`, eventTypes: ['LOAN_UPDATED'] },
      );
      expect(created.userErrors).toEqual([]);
    }
    const eleventh = await createEndpoint(
      { token: bank.token },
      { url: 'https://bank.example/11', eventTypes: ['LOAN_UPDATED'] },
    );
    expect(codes(eleventh.userErrors)).toEqual([':LIMIT_EXCEEDED']);
  });

  test('update changes only what is given; pause and resume refuse a repeat', async () => {
    const { auth, endpoint } = await bankWithEndpoint(['DEMAND_PUBLISHED'], null);
    const res = await server.gql(
      `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT_FIELDS} } userErrors { field code } } }`,
      { input: { id: endpoint.id, eventTypes: ['LOAN_UPDATED', 'OFFER_REJECTED'], description: '备用' } },
      auth,
    );
    expect(res.body.data.updateWebhookEndpoint.endpoint).toMatchObject({
      url: endpoint.url,
      eventTypes: ['LOAN_UPDATED', 'OFFER_REJECTED'],
      description: '备用',
    });
    const badUrl = await server.gql(
      `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { userErrors { field code } } }`,
      { input: { id: endpoint.id, url: 'http://bank.example/' } },
      auth,
    );
    expect(codes(badUrl.body.data.updateWebhookEndpoint.userErrors)).toEqual(['input.url:INVALID']);

    expect((await idMutation('resumeWebhookEndpoint', endpoint.id, auth)).userErrors[0].code).toBe('INVALID_STATE');
    expect((await idMutation('pauseWebhookEndpoint', endpoint.id, auth)).userErrors).toEqual([]);
    expect((await idMutation('pauseWebhookEndpoint', endpoint.id, auth)).userErrors[0].code).toBe('INVALID_STATE');
    expect((await idMutation('resumeWebhookEndpoint', endpoint.id, auth)).userErrors).toEqual([]);
  });

  test('the serving role may use the new tables (default privileges of the RowLevelSecurity migration)', async () => {
    const rows = await server.sql(
      // One privilege per call: with a list, has_table_privilege answers whether any is held.
      `select t, has_table_privilege('cel_app', t, 'select') and has_table_privilege('cel_app', t, 'insert')
              and has_table_privilege('cel_app', t, 'update') and has_table_privilege('cel_app', t, 'delete') as ok
       from unnest(array['webhook_endpoint', 'webhook_event', 'webhook_delivery']) t`,
    );
    expect(rows).toEqual([
      { t: 'webhook_endpoint', ok: true },
      { t: 'webhook_event', ok: true },
      { t: 'webhook_delivery', ok: true },
    ]);
  });
});

// ── Who may ───────────────────────────────────────────────────────────────────────────────────

describe('access', () => {
  const calls: [string, string][] = [
    ['webhookEndpoints', '{ webhookEndpoints { id } }'],
    ['webhookDeliveries', '{ webhookDeliveries { totalCount } }'],
    [
      'createWebhookEndpoint',
      'mutation { createWebhookEndpoint(input: { url: "https://x.example/", eventTypes: [LOAN_UPDATED] }) { secret } }',
    ],
    ['updateWebhookEndpoint', 'mutation { updateWebhookEndpoint(input: { id: "x" }) { userErrors { code } } }'],
    ['redeliverWebhook', 'mutation { redeliverWebhook(input: { deliveryId: "x" }) { delivery { id } } }'],
    ['sendTestWebhook', 'mutation { sendTestWebhook(input: { endpointId: "x" }) { delivery { id } } }'],
    ...ID_MUTATIONS.map((name): [string, string] => [
      name,
      `mutation { ${name}(input: { id: "x" }) { userErrors { code } } }`,
    ]),
  ];

  test('anonymous, enterprise, regulator and admin are refused every webhook field', async () => {
    const viewers: [string, string | undefined][] = [
      ['anonymous', undefined],
      ['enterprise', world.enterprise.token],
      ['regulator', world.regulator.token],
      ['admin', world.admin.token],
    ];
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [name, query] of calls) {
      for (const [who, token] of viewers) {
        const res = await server.gql(query, {}, token ? { token } : {});
        seen.push(`${name} as ${who}: ${res.body.errors?.[0]?.extensions.code}`);
        expected.push(`${name} as ${who}: ${token ? 'FORBIDDEN' : 'UNAUTHENTICATED'}`);
      }
    }
    expect(seen).toEqual(expected);
  });

  test("another bank's endpoints and deliveries are NOT_FOUND, and never listed", async () => {
    const a = await bankWithEndpoint(['LOAN_UPDATED'], null);
    const b = await market.bank();
    const ping = await sendTest(a.endpoint.id, a.auth);
    expect(ping.userErrors).toEqual([]);

    for (const name of ID_MUTATIONS) {
      expect({ name, errors: codes((await idMutation(name, a.endpoint.id, { token: b.token })).userErrors) }).toEqual({
        name,
        errors: ['input.id:NOT_FOUND'],
      });
    }
    const update = await server.gql(
      `mutation($id: ID!) { updateWebhookEndpoint(input: { id: $id, description: "x" }) { userErrors { field code } } }`,
      { id: a.endpoint.id },
      { token: b.token },
    );
    expect(codes(update.body.data.updateWebhookEndpoint.userErrors)).toEqual(['input.id:NOT_FOUND']);
    expect(codes((await sendTest(a.endpoint.id, { token: b.token })).userErrors)).toEqual([
      'input.endpointId:NOT_FOUND',
    ]);
    expect(codes((await redeliver(ping.delivery.id, { token: b.token })).userErrors)).toEqual([
      'input.deliveryId:NOT_FOUND',
    ]);

    const foreign = await server.gql(DELIVERIES, { endpointId: a.endpoint.id }, { token: b.token });
    expect(foreign.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await deliveries({ token: b.token })).nodes).toEqual([]);
    const listed = await server.gql('{ webhookEndpoints { id } }', {}, { token: b.token });
    expect(listed.body.data.webhookEndpoints).toEqual([]);
    // Still there for its owner.
    expect((await deliveries(a.auth)).nodes.map((d) => d.id)).toEqual([ping.delivery.id]);
  });
});

// ── Events, signatures and who receives them ──────────────────────────────────────────────────

describe('events', () => {
  test('a published demand reaches, correctly signed, exactly the banks that may bid on it', async () => {
    const bidder = await bankWithEndpoint(['DEMAND_PUBLISHED']);
    const otherMarket = await bankWithEndpoint(['DEMAND_PUBLISHED'], { type: 'MORTGAGE' });
    const notSubscribed = await bankWithEndpoint(['OFFER_ACCEPTED']);
    const enterprise = await market.enterprise();

    const demandId = await market.demand(enterprise.token, { acceptedTypes: ['CREDIT'] });
    // Queued in the publishing request's own transaction: the rows are there before any send.
    const [queued] = await server.sql(
      `select count(*)::int as n from webhook_delivery d join webhook_event e on e.id = d.event_id
       where e.payload->>'demandId' = ?`,
      [demandId],
    );
    expect(queued.n).toBe(1);

    await worker().drain();
    expect(receiver.at(otherMarket.path)).toEqual([]);
    expect(receiver.at(notSubscribed.path)).toEqual([]);
    const [got] = receiver.at(bidder.path);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(verify(bidder.secret, got.headers, got.body, nowSeconds())).toBe(true);
    expect(verify(otherMarket.secret, got.headers, got.body, nowSeconds())).toBe(false);
    expect(verify(bidder.secret, got.headers, got.body.replace(demandId, demandId.toUpperCase()), nowSeconds())).toBe(
      false,
    );
    // A captured request replayed later fails the 5-minute window.
    expect(verify(bidder.secret, got.headers, got.body, nowSeconds() + 301)).toBe(false);
    const body = JSON.parse(got.body);
    expect(body).toEqual({
      id: got.headers['x-webhook-id'],
      type: 'DEMAND_PUBLISHED',
      createdAt: expect.stringMatching(/\+08:00$/),
      data: { demandId },
    });

    const { nodes } = await deliveries(bidder.auth);
    expect(nodes).toEqual([
      expect.objectContaining({
        endpointId: bidder.endpoint.id,
        eventId: body.id,
        eventType: 'DEMAND_PUBLISHED',
        body: got.body,
        status: 'DELIVERED',
        attempts: 1,
        lastResponseCode: 200,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: expect.any(String),
      }),
    ]);
    expect(nodes[0].lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  test('accepting an offer tells the winner OFFER_ACCEPTED and each loser only of its own rejection', async () => {
    const all = ['OFFER_ACCEPTED', 'OFFER_REJECTED', 'LOAN_UPDATED', 'AUTHORIZATION_GRANTED'];
    const winner = await bankWithEndpoint(all);
    const loser = await bankWithEndpoint(all);
    const bystander = await bankWithEndpoint(all);
    const enterprise = await market.enterprise();
    const demandId = await market.demand(enterprise.token);
    const winning = await market.offer(winner.bank.token, demandId, winner.productId!);
    const losing = await market.offer(loser.bank.token, demandId, loser.productId!);
    const accepted = await market.accept(enterprise.token, winning);
    await worker().drain();

    const types = (path: string) =>
      bodies(path)
        .map((b) => b.type)
        .sort();
    expect(types(winner.path)).toEqual(['AUTHORIZATION_GRANTED', 'LOAN_UPDATED', 'OFFER_ACCEPTED']);
    expect(types(loser.path)).toEqual(['OFFER_REJECTED']);
    expect(types(bystander.path)).toEqual([]);
    const byType = Object.fromEntries(bodies(winner.path).map((b) => [b.type, b.data]));
    expect(byType.OFFER_ACCEPTED).toEqual({ offerId: winning, demandId, loanId: accepted.loan.id });
    expect(byType.LOAN_UPDATED).toEqual({ loanId: accepted.loan.id, status: 'PENDING' });
    expect(byType.AUTHORIZATION_GRANTED).toMatchObject({ enterpriseId: enterprise.org.id, scope: 'FULL' });
    expect(bodies(loser.path)[0].data).toEqual({ offerId: losing, demandId });
    for (const r of [...receiver.at(winner.path), ...receiver.at(loser.path)]) {
      const secret = r.path === winner.path ? winner.secret : loser.secret;
      expect(verify(secret, r.headers, r.body, nowSeconds())).toBe(true);
    }
  });

  test('a withdrawn demand rejects the pending offers: each bank hears of its own', async () => {
    const bidder = await bankWithEndpoint(['OFFER_REJECTED']);
    const enterprise = await market.enterprise();
    const demandId = await market.demand(enterprise.token);
    const offerId = await market.offer(bidder.bank.token, demandId, bidder.productId!);
    await market.call(
      'mutation($id: ID!) { withdrawDemand(input: { id: $id }) { userErrors { code } } }',
      { id: demandId },
      enterprise.token,
      'withdrawDemand',
    );
    await worker().drain();
    expect(bodies(bidder.path).map((b) => [b.type, b.data])).toEqual([['OFFER_REJECTED', { offerId, demandId }]]);
  });

  test('consent granted and revoked reaches the bank named, and no other', async () => {
    const named = await bankWithEndpoint(['AUTHORIZATION_GRANTED', 'AUTHORIZATION_REVOKED'], null);
    const other = await bankWithEndpoint(['AUTHORIZATION_GRANTED', 'AUTHORIZATION_REVOKED'], null);
    const enterprise = await market.enterprise();
    const granted = await market.call(
      `mutation($input: GrantCreditAuthorizationInput!) {
        grantCreditAuthorization(input: $input) { authorization { id } userErrors { field code message } }
      }`,
      { input: { institutionId: named.bank.org.id, scope: 'SUMMARY', purpose: '贷前调查', validDays: 30 } },
      enterprise.token,
      'grantCreditAuthorization',
    );
    const authorizationId = granted.authorization.id;
    await market.call(
      'mutation($id: ID!) { revokeCreditAuthorization(input: { id: $id }) { userErrors { code } } }',
      { id: authorizationId },
      enterprise.token,
      'revokeCreditAuthorization',
    );
    await worker().drain();
    expect(bodies(named.path).map((b) => [b.type, b.data.authorizationId, b.data.enterpriseId])).toEqual(
      expect.arrayContaining([
        ['AUTHORIZATION_GRANTED', authorizationId, enterprise.org.id],
        ['AUTHORIZATION_REVOKED', authorizationId, enterprise.org.id],
      ]),
    );
    expect(receiver.at(named.path)).toHaveLength(2);
    expect(receiver.at(other.path)).toEqual([]);
  });

  test('a dispatched whitelist entry reaches the bank it went to', async () => {
    // Only this test's bank has a product on the market, so the entry goes to it.
    await server.sql("update loan_product set status = 'OFFLINE'");
    const assigned = await bankWithEndpoint(['DISPATCH_ASSIGNED']);
    const enterprise = await market.enterprise();
    const uploaded = await market.call(
      `mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id } userErrors { field code message } } }`,
      { input: { name: '派单名单', entries: [{ uscc: enterprise.org.uscc, name: enterprise.org.name }] } },
      world.regulator.token,
      'uploadWhitelist',
    );
    await market.call(
      'mutation($id: ID!) { dispatchWhitelist(input: { whitelistId: $id }) { dispatched userErrors { code message } } }',
      { id: uploaded.whitelist.id },
      world.regulator.token,
      'dispatchWhitelist',
    );
    await worker().drain();
    const [dispatch] = await server.sql('select id from dispatch where institution_id = ?', [assigned.bank.org.id]);
    expect(bodies(assigned.path).map((b) => [b.type, b.data])).toEqual([
      ['DISPATCH_ASSIGNED', { dispatchId: dispatch.id }],
    ]);
  });

  test('LOAN_UPDATED goes to the lender on every change of its loan', async () => {
    const lender = await bankWithEndpoint(['LOAN_UPDATED']);
    const { loanId } = await market.pendingLoan(lender.bank);
    await market.call(
      `mutation($input: DeclineLoanInput!) { declineLoan(input: $input) { userErrors { field code message } } }`,
      { input: { loanId, reason: '资料不全' } },
      lender.bank.token,
      'declineLoan',
    );
    await worker().drain();
    expect(bodies(lender.path).map((b) => b.data)).toEqual(
      expect.arrayContaining([
        { loanId, status: 'PENDING' },
        { loanId, status: 'DECLINED' },
      ]),
    );
  });

  test('the outbox commits with the change or not at all', async () => {
    const bidder = await bankWithEndpoint(['DEMAND_PUBLISHED']);
    const enterprise = await market.enterprise();
    const before = await server.sql('select count(*)::int as n from webhook_event');
    // A refused mutation (userErrors) queues nothing.
    const unverified = await market.enterprise({ verificationStatus: 'PENDING' } as never);
    const refused = await server.gql(
      'mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }',
      { input: { amount: '500000', termMonths: 12, purpose: '采购原材料' } },
      { token: unverified.token },
    );
    expect(refused.body.data.publishDemand.userErrors[0].code).toBe('NOT_ELIGIBLE');
    // The outbox write fails: the demand it announces is rolled back with it (one transaction).
    await server.sql(`create function refuse_delivery() returns trigger language plpgsql as
      $$ begin raise exception 'outbox refused'; end $$`);
    await server.sql(
      'create trigger refuse_delivery before insert on webhook_delivery for each row execute function refuse_delivery()',
    );
    try {
      const failed = await server.gql(
        'mutation($input: PublishDemandInput!) { publishDemand(input: $input) { demand { id } userErrors { code } } }',
        { input: { amount: '500000', termMonths: 12, purpose: '采购原材料' } },
        { token: enterprise.token },
      );
      expect(failed.status).toBe(500);
      expect(failed.body.errors?.[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await server.sql('drop trigger refuse_delivery on webhook_delivery');
      await server.sql('drop function refuse_delivery()');
    }
    const demands = await server.sql('select count(*)::int as n from financing_demand where enterprise_id = ?', [
      enterprise.org.id,
    ]);
    expect(demands[0].n).toBe(0);
    expect(await server.sql('select count(*)::int as n from webhook_event')).toEqual(before);
    await worker().drain();
    expect(receiver.at(bidder.path)).toEqual([]);
  });
});

// ── Retries, expiry, redelivery ───────────────────────────────────────────────────────────────

describe('delivery', () => {
  test('a failing receiver is retried with backoff (10 s, 20 s … ±10 %) under the same event id', async () => {
    const { auth, endpoint, path, secret } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    receiver.answers.set(path, 500);
    await sendTest(endpoint.id, auth);

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = server.clock.now().getTime();
      expect(await worker().runOnce()).toBe(1);
      const [delivery] = (await deliveries(auth)).nodes;
      expect(delivery).toMatchObject({
        status: 'PENDING',
        attempts: attempt,
        lastResponseCode: 500,
        lastError: 'HTTP 500',
      });
      delays.push(new Date(delivery.nextAttemptAt).getTime() - before);
      // Not due yet: nothing is sent.
      expect(await worker().runOnce()).toBe(0);
      server.clock.advance(delays.at(-1)! + 1_000);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(9_000);
    expect(delays[0]).toBeLessThanOrEqual(11_000);
    expect(delays[1]).toBeGreaterThanOrEqual(18_000);
    expect(delays[1]).toBeLessThanOrEqual(22_000);
    expect(delays[2]).toBeGreaterThanOrEqual(36_000);
    expect(delays[2]).toBeLessThanOrEqual(44_000);

    receiver.answers.set(path, 204);
    expect(await worker().drain()).toBe(1);
    const [delivered] = (await deliveries(auth)).nodes;
    expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: 4, lastResponseCode: 204, lastError: null });
    const got = receiver.at(path);
    expect(got).toHaveLength(4);
    expect(new Set(got.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([delivered.eventId]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got.every((r) => verify(secret, r.headers, r.body, Number(r.headers['x-webhook-timestamp'])))).toBe(true);
    expect(JSON.parse(got[0].body)).toMatchObject({ type: 'PING', data: { endpointId: endpoint.id } });
  });

  test('redirects are not followed, and a receiver that does not answer times out', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    receiver.answers.set(path, 302);
    await sendTest(endpoint.id, auth);
    await worker().runOnce();
    expect(receiver.received.map((r) => r.path)).toEqual([path]);
    expect((await deliveries(auth)).nodes[0]).toMatchObject({ status: 'PENDING', lastResponseCode: 302 });

    const slow = await bankWithEndpoint(['LOAN_UPDATED'], null);
    receiver.answers.set(slow.path, 'hang');
    await sendTest(slow.endpoint.id, slow.auth);
    const impatient = new WebhookDeliveryWorker({
      orm: server.appOrm,
      logger: server.app.fastify.log as never,
      now: server.clock.now,
      settings: { ...testConfig().webhooks!, timeoutMs: 300 },
    });
    expect(await impatient.runOnce()).toBe(1);
    expect((await deliveries(slow.auth)).nodes[0]).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastResponseCode: null,
      lastError: expect.stringContaining('300 ms'),
    });
  });

  test('24 hours after the event it is FAILED; a redelivery sends it again with the same id', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    receiver.answers.set(path, 503);
    await sendTest(endpoint.id, auth);
    await worker().runOnce();
    server.clock.advance(24 * 3_600_000 + 60_000);
    await worker().drain();
    const [failed] = (await deliveries(auth, { status: 'FAILED' })).nodes;
    expect(failed).toMatchObject({ status: 'FAILED', nextAttemptAt: null, lastResponseCode: 503 });
    expect(receiver.at(path)).toHaveLength(1);

    receiver.answers.set(path, 200);
    const again = await redeliver(failed.id, auth);
    expect(again.userErrors).toEqual([]);
    expect(again.delivery).toMatchObject({ id: failed.id, status: 'PENDING', eventId: failed.eventId });
    await worker().drain();
    const [delivered] = (await deliveries(auth)).nodes;
    expect(delivered).toMatchObject({ id: failed.id, status: 'DELIVERED', attempts: failed.attempts + 1 });
    expect(receiver.at(path).map((r) => r.headers['x-webhook-id'])).toEqual([failed.eventId, failed.eventId]);
    // A delivered one may be asked for again too (the receiver lost it).
    await redeliver(failed.id, auth);
    await worker().drain();
    expect(receiver.at(path)).toHaveLength(3);
  });

  test('a paused endpoint queues, sends nothing, and catches up when resumed', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['DEMAND_PUBLISHED']);
    await idMutation('pauseWebhookEndpoint', endpoint.id, auth);
    expect(codes((await sendTest(endpoint.id, auth)).userErrors)).toEqual(['input.endpointId:INVALID_STATE']);
    const enterprise = await market.enterprise();
    await market.demand(enterprise.token);
    await worker().drain();
    expect(receiver.at(path)).toEqual([]);
    expect((await deliveries(auth)).nodes.map((d) => d.status)).toEqual(['PENDING']);

    await idMutation('resumeWebhookEndpoint', endpoint.id, auth);
    await worker().drain();
    expect(bodies(path).map((b) => b.type)).toEqual(['DEMAND_PUBLISHED']);
  });

  test('a paused endpoint past the 24 hours: its deliveries are FAILED, never sent', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['DEMAND_PUBLISHED']);
    const enterprise = await market.enterprise();
    await market.demand(enterprise.token);
    await idMutation('pauseWebhookEndpoint', endpoint.id, auth);
    server.clock.advance(24 * 3_600_000 + 1_000);
    await worker().drain();
    await idMutation('resumeWebhookEndpoint', endpoint.id, auth);
    await worker().drain();
    expect(receiver.at(path)).toEqual([]);
    expect((await deliveries(auth)).nodes).toEqual([
      expect.objectContaining({ status: 'FAILED', attempts: 0, lastError: expect.any(String) }),
    ]);
  });

  test('two workers never claim the same delivery (FOR UPDATE SKIP LOCKED)', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    for (let i = 0; i < 6; i++) await sendTest(endpoint.id, auth);
    const other = new WebhookDeliveryWorker({
      orm: server.appOrm,
      logger: server.app.fastify.log as never,
      now: server.clock.now,
      settings: { ...testConfig().webhooks!, batchSize: 3 },
    });
    const [a, b] = await Promise.all([worker().runOnce(), other.runOnce()]);
    expect(a + b).toBeGreaterThanOrEqual(3);
    await Promise.all([worker().drain(), other.drain()]);
    const ids = receiver.at(path).map((r) => r.headers['x-webhook-id']);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  test('deliveries page with cursors, newest first, and filter by status', async () => {
    const { auth, endpoint, path } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    for (let i = 0; i < 3; i++) {
      await sendTest(endpoint.id, auth);
      server.clock.advance(1_000);
    }
    receiver.answers.set(path, 500);
    await worker().drain();
    const first = await deliveries(auth, { endpointId: endpoint.id, first: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await deliveries(auth, { endpointId: endpoint.id, first: 2, after: first.pageInfo.endCursor });
    const all = [...first.nodes, ...rest.nodes];
    expect(all).toHaveLength(3);
    const times = all.map((d) => new Date(d.createdAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect((await deliveries(auth, { status: 'DELIVERED' })).nodes).toEqual([]);
    expect((await deliveries(auth, { status: 'PENDING' })).totalCount).toBe(3);
  });

  test('the delivery log costs the same statements for 1, 20 and 100 deliveries', async () => {
    const { auth, bank, endpoint } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    for (let i = 0; i < 25; i++) await sendTest(endpoint.id, auth);
    // Signed in (an API key's lastUsedAt write, once a minute, would count in one of the three).
    const statements = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(
        `query($first: Int) { webhookDeliveries(first: $first) { nodes { id eventId eventType body status } } }`,
        { first },
        { token: bank.token },
      );
      expect(res.body.data.webhookDeliveries.nodes).toHaveLength(Math.min(first, 25));
      statements.push(res.sqlStatements);
    }
    expect(new Set(statements).size).toBe(1);
  });

  test('a rotated secret signs the next attempt; a deleted endpoint takes its queue with it', async () => {
    const { auth, endpoint, path, secret } = await bankWithEndpoint(['LOAN_UPDATED'], null);
    await sendTest(endpoint.id, auth);
    const rotated = await server.gql(
      'mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret } }',
      { id: endpoint.id },
      auth,
    );
    const newSecret = rotated.body.data.rotateWebhookSecret.secret;
    await worker().drain();
    const [got] = receiver.at(path);
    expect(verify(newSecret, got.headers, got.body, nowSeconds())).toBe(true);
    expect(verify(secret, got.headers, got.body, nowSeconds())).toBe(false);

    await sendTest(endpoint.id, auth);
    const deleted = await server.gql(
      'mutation($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { deletedId userErrors { code } } }',
      { id: endpoint.id },
      auth,
    );
    expect(deleted.body.data.deleteWebhookEndpoint).toEqual({ deletedId: endpoint.id, userErrors: [] });
    await worker().drain();
    expect(receiver.at(path)).toHaveLength(1);
    expect(await server.sql('select id from webhook_delivery where endpoint_id = ?', [endpoint.id])).toEqual([]);
  });
});

test('bank users of the same institution share its endpoints', async () => {
  // Signed in afresh: earlier tests moved the clock past the world's tokens.
  const me = await server.fixtures.login(world.bank.user.login);
  const colleague = await server.fixtures.principal(Role.BANK, { institution: world.bankA } as never);
  const mine = await server.gql('{ webhookEndpoints { id } }', {}, { token: me });
  const theirs = await server.gql('{ webhookEndpoints { id } }', {}, { token: colleague.token });
  expect(theirs.body.data.webhookEndpoints).toEqual(mine.body.data.webhookEndpoints);
  expect(mine.body.data.webhookEndpoints.length).toBeGreaterThan(0);
});
