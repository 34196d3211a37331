import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { World } from '../support/fixtures';
import { Marketplace } from '../support/marketplace';
import { ClaimDesk, PolicyDesk } from '../support/policies';
import { subscribe } from '../support/ws-feed';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * fundClaimUpdated over graphql-ws: the owning enterprise and the policy department's regulators
 * hear of every status change. Non-delivery is never asserted with a sleep: a later event the
 * same subscriber does receive must arrive first (one subscription delivers in order).
 */

const FUND_CLAIM_UPDATED = `subscription {
  fundClaimUpdated { id status approvedAmount policy { id } enterprise { id } reviews { decision } }
}`;

let server: TestServer;
let world: World;
let policies: PolicyDesk;
let claims: ClaimDesk;
let market: Marketplace;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  policies = new PolicyDesk(server);
  claims = new ClaimDesk(server);
  market = new Marketplace(server);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await listeners(0);
});
afterAll(() => server.close());

function connect(token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        connected: () => resolve(client),
        closed: (event) => reject(new Error(`closed with ${(event as { code: number }).code}`)),
      },
      onNonLazyError: () => undefined,
    });
    clients.push(client);
  });
}

const feed = (client: Client) => subscribe(client, FUND_CLAIM_UPDATED);

/** Waits until this many fundClaimUpdated subscriptions listen on the bus. */
async function listeners(count: number) {
  const deadline = Date.now() + 5_000;
  while (server.app.events.listenerCount('fundClaimUpdated') !== count) {
    if (Date.now() > deadline) throw new Error(`${server.app.events.listenerCount('fundClaimUpdated')} listeners`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const event = async (f: ReturnType<typeof feed>) => {
  const result = await f.next();
  expect(result.errors).toBeUndefined();
  return result.data.fundClaimUpdated;
};

test("the owning enterprise and the department's regulators hear of every status change", async () => {
  const policyId = await policies.published(world.regulator.token);
  const owner = await market.enterprise();
  const ownerFeed = feed(await connect(owner.token));
  const regulatorFeed = feed(await connect(world.regulator.token));
  await listeners(2);

  const claimId = await claims.submitted(owner.token, policyId, '60000.00');
  const submitted = { id: claimId, policy: { id: policyId }, enterprise: { id: owner.org.id } };
  for (const f of [ownerFeed, regulatorFeed]) {
    expect(await event(f)).toEqual({ ...submitted, status: 'SUBMITTED', approvedAmount: null, reviews: [] });
  }

  await claims.approve(world.regulator.token, claimId, '50000.00');
  for (const f of [ownerFeed, regulatorFeed]) {
    // Each event reads the claim afresh: the new status and the review it now has.
    expect(await event(f)).toEqual({
      ...submitted,
      status: 'APPROVED',
      approvedAmount: '50000.00',
      reviews: [{ decision: 'APPROVE' }],
    });
  }

  await claims.publicize(world.regulator.token, { policyId, claimIds: [claimId], days: 1 });
  for (const f of [ownerFeed, regulatorFeed]) expect((await event(f)).status).toBe('PUBLICIZED');

  // Payment once the publicity is over (moved back in the database rather than on the clock).
  await server.sql(`update fund_claim set publicity_ends_at = now() - interval '1 minute' where id = ?`, [claimId]);
  await claims.must('disburseFundClaim', world.regulator.token, { id: claimId });
  for (const f of [ownerFeed, regulatorFeed]) expect((await event(f)).status).toBe('DISBURSED');

  const second = await claims.submitted(owner.token, await policies.published(world.regulator.token));
  await claims.must('withdrawFundClaim', owner.token, { id: second });
  for (const f of [ownerFeed, regulatorFeed]) {
    expect([(await event(f)).status, (await event(f)).status]).toEqual(['SUBMITTED', 'WITHDRAWN']);
  }
  await claims.reject(
    world.regulator.token,
    await claims.submitted(owner.token, await policies.published(world.regulator.token)),
  );
  for (const f of [ownerFeed, regulatorFeed]) {
    expect([(await event(f)).status, (await event(f)).status]).toEqual(['SUBMITTED', 'REJECTED']);
  }
});

test("another enterprise and another department's regulators hear nothing of it", async () => {
  const policyA = await policies.published(world.regulator.token);
  const policyB = await policies.published(world.regulatorB.token);
  const owner = await market.enterprise();
  const bystander = await market.enterprise();
  const ownerFeed = feed(await connect(owner.token));
  const bystanderFeed = feed(await connect(bystander.token));
  const regulatorBFeed = feed(await connect(world.regulatorB.token));
  await listeners(3);

  const onA = await claims.submitted(owner.token, policyA);
  await claims.approve(world.regulator.token, onA, '10000.00');
  expect([await event(ownerFeed), await event(ownerFeed)]).toMatchObject([
    { id: onA, status: 'SUBMITTED' },
    { id: onA, status: 'APPROVED' },
  ]);

  // Their first events are claims of their own: none of the claim on department A's policy reached them.
  const onB = await claims.submitted(bystander.token, policyB);
  expect(await event(bystanderFeed)).toMatchObject({ id: onB, status: 'SUBMITTED' });
  expect(await event(regulatorBFeed)).toMatchObject({ id: onB, status: 'SUBMITTED' });
  // And the owner's next event is its own again, not the bystander's claim.
  await claims.publicize(world.regulator.token, { policyId: policyA, claimIds: [onA], days: 3 });
  expect(await event(ownerFeed)).toMatchObject({ id: onA, status: 'PUBLICIZED' });
});

test('a refused change announces nothing', async () => {
  const policyId = await policies.published(world.regulator.token);
  const owner = await market.enterprise();
  const ownerFeed = feed(await connect(owner.token));
  await listeners(1);
  const claimId = await claims.submitted(owner.token, policyId);
  expect((await event(ownerFeed)).status).toBe('SUBMITTED');
  expect((await claims.approve(world.regulatorB.token, claimId, '10.00')).userErrors).not.toEqual([]);
  expect((await claims.publicize(world.regulator.token, { policyId, claimIds: [claimId], days: 3 })).claims).toEqual(
    [],
  );
  await claims.must('withdrawFundClaim', owner.token, { id: claimId });
  expect((await event(ownerFeed)).status).toBe('WITHDRAWN');
});
