import { randomBytes, randomUUID } from 'node:crypto';
import type { Enterprise, FinancialInstitution } from '../../src/entities';
import { shanghaiDate } from '../../src/services/time';
import { withAdminClient } from '../support/db';
import type { Principal, World } from '../support/fixtures';
import { LoanDesk, Marketplace, codes, productInput, serverToday, type Party } from '../support/marketplace';
import { CLAIM_STATEMENT, ClaimDesk, PolicyDesk } from '../support/policies';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/test-server';

// Insecure direct object references (issue 7, "Security tests"): every viewer of another
// organisation — an enterprise of another company, a bank of another institution, a regulator of
// another department where departments scope the data, and anonymous — asks BY ID (root fields and
// nested paths) for what is not theirs, and tries the mutations on it. DESIGN.md, "Access rules":
// a missing object and one the viewer may not see both answer NOT_FOUND (null from an `x(id:)`
// root field), private enterprise fields are masked or null, roles a field does not admit are
// FORBIDDEN / UNAUTHENTICATED. Every private object carries a unique marker string; no refused
// answer may contain any marker, and the owner's own read of the same probe must contain it (so the
// probe really asks for the data).

let server: TestServer;
let world: World;
let market: Marketplace;
let desk: LoanDesk;

const tag = randomBytes(4).toString('hex');
const M = {
  legalRep: `欧阳${tag}`,
  revenue: '98765432.10',
  demandPurpose: `IDOR-${tag}-采购原材料`,
  openDemandPurpose: `IDOR-${tag}-扩大生产`,
  offerConditions: `IDOR-${tag}-offer-conditions`,
  openOfferConditions: `IDOR-${tag}-open-offer-conditions`,
  authPurpose: `IDOR-${tag}-流动资金贷款审批`,
  recordDescription: `IDOR-${tag}-增值税缴纳`,
  draftProduct: `IDOR-${tag}-草稿产品`,
  productDescription: `IDOR-${tag}-产品说明`,
  statement: `${CLAIM_STATEMENT}IDOR-${tag}-statement`,
  draftPolicy: `IDOR-${tag}-草稿政策`,
  whitelistName: `IDOR-${tag}-白名单`,
  whitelistNote: `IDOR-${tag}-entry-note`,
  apiKeyName: `IDOR-${tag}-core-banking`,
  ownerDisplayName: `IDOR-${tag}-owner-user`,
  bankDisplayName: `IDOR-${tag}-bank-user`,
  declineReason: `IDOR-${tag}-decline`,
};
const MARKERS = Object.values(M);

/** Markers, and ids of private objects not asked for, found anywhere in a response (data, errors, extensions). */
const leaked = (res: GraphQLResponse, asked: Record<string, unknown> = {}) => {
  const text = JSON.stringify(res.body);
  const askedFor = JSON.stringify(asked);
  const ids = v ? SECRET_IDS().filter((id) => !askedFor.includes(id)) : [];
  return [...MARKERS, ...ids].filter((m) => text.includes(m));
};
/** Ids of the victim's private objects (not the enterprise's, which is public). */
const SECRET_IDS = () => [
  v.offerId,
  v.openOfferId,
  v.loanId,
  v.declinedLoanId,
  v.demandId,
  v.openDemandId,
  v.authorizationId,
  v.reportId,
  v.recordId,
  v.riskWarningId,
  v.apiKeyId,
  v.draftPolicyId,
  v.draftProductId,
  v.claimId,
  v.whitelistId,
  v.dispatchId,
  v.reportAccessId,
];

/** Raw SQL as the database's superuser (bypasses any row-level security), `?` placeholders. */
async function adminSql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  let i = 0;
  const text = query.replace(/\?/g, () => `$${++i}`);
  return withAdminClient(server.dbUrl, async (c) => (await c.query(text, params)).rows as T[]);
}

interface Victim {
  bank: Party<FinancialInstitution>;
  bankUser: Principal;
  enterprise: Party<Enterprise>;
  productId: string;
  draftProductId: string;
  demandId: string;
  offerId: string;
  loanId: string;
  declinedLoanId: string;
  openDemandId: string;
  openOfferId: string;
  authorizationId: string;
  reportId: string;
  recordId: string;
  riskWarningId: string;
  apiKeyId: string;
  policyId: string;
  draftPolicyId: string;
  claimId: string;
  whitelistId: string;
  dispatchId: string;
  reportAccessId: string;
}
let v: Victim;

async function ok(query: string, variables: Record<string, unknown>, token: string, field: string) {
  const res = await server.gql(query, variables, { token });
  const payload = res.body.data?.[field];
  if (res.body.errors || payload?.userErrors?.length) {
    throw new Error(`${field} failed: ${JSON.stringify(res.body.errors ?? payload.userErrors)}`);
  }
  return payload;
}

beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  market = new Marketplace(server);
  desk = new LoanDesk(server, market);
  const policies = new PolicyDesk(server);
  const claims = new ClaimDesk(server);
  const today = serverToday(server);

  // The owners: a bank (with a product, a draft product and an API key) and its borrower.
  const bank = await market.bank();
  const enterprise = await market.enterprise({ legalRepresentative: M.legalRep, annualRevenue: M.revenue });
  const productId = await market.product(bank.token, { description: M.productDescription });
  const draft = await ok(
    `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { product { id } userErrors { code } } }`,
    {
      input: productInput({
        name: M.draftProduct,
        description: M.productDescription,
        repaymentMethods: ['EQUAL_INSTALLMENT'],
      }),
    },
    bank.token,
    'createLoanProduct',
  );

  // The enterprise's consent for the bank (older than the ones accepting offers grants).
  const auth = await ok(
    `mutation($input: GrantCreditAuthorizationInput!) {
      grantCreditAuthorization(input: $input) { authorization { id } userErrors { code } }
    }`,
    { input: { institutionId: bank.org.id, scope: 'FULL', purpose: M.authPurpose, validDays: 30 } },
    enterprise.token,
    'grantCreditAuthorization',
  );

  // A loan from an accepted offer: granted, disbursed and partly repaid (schedule and events).
  const demandId = await market.demand(enterprise.token, { purpose: M.demandPurpose, amount: '876543.21' });
  const offerId = await market.offer(bank.token, demandId, productId, {
    amount: '876543.21',
    conditions: M.offerConditions,
  });
  const accepted = await market.accept(enterprise.token, offerId);
  const loanId = accepted.loan.id as string;
  await desk.must('grantCredit', bank.token, {
    loanId,
    creditAmount: '876543.21',
    rate: '3.85',
    termMonths: 12,
    grantedOn: today,
  });
  await desk.must('disburseLoan', bank.token, { loanId, amount: '876543.21', disbursedOn: today });
  await desk.must('recordRepayment', bank.token, { loanId, principal: '1000', interest: '10', paidOn: today });
  // A declined loan (its event keeps the reason).
  const declinedDemand = await market.demand(enterprise.token, { purpose: M.demandPurpose });
  const declinedOffer = await market.offer(bank.token, declinedDemand, productId, { conditions: M.offerConditions });
  const declinedLoanId = (await market.accept(enterprise.token, declinedOffer)).loan.id as string;
  await desk.must('declineLoan', bank.token, { loanId: declinedLoanId, reason: M.declineReason });

  // An OPEN demand with a PENDING offer (for acceptOffer / withdrawOffer / withdrawDemand attempts).
  const openDemandId = await market.demand(enterprise.token, { purpose: M.openDemandPurpose });
  const openOfferId = await market.offer(bank.token, openDemandId, productId, { conditions: M.openOfferConditions });

  // Credit data: records (a penalty raises a risk warning), a report, a consent and a read of it.
  const daysAgo = (d: number) => shanghaiDate(new Date(server.clock.now().getTime() - d * 86_400_000));
  await ok(
    `mutation($input: ImportCreditRecordsInput!) { importCreditRecords(input: $input) { inserted userErrors { code } } }`,
    {
      input: {
        records: [
          {
            uscc: enterprise.org.uscc,
            source: 'TAX',
            kind: 'VAT_PAID',
            externalId: `idor-${tag}-1`,
            amount: '250000.00',
            occurredOn: daysAgo(40),
            description: M.recordDescription,
          },
          {
            uscc: enterprise.org.uscc,
            source: 'PENALTY',
            kind: 'ADMIN_PENALTY',
            externalId: `idor-${tag}-2`,
            amount: '3000.00',
            occurredOn: daysAgo(20),
            description: M.recordDescription,
          },
        ],
      },
    },
    world.regulator.token,
    'importCreditRecords',
  );
  const read = await server.gql(
    `query($id: ID!) { enterprise(id: $id) { creditReport { id } } }`,
    { id: enterprise.org.id },
    {
      token: bank.token,
    },
  );
  expect(read.body.data.enterprise.creditReport).not.toBeNull();

  // An API key of the bank's user.
  const key = await ok(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret userErrors { code } } }`,
    { input: { name: M.apiKeyName } },
    bank.token,
    'createApiKey',
  );

  // Department A's policy (published, with a claim) and a draft; department A's whitelist, dispatched.
  const policyId = await policies.published(world.regulator.token);
  const draftPolicy = await policies.create(world.regulator.token, { title: M.draftPolicy, summary: M.draftPolicy });
  const claim = await claims.must('submitFundClaim', enterprise.token, {
    policyId,
    requestedAmount: '100000.00',
    statement: M.statement,
  });
  const whitelist = await ok(
    `mutation($input: UploadWhitelistInput!) { uploadWhitelist(input: $input) { whitelist { id } userErrors { code } } }`,
    {
      input: {
        name: M.whitelistName,
        description: M.whitelistName,
        entries: [{ uscc: enterprise.org.uscc, name: enterprise.org.name, note: M.whitelistNote }],
      },
    },
    world.regulator.token,
    'uploadWhitelist',
  );
  const dispatched = await ok(
    `mutation($id: ID!) { dispatchWhitelist(input: { whitelistId: $id }) { dispatched userErrors { code } } }`,
    { id: whitelist.whitelist.id },
    world.regulator.token,
    'dispatchWhitelist',
  );
  expect(dispatched.dispatched).toBe(1);

  // Named users, so a leaked User is recognisable.
  const [bankUser] = await adminSql('select id, login from app_user where institution_id = ?', [bank.org.id]);
  await adminSql('update app_user set display_name = ? where institution_id = ?', [M.bankDisplayName, bank.org.id]);
  await adminSql('update app_user set display_name = ? where enterprise_id = ?', [
    M.ownerDisplayName,
    enterprise.org.id,
  ]);

  const one = async (query: string, params: unknown[]) => (await adminSql(query, params))[0]?.id as string;
  v = {
    bank,
    bankUser: { user: bankUser, token: bank.token },
    enterprise,
    productId,
    draftProductId: draft.product.id,
    demandId,
    offerId,
    loanId,
    declinedLoanId,
    openDemandId,
    openOfferId,
    authorizationId: auth.authorization.id,
    reportId: (await adminSql('select latest_report_id from enterprise where id = ?', [enterprise.org.id]))[0]
      .latest_report_id,
    recordId: await one('select id from credit_record where uscc = ? order by occurred_on limit 1', [
      enterprise.org.uscc,
    ]),
    riskWarningId: await one('select id from risk_warning where enterprise_id = ?', [enterprise.org.id]),
    apiKeyId: key.apiKey.id,
    policyId,
    draftPolicyId: draftPolicy.policy.id,
    claimId: claim.id,
    whitelistId: whitelist.whitelist.id,
    dispatchId: await one(
      'select d.id from dispatch d join whitelist_entry e on e.id = d.entry_id where e.whitelist_id = ?',
      [whitelist.whitelist.id],
    ),
    reportAccessId: await one('select id from report_access where enterprise_id = ?', [enterprise.org.id]),
  };
  for (const [name, id] of Object.entries(v)) {
    if (typeof id === 'string') expect([name, id]).toEqual([name, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  }
  // The dispatch went to the owner bank (the only one with a published product here).
  const [dispatch] = await adminSql('select institution_id from dispatch where id = ?', [v.dispatchId]);
  expect(dispatch.institution_id).toBe(bank.org.id);
}, 60_000);
afterAll(() => server.close());

type Viewer = 'owner' | 'enterprise' | 'bank' | 'regulator' | 'anonymous';
/** What a refused viewer must get: a null root (no error, or NOT_FOUND), or this error code. */
type Outcome = 'null' | 'empty' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

const tokenOf = (viewer: Viewer, owner: () => string): string | undefined =>
  ({
    owner: owner(),
    enterprise: world.enterpriseUserB.token,
    bank: world.bankUserB.token,
    regulator: world.regulatorB.token,
    anonymous: undefined,
  })[viewer];

interface Probe {
  /** What is asked. */
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  /** The response path whose value must be refused (e.g. ['loan'] or ['enterprise', 'authorizations']). */
  path: string[];
  /** Whose token reads the data (the positive control). */
  owner: () => string;
  /** Refused viewers and what each must get. */
  refused: Partial<Record<Viewer, Outcome>>;
}

const at = (data: any, path: string[]) => path.reduce((o, k) => (o == null ? o : o[k]), data);

/** Runs a probe as the owner (must see a marker) and as every refused viewer (must see none). */
async function check(probe: Probe) {
  const mine = await server.gql(probe.query, probe.variables(), { token: probe.owner() });
  expect([probe.name, mine.body.errors]).toEqual([probe.name, undefined]);
  const control = leaked(mine, probe.variables()).length > 0;
  expect([probe.name, 'the owner’s answer holds a marker', control]).toEqual([
    probe.name,
    'the owner’s answer holds a marker',
    true,
  ]);
  for (const [viewer, outcome] of Object.entries(probe.refused) as [Viewer, Outcome][]) {
    const res = await server.gql(probe.query, probe.variables(), { token: tokenOf(viewer, probe.owner) });
    const label = `${probe.name} as ${viewer}`;
    expect([label, res.status < 500]).toEqual([label, true]);
    expect([label, leaked(res, probe.variables())]).toEqual([label, []]);
    const codesSeen = (res.body.errors ?? []).map((e) => e.extensions?.code);
    if (outcome === 'empty') {
      expect([label, codesSeen, at(res.body.data, probe.path)]).toEqual([label, [], { totalCount: 0, nodes: [] }]);
      continue;
    }
    expect([label, at(res.body.data, probe.path) ?? null]).toEqual([label, null]);
    if (outcome === 'null') {
      // Hidden: null, with at most a NOT_FOUND error.
      expect([label, codesSeen.filter((c) => c !== 'NOT_FOUND')]).toEqual([label, []]);
    } else {
      expect([label, codesSeen]).toEqual([label, expect.arrayContaining([outcome])]);
      expect([label, codesSeen.filter((c) => c !== outcome)]).toEqual([label, []]);
    }
  }
}

const enterpriseOwner = () => v.enterprise.token;
const bankOwner = () => v.bank.token;
const regulatorOwner = () => world.regulator.token;

describe('Enterprise: private fields of another company', () => {
  const PRIVATE = `query($id: ID!) {
    enterprise(id: $id) { id uscc name legalRepresentative employees annualRevenue riskLevel creditReport { id score } }
  }`;

  test.each([
    ['another enterprise', 'enterprise'],
    ['another bank', 'bank'],
    ['anonymous', 'anonymous'],
  ] as const)(
    '%s sees the public fields only: masked representative, null revenue, report and risk',
    async (_, viewer) => {
      const res = await server.gql(PRIVATE, { id: v.enterprise.org.id }, { token: tokenOf(viewer, enterpriseOwner) });
      expect(res.body.errors).toBeUndefined();
      expect(leaked(res)).toEqual([]);
      expect(res.body.data.enterprise).toEqual({
        id: v.enterprise.org.id,
        uscc: v.enterprise.org.uscc,
        name: v.enterprise.org.name,
        legalRepresentative: '欧*',
        employees: null,
        annualRevenue: null,
        riskLevel: null,
        creditReport: null,
      });
    },
  );

  test('the enterprise itself, the FULL-authorised bank and a regulator of any department see everything', async () => {
    const seen: Record<string, unknown> = {};
    const wanted: Record<string, unknown> = {};
    for (const [who, token] of [
      ['the enterprise', v.enterprise.token],
      ['the authorised bank', v.bank.token],
      ['a regulator of department B', world.regulatorB.token],
    ]) {
      const res = await server.gql(PRIVATE, { id: v.enterprise.org.id }, { token });
      const { legalRepresentative, annualRevenue, riskLevel, creditReport } = res.body.data?.enterprise ?? {};
      seen[who] = { errors: res.body.errors, legalRepresentative, annualRevenue, riskLevel, report: creditReport?.id };
      wanted[who] = {
        errors: undefined,
        legalRepresentative: M.legalRep,
        annualRevenue: M.revenue,
        riskLevel: 'YELLOW',
        report: v.reportId,
      };
    }
    expect(seen).toEqual(wanted);
  });

  test('the enterprises list of another bank does not contain it, even when searched by name or USCC', async () => {
    for (const search of [v.enterprise.org.name, v.enterprise.org.uscc]) {
      const res = await server.gql(
        `query($f: EnterpriseFilter) { enterprises(filter: $f, first: 100) { nodes { id annualRevenue } } }`,
        { f: { search } },
        { token: world.bankUserB.token },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.enterprises.nodes.map((n: { id: string }) => n.id)).not.toContain(v.enterprise.org.id);
      expect(leaked(res)).toEqual([]);
    }
  });

  test('enterprise(id:) of an unknown or malformed id is null', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await server.gql(PRIVATE, { id }, { token: world.regulator.token });
      expect(res.status).toBeLessThan(500);
      expect(res.body.data?.enterprise ?? null).toBeNull();
      expect((res.body.errors ?? []).map((e) => e.extensions.code).filter((c) => c !== 'NOT_FOUND')).toEqual([]);
    }
  });
});

describe('Enterprise: nested private connections', () => {
  const nested = (field: string, selection: string, bank: Outcome): Probe => ({
    name: `enterprise.${field}`,
    query: `query($id: ID!, $after: String) {
      enterprise(id: $id) { id ${field}(after: $after) { totalCount nodes { ${selection} } } }
    }`,
    variables: () => ({ id: v.enterprise.org.id, after: null }),
    path: ['enterprise', field],
    owner: enterpriseOwner,
    refused: { enterprise: 'FORBIDDEN', bank, anonymous: 'FORBIDDEN' },
  });
  /** The owner's cursor before the newest row, so a page `after` it holds the older ones. */
  const firstCursor = async (field: string) => {
    const res = await server.gql(
      `query($id: ID!) { enterprise(id: $id) { ${field}(first: 1) { pageInfo { endCursor hasNextPage } } } }`,
      { id: v.enterprise.org.id },
      { token: v.enterprise.token },
    );
    return res.body.data.enterprise[field].pageInfo.endCursor as string;
  };

  test('authorizations (consents): a bank sees only its own (none here), the others are refused', () =>
    check(nested('authorizations', 'id purpose scope institution { id }', 'empty')));

  test('authorizations on a later page (the cursor path): the same', async () => {
    const cursor = await firstCursor('authorizations');
    const probe = nested('authorizations', 'id purpose scope institution { id }', 'empty');
    await check({
      ...probe,
      name: `${probe.name} after`,
      variables: () => ({ id: v.enterprise.org.id, after: cursor }),
    });
  });

  test('reportAccesses (who read the report) are the enterprise’s and regulators’ only', () =>
    check(nested('reportAccesses', 'id purpose scope user { id displayName } institution { id }', 'FORBIDDEN')));

  test('reportAccesses after a cursor: the same', async () => {
    // One read so far; a second one (by the regulator) makes a second page.
    await server.gql(
      `query($id: ID!) { creditReport(id: $id) { id } }`,
      { id: v.reportId },
      { token: world.regulator.token },
    );
    const cursor = await firstCursor('reportAccesses');
    const probe = nested('reportAccesses', 'id purpose scope', 'FORBIDDEN');
    await check({
      ...probe,
      name: `${probe.name} after`,
      variables: () => ({ id: v.enterprise.org.id, after: cursor }),
    });
  });

  test('demands of the enterprise are not readable through the profile by others', async () => {
    const probe = nested('demands', 'id purpose amount', 'empty');
    const res = await server.gql(probe.query, probe.variables(), { token: enterpriseOwner() });
    expect(leaked(res)).toContain(M.demandPurpose);
    // Another bank or enterprise and anonymous: refused or empty, never the demands.
    for (const viewer of ['enterprise', 'bank', 'anonymous'] as const) {
      const other = await server.gql(probe.query, probe.variables(), { token: tokenOf(viewer, enterpriseOwner) });
      expect([viewer, leaked(other)]).toEqual([viewer, []]);
      const nodes = other.body.data?.enterprise?.demands?.nodes ?? [];
      expect([viewer, nodes]).toEqual([viewer, []]);
    }
  });
});

describe('CreditReport, CreditRecord, RiskWarning', () => {
  test('creditReport(id:) of another enterprise', () =>
    check({
      name: 'creditReport(id)',
      query: `query($id: ID!) { creditReport(id: $id) { id score grade indicators { code value } enterprise { id annualRevenue } } }`,
      variables: () => ({ id: v.reportId }),
      path: ['creditReport'],
      owner: enterpriseOwner,
      refused: { enterprise: 'null', bank: 'null', anonymous: 'UNAUTHENTICATED' },
    }));

  test('a refused report read writes no ReportAccess row and no audit event', async () => {
    const before = await adminSql(
      `select (select count(*)::int from report_access where enterprise_id = ?) as accesses,
              (select count(*)::int from audit_event where action = 'creditReport.read' and target_id = ?) as reads`,
      [v.enterprise.org.id, v.reportId],
    );
    for (const token of [world.enterpriseUserB.token, world.bankUserB.token]) {
      const res = await server.gql(`query($id: ID!) { creditReport(id: $id) { id } }`, { id: v.reportId }, { token });
      expect(res.body.data.creditReport).toBeNull();
    }
    const after = await adminSql(
      `select (select count(*)::int from report_access where enterprise_id = ?) as accesses,
              (select count(*)::int from audit_event where action = 'creditReport.read' and target_id = ?) as reads`,
      [v.enterprise.org.id, v.reportId],
    );
    expect(after).toEqual(before);
  });

  test('creditRecords(enterpriseId:) of another enterprise', () =>
    check({
      name: 'creditRecords',
      query: `query($id: ID!) { creditRecords(enterpriseId: $id, first: 100) { totalCount nodes { id kind description } } }`,
      variables: () => ({ id: v.enterprise.org.id }),
      path: ['creditRecords'],
      owner: enterpriseOwner,
      refused: { enterprise: 'NOT_FOUND', bank: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
    }));

  test('riskWarnings: another bank (not its borrower) does not see the warning', async () => {
    const Q = `{ riskWarnings(first: 100) { nodes { id enterprise { id } signals } } }`;
    const ids = async (token: string) => {
      const res = await server.gql(Q, {}, { token });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.riskWarnings.nodes.map((n: { id: string }) => n.id);
    };
    expect(await ids(v.bank.token)).toContain(v.riskWarningId);
    expect(await ids(world.bankUserB.token)).not.toContain(v.riskWarningId);
    for (const [token, code] of [
      [world.enterpriseUserB.token, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await server.gql(Q, {}, { token })).body.errors?.[0].extensions.code).toBe(code);
    }
  });
});

describe('FinancingDemand and Offer', () => {
  const DEMAND = `query($id: ID!) {
    demand(id: $id) { id purpose amount enterprise { id } offers { nodes { id conditions } } acceptedOffer { id conditions } }
  }`;

  test('demand(id:) of another enterprise (matched, with its accepted offer)', () =>
    check({
      name: 'demand(id) matched',
      query: DEMAND,
      variables: () => ({ id: v.demandId }),
      path: ['demand'],
      owner: enterpriseOwner,
      refused: { enterprise: 'null', bank: 'null', anonymous: 'UNAUTHENTICATED' },
    }));

  test('demand(id:) of an OPEN demand the other bank cannot bid on', () =>
    check({
      name: 'demand(id) open',
      query: DEMAND,
      variables: () => ({ id: v.openDemandId }),
      path: ['demand'],
      owner: enterpriseOwner,
      refused: { enterprise: 'null', bank: 'null', anonymous: 'UNAUTHENTICATED' },
    }));

  test('the owning bank sees its own offer on the demand, and the demand', async () => {
    const res = await server.gql(DEMAND, { id: v.openDemandId }, { token: v.bank.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.demand.offers.nodes).toEqual([{ id: v.openOfferId, conditions: M.openOfferConditions }]);
  });

  test('lists: demands and offers (also filtered by the victim’s id) hold nothing of another party', async () => {
    const DEMANDS = `query($f: FinancingDemandFilter) { demands(filter: $f, first: 100) { nodes { id purpose } } }`;
    const OFFERS = `{ offers(first: 100) { nodes { id conditions demand { id } } } }`;
    for (const token of [world.enterpriseUserB.token, world.bankUserB.token]) {
      for (const f of [null, { enterpriseId: v.enterprise.org.id }]) {
        const res = await server.gql(DEMANDS, { f }, { token });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.demands.nodes).toEqual([]);
      }
      const offers = await server.gql(OFFERS, {}, { token });
      expect(offers.body.errors).toBeUndefined();
      expect(offers.body.data.offers.nodes).toEqual([]);
    }
    // The same lists as the owner do hold them (the probes can see a leak).
    const own = await server.gql(OFFERS, {}, { token: v.enterprise.token });
    expect(own.body.data.offers.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining([v.offerId, v.openOfferId]),
    );
    for (const token of [undefined]) {
      expect((await server.gql(OFFERS, {}, { token })).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('Loan, its schedule and events', () => {
  const LOAN = `query($id: ID!) {
    loan(id: $id) {
      id creditAmount outstandingPrincipal
      schedule { number principal interest total }
      events { id type amount note }
      offer { id conditions } demand { id purpose } enterprise { id legalRepresentative }
    }
  }`;

  test.each([
    ['an active loan', () => v.loanId],
    ['a declined loan', () => v.declinedLoanId],
  ])('loan(id:) of %s, read by others', (_, id) =>
    check({
      name: `loan(id) ${_}`,
      query: LOAN,
      variables: () => ({ id: id() }),
      path: ['loan'],
      owner: bankOwner,
      refused: { enterprise: 'null', bank: 'null', anonymous: 'UNAUTHENTICATED' },
    }),
  );

  test('the borrower sees the same loan with its schedule and events; the loans lists of others hold nothing', async () => {
    const mine = await server.gql(LOAN, { id: v.loanId }, { token: v.enterprise.token });
    expect(mine.body.data.loan.schedule).toHaveLength(12);
    expect(mine.body.data.loan.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['GRANTED', 'DISBURSED', 'REPAID']),
    );
    const LOANS = `query($f: LoanFilter) { loans(filter: $f, first: 100) { totalCount nodes { id } } }`;
    for (const token of [world.enterpriseUserB.token, world.bankUserB.token]) {
      for (const f of [null, { enterpriseId: v.enterprise.org.id }, { institutionIds: [v.bank.org.id] }]) {
        const res = await server.gql(LOANS, { f }, { token });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.loans).toEqual({ totalCount: 0, nodes: [] });
      }
    }
  });
});

describe('LoanProduct (draft) and ApiKey', () => {
  test('loanProduct(id:) of another bank’s draft', () =>
    check({
      name: 'loanProduct(id) draft',
      query: `query($id: ID!) { loanProduct(id: $id) { id name description status } }`,
      variables: () => ({ id: v.draftProductId }),
      path: ['loanProduct'],
      owner: bankOwner,
      refused: { enterprise: 'null', bank: 'null', anonymous: 'null' },
    }));

  test('loanProducts of another bank hold no draft of the owner, whatever the status filter', async () => {
    const Q = `query($f: LoanProductFilter) { loanProducts(filter: $f, first: 100) { nodes { id name } } }`;
    for (const token of [world.bankUserB.token, world.enterpriseUserB.token, undefined]) {
      for (const f of [{ status: 'DRAFT' }, { institutionIds: [v.bank.org.id] }, { search: M.draftProduct }]) {
        const res = await server.gql(Q, { f }, { token });
        expect(res.status).toBeLessThan(500);
        expect(res.body.data?.loanProducts?.nodes?.map((n: { id: string }) => n.id) ?? []).not.toContain(
          v.draftProductId,
        );
        expect(leaked(res).filter((m) => m === M.draftProduct)).toEqual([]);
      }
    }
  });

  test('myApiKeys of another bank do not list the key; other roles are refused', async () => {
    const Q = `{ myApiKeys { id name prefix } }`;
    const own = await server.gql(Q, {}, { token: v.bank.token });
    expect(own.body.data.myApiKeys.map((k: { id: string }) => k.id)).toContain(v.apiKeyId);
    const other = await server.gql(Q, {}, { token: world.bankUserB.token });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.myApiKeys.map((k: { id: string }) => k.id)).not.toContain(v.apiKeyId);
    expect(leaked(other)).toEqual([]);
    expect((await server.gql(Q, {}, { token: world.enterpriseUserB.token })).body.errors?.[0].extensions.code).toBe(
      'FORBIDDEN',
    );
    expect((await server.gql(Q, {}, {})).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('User', () => {
  test('me is always the caller; users of other organisations show through no path to others', async () => {
    const ME = `{ me { id displayName enterprise { id } institution { id } department { id } } }`;
    const mine = await server.gql(ME, {}, { token: v.enterprise.token });
    expect(mine.body.data.me.displayName).toBe(M.ownerDisplayName);
    for (const p of [world.enterpriseUserB, world.bankUserB, world.regulatorB]) {
      const res = await server.gql(ME, {}, { token: p.token });
      expect(res.body.data.me.id).toBe(p.user.id);
      expect(leaked(res)).toEqual([]);
    }
    expect((await server.gql(ME, {}, {})).body.data.me).toBeNull();
  });
});

describe('FundClaim and Policy (department-scoped)', () => {
  const CLAIM = `query($id: ID!) {
    fundClaim(id: $id) { id statement requestedAmount enterprise { id annualRevenue } reviews { reviewer { id displayName } } }
  }`;

  test('fundClaim(id:) of another enterprise, read by others and by another department', () =>
    check({
      name: 'fundClaim(id)',
      query: CLAIM,
      variables: () => ({ id: v.claimId }),
      path: ['fundClaim'],
      owner: enterpriseOwner,
      refused: { enterprise: 'null', regulator: 'null', bank: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
    }));

  test('the owning department sees the claim', async () => {
    const res = await server.gql(CLAIM, { id: v.claimId }, { token: world.regulator.token });
    expect(res.body.data.fundClaim.statement).toBe(M.statement);
  });

  test('Policy.claims of another department’s policy', () =>
    check({
      name: 'policy.claims',
      query: `query($id: ID!) { policy(id: $id) { id claims(first: 100) { totalCount nodes { id statement } } } }`,
      variables: () => ({ id: v.policyId }),
      path: ['policy', 'claims'],
      owner: regulatorOwner,
      refused: { regulator: 'FORBIDDEN', enterprise: 'FORBIDDEN', bank: 'FORBIDDEN', anonymous: 'FORBIDDEN' },
    }));

  test('policy(id:) of another department’s draft', () =>
    check({
      name: 'policy(id) draft',
      query: `query($id: ID!) { policy(id: $id) { id title summary status } }`,
      variables: () => ({ id: v.draftPolicyId }),
      path: ['policy'],
      owner: regulatorOwner,
      refused: { regulator: 'null', enterprise: 'null', bank: 'null', anonymous: 'null' },
    }));

  test('fundClaims and policies lists of others hold neither the claim nor the draft', async () => {
    for (const token of [world.regulatorB.token, world.enterpriseUserB.token]) {
      const res = await server.gql(`{ fundClaims(first: 100) { nodes { id statement } } }`, {}, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.fundClaims.nodes.map((n: { id: string }) => n.id)).not.toContain(v.claimId);
      expect(leaked(res)).toEqual([]);
    }
    for (const token of [world.regulatorB.token, world.enterpriseUserB.token, world.bankUserB.token, undefined]) {
      for (const filter of [null, { status: 'DRAFT' }, { search: M.draftPolicy }]) {
        const res = await server.gql(
          `query($f: PolicyFilter) { policies(filter: $f, first: 100) { nodes { id title } } }`,
          { f: filter },
          { token },
        );
        expect(res.status).toBeLessThan(500);
        expect(leaked(res)).toEqual([]);
      }
    }
  });
});

describe('Whitelist and Dispatch (department-scoped)', () => {
  const WHITELISTS = `{ whitelists(first: 100) { nodes { id name description entries { nodes { id note dispatches { id } } } } } }`;
  const DISPATCHES = `{ dispatches(first: 100) { nodes { id reason entry { id uscc note } institution { id } } } }`;

  test('whitelists of another department are not listed; other roles are refused', async () => {
    const own = await server.gql(WHITELISTS, {}, { token: world.regulator.token });
    expect(own.body.errors).toBeUndefined();
    expect(leaked(own)).toEqual(expect.arrayContaining([M.whitelistName, M.whitelistNote]));
    const other = await server.gql(WHITELISTS, {}, { token: world.regulatorB.token });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.whitelists.nodes.map((n: { id: string }) => n.id)).not.toContain(v.whitelistId);
    expect(leaked(other)).toEqual([]);
    for (const [token, code] of [
      [world.bankUserB.token, 'FORBIDDEN'],
      [world.enterpriseUserB.token, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await server.gql(WHITELISTS, {}, { token });
      expect(res.body.errors?.[0].extensions.code).toBe(code);
      expect(leaked(res)).toEqual([]);
    }
  });

  test('dispatches: the assigned bank and the owning department only', async () => {
    const ids = async (token: string) => {
      const res = await server.gql(DISPATCHES, {}, { token });
      expect(res.body.errors).toBeUndefined();
      return { ids: res.body.data.dispatches.nodes.map((n: { id: string }) => n.id), res };
    };
    expect((await ids(v.bank.token)).ids).toContain(v.dispatchId);
    expect((await ids(world.regulator.token)).ids).toContain(v.dispatchId);
    for (const token of [world.bankUserB.token, world.regulatorB.token]) {
      const seen = await ids(token);
      expect(seen.ids).not.toContain(v.dispatchId);
      expect(leaked(seen.res)).toEqual([]);
    }
    expect(
      (await server.gql(DISPATCHES, {}, { token: world.enterpriseUserB.token })).body.errors?.[0].extensions.code,
    ).toBe('FORBIDDEN');
  });
});

describe('AuditEvent', () => {
  test('enterprises, banks and anonymous cannot read the audit trail at all', async () => {
    const Q = `{ auditEvents(first: 100) { nodes { id action targetId actor { id displayName } } } }`;
    for (const [token, code] of [
      [world.enterpriseUserB.token, 'FORBIDDEN'],
      [world.bankUserB.token, 'FORBIDDEN'],
      [v.enterprise.token, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await server.gql(Q, {}, { token });
      expect(res.body.data?.auditEvents ?? null).toBeNull();
      expect(res.body.errors?.[0].extensions.code).toBe(code);
    }
  });
});

// ── Mutations on another party's objects: refused, and nothing changes in the database.

/** Everything the attacks could touch, read as the superuser (no row security in the way). */
async function snapshot() {
  const rows = async (query: string, params: unknown[]) => JSON.stringify(await adminSql(query, params));
  const e = v.enterprise.org.id;
  const b = v.bank.org.id;
  return {
    demands: await rows(
      'select id, status, amount, purpose, expires_at from financing_demand where enterprise_id = ? order by id',
      [e],
    ),
    offers: await rows(
      'select o.id, o.status, o.amount, o.rate, o.conditions from offer o join financing_demand d on d.id = o.demand_id where d.enterprise_id = ? order by o.id',
      [e],
    ),
    loans: await rows(
      'select id, status, credit_amount, disbursed_amount, outstanding_principal, days_overdue from loan where institution_id = ? order by id',
      [b],
    ),
    loanEvents: await rows(
      'select e.id, e.type, e.amount from loan_event e join loan l on l.id = e.loan_id where l.institution_id = ? order by e.id',
      [b],
    ),
    products: await rows('select * from loan_product where institution_id = ? order by id', [b]),
    authorizations: await rows('select * from credit_authorization where enterprise_id = ? order by id', [e]),
    apiKeys: await rows('select id, name, revoked_at from api_key where id = ?', [v.apiKeyId]),
    policies: await rows('select * from policy where id in (?, ?) order by id', [v.policyId, v.draftPolicyId]),
    claims: await rows('select * from fund_claim where enterprise_id = ? order by id', [e]),
    dispatches: await rows('select * from dispatch where institution_id = ? order by id', [b]),
    whitelists: await rows('select * from whitelist where id = ?', [v.whitelistId]),
    enterprise: await rows('select * from enterprise where id = ?', [e]),
  };
}

interface Attack {
  name: string;
  mutation: string;
  input: () => Record<string, unknown>;
  /** Same role, other organisation. */
  by: () => string;
  /** The userErrors expected (`field.path:CODE`). */
  expected: string[];
}

const FIELDS = `userErrors { field code message }`;
const loanMutation = (name: string, type: string) =>
  `mutation($input: ${type}!) { ${name}(input: $input) { loan { id status } ${FIELDS} } }`;

const ATTACKS: Attack[] = [
  {
    name: 'acceptOffer on another enterprise’s demand',
    mutation: `mutation($input: OfferIdInput!) { acceptOffer(input: $input) { offer { id } loan { id } ${FIELDS} } }`,
    input: () => ({ id: v.openOfferId }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'withdrawDemand of another enterprise',
    mutation: `mutation($input: DemandIdInput!) { withdrawDemand(input: $input) { demand { id } ${FIELDS} } }`,
    input: () => ({ id: v.openDemandId }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'revokeCreditAuthorization of another enterprise',
    mutation: `mutation($input: RevokeCreditAuthorizationInput!) { revokeCreditAuthorization(input: $input) { authorization { id } ${FIELDS} } }`,
    input: () => ({ id: v.authorizationId }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'grantCreditAuthorization tied to another enterprise’s demand',
    mutation: `mutation($input: GrantCreditAuthorizationInput!) { grantCreditAuthorization(input: $input) { authorization { id } ${FIELDS} } }`,
    input: () => ({
      institutionId: world.bankB.id,
      scope: 'FULL',
      purpose: '测试',
      validDays: 5,
      demandId: v.openDemandId,
    }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.demandId:NOT_FOUND'],
  },
  {
    name: 'withdrawFundClaim of another enterprise',
    mutation: `mutation($input: ClaimIdInput!) { withdrawFundClaim(input: $input) { claim { id } ${FIELDS} } }`,
    input: () => ({ id: v.claimId }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'submitFundClaim on another department’s draft policy',
    mutation: `mutation($input: SubmitFundClaimInput!) { submitFundClaim(input: $input) { claim { id } ${FIELDS} } }`,
    input: () => ({ policyId: v.draftPolicyId, requestedAmount: '1000.00', statement: CLAIM_STATEMENT }),
    by: () => world.enterpriseUserB.token,
    expected: ['input.policyId:NOT_FOUND'],
  },
  {
    name: 'withdrawOffer of another bank',
    mutation: `mutation($input: OfferIdInput!) { withdrawOffer(input: $input) { offer { id } ${FIELDS} } }`,
    input: () => ({ id: v.openOfferId }),
    by: () => world.bankUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'makeOffer with another bank’s product',
    mutation: `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { id } ${FIELDS} } }`,
    input: () => ({
      demandId: v.openDemandId,
      productId: v.productId,
      amount: '100000',
      rate: '4',
      termMonths: 12,
      repaymentMethod: 'EQUAL_INSTALLMENT',
    }),
    by: () => world.bankUserB.token,
    expected: expect.arrayContaining([expect.stringMatching(/^input\.(productId|demandId):NOT_FOUND$/)]) as never,
  },
  ...(
    [
      ['grantCredit', 'GrantCreditInput', { creditAmount: '1000', rate: '4', termMonths: 12, grantedOn: 'TODAY' }],
      ['declineLoan', 'DeclineLoanInput', { reason: '拒绝' }],
      ['disburseLoan', 'DisburseLoanInput', { amount: '1000', disbursedOn: 'TODAY' }],
      ['recordRepayment', 'RecordRepaymentInput', { principal: '1000', interest: '1', paidOn: 'TODAY' }],
      ['markLoanOverdue', 'MarkLoanOverdueInput', { asOf: 'TODAY', daysOverdue: 120 }],
      ['claimCompensation', 'ClaimCompensationInput', {}],
    ] as const
  ).map(([name, type, rest]): Attack => ({
    name: `${name} on another bank’s loan`,
    mutation: loanMutation(name, type),
    input: () => ({
      loanId: v.loanId,
      ...Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, x === 'TODAY' ? serverToday(server) : x])),
    }),
    by: () => world.bankUserB.token,
    expected: ['input.loanId:NOT_FOUND'],
  })),
  ...(['updateLoanProduct', 'publishLoanProduct', 'unpublishLoanProduct'] as const).flatMap((name) =>
    [() => v.productId, () => v.draftProductId].map((id): Attack => ({
      name: `${name} of another bank`,
      mutation: `mutation($input: ${name === 'updateLoanProduct' ? 'UpdateLoanProductInput' : 'ProductIdInput'}!) {
          ${name}(input: $input) { product { id name } ${FIELDS} } }`,
      input: () => (name === 'updateLoanProduct' ? { id: id(), name: '被篡改', maxRate: '24' } : { id: id() }),
      by: () => world.bankUserB.token,
      expected: ['input.id:NOT_FOUND'],
    })),
  ),
  {
    name: 'revokeApiKey of another bank',
    mutation: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } ${FIELDS} } }`,
    input: () => ({ id: v.apiKeyId }),
    by: () => world.bankUserB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'respondToDispatch of another bank',
    mutation: `mutation($input: RespondToDispatchInput!) { respondToDispatch(input: $input) { dispatch { id } ${FIELDS} } }`,
    input: () => ({ dispatchId: v.dispatchId, accept: true }),
    by: () => world.bankUserB.token,
    expected: ['input.dispatchId:NOT_FOUND'],
  },
  {
    name: 'reviewFundClaim of another department',
    mutation: `mutation($input: ReviewFundClaimInput!) { reviewFundClaim(input: $input) { claim { id } ${FIELDS} } }`,
    input: () => ({ claimId: v.claimId, decision: 'APPROVE', approvedAmount: '100000.00', comment: '同意' }),
    by: () => world.regulatorB.token,
    expected: ['input.claimId:NOT_FOUND'],
  },
  {
    name: 'disburseFundClaim of another department',
    mutation: `mutation($input: ClaimIdInput!) { disburseFundClaim(input: $input) { claim { id } ${FIELDS} } }`,
    input: () => ({ id: v.claimId }),
    by: () => world.regulatorB.token,
    expected: ['input.id:NOT_FOUND'],
  },
  {
    name: 'publicizeFundClaims of another department',
    mutation: `mutation($input: PublicizeFundClaimsInput!) { publicizeFundClaims(input: $input) { claims { id } ${FIELDS} } }`,
    input: () => ({ policyId: v.policyId, claimIds: [v.claimId], days: 7 }),
    by: () => world.regulatorB.token,
    expected: ['input.policyId:NOT_FOUND'],
  },
  ...(['publishPolicy', 'closePolicy'] as const).flatMap((name) =>
    [() => v.policyId, () => v.draftPolicyId].map((id): Attack => ({
      name: `${name} of another department`,
      mutation: `mutation($input: PolicyIdInput!) { ${name}(input: $input) { policy { id status } ${FIELDS} } }`,
      input: () => ({ id: id() }),
      by: () => world.regulatorB.token,
      expected: ['input.id:NOT_FOUND'],
    })),
  ),
  {
    name: 'dispatchWhitelist of another department',
    mutation: `mutation($input: DispatchWhitelistInput!) { dispatchWhitelist(input: $input) { dispatched ${FIELDS} } }`,
    input: () => ({ whitelistId: v.whitelistId }),
    by: () => world.regulatorB.token,
    expected: ['input.whitelistId:NOT_FOUND'],
  },
];

describe('mutations on another party’s objects', () => {
  test('every attack is refused with NOT_FOUND (same role) or UNAUTHENTICATED (anonymous); nothing changes', async () => {
    const before = await snapshot();
    const seen: [string, unknown][] = [];
    const wanted: [string, unknown][] = [];
    for (const attack of ATTACKS) {
      const res = await server.gql(attack.mutation, { input: attack.input() }, { token: attack.by() });
      const root = Object.keys(res.body.data ?? {})[0];
      const payload = res.body.data?.[root];
      expect([attack.name, res.body.errors]).toEqual([attack.name, undefined]);
      expect([attack.name, leaked(res)]).toEqual([attack.name, []]);
      seen.push([attack.name, codes(payload.userErrors)]);
      wanted.push([attack.name, attack.expected]);
      // No object of the victim comes back in the payload.
      const objects = Object.entries(payload).filter(
        ([k, x]) => k !== 'userErrors' && x !== null && k !== 'dispatched',
      );
      expect([attack.name, objects.filter(([, x]) => !(Array.isArray(x) && x.length === 0))]).toEqual([
        attack.name,
        [],
      ]);
      if ('dispatched' in payload) expect(payload.dispatched).toBe(0);

      const anonymous = await server.gql(attack.mutation, { input: attack.input() }, {});
      expect([attack.name, anonymous.body.errors?.[0]?.extensions.code]).toEqual([attack.name, 'UNAUTHENTICATED']);
    }
    expect(seen).toEqual(wanted);
    expect(await snapshot()).toEqual(before);
  });

  test('read back as the owners: every object is as it was', async () => {
    const demand = await server.gql(
      `query($id: ID!) { demand(id: $id) { status offers { nodes { id status } } } }`,
      { id: v.openDemandId },
      { token: v.enterprise.token },
    );
    expect(demand.body.data.demand).toEqual({
      status: 'OPEN',
      offers: { nodes: [{ id: v.openOfferId, status: 'PENDING' }] },
    });
    const loan = await server.gql(
      `query($id: ID!) { loan(id: $id) { status creditAmount outstandingPrincipal daysOverdue } }`,
      { id: v.loanId },
      { token: v.bank.token },
    );
    expect(loan.body.data.loan).toEqual({
      status: 'ACTIVE',
      creditAmount: '876543.21',
      outstandingPrincipal: '875543.21',
      daysOverdue: 0,
    });
    const auths = await server.gql(
      `query($id: ID!) { enterprise(id: $id) { authorizations(first: 100) { nodes { id status } } } }`,
      { id: v.enterprise.org.id },
      { token: v.enterprise.token },
    );
    expect(auths.body.data.enterprise.authorizations.nodes).toContainEqual({ id: v.authorizationId, status: 'ACTIVE' });
    const keys = await server.gql(`{ myApiKeys { id revokedAt } }`, {}, { token: v.bank.token });
    expect(keys.body.data.myApiKeys).toContainEqual({ id: v.apiKeyId, revokedAt: null });
    const claim = await server.gql(
      `query($id: ID!) { fundClaim(id: $id) { status approvedAmount } }`,
      { id: v.claimId },
      { token: v.enterprise.token },
    );
    expect(claim.body.data.fundClaim).toEqual({ status: 'SUBMITTED', approvedAmount: null });
    const product = await server.gql(
      `query($id: ID!) { loanProduct(id: $id) { name status maxRate } }`,
      { id: v.draftProductId },
      { token: v.bank.token },
    );
    expect(product.body.data.loanProduct).toEqual({ name: M.draftProduct, status: 'DRAFT', maxRate: '6.0000' });
    const policy = await server.gql(
      `query($id: ID!) { policy(id: $id) { status } }`,
      { id: v.draftPolicyId },
      { token: world.regulator.token },
    );
    expect(policy.body.data.policy).toEqual({ status: 'DRAFT' });
    const dispatches = await server.gql(
      `{ dispatches(first: 100) { nodes { id status } } }`,
      {},
      { token: v.bank.token },
    );
    expect(dispatches.body.data.dispatches.nodes).toContainEqual({ id: v.dispatchId, status: 'PENDING' });
  });
});
