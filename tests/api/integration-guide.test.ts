import * as crypto from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { buildSchema, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import type { Enterprise, FinancialInstitution, User } from '../../src/entities';
import { Role } from '../../src/entities/enums';
import { PASSWORD } from '../support/fixtures';
import { Marketplace, productInput, type Party } from '../support/marketplace';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

/**
 * docs/integration.md, followed as a bank developer would: every GraphQL operation, its variables,
 * the webhook receiver and the demand poller are taken from the page itself (by their `<!-- … -->`
 * markers) and run in order against a real server. After `createApiKey`, the bank uses only the key.
 */

const DOC_PATH = join(__dirname, '../../docs/integration.md');
const DOC = readFileSync(DOC_PATH, 'utf8');

/** The fenced block of `lang` right after `<!-- marker -->`. */
function block(marker: string, lang: string): string {
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`<!-- ${escaped} -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!found) throw new Error(`docs/integration.md has no \`\`\`${lang} block after <!-- ${marker} -->`);
  return found[1]!;
}

const ran = new Set<string>();
const step = (name: string) => {
  ran.add(name);
  return block(`step: ${name}`, 'graphql');
};

/**
 * The step's variables as the page shows them, with `fill` put in by key name wherever it appears.
 * A placeholder (`"<…>"`) the test does not fill, or a fill the page has no key for, fails the test.
 */
function variables(name: string, fill: Record<string, unknown> = {}): Record<string, unknown> {
  const used = new Set<string>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (key in fill) {
          used.add(key);
          return [key, fill[key]];
        }
        if (typeof v === 'string' && v.startsWith('<'))
          throw new Error(`${name}: placeholder ${key} = ${v} not filled`);
        return [key, walk(v)];
      }),
    );
  };
  const filled = walk(JSON.parse(block(`variables: ${name}`, 'json'))) as Record<string, unknown>;
  const unused = Object.keys(fill).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`${name}: the page's variables have no ${unused.join(', ')}`);
  return filled;
}

// ── The page's JavaScript, evaluated as written ─────────────────────────────────────────────────

interface DocReceiver {
  verifyWebhook: (secret: string, headers: http.IncomingHttpHeaders, rawBody: string, nowSeconds?: number) => boolean;
  server: http.Server;
  /** What the receiver printed with console.log / console.error. */
  logs: unknown[][];
  errors: unknown[][];
  /** The headers of every request the receiver got, as its handler saw them. */
  requests: http.IncomingHttpHeaders[];
}

/** Runs the page's receiver.js as `node receiver.js` would, with these environment variables. */
async function startDocReceiver(env: Record<string, string>): Promise<DocReceiver> {
  const logs: unknown[][] = [];
  const errors: unknown[][] = [];
  const requests: http.IncomingHttpHeaders[] = [];
  // node:http with a tap on the handler, to keep the headers each request arrived with.
  const tappedHttp = {
    ...http,
    createServer: (handler: http.RequestListener) =>
      http.createServer((req, res) => {
        requests.push(req.headers);
        handler(req, res);
      }),
  };
  const modules: Record<string, unknown> = { 'node:http': tappedHttp, 'node:crypto': crypto };
  const fakeRequire = (id: string) => {
    if (!(id in modules)) throw new Error(`the receiver should need only node:http and node:crypto, not ${id}`);
    return modules[id];
  };
  const module = { exports: {} as Record<string, unknown> };
  const run = runInThisContext(
    `(function (require, module, exports, process, console) {\n${block('receiver', 'js')}\n})`,
    {
      filename: `${DOC_PATH}#receiver`,
    },
  );
  run(
    fakeRequire,
    module,
    module.exports,
    { env },
    {
      log: (...args: unknown[]) => logs.push(args),
      error: (...args: unknown[]) => errors.push(args),
    },
  );
  const exported = module.exports as Pick<DocReceiver, 'verifyWebhook' | 'server'>;
  if (!exported.server.listening) await new Promise((resolve) => exported.server.once('listening', resolve));
  return { ...exported, logs, errors, requests };
}

type Poller = (
  graphql: (query: string, variables: Record<string, unknown>) => Promise<any>,
  state: { watermark: string | null; seen: Map<string, number> },
  pageSize?: number,
) => Promise<{ id: string; createdAt: string }[]>;

type GraphQLHelper = (
  query: string,
  variables?: Record<string, unknown>,
  options?: { idempotencyKey?: string },
) => Promise<any>;

/** The page's graphql() helper, with CEL_API_KEY set and its localhost:4000 pointed at the test server. */
function docGraphQL(key: string): GraphQLHelper {
  const make = runInThisContext(`(function (process, fetch) {\n${block('graphql-helper', 'js')}\nreturn graphql;\n})`, {
    filename: `${DOC_PATH}#graphql-helper`,
  });
  const toTestServer: typeof fetch = (url, init) =>
    fetch(String(url).replace('http://localhost:4000', server.url), init);
  return make({ env: { CEL_API_KEY: key } }, toTestServer);
}

function docPoller(pollDemands: string): Poller {
  const make = runInThisContext(`(function (POLL_DEMANDS) {\n${block('poller', 'js')}\nreturn pollNewDemands;\n})`, {
    filename: `${DOC_PATH}#poller`,
  });
  return make(pollDemands);
}

// ── The world: a bank with a PUBLISHED product, verified enterprises ───────────────────────────

let server: TestServer;
let market: Marketplace;
let bankOrg: FinancialInstitution;
let bankUser: User;
let productId: string;
let enterprise: Party<Enterprise>;
let otherEnterprise: Party<Enterprise>;
let receiverPort: number;
let receiver: DocReceiver | undefined;

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  server = await startTestServer();
  market = new Marketplace(server);
  bankOrg = await server.fixtures.institution('测试银行 对接指南');
  bankUser = await server.fixtures.user(Role.BANK, { institution: bankOrg } as never);
  // The bank's product shelf, set up by a colleague: one PUBLISHED credit product (the one to
  // offer), a draft and a published mortgage product that PickProduct must leave out.
  const colleague = await server.fixtures.principal(Role.BANK, { institution: bankOrg } as never);
  productId = await market.product(colleague.token, { name: '纳税信用贷' });
  await market.product(colleague.token, { name: '房产抵押贷', type: 'MORTGAGE' });
  await market.call(
    `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } userErrors { field message } } }`,
    { input: productInput({ name: '草稿产品' }) },
    colleague.token,
    'createLoanProduct',
  );
  enterprise = await market.enterprise();
  otherEnterprise = await market.enterprise();
  receiverPort = await freePort();
});

afterAll(async () => {
  if (receiver) {
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver!.server.close(resolve));
  }
  await server?.close();
});

// ── The walkthrough: each test goes on from the one before ───────────────────────────────────────────────────────

let apiKey: string;
let institutionId: string;
let endpointId: string;
let secret: string;
let demandId: string;
let demand: Record<string, any>;
let offerId: string;
let offerKey: string;

/** The bank's core system from §1 on: the API key only. */
const asBank = (query: string, vars: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  server.gql(query, vars, { apiKey, headers });

function noErrors(res: GraphQLResponse) {
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data;
}

async function waitFor(what: string, done: () => boolean) {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

const worker = () => server.app.webhooks;
const eventLogs = () => receiver!.logs.filter((args) => args[0] === 'event');

describe('docs/integration.md, followed step by step', () => {
  test('§1 a bank user signs in and creates an API key; the key works in both headers', async () => {
    const login = noErrors(
      await server.gql(step('login'), variables('login', { login: bankUser.login, password: PASSWORD })),
    );
    expect(login.login).toMatchObject({ user: { login: bankUser.login, role: 'BANK' }, userErrors: [] });
    const accessToken = login.login.accessToken as string;

    const created = noErrors(
      await server.gql(step('create-api-key'), variables('create-api-key'), { token: accessToken }),
    );
    expect(created.createApiKey.userErrors).toEqual([]);
    apiKey = created.createApiKey.secret;
    expect(apiKey).toMatch(/^cel_[\w-]{43}$/);
    expect(created.createApiKey.apiKey.prefix).toHaveLength(10);
    expect(apiKey.startsWith(created.createApiKey.apiKey.prefix)).toBe(true);

    // `Authorization: Bearer cel_…` and `X-Api-Key: cel_…` are the same bank user.
    const viaBearer = noErrors(
      await server.gql(step('whoami'), {}, { headers: { authorization: `Bearer ${apiKey}` } }),
    );
    const viaHeader = noErrors(await asBank(step('whoami')));
    expect(viaBearer).toEqual(viaHeader);
    expect(viaHeader.me).toEqual({
      login: bankUser.login,
      role: 'BANK',
      institution: { id: bankOrg.id, name: bankOrg.name },
    });
    institutionId = viaHeader.me.institution.id;

    // What the page says of keys: a key cannot mint keys; an unknown key is 401 UNAUTHENTICATED.
    const minted = await asBank(step('create-api-key'), variables('create-api-key'));
    expect(minted.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const unknown = await server.gql(step('whoami'), {}, { apiKey: `cel_${'x'.repeat(43)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const anonymous = await server.gql(step('poll-demands'), variables('poll-demands'));
    expect([anonymous.status, anonymous.body.errors?.[0].extensions.code]).toEqual([200, 'UNAUTHENTICATED']);

    // The page's curl commands send bodies that run.
    const curlBodies = [...DOC.matchAll(/^curl [\s\S]*?-d '(\{.*\})'$/gm)].map((m) => JSON.parse(m[1]!));
    expect(curlBodies).toHaveLength(2);
    for (const body of curlBodies) noErrors(await asBank(body.query));
  });

  test('§3 the bank registers a webhook endpoint and keeps its secret; §4 the receiver gets the PING', async () => {
    const url = `http://127.0.0.1:${receiverPort}/webhooks`;
    const refused = noErrors(
      await asBank(step('create-webhook'), variables('create-webhook', { url: 'ftp://core.bank.example/hooks' })),
    );
    expect(refused.createWebhookEndpoint).toMatchObject({
      endpoint: null,
      secret: null,
      userErrors: [expect.objectContaining({ code: 'INVALID', field: ['input', 'url'] })],
    });
    const created = noErrors(await asBank(step('create-webhook'), variables('create-webhook', { url })));
    expect(created.createWebhookEndpoint.userErrors).toEqual([]);
    expect(created.createWebhookEndpoint.endpoint).toMatchObject({ url, status: 'ACTIVE' });
    expect(created.createWebhookEndpoint.endpoint.eventTypes).toContain('DEMAND_PUBLISHED');
    secret = created.createWebhookEndpoint.secret;
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    endpointId = created.createWebhookEndpoint.endpoint.id;

    // `WEBHOOK_SECRET=whsec_… PORT=… node receiver.js`
    receiver = await startDocReceiver({ WEBHOOK_SECRET: secret, PORT: String(receiverPort), HOST: '127.0.0.1' });
    expect(receiver.logs[0]).toEqual([`webhook receiver on http://127.0.0.1:${receiverPort}`]);

    const sent = noErrors(await asBank(step('send-test-webhook'), variables('send-test-webhook', { endpointId })));
    expect(sent.sendTestWebhook).toMatchObject({ delivery: { eventType: 'PING', status: 'PENDING' }, userErrors: [] });
    await worker().drain();
    await waitFor('the PING', () => eventLogs().length === 1);
    expect(eventLogs()).toEqual([
      ['event', 'PING', sent.sendTestWebhook.delivery.eventId, JSON.stringify({ endpointId })],
    ]);
  });

  test('§4 a published demand arrives as a signed DEMAND_PUBLISHED that the page’s own code verifies', async () => {
    const published = noErrors(
      await server.gql(step('publish-demand'), variables('publish-demand'), { token: enterprise.token }),
    );
    expect(published.publishDemand.userErrors).toEqual([]);
    expect(published.publishDemand.demand.status).toBe('OPEN');
    demandId = published.publishDemand.demand.id;

    const before = receiver!.requests.length;
    await worker().drain();
    await waitFor('the demand event', () => eventLogs().length === 2);
    const [, [, type, eventId, data]] = eventLogs();
    expect([type, JSON.parse(data as string)]).toEqual(['DEMAND_PUBLISHED', { demandId }]);
    expect(receiver!.errors).toEqual([]);

    // The delivery log: delivered at the first attempt, answered 204 by the receiver.
    const log = noErrors(await asBank(step('webhook-deliveries'), variables('webhook-deliveries', { endpointId })));
    const delivery = log.webhookDeliveries.nodes.find((d: { eventType: string }) => d.eventType === 'DEMAND_PUBLISHED');
    expect(delivery).toMatchObject({
      eventId,
      status: 'DELIVERED',
      attempts: 1,
      lastResponseCode: 204,
      lastError: null,
    });

    // The signature, checked once more by the page's verifyWebhook on the headers the receiver got
    // and the body the platform recorded: valid now, refused with another secret, another body, or
    // 5 minutes and a second later.
    const headers = receiver!.requests[before]!;
    expect(headers['x-webhook-id']).toBe(eventId);
    expect(headers['x-webhook-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    const sent = noErrors(
      await asBank('query($id: ID) { webhookDeliveries(endpointId: $id) { nodes { eventId body } } }', {
        id: endpointId,
      }),
    );
    const { body } = sent.webhookDeliveries.nodes.find((d: { eventId: string }) => d.eventId === eventId);
    const signedAt = Number(headers['x-webhook-timestamp']);
    expect(receiver!.verifyWebhook(secret, headers, body, signedAt)).toBe(true);
    expect(receiver!.verifyWebhook(`${secret}x`, headers, body, signedAt)).toBe(false);
    expect(receiver!.verifyWebhook(secret, headers, body.replace(demandId, crypto.randomUUID()), signedAt)).toBe(false);
    expect(receiver!.verifyWebhook(secret, headers, body, signedAt + 301)).toBe(false);
    expect(receiver!.verifyWebhook(secret, headers, body, signedAt + 300)).toBe(true);
  });

  test('§4 the receiver refuses forged and stale requests, and processes a redelivered event once', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`http://127.0.0.1:${receiverPort}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const sign = (key: string, timestamp: number, body: string) =>
      `v1=${crypto.createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
    const message = JSON.stringify({ id: crypto.randomUUID(), type: 'DEMAND_PUBLISHED', data: { demandId } });
    const now = Math.floor(Date.now() / 1000);
    const id = JSON.parse(message).id as string;
    const attempts: Record<string, string>[] = [
      {
        'x-webhook-id': id,
        'x-webhook-timestamp': String(now),
        'x-webhook-signature': sign('whsec_other', now, message),
      },
      {
        'x-webhook-id': id,
        'x-webhook-timestamp': String(now - 301),
        'x-webhook-signature': sign(secret, now - 301, message),
      },
      { 'x-webhook-id': id, 'x-webhook-timestamp': String(now) },
    ];
    for (const headers of attempts) expect((await post(headers, message)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${receiverPort}/webhooks`)).status).toBe(405);
    // Correctly signed, it is accepted (the recipe is the platform's): 204.
    const genuine = await post(
      { 'x-webhook-id': id, 'x-webhook-timestamp': String(now), 'x-webhook-signature': sign(secret, now, message) },
      message,
    );
    expect(genuine.status).toBe(204);
    await waitFor('the hand-signed event', () => eventLogs().length === 3);
    expect(eventLogs()[2]!.slice(0, 3)).toEqual(['event', 'DEMAND_PUBLISHED', id]);
    // Replayed within the 5 minutes under another X-Webhook-Id: the signed body's id says it is a duplicate.
    const replayed = await post(
      {
        'x-webhook-id': crypto.randomUUID(),
        'x-webhook-timestamp': String(now),
        'x-webhook-signature': sign(secret, now, message),
      },
      message,
    );
    expect(replayed.status).toBe(204);
    await waitFor('the replay', () => receiver!.logs.some((args) => args[0] === 'duplicate'));
    expect(receiver!.logs.filter((args) => args[0] === 'duplicate')).toEqual([['duplicate', id]]);

    // A redelivery carries the same event id: answered 204, not processed again.
    const log = noErrors(await asBank(step('webhook-deliveries'), variables('webhook-deliveries', { endpointId })));
    const delivery = log.webhookDeliveries.nodes.find((d: { eventType: string }) => d.eventType === 'DEMAND_PUBLISHED');
    const again = noErrors(
      await asBank(step('redeliver-webhook'), variables('redeliver-webhook', { deliveryId: delivery.id })),
    );
    expect(again.redeliverWebhook).toMatchObject({
      delivery: { id: delivery.id, eventId: delivery.eventId, status: 'PENDING' },
      userErrors: [],
    });
    await worker().drain();
    const duplicates = () => receiver!.logs.filter((args) => args[0] === 'duplicate' && args[1] === delivery.eventId);
    await waitFor('the duplicate', () => duplicates().length > 0);
    expect(duplicates()).toEqual([['duplicate', delivery.eventId]]);
    expect(eventLogs().filter((args) => args[2] === delivery.eventId)).toHaveLength(1);
    const after = noErrors(await asBank(step('webhook-deliveries'), variables('webhook-deliveries', { endpointId })));
    expect(after.webhookDeliveries.nodes.find((d: { id: string }) => d.id === delivery.id)).toMatchObject({
      status: 'DELIVERED',
      attempts: 2,
      lastResponseCode: 204,
    });
  });

  test('§5 the bank fetches the demand by the id the webhook carried, and picks a published product that fits', async () => {
    const fetched = noErrors(await asBank(step('fetch-demand'), variables('fetch-demand', { id: demandId })));
    demand = fetched.demand;
    expect(demand).toMatchObject({
      id: demandId,
      status: 'OPEN',
      amount: '800000.00',
      termMonths: 12,
      acceptedTypes: ['CREDIT', 'GUARANTEE'],
      offerCount: 0,
      enterprise: { id: enterprise.org.id },
    });
    // Not there, or not the bank's to see: null, not an error.
    expect(noErrors(await asBank(step('fetch-demand'), { id: crypto.randomUUID() })).demand).toBeNull();

    const products = noErrors(
      await asBank(
        step('pick-product'),
        variables('pick-product', {
          institutionId,
          types: demand.acceptedTypes,
          amount: demand.amount,
          termMonths: demand.termMonths,
        }),
      ),
    );
    // The published credit product only: not the draft, not the mortgage product the demand does not accept.
    expect(products.loanProducts.nodes).toEqual([
      expect.objectContaining({ id: productId, name: '纳税信用贷', type: 'CREDIT', status: 'PUBLISHED' }),
    ]);
  });

  test('§6 the offer, made with an Idempotency-Key, is replayed on a retry and made only once', async () => {
    const offer = () => variables('make-offer', { demandId, productId });
    const key = (offerKey = `offer-${crypto.randomUUID()}`);
    const first = await asBank(step('make-offer'), offer(), { 'Idempotency-Key': key });
    const made = noErrors(first).makeOffer;
    expect(made.userErrors).toEqual([]);
    expect(made.offer).toMatchObject({
      status: 'PENDING',
      amount: '800000.00',
      rate: '3.8500',
      termMonths: 12,
      repaymentMethod: 'EQUAL_INSTALLMENT',
      demand: { id: demandId, offerCount: 1 },
    });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    offerId = made.offer.id;

    // The same request under the same key: the first answer, byte for byte, marked as a replay.
    const retry = await asBank(step('make-offer'), offer(), { 'Idempotency-Key': key });
    expect(retry.status).toBe(first.status);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(JSON.stringify(retry.body)).toBe(JSON.stringify(first.body));

    // Another body under the same key: 422 IDEMPOTENCY_KEY_REUSED, nothing runs.
    const changed = { input: { ...(offer().input as object), amount: '700000.00' } };
    const reused = await asBank(step('make-offer'), changed, { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.errors?.[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // A retry under a new key runs again, and the rule "one PENDING offer per bank" answers.
    const unprotected = noErrors(
      await asBank(step('make-offer'), offer(), { 'Idempotency-Key': `offer-${crypto.randomUUID()}` }),
    );
    expect(unprotected.makeOffer.offer).toBeNull();
    expect(unprotected.makeOffer.userErrors).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', field: ['input', 'demandId'] }),
    ]);

    // One offer, the first one.
    const mine = noErrors(await asBank(step('my-offers')));
    expect(mine.offers.nodes).toEqual([
      expect.objectContaining({
        id: offerId,
        status: 'PENDING',
        amount: '800000.00',
        demand: { id: demandId, status: 'OPEN' },
      }),
    ]);
  });

  test('§2 the bank pages the open demands newest first; a cursor keeps its place while demands arrive', async () => {
    const publish = async () => {
      server.clock.advance(1_000); // distinct createdAt, so "newest first" is observable
      const res = await server.gql(step('publish-demand'), variables('publish-demand'), {
        token: otherEnterprise.token,
      });
      return noErrors(res).publishDemand.demand.id as string;
    };
    const older = [await publish(), await publish()];
    const page = async (after: string | null) =>
      noErrors(await asBank(step('poll-demands'), variables('poll-demands', { first: 2, after }))).demands;

    const first = await page(null);
    expect(first.nodes.map((d: { id: string }) => d.id)).toEqual([older[1], older[0]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // A demand published between two pages does not shift them: the next page starts after older[0].
    const newest = await publish();
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes.map((d: { id: string }) => d.id)).toEqual([demandId]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    // It is at the top of the next poll from the start.
    const top = await page(null);
    expect(top.nodes.map((d: { id: string }) => d.id)).toEqual([newest, older[1]]);

    // Malformed paging: BAD_USER_INPUT.
    for (const bad of [{ first: 101 }, { after: 'not-a-cursor' }]) {
      const res = await asBank(step('poll-demands'), variables('poll-demands', bad));
      expect([res.status, res.body.errors?.[0].extensions.code]).toEqual([200, 'BAD_USER_INPUT']);
    }
    const wrongType = await asBank(step('poll-demands'), variables('poll-demands', { first: 'fifty' }));
    expect([wrongType.status, wrongType.body.errors?.[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);

    // The page's cost arithmetic: PollDemands with its own variables (first: 50) costs 101.
    const costed = await asBank(step('poll-demands'), variables('poll-demands'));
    expect(noErrors(costed).demands.nodes.map((d: { id: string }) => d.id)).toEqual([
      newest,
      ...older.reverse(),
      demandId,
    ]);
    expect((costed.body as any).extensions.cost.requested).toBe(101);
  });

  test('§8 the page’s graphql() helper sends the key and the Idempotency-Key, and throws GraphQL errors', async () => {
    const graphql = docGraphQL(apiKey);
    expect((await graphql(step('whoami'))).me.institution.id).toBe(institutionId);
    // The §6 offer again under its key: the stored answer, not a second offer.
    const replayed = await graphql(step('make-offer'), variables('make-offer', { demandId, productId }), {
      idempotencyKey: offerKey,
    });
    expect(replayed.makeOffer.offer.id).toBe(offerId);
    const refused = await graphql(step('create-api-key'), variables('create-api-key')).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 200, code: 'FORBIDDEN' });
  });

  test('§2 the page’s poller finds every open demand once, then only the new ones', async () => {
    const pollNewDemands = docPoller(step('poll-demands'));
    const graphql = docGraphQL(apiKey);
    const state = { watermark: null as string | null, seen: new Map<string, number>() };

    const all = noErrors(await asBank(step('poll-demands'), variables('poll-demands'))).demands.nodes;
    const firstRun = await pollNewDemands(graphql, state, 2);
    expect(firstRun.map((d) => d.id)).toEqual(all.map((d: { id: string }) => d.id));
    expect(state.watermark).toBe(all[0].createdAt);
    expect(await pollNewDemands(graphql, state, 2)).toEqual([]);

    server.clock.advance(1_000);
    const res = await server.gql(step('publish-demand'), variables('publish-demand'), { token: enterprise.token });
    const fresh = noErrors(res).publishDemand.demand.id;
    expect((await pollNewDemands(graphql, state, 2)).map((d) => d.id)).toEqual([fresh]);
    expect(await pollNewDemands(graphql, state, 2)).toEqual([]);
  });

  test('every step on the page ran', () => {
    const onPage = [...DOC.matchAll(/<!-- step: ([\w-]+) -->/g)].map((m) => m[1]!);
    expect(onPage.filter((name) => !ran.has(name))).toEqual([]);
    expect(onPage.length).toBeGreaterThanOrEqual(13);
  });
});

// ── Everything the page names exists ────────────────────────────────────────────────────────────

/**
 * Words in the page's `code spans` that are not GraphQL names: headers, the JSON keys of
 * `extensions` and of a webhook's body, and the page's own JavaScript (receiver, helper, client).
 */
const NOT_GRAPHQL = new Set(
  (
    'Authorization POST data errors null operationName variables input extensions cost requested actual limit ' +
    'bucketSize remaining restoreRate retryAfterSeconds offerId fetch seen handleEvent request graphql idempotencyKey ' +
    'cel_ whsec_'
  ).split(' '),
);

test('every name the page puts in `code` is a schema name, an error code, a client export or a setting', () => {
  const root = join(__dirname, '../..');
  const schema = buildSchema(readFileSync(join(root, 'src/schema/schema.graphql'), 'utf8'));
  const known = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    known.add(type.name);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        known.add(field.name);
        for (const arg of 'args' in field ? field.args : []) known.add(arg.name);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) known.add(value.name);
  }
  const source = (dir: string): string =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
  const server = source(join(root, 'src'));
  const client = source(join(root, 'client/src'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const prose = DOC.replace(/```[\s\S]*?```/g, '');
  const operations = new Set([...DOC.matchAll(/^(?:query|mutation) (\w+)/gm)].map((m) => m[1]!));
  // Spans made of names and GraphQL punctuation only, e.g. `demand(id)` or `myInstitution { products }`.
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!)
    .filter((span) => /^[\w\s{}(),:[\].!$]+$/.test(span) && !span.endsWith('.js'));
  const words = new Set(spans.flatMap((span) => span.match(/[A-Za-z_]\w*/g) ?? []));
  const unknown = [...words].filter(
    (name) =>
      !known.has(name) &&
      !operations.has(name) &&
      !NOT_GRAPHQL.has(name) &&
      !(/^[A-Z][A-Z_]+$/.test(name) && (server.includes(`'${name}'`) || readme.includes(`\`${name}\``))) &&
      !new RegExp(`export (?:const|class|async function|function) ${name}\\b`).test(client),
  );
  expect(unknown).toEqual([]);
});
