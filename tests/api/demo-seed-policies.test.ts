import Decimal from 'decimal.js';
import pino from 'pino';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed/demo';
import { ClaimStatus } from '../../src/entities/enums';
import { shanghaiDate } from '../../src/services/time';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The demo's policy supermarket (政策超市), seeded into a fresh database as `npm start` seeds it:
 * policies of three departments, fund claims in every status, last year's round with its effect,
 * risk alerts. The last test changes the demo as a newcomer would.
 */

let server: TestServer;
const token: Record<string, string> = {};

const LOGIN = 'mutation($l: String!, $p: String!) { login(input: { login: $l, password: $p }) { accessToken } }';

async function call(login: string, query: string, variables?: Record<string, unknown>) {
  const res = await server.gql(query, variables, { token: token[login] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

beforeAll(async () => {
  server = await startTestServer();
  // The policies' CHECK constraints and the one-live-claim index held, or this would throw.
  expect(await seedDemo(server.orm.em.fork(), pino({ level: 'silent' }))).toBe(true);
  for (const login of ['demo-bank', 'demo-enterprise', 'demo-regulator', 'demo-tech']) {
    const res = await server.gql(LOGIN, { l: login, p: DEMO_PASSWORD });
    token[login] = res.body.data.login.accessToken;
  }
}, 120_000);

afterAll(() => server?.close());

describe('the policy supermarket', () => {
  const today = () => shanghaiDate(server.clock.now());

  test('anyone lists the policies of three departments, open and not yet open; drafts stay with their department', async () => {
    const res = await server.gql(
      `{ policies(first: 50) { nodes { title summary body category status applyFrom applyUntil department { name } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const policies = res.body.data.policies.nodes as {
      title: string;
      summary: string;
      body: string;
      category: string;
      status: string;
      applyFrom: string;
      applyUntil: string;
      department: { name: string };
    }[];
    expect(policies.length).toBeGreaterThanOrEqual(6);
    expect(new Set(policies.map((p) => p.department.name))).toEqual(
      new Set(['丹东市发展和改革委员会', '丹东市财政局', '丹东市科学技术局']),
    );
    expect(policies.map((p) => p.category)).toEqual(
      expect.arrayContaining([
        'INTEREST_SUBSIDY',
        'RISK_COMPENSATION',
        'GUARANTEE_FEE_SUBSIDY',
        'TECH_INNOVATION',
        'TALENT',
      ]),
    );
    expect(policies.filter((p) => p.status === 'CLOSED')).toHaveLength(1);
    expect(policies.some((p) => p.status === 'DRAFT')).toBe(false);
    const published = policies.filter((p) => p.status === 'PUBLISHED');
    expect(published.filter((p) => p.applyFrom <= today() && today() <= p.applyUntil).length).toBeGreaterThanOrEqual(4);
    expect(published.some((p) => p.applyFrom > today())).toBe(true);
    for (const p of policies) {
      expect(p.body).toMatch(/支持对象[\s\S]+支持标准[\s\S]+申报条件/);
      expect(p.summary.length).toBeGreaterThan(20);
    }

    const own = await call('demo-regulator', `{ policies(first: 50, filter: { status: DRAFT }) { nodes { title } } }`);
    expect(own.policies.nodes).toHaveLength(1);
    const other = await call('demo-bank', `{ policies(first: 50, filter: { status: DRAFT }) { nodes { title } } }`);
    expect(other.policies.nodes).toEqual([]);
  });

  test('demo-enterprise qualifies for some open policies, not for others, and has one it has not claimed', async () => {
    const data = await call(
      'demo-enterprise',
      `{ matchedPolicies(first: 50) { eligible unmetCriteria policy { id title } } }`,
    );
    const matches = data.matchedPolicies as { eligible: boolean; unmetCriteria: string[]; policy: { id: string } }[];
    const eligible = matches.filter((m) => m.eligible);
    expect(eligible.length).toBeGreaterThanOrEqual(3);
    const refused = matches.filter((m) => !m.eligible);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const m of refused) expect(m.unmetCriteria.length).toBeGreaterThan(0);
    const own = await call(
      'demo-enterprise',
      `{ fundClaims { nodes { status policy { id } history { status actor { login } } } } }`,
    );
    const claims = own.fundClaims.nodes as { status: string; policy: { id: string }; history: unknown[] }[];
    expect(claims.map((c) => c.status).sort()).toEqual(['PUBLICIZED', 'SUBMITTED']);
    expect(claims.find((c) => c.status === 'PUBLICIZED')!.history).toHaveLength(3);
    expect(eligible.some((m) => !claims.some((c) => c.policy.id === m.policy.id))).toBe(true);
  });

  test('claims in every status; SUBMITTED ones wait for demo-regulator and demo-tech; some are in publicity now', async () => {
    const rows = await server.sql(`
      select c.status, d.name as department
      from fund_claim c join policy p on p.id = c.policy_id join department d on d.id = p.department_id`);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(Object.values(ClaimStatus)));
    const submitted = rows.filter((r) => r.status === 'SUBMITTED').map((r) => r.department);
    expect(submitted).toEqual(expect.arrayContaining(['丹东市发展和改革委员会', '丹东市科学技术局']));

    const notices = await server.gql(
      `{ publicClaimNotices { totalCount nodes { policyTitle enterpriseName approvedAmount publicityEndsAt } } }`,
    );
    expect(notices.body.errors).toBeUndefined();
    const { totalCount, nodes } = notices.body.data.publicClaimNotices;
    expect(totalCount).toBe(rows.filter((r) => r.status === 'PUBLICIZED').length);
    expect(totalCount).toBeGreaterThanOrEqual(2);
    for (const n of nodes) expect(Date.parse(n.publicityEndsAt)).toBeGreaterThan(server.clock.now().getTime());

    const tech = await call('demo-tech', `{ fundClaims(statuses: [SUBMITTED]) { totalCount } }`);
    expect(tech.fundClaims.totalCount).toBe(1);
  });

  test('demo-regulator sees last year’s interest subsidy raised its beneficiaries’ taxes and jobs', async () => {
    const data = await call(
      'demo-regulator',
      `{ policies(first: 50, filter: { status: CLOSED }) { nodes { title budgetCommitted
           effect { claimCount approvedCount disbursedAmount beneficiaryCount taxChangePercent employeeChangePercent } } } }`,
    );
    const [closed] = data.policies.nodes;
    expect(closed.effect).toMatchObject({ beneficiaryCount: 3, approvedCount: 3 });
    expect(new Decimal(closed.effect.disbursedAmount).eq(closed.budgetCommitted)).toBe(true);
    expect(closed.effect.taxChangePercent).toBeGreaterThan(0);
    expect(closed.effect.employeeChangePercent).toBeGreaterThan(0);
  });

  test('risk alerts about frauds, policy news and a notice, newest first', async () => {
    const alerts = (await call('demo-bank', `{ articles(category: RISK_ALERT) { nodes { title } } }`)).articles.nodes;
    expect(alerts.length).toBeGreaterThanOrEqual(4);
    const res = await server.gql(
      `{ articles(first: 50) { nodes { title body category publishedAt department { name } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const articles = res.body.data.articles.nodes as {
      body: string;
      category: string;
      publishedAt: string;
      department: { name: string } | null;
    }[];
    expect(new Set(articles.map((a) => a.category))).toEqual(new Set(['RISK_ALERT', 'POLICY_NEWS', 'NOTICE']));
    const times = articles.map((a) => Date.parse(a.publishedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[times.length - 1]).toBeLessThan(server.clock.now().getTime() - 14 * 86_400_000);
    for (const a of articles) {
      expect(a.body.split('\n\n').length).toBeGreaterThanOrEqual(3);
      expect(a.department).not.toBeNull();
    }
  });

  /** Claim rows that break a rule of DESIGN.md "Policies"; every query must come back empty. */
  const BROKEN_CLAIMS: Record<string, string> = {
    'committed budget other than the sum of approved claims': `
      select p.id from policy p left join lateral (
        select coalesce(sum(c.approved_amount), 0) as approved from fund_claim c
        where c.policy_id = p.id and c.status in ('APPROVED', 'PUBLICIZED', 'DISBURSED')) s on true
      where p.budget_committed <> s.approved`,
    'claim without its SUBMITTED event by the enterprise’s user, first': `
      select c.id from fund_claim c
      where not exists (
        select 1 from fund_claim_event ev join app_user u on u.id = ev.actor_id
        where ev.claim_id = c.id and ev.status = 'SUBMITTED' and u.enterprise_id = c.enterprise_id
          and ev.at = c.submitted_at
          and ev.at = (select min(x.at) from fund_claim_event x where x.claim_id = c.id))`,
    'event by the wrong actor, or a review without its decision': `
      select ev.id from fund_claim_event ev join fund_claim c on c.id = ev.claim_id
      join policy p on p.id = c.policy_id join app_user u on u.id = ev.actor_id
      where case when ev.status in ('SUBMITTED', 'WITHDRAWN')
                 then u.role <> 'ENTERPRISE' or u.enterprise_id <> c.enterprise_id
                 else u.role <> 'REGULATOR' or u.department_id <> p.department_id end
         or (ev.status = 'APPROVED') <> (ev.decision is not distinct from 'APPROVE')
         or (ev.status = 'REJECTED') <> (ev.decision is not distinct from 'REJECT')
         or (ev.status = 'APPROVED' and ev.approved_amount is distinct from c.approved_amount)
         or ev.at > now()`,
    'claim whose history does not lead to its status': `
      select c.id from fund_claim c
      where (select string_agg(ev.status, ',' order by ev.at) from fund_claim_event ev where ev.claim_id = c.id)
        <> case c.status when 'SUBMITTED' then 'SUBMITTED' when 'WITHDRAWN' then 'SUBMITTED,WITHDRAWN'
                         when 'REJECTED' then 'SUBMITTED,REJECTED' when 'APPROVED' then 'SUBMITTED,APPROVED'
                         when 'PUBLICIZED' then 'SUBMITTED,APPROVED,PUBLICIZED'
                         else 'SUBMITTED,APPROVED,PUBLICIZED,DISBURSED' end
         or c.updated_at <> (select max(ev.at) from fund_claim_event ev where ev.claim_id = c.id)`,
    'claim by an enterprise the policy does not admit, outside its window or over its cap': `
      select c.id from fund_claim c join policy p on p.id = c.policy_id join enterprise e on e.id = c.enterprise_id
      where e.verification_status <> 'VERIFIED' or p.status = 'DRAFT'
         or (c.submitted_at at time zone 'Asia/Shanghai')::date not between p.apply_from and p.apply_until
         or c.submitted_at < p.published_at or c.requested_amount > p.max_amount_per_claim
         or (c.approved_amount is not null) <> (c.status in ('APPROVED', 'PUBLICIZED', 'DISBURSED'))
         or (p.min_grade is not null and (e.credit_grade is null or e.credit_grade > p.min_grade))
         or (jsonb_array_length(p.sizes) > 0 and not p.sizes @> to_jsonb(e.size))`,
    'publicity or payment out of order': `
      select c.id from fund_claim c
      where (c.status in ('PUBLICIZED', 'DISBURSED')) <> (c.publicity_ends_at is not null)
         or (c.status = 'PUBLICIZED' and c.publicity_ends_at <= now())
         or (c.status = 'DISBURSED') <> (c.disbursed_at is not null and c.payment_reference is not null)
         or c.disbursed_at <= c.publicity_ends_at or c.disbursed_at > now()
         or c.publicity_ends_at > (select ev.at from fund_claim_event ev
                                   where ev.claim_id = c.id and ev.status = 'PUBLICIZED') + interval '30 days'`,
  };

  test.each(Object.keys(BROKEN_CLAIMS))('no %s', async (rule) => {
    expect(await server.sql(BROKEN_CLAIMS[rule])).toEqual([]);
  });

  // Last, as it changes the demo: what README suggests a newcomer tries.
  test('demo-regulator reviews and publicises, demo-enterprise claims the policy it has not claimed', async () => {
    const queue = await call(
      'demo-regulator',
      `{ fundClaims(statuses: [SUBMITTED, APPROVED]) { nodes { id status requestedAmount policy { id } } } }`,
    );
    const nodes = queue.fundClaims.nodes as {
      id: string;
      status: string;
      requestedAmount: string;
      policy: { id: string };
    }[];
    const waiting = nodes.find((c) => c.status === 'SUBMITTED')!;
    const reviewed = (
      await call(
        'demo-regulator',
        `mutation($id: ID!, $amount: Decimal!) { reviewFundClaim(input: { claimId: $id, decision: APPROVE,
           approvedAmount: $amount, comment: "材料齐全，同意" }) { claim { status } userErrors { code message } } }`,
        { id: waiting.id, amount: waiting.requestedAmount },
      )
    ).reviewFundClaim;
    expect(reviewed).toEqual({ claim: { status: 'APPROVED' }, userErrors: [] });
    const approved = nodes.filter((c) => c.status === 'APPROVED').concat([{ ...waiting, status: 'APPROVED' }]);
    const policyId = approved[0].policy.id;
    const shown = (
      await call(
        'demo-regulator',
        `mutation($policyId: ID!, $ids: [ID!]!) { publicizeFundClaims(input: { policyId: $policyId, claimIds: $ids,
           days: 7 }) { claims { status } userErrors { code message } } }`,
        { policyId, ids: approved.filter((c) => c.policy.id === policyId).map((c) => c.id) },
      )
    ).publicizeFundClaims;
    expect(shown.userErrors).toEqual([]);

    const matches = (await call('demo-enterprise', `{ matchedPolicies(first: 50) { eligible policy { id } } }`))
      .matchedPolicies as { eligible: boolean; policy: { id: string } }[];
    const mine = (await call('demo-enterprise', `{ fundClaims { nodes { policy { id } } } }`)).fundClaims.nodes;
    const free = matches.find(
      (m) => m.eligible && !mine.some((c: { policy: { id: string } }) => c.policy.id === m.policy.id),
    )!;
    const submitted = (
      await call(
        'demo-enterprise',
        `mutation($id: ID!) { submitFundClaim(input: { policyId: $id, requestedAmount: "5000.00",
           statement: "我司经担保机构担保获得银行贷款，申请担保费补贴。" }) { claim { status } userErrors { code message } } }`,
        { id: free.policy.id },
      )
    ).submitFundClaim;
    expect(submitted).toEqual({ claim: { status: 'SUBMITTED' }, userErrors: [] });
    // The committed budgets still add up after the service's own changes.
    expect(await server.sql(BROKEN_CLAIMS['committed budget other than the sum of approved claims'])).toEqual([]);
  });
});
