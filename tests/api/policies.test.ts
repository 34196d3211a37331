import type { World } from '../support/fixtures';
import { Marketplace, codes } from '../support/marketplace';
import { PolicyDesk, policyInput, serverDate } from '../support/policies';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
let desk: PolicyDesk;
let market: Marketplace;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
  desk = new PolicyDesk(server);
  market = new Marketplace(server);
});
afterAll(() => server.close());

const POLICY = `query($id: ID!) { policy(id: $id) { id status } }`;
const POLICIES = `query($filter: PolicyFilter, $first: Int) {
  policies(filter: $filter, first: $first) { totalCount nodes { id title status department { id name } } }
}`;
const transition = (name: 'publishPolicy' | 'closePolicy') =>
  `mutation($id: ID!) { ${name}(input: { id: $id }) { policy { id status publishedAt } userErrors { field code } } }`;

describe('createPolicy', () => {
  test('a regulator drafts a policy for its own department, with eligibility; audited', async () => {
    const { policy, userErrors } = await desk.create(world.regulator.token, {
      eligibility: {
        industryCodes: ['C'],
        regionCodes: ['210600'],
        sizes: ['SMALL', 'MICRO'],
        minGrade: 'B',
        noPenaltyMonths: 12,
      },
    });
    expect(userErrors).toEqual([]);
    expect(policy).toMatchObject({
      status: 'DRAFT',
      budget: '5000000.00',
      budgetCommitted: '0.00',
      maxAmountPerClaim: '200000.00',
      publishedAt: null,
      department: { id: world.departmentA.id },
      eligibility: {
        industryCodes: ['C'],
        regionCodes: ['210600'],
        sizes: ['SMALL', 'MICRO'],
        minGrade: 'B',
        minYearsEstablished: null,
        noPenaltyMonths: 12,
      },
    });
    const [audit] = await server.sql(
      "select count(*)::int as n from audit_event where action = 'createPolicy' and target_id = ?",
      [policy.id],
    );
    expect(audit.n).toBe(1);
  });

  test('every field problem at once; then the window order and the claim cap against the budget', async () => {
    const bad = await desk.create(world.regulator.token, {
      title: 'x',
      budget: '0',
      maxAmountPerClaim: '1.001',
      eligibility: { industryCodes: ['ZZ'], regionCodes: ['999999'], noPenaltyMonths: 0 },
    });
    expect(codes(bad.userErrors)).toEqual([
      'input.budget:INVALID',
      'input.eligibility.industryCodes.0:INVALID',
      'input.eligibility.noPenaltyMonths:INVALID',
      'input.eligibility.regionCodes.0:INVALID',
      'input.maxAmountPerClaim:INVALID',
      'input.title:INVALID',
    ]);
    const crossed = await desk.create(world.regulator.token, {
      applyFrom: serverDate(server, 10),
      applyUntil: serverDate(server, 9),
      maxAmountPerClaim: '6000000',
    });
    expect(codes(crossed.userErrors)).toEqual(['input.applyUntil:INVALID', 'input.maxAmountPerClaim:INVALID']);
    const [row] = await server.sql("select count(*)::int as n from policy where title = 'x' or budget = 0");
    expect(row.n).toBe(0);
  });

  test('only regulators', async () => {
    for (const token of [undefined, world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(
        `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { id } } }`,
        { input: policyInput(server) },
        { token },
      );
      expect(res.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });
});

describe('publishPolicy and closePolicy', () => {
  test('DRAFT → PUBLISHED → CLOSED, each once, only by the owning department', async () => {
    const { policy } = await desk.create(world.regulator.token);
    const byOther = await server.gql(transition('publishPolicy'), { id: policy.id }, { token: world.regulatorB.token });
    expect(byOther.body.data.publishPolicy.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    const closeDraft = await server.gql(transition('closePolicy'), { id: policy.id }, { token: world.regulator.token });
    expect(closeDraft.body.data.closePolicy.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE' }]);

    const published = await server.gql(
      transition('publishPolicy'),
      { id: policy.id },
      { token: world.regulator.token },
    );
    expect(published.body.data.publishPolicy).toMatchObject({
      policy: { status: 'PUBLISHED', publishedAt: expect.any(String) },
      userErrors: [],
    });
    const twice = await server.gql(transition('publishPolicy'), { id: policy.id }, { token: world.regulator.token });
    expect(twice.body.data.publishPolicy.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID_STATE' }]);
    const closedByOther = await server.gql(
      transition('closePolicy'),
      { id: policy.id },
      { token: world.regulatorB.token },
    );
    expect(closedByOther.body.data.closePolicy.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    const closed = await server.gql(transition('closePolicy'), { id: policy.id }, { token: world.regulator.token });
    expect(closed.body.data.closePolicy.policy.status).toBe('CLOSED');
    const [audit] = await server.sql(
      "select string_agg(action, ',' order by at) as actions from audit_event where target_id = ?",
      [policy.id],
    );
    expect(audit.actions).toBe('createPolicy,publishPolicy,closePolicy');
  });
});

describe('who sees policies', () => {
  test('published ones for everyone; drafts only for the owning department', async () => {
    const { policy: draft } = await desk.create(world.regulator.token, { title: '草稿政策' });
    const publishedId = await desk.published(world.regulator.token, { title: '已发布政策' });
    const sees = async (id: string, token?: string) =>
      (await server.gql(POLICY, { id }, token ? { token } : {})).body.data.policy;
    expect(await sees(publishedId)).toEqual({ id: publishedId, status: 'PUBLISHED' });
    expect(await sees(draft.id)).toBeNull();
    expect(await sees(draft.id, world.enterprise.token)).toBeNull();
    expect(await sees(draft.id, world.regulatorB.token)).toBeNull();
    expect(await sees(draft.id, world.regulator.token)).toEqual({ id: draft.id, status: 'DRAFT' });
    expect(await sees('not-an-id')).toBeNull();

    const listed = async (token?: string) =>
      (await server.gql(POLICIES, { first: 100 }, token ? { token } : {})).body.data.policies.nodes.map(
        (p: { id: string }) => p.id,
      );
    expect(await listed()).toContain(publishedId);
    expect(await listed()).not.toContain(draft.id);
    expect(await listed(world.regulatorB.token)).not.toContain(draft.id);
    expect(await listed(world.regulator.token)).toContain(draft.id);
  });

  test('filters: text, categories, departments, status and open today', async () => {
    const open = await desk.published(world.regulatorB.token, { title: '科技创新券申领', category: 'TECH_INNOVATION' });
    const later = await desk.published(world.regulatorB.token, {
      title: '科技人才引进补贴',
      category: 'TALENT',
      applyFrom: serverDate(server, 5),
      applyUntil: serverDate(server, 30),
    });
    const ended = await desk.published(world.regulatorB.token, {
      title: '科技企业担保费补贴',
      category: 'GUARANTEE_FEE_SUBSIDY',
      applyFrom: serverDate(server, -30),
      applyUntil: serverDate(server, -1),
    });
    const ids = async (filter: Record<string, unknown>) =>
      (await server.gql(POLICIES, { filter, first: 100 })).body.data.policies.nodes.map((p: { id: string }) => p.id);
    const department = { departmentIds: [world.departmentB.id] };
    expect((await ids({ ...department, search: '科技' })).sort()).toEqual([open, later, ended].sort());
    expect(await ids({ ...department, search: '人才' })).toEqual([later]);
    expect((await ids({ ...department, categories: ['TALENT', 'TECH_INNOVATION'] })).sort()).toEqual(
      [open, later].sort(),
    );
    expect(await ids({ ...department, openOnly: true })).toEqual([open]);
    expect(await ids({ departmentIds: [world.departmentA.id], search: '人才' })).toEqual([]);
    // Newest published first.
    expect(await ids(department)).toEqual([ended, later, open]);
    const closed = await server.gql(transition('closePolicy'), { id: open }, { token: world.regulatorB.token });
    expect(closed.body.data.closePolicy.userErrors).toEqual([]);
    expect(await ids({ ...department, status: 'CLOSED' })).toEqual([open]);
    expect(await ids({ ...department, openOnly: true })).toEqual([]);
  });

  test('a page of policies with their departments costs the same statements for 1 and 20', async () => {
    for (let i = 0; i < 4; i++) await desk.published(world.regulatorB.token, { title: `统计政策 ${i}` });
    const counts: number[] = [];
    for (const first of [1, 20]) {
      const res = await server.gql(POLICIES, { first });
      expect(res.body.errors).toBeUndefined();
      counts.push(res.sqlStatements);
    }
    expect(counts[0]).toBe(counts[1]);
  });
});

describe('matchedPolicies', () => {
  const MATCHED = `{ matchedPolicies(first: 100) { eligible unmetCriteria policy { id } } }`;

  test('every open policy with whether the enterprise qualifies, eligible first, each unmet criterion in a sentence', async () => {
    const enterprise = await market.enterprise({
      industryCode: 'C39',
      regionCode: '210602',
      size: 'SMALL' as never,
      establishedOn: serverDate(server, -2 * 365 - 30),
    });
    const today = serverDate(server);
    await server.sql(
      `insert into credit_record (id, uscc, source, kind, external_id, occurred_on, amount)
       values (gen_random_uuid(), ?, 'PENALTY', 'ADMIN_PENALTY', ?, ?::date - 60, 5000)`,
      [enterprise.org.uscc, `penalty-${enterprise.org.id}`, today],
    );
    const token = world.regulatorB.token;
    const fits = await desk.published(token, {
      title: '匹配-全部符合',
      eligibility: { industryCodes: ['C'], regionCodes: ['210000'] },
    });
    const years = await desk.published(token, { title: '匹配-成立年限', eligibility: { minYearsEstablished: 3 } });
    const place = await desk.published(token, {
      title: '匹配-地区行业规模',
      eligibility: { regionCodes: ['370000'], industryCodes: ['I65'], sizes: ['MEDIUM'] },
    });
    const penalty = await desk.published(token, { title: '匹配-无处罚', eligibility: { noPenaltyMonths: 6 } });
    const lenient = await desk.published(token, { title: '匹配-宽松处罚', eligibility: { noPenaltyMonths: 1 } });
    const grade = await desk.published(token, { title: '匹配-信用等级', eligibility: { minGrade: 'A' } });
    const closedWindow = await desk.published(token, {
      title: '匹配-已截止',
      applyFrom: serverDate(server, -20),
      applyUntil: serverDate(server, -1),
    });

    const res = await server.gql(MATCHED, {}, { token: enterprise.token });
    expect(res.body.errors).toBeUndefined();
    const matches = res.body.data.matchedPolicies as {
      eligible: boolean;
      unmetCriteria: string[];
      policy: { id: string };
    }[];
    const byId = Object.fromEntries(matches.map((m) => [m.policy.id, m]));
    expect(byId[closedWindow]).toBeUndefined();
    expect(byId[fits]).toMatchObject({ eligible: true, unmetCriteria: [] });
    expect(byId[lenient]).toMatchObject({ eligible: true, unmetCriteria: [] });
    expect(byId[years]).toMatchObject({ eligible: false, unmetCriteria: ['成立年限 2 年，要求至少 3 年'] });
    expect(byId[place].unmetCriteria).toEqual([
      '所属行业 C39 不在适用行业（I65）内',
      '所在地区 210602 不在适用地区（370000）内',
      '企业规模为小型，要求为中型企业',
    ]);
    expect(byId[penalty].unmetCriteria).toEqual([`${serverDate(server, -60)} 受到行政处罚，要求近 6 个月内无行政处罚`]);
    expect(byId[grade].unmetCriteria).toEqual([expect.stringContaining('要求信用等级不低于 A')]);
    const firstIneligible = matches.findIndex((m) => !m.eligible);
    expect(matches.slice(firstIneligible).every((m) => !m.eligible)).toBe(true);
    expect(matches.slice(0, firstIneligible).every((m) => m.eligible)).toBe(true);
  });

  test('only enterprises', async () => {
    for (const token of [undefined, world.bank.token, world.regulator.token, world.admin.token]) {
      const res = await server.gql(MATCHED, {}, { token });
      expect(res.body.errors![0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    const tooMany = await server.gql(
      `{ matchedPolicies(first: 101) { eligible } }`,
      {},
      { token: world.enterprise.token },
    );
    expect(tooMany.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
