import type { World } from '../support/fixtures';
import { Marketplace, productInput, codes } from '../support/marketplace';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
});
afterAll(() => server.close());

const WITHDRAW = `mutation($id: ID!) { withdrawOffer(input: { id: $id }) { offer { id status } userErrors { field code } } }`;
const DEMAND_OFFERS = `query($id: ID!) {
  demand(id: $id) {
    status offerCount
    offers { totalCount nodes { id status amount institution { id } } }
    acceptedOffer { id }
    loan { id status }
  }
}`;

const offerTerms = (demandId: string, productId: string, overrides: Record<string, unknown> = {}) => ({
  demandId,
  productId,
  amount: '1000000.00',
  rate: '3.85',
  termMonths: 12,
  repaymentMethod: 'EQUAL_INSTALLMENT',
  ...overrides,
});

describe('makeOffer', () => {
  test('a bank bids on an open demand with its published product; the enterprise sees the offer', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token);
    const demandId = await market.demand(enterprise.token, { maxRate: '4.5' });
    const made = await market.makeOffer(bank.token, {
      ...offerTerms(demandId, productId),
      conditions: '需提供近一年纳税证明',
    });
    expect(made.userErrors).toEqual([]);
    expect(made.offer).toMatchObject({ status: 'PENDING', amount: '1000000.00', rate: '3.8500', termMonths: 12 });
    const days = (new Date(made.offer.validUntil).getTime() - server.clock.now().getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);

    const seen = (await server.gql(DEMAND_OFFERS, { id: demandId }, { token: enterprise.token })).body.data.demand;
    expect(seen.offerCount).toBe(1);
    expect(seen.offers.nodes).toEqual([
      { id: made.offer.id, status: 'PENDING', amount: '1000000.00', institution: { id: bank.org.id } },
    ]);
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'makeOffer' and target_id = ?",
      [made.offer.id],
    );
    expect(audit.n).toBe(1);
  });

  test('terms outside the product or the demand are INVALID at their fields, all at once, nothing written', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token, { repaymentMethods: ['EQUAL_INSTALLMENT'] });
    const demandId = await market.demand(enterprise.token, { amount: '500000', maxRate: '5' });
    const tooMuch = await market.makeOffer(
      bank.token,
      offerTerms(demandId, productId, {
        amount: '600000',
        rate: '5.5',
        termMonths: 48,
        repaymentMethod: 'BULLET',
      }),
    );
    expect(codes(tooMuch.userErrors)).toEqual([
      'input.amount:INVALID',
      'input.rate:INVALID',
      'input.repaymentMethod:INVALID',
      'input.termMonths:INVALID',
    ]);
    expect(tooMuch.userErrors.find((e: { field: string[] }) => e.field[1] === 'amount').message).toContain('需求金额');
    expect(tooMuch.userErrors.find((e: { field: string[] }) => e.field[1] === 'rate').message).toContain('最高利率');
    const outOfProduct = await market.makeOffer(
      bank.token,
      offerTerms(demandId, productId, { amount: '5000', rate: '3' }),
    );
    expect(codes(outOfProduct.userErrors)).toEqual(['input.amount:INVALID', 'input.rate:INVALID']);
    const malformed = await market.makeOffer(
      bank.token,
      offerTerms(demandId, productId, { amount: '1.001', validDays: 31 }),
    );
    expect(codes(malformed.userErrors)).toEqual(['input.amount:INVALID', 'input.validDays:INVALID']);
    const [row] = await server.sql('select count(*)::int as n from offer where demand_id = ?', [demandId]);
    expect(row.n).toBe(0);
  });

  test('the product must be the bank’s own, published, and of a type the demand accepts', async () => {
    const bank = await market.bank();
    const other = await market.bank();
    const enterprise = await market.enterprise();
    await market.product(bank.token);
    const othersProduct = await market.product(other.token);
    const mortgage = await market.product(bank.token, { type: 'MORTGAGE' });
    const demandId = await market.demand(enterprise.token, { acceptedTypes: ['CREDIT'] });
    const draft = (
      await server.gql(
        `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } } }`,
        { input: { ...productInput() } },
        { token: bank.token },
      )
    ).body.data.createLoanProduct.product.id;
    const tries = await Promise.all(
      [othersProduct, draft, mortgage, 'not-an-id'].map((productId) =>
        market.makeOffer(bank.token, offerTerms(demandId, productId)),
      ),
    );
    expect(tries.map((t) => codes(t.userErrors))).toEqual([
      ['input.productId:NOT_FOUND'],
      ['input.productId:INVALID_STATE'],
      ['input.productId:INVALID'],
      ['input.productId:NOT_FOUND'],
    ]);
  });

  test('an enterprise the product does not admit is NOT_ELIGIBLE, with the reason', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise({ establishedOn: '2025-01-01' });
    const productId = await market.product(bank.token, { eligibility: { minYearsEstablished: 3 } });
    const demandId = await market.demand(enterprise.token);
    const made = await market.makeOffer(bank.token, offerTerms(demandId, productId));
    expect(made.userErrors).toEqual([
      expect.objectContaining({
        code: 'NOT_ELIGIBLE',
        field: ['input', 'productId'],
        message: expect.stringContaining('成立年限'),
      }),
    ]);
  });

  test('withdrawn and expired demands are INVALID_STATE; demands of a type the bank does not publish NOT_FOUND', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token, { type: 'GUARANTEE' });
    const withdrawn = await market.demand(enterprise.token);
    await server.gql(
      `mutation($id: ID!) { withdrawDemand(input: { id: $id }) { userErrors { code } } }`,
      { id: withdrawn },
      {
        token: enterprise.token,
      },
    );
    const creditOnly = await market.demand(enterprise.token, { acceptedTypes: ['CREDIT'] });
    const shortLived = await market.demand(enterprise.token, { validDays: 1 });
    server.clock.advanceDays(2);
    try {
      const token = await server.fixtures.login(
        (await server.sql('select login from app_user where institution_id = ?', [bank.org.id]))[0].login,
      );
      const results = await Promise.all(
        [withdrawn, creditOnly, shortLived].map((demandId) => market.makeOffer(token, offerTerms(demandId, productId))),
      );
      // Withdrawn and expired demands take no offers; one of a type the bank does not publish is not its to see.
      expect(results.map((r) => codes(r.userErrors))).toEqual([
        ['input.demandId:INVALID_STATE'],
        ['input.demandId:NOT_FOUND'],
        ['input.demandId:INVALID_STATE'],
      ]);
    } finally {
      server.clock.advanceDays(-2);
    }
  });

  test('one PENDING offer per bank per demand, even when five arrive at once; withdrawing frees the slot', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token);
    const demandId = await market.demand(enterprise.token);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => market.makeOffer(bank.token, offerTerms(demandId, productId))),
    );
    const made = results.filter((r) => r.offer);
    expect(made).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'LIMIT_EXCEEDED')).toHaveLength(4);
    const withdrawn = await server.gql(WITHDRAW, { id: made[0].offer.id }, { token: bank.token });
    expect(withdrawn.body.data.withdrawOffer).toEqual({
      offer: { id: made[0].offer.id, status: 'WITHDRAWN' },
      userErrors: [],
    });
    const again = await market.makeOffer(bank.token, offerTerms(demandId, productId, { rate: '3.6' }));
    expect(again.userErrors).toEqual([]);
    // The bank withdrew one and has one pending: competitors see one live offer.
    const seen = (await server.gql(DEMAND_OFFERS, { id: demandId }, { token: enterprise.token })).body.data.demand;
    expect(seen.offerCount).toBe(1);
    expect(seen.offers.totalCount).toBe(2);
  });
});

test('withdrawing a demand rejects its pending offers', async () => {
  const bank = await market.bank();
  const enterprise = await market.enterprise();
  const demandId = await market.demand(enterprise.token);
  const offerId = await market.offer(bank.token, demandId, await market.product(bank.token));
  const res = await server.gql(
    `mutation($id: ID!) { withdrawDemand(input: { id: $id }) { demand { status offerCount } userErrors { code } } }`,
    { id: demandId },
    { token: enterprise.token },
  );
  expect(res.body.data.withdrawDemand).toEqual({ demand: { status: 'WITHDRAWN', offerCount: 0 }, userErrors: [] });
  const seen = await server.gql(`{ offers { nodes { id status } } }`, {}, { token: bank.token });
  expect(seen.body.data.offers.nodes).toEqual([{ id: offerId, status: 'REJECTED' }]);
});

describe('withdrawOffer', () => {
  test('only the bank’s own PENDING offer', async () => {
    const bank = await market.bank();
    const other = await market.bank();
    const enterprise = await market.enterprise();
    const offerId = await market.offer(
      bank.token,
      await market.demand(enterprise.token),
      await market.product(bank.token),
    );
    const byOther = await server.gql(WITHDRAW, { id: offerId }, { token: other.token });
    expect(byOther.body.data.withdrawOffer.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    expect(
      (await server.gql(WITHDRAW, { id: offerId }, { token: bank.token })).body.data.withdrawOffer.userErrors,
    ).toEqual([]);
    const twice = await server.gql(WITHDRAW, { id: offerId }, { token: bank.token });
    expect(twice.body.data.withdrawOffer.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE' }]);
  });

  test('roles other than BANK are refused', async () => {
    for (const token of [undefined, world.enterprise.token, world.regulator.token, world.admin.token]) {
      const res = await server.gql(WITHDRAW, { id: '00000000-0000-0000-0000-000000000000' }, { token });
      expect(res.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });
});

describe('who sees offers', () => {
  test('a bank sees only its own offers and the count of live ones; the enterprise and regulators see all', async () => {
    const [bankA, bankB] = [await market.bank(), await market.bank()];
    const enterprise = await market.enterprise();
    const stranger = await market.enterprise();
    const demandId = await market.demand(enterprise.token);
    const offerA = await market.offer(bankA.token, demandId, await market.product(bankA.token));
    const offerB = await market.offer(bankB.token, demandId, await market.product(bankB.token), { rate: '4.1' });
    const ids = async (token: string) => {
      const demand = (await server.gql(DEMAND_OFFERS, { id: demandId }, { token })).body.data.demand;
      return (
        demand && { count: demand.offerCount, offers: demand.offers.nodes.map((o: { id: string }) => o.id).sort() }
      );
    };
    expect(await ids(bankA.token)).toEqual({ count: 2, offers: [offerA] });
    expect(await ids(bankB.token)).toEqual({ count: 2, offers: [offerB] });
    expect(await ids(enterprise.token)).toEqual({ count: 2, offers: [offerA, offerB].sort() });
    expect(await ids(world.regulator.token)).toEqual({ count: 2, offers: [offerA, offerB].sort() });
    expect(await ids(stranger.token)).toBeNull();

    const OFFERS = `{ offers(first: 100) { nodes { id } } }`;
    const rootIds = async (token: string) =>
      (await server.gql(OFFERS, {}, { token })).body.data.offers.nodes.map((o: { id: string }) => o.id);
    expect(await rootIds(bankA.token)).toEqual([offerA]);
    expect((await rootIds(enterprise.token)).sort()).toEqual([offerA, offerB].sort());
    expect(await rootIds(stranger.token)).toEqual([]);
    expect(await rootIds(world.regulator.token)).toEqual(expect.arrayContaining([offerA, offerB]));
    const anonymous = await server.gql(OFFERS, {});
    expect(anonymous.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const admin = await server.gql(OFFERS, {}, { token: world.admin.token });
    expect(admin.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  test('a bank keeps seeing a demand it bid on after leaving its market; an expired offer reads EXPIRED', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const productId = await market.product(bank.token);
    const demandId = await market.demand(enterprise.token);
    const offerId = await market.offer(bank.token, demandId, productId, { validDays: 1 });
    await server.gql(
      `mutation($id: ID!) { unpublishLoanProduct(input: { id: $id }) { userErrors { code } } }`,
      { id: productId },
      {
        token: bank.token,
      },
    );
    const seen = await server.gql(
      `query($id: ID!) { demand(id: $id) { id } }`,
      { id: demandId },
      { token: bank.token },
    );
    expect(seen.body.data.demand).toEqual({ id: demandId });
    server.clock.advanceDays(2);
    try {
      const token = await server.fixtures.login(
        (await server.sql('select login from app_user where institution_id = ?', [bank.org.id]))[0].login,
      );
      const res = await server.gql(
        `{ offers(statuses: [EXPIRED]) { nodes { id status } } demands(first: 5) { nodes { id offerCount } } }`,
        {},
        { token },
      );
      expect(res.body.data.offers.nodes).toEqual([{ id: offerId, status: 'EXPIRED' }]);
      expect(res.body.data.demands.nodes).toEqual([{ id: demandId, offerCount: 0 }]);
    } finally {
      server.clock.advanceDays(-2);
    }
  });
});

describe('acceptOffer', () => {
  test('in one step: offer ACCEPTED, others REJECTED, demand MATCHED, a PENDING loan, FULL consent for 90 days', async () => {
    const [winner, loser] = [await market.bank(), await market.bank()];
    const enterprise = await market.enterprise();
    const demandId = await market.demand(enterprise.token);
    const winning = await market.offer(winner.token, demandId, await market.product(winner.token), {
      amount: '900000.00',
      rate: '3.65',
      termMonths: 24,
      repaymentMethod: 'EQUAL_PRINCIPAL',
    });
    const losing = await market.offer(loser.token, demandId, await market.product(loser.token));
    const accepted = await market.accept(enterprise.token, winning);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.offer).toEqual({ id: winning, status: 'ACCEPTED' });
    expect(accepted.demand).toEqual({ id: demandId, status: 'MATCHED' });
    expect(accepted.loan).toMatchObject({
      status: 'PENDING',
      creditAmount: null,
      disbursedAmount: '0.00',
      outstandingPrincipal: '0.00',
      rate: '3.6500',
      termMonths: 24,
      repaymentMethod: 'EQUAL_PRINCIPAL',
      daysOverdue: 0,
    });
    const [offers] = await server.sql(
      "select string_agg(status, ',' order by status) as s from offer where demand_id = ?",
      [demandId],
    );
    expect(offers.s).toBe('ACCEPTED,REJECTED');
    const consents = await server.sql(
      'select scope, purpose, demand_id, expires_at - granted_at as span from credit_authorization where enterprise_id = ? and institution_id = ?',
      [enterprise.org.id, winner.org.id],
    );
    expect(consents).toEqual([{ scope: 'FULL', purpose: 'loan underwriting', demand_id: demandId, span: '90 days' }]);

    const view = async (token: string) =>
      (await server.gql(DEMAND_OFFERS, { id: demandId }, { token })).body.data.demand;
    expect((await view(enterprise.token)).acceptedOffer).toEqual({ id: winning });
    expect((await view(winner.token)).acceptedOffer).toEqual({ id: winning });
    expect((await view(winner.token)).loan).toEqual({ id: accepted.loan.id, status: 'PENDING' });
    // The losing bank still sees the demand it bid on, and its own rejected offer, never the winner's terms.
    const lost = await view(loser.token);
    expect(lost).toMatchObject({ status: 'MATCHED', acceptedOffer: null, loan: null });
    expect(lost.offers.nodes).toEqual([expect.objectContaining({ id: losing, status: 'REJECTED' })]);

    const again = await market.accept(enterprise.token, losing);
    expect(codes(again.userErrors)).toEqual(['input.id:INVALID_STATE']);
    const late = await market.makeOffer(loser.token, offerTerms(demandId, await market.product(loser.token)));
    expect(codes(late.userErrors)).toEqual(['input.demandId:INVALID_STATE']);
  });

  test('eight concurrent accepts on one demand: exactly one wins, the rest are INVALID_STATE', async () => {
    const enterprise = await market.enterprise();
    const demandId = await market.demand(enterprise.token);
    const banks = await Promise.all(Array.from({ length: 8 }, () => market.bank()));
    const offerIds: string[] = [];
    for (const bank of banks) offerIds.push(await market.offer(bank.token, demandId, await market.product(bank.token)));
    const results = await Promise.all(offerIds.map((id) => market.accept(enterprise.token, id)));
    const winners = results.filter((r) => r.loan);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'INVALID_STATE')).toHaveLength(7);
    const [counts] = await server.sql(
      `select (select count(*)::int from offer where demand_id = ? and status = 'ACCEPTED') as accepted,
              (select count(*)::int from offer where demand_id = ? and status = 'REJECTED') as rejected,
              (select count(*)::int from loan where demand_id = ?) as loans,
              (select count(*)::int from credit_authorization where demand_id = ?) as consents`,
      [demandId, demandId, demandId, demandId],
    );
    expect(counts).toEqual({ accepted: 1, rejected: 7, loans: 1, consents: 1 });
  });

  test('only the demand’s own enterprise, only a live offer', async () => {
    const bank = await market.bank();
    const enterprise = await market.enterprise();
    const stranger = await market.enterprise();
    const productId = await market.product(bank.token);
    const demandId = await market.demand(enterprise.token);
    const offerId = await market.offer(bank.token, demandId, productId);
    expect(codes((await market.accept(stranger.token, offerId)).userErrors)).toEqual(['input.id:NOT_FOUND']);
    expect(codes((await market.accept(enterprise.token, 'nope')).userErrors)).toEqual(['input.id:NOT_FOUND']);
    await server.gql(WITHDRAW, { id: offerId }, { token: bank.token });
    expect(codes((await market.accept(enterprise.token, offerId)).userErrors)).toEqual(['input.id:INVALID_STATE']);
    const [row] = await server.sql('select status from financing_demand where id = ?', [demandId]);
    expect(row.status).toBe('OPEN');
    for (const token of [undefined, world.bank.token, world.regulator.token, world.admin.token]) {
      const res = await server.gql(
        `mutation($id: ID!) { acceptOffer(input: { id: $id }) { userErrors { code } } }`,
        { id: offerId },
        { token },
      );
      expect(res.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });
});

describe('the bank’s market query', () => {
  test('100 demands with enterprise, grade, offerCount and its own offers: the same statements for 1, 20 and 100', async () => {
    const bank = await market.bank();
    const rival = await market.bank();
    // A type no other test here uses, so this bank's market holds just these 30 demands.
    const productId = await market.product(bank.token, { type: 'SUPPLY_CHAIN' });
    const rivalProduct = await market.product(rival.token, { type: 'SUPPLY_CHAIN' });
    const enterprises = await Promise.all(Array.from({ length: 10 }, () => market.enterprise()));
    for (const enterprise of enterprises) {
      for (let i = 0; i < 3; i++) {
        const demandId = await market.demand(enterprise.token, { acceptedTypes: ['SUPPLY_CHAIN'] });
        if (i === 0) await market.offer(bank.token, demandId, productId);
        await market.offer(rival.token, demandId, rivalProduct);
      }
    }
    const MARKET = `query($first: Int!) {
      demands(first: $first) {
        nodes { id amount enterprise { name uscc creditGrade } offerCount offers { nodes { id rate } } }
      }
    }`;
    const statements: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(MARKET, { first }, { token: bank.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.demands.nodes.length).toBe(Math.min(first, 30));
      const withOwnOffer = res.body.data.demands.nodes.filter(
        (d: { offers: { nodes: unknown[] } }) => d.offers.nodes.length,
      );
      if (first === 100) {
        expect(withOwnOffer).toHaveLength(10);
        expect(res.body.data.demands.nodes.every((d: { offerCount: number }) => d.offerCount >= 1)).toBe(true);
      }
      statements.push(res.sqlStatements);
    }
    expect(new Set(statements).size).toBe(1);
    expect(statements[0]).toBeLessThanOrEqual(8);
  });
});
