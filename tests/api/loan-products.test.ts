import { randomUUID } from 'node:crypto';
import { Role } from '../../src/entities/enums';
import { shanghaiDate } from '../../src/services/time';
import type { Principal, World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const PRODUCT = `id name description type minAmount maxAmount minRate maxRate minTermMonths maxTermMonths
  repaymentMethods guaranteeFundEligible status publishedAt createdAt institution { id name }
  eligibility { minGrade industryCodes regionCodes sizes minYearsEstablished }`;
const PAYLOAD = `product { ${PRODUCT} } userErrors { field message code }`;
const CREATE = `mutation($input: CreateLoanProductInput!) { createLoanProduct(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($input: UpdateLoanProductInput!) { updateLoanProduct(input: $input) { ${PAYLOAD} } }`;
const PUBLISH = `mutation($input: ProductIdInput!) { publishLoanProduct(input: $input) { ${PAYLOAD} } }`;
const UNPUBLISH = `mutation($input: ProductIdInput!) { unpublishLoanProduct(input: $input) { ${PAYLOAD} } }`;
const GET = `query($id: ID!) { loanProduct(id: $id) { ${PRODUCT} } }`;
const LIST = `query($filter: LoanProductFilter, $orderBy: LoanProductOrder, $first: Int, $after: String) {
  loanProducts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status minRate } }
  }
}`;
const RECOMMEND = `query($first: Int) {
  recommendedProducts(first: $first) { score reasons product { id name minRate status institution { name } } }
}`;

type Viewer = Principal | null;
const as = (who: Viewer) => (who ? { token: who.token } : {});

interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: string;
}

function validInput(overrides: Record<string, unknown> = {}) {
  return {
    name: '丹东科技贷',
    description: '面向科技型中小企业的纯信用贷款，依托纳税数据线上审批。',
    type: 'CREDIT',
    minAmount: '100000.00',
    maxAmount: '3000000.00',
    minRate: '3.85',
    maxRate: '5.2',
    minTermMonths: 6,
    maxTermMonths: 36,
    repaymentMethods: ['EQUAL_INSTALLMENT', 'INTEREST_FIRST'],
    ...overrides,
  };
}

async function create(who: Principal, overrides: Record<string, unknown> = {}) {
  const res = await server.gql(CREATE, { input: validInput(overrides) }, as(who));
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createLoanProduct as { product: any; userErrors: UserErrorShape[] };
}

async function createOk(who: Principal, overrides: Record<string, unknown> = {}) {
  const payload = await create(who, overrides);
  expect(payload.userErrors).toEqual([]);
  return payload.product as { id: string; [k: string]: any };
}

async function mutate(mutation: string, who: Principal, input: Record<string, unknown>) {
  const res = await server.gql(mutation, { input }, as(who));
  expect(res.body.errors).toBeUndefined();
  const data = res.body.data as Record<string, { product: any; userErrors: UserErrorShape[] }>;
  return Object.values(data)[0];
}

const fieldsOf = (errors: UserErrorShape[]) => errors.map((e) => [e.field?.join('.'), e.code]);

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

async function row(id: string) {
  const [r] = await server.sql('select * from loan_product where id = ?', [id]);
  return r;
}

/** A fresh institution with a signed-in bank user, so a test's products are its own. */
async function freshBank() {
  const institution = await server.fixtures.institution();
  const user = await server.fixtures.principal(Role.BANK, { institution } as never);
  return { institution, user };
}

interface ProductRow {
  id?: string;
  name?: string;
  description?: string;
  type?: string;
  minAmount?: string;
  maxAmount?: string;
  minRate?: string;
  maxRate?: string;
  minTermMonths?: number;
  maxTermMonths?: number;
  minGrade?: string | null;
  industryCodes?: string[];
  regionCodes?: string[];
  sizes?: string[];
  minYearsEstablished?: number | null;
  guaranteeFundEligible?: boolean;
  status?: 'DRAFT' | 'PUBLISHED' | 'OFFLINE';
  publishedAt?: Date | null;
  createdAt?: Date;
}

/** Straight into the table (fast; the API paths are tested on their own). Published unless told. */
async function insertProduct(institutionId: string, p: ProductRow = {}): Promise<string> {
  const id = p.id ?? randomUUID();
  const status = p.status ?? 'PUBLISHED';
  const createdAt = p.createdAt ?? new Date();
  const publishedAt = p.publishedAt !== undefined ? p.publishedAt : status === 'DRAFT' ? null : createdAt;
  await server.sql(
    `insert into loan_product (id, created_at, institution_id, name, description, type, min_amount, max_amount,
       min_rate, max_rate, min_term_months, max_term_months, repayment_methods, min_grade, industry_codes,
       region_codes, sizes, min_years_established, guarantee_fund_eligible, status, published_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)`,
    [
      id,
      createdAt,
      institutionId,
      p.name ?? `测试产品${id.slice(0, 6)}`,
      p.description ?? '测试用贷款产品',
      p.type ?? 'CREDIT',
      p.minAmount ?? '100000.00',
      p.maxAmount ?? '1000000.00',
      p.minRate ?? '4.0000',
      p.maxRate ?? '6.0000',
      p.minTermMonths ?? 6,
      p.maxTermMonths ?? 36,
      JSON.stringify(['EQUAL_INSTALLMENT']),
      p.minGrade ?? null,
      JSON.stringify(p.industryCodes ?? []),
      JSON.stringify(p.regionCodes ?? []),
      JSON.stringify(p.sizes ?? []),
      p.minYearsEstablished ?? null,
      p.guaranteeFundEligible ?? false,
      status,
      publishedAt,
      createdAt,
    ],
  );
  return id;
}

async function list(who: Viewer, variables: Record<string, unknown>) {
  const res = await server.gql(LIST, { first: 100, ...variables }, as(who));
  expect(res.body.errors).toBeUndefined();
  return res.body.data.loanProducts as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; name: string; status: string; minRate: string } }[];
  };
}

const ids = async (who: Viewer, variables: Record<string, unknown>) =>
  (await list(who, variables)).edges.map((e) => e.node.id);

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

// ───────────────────────────── create ─────────────────────────────

describe('createLoanProduct', () => {
  test('a valid product is a DRAFT of the bank’s own institution, answered as the database holds it', async () => {
    const payload = await create(world.bank, {
      eligibility: {
        minGrade: 'B',
        industryCodes: ['C', 'I65'],
        regionCodes: ['210000', '210602'],
        sizes: ['MICRO', 'SMALL'],
        minYearsEstablished: 2,
      },
      guaranteeFundEligible: true,
    });
    expect(payload.userErrors).toEqual([]);
    const p = payload.product;
    expect(p).toMatchObject({
      name: '丹东科技贷',
      type: 'CREDIT',
      status: 'DRAFT',
      publishedAt: null,
      minTermMonths: 6,
      maxTermMonths: 36,
      repaymentMethods: ['EQUAL_INSTALLMENT', 'INTEREST_FIRST'],
      guaranteeFundEligible: true,
      institution: { id: world.bankA.id, name: '测试银行甲' },
      eligibility: {
        minGrade: 'B',
        industryCodes: ['C', 'I65'],
        regionCodes: ['210000', '210602'],
        sizes: ['MICRO', 'SMALL'],
        minYearsEstablished: 2,
      },
    });
    expect(p.minAmount).toBe('100000.00');
    expect(p.maxAmount).toBe('3000000.00');
    expect(Number(p.minRate)).toBe(3.85);
    expect(Number(p.maxRate)).toBe(5.2);
    expect(p.createdAt).toMatch(/\+08:00$/);

    // The payload is what every later read answers (same decimal places as the numeric columns).
    const again = await server.gql(GET, { id: p.id }, as(world.bank));
    expect(again.body.data.loanProduct).toEqual(p);

    const saved = await row(p.id);
    expect(saved).toMatchObject({
      institution_id: world.bankA.id,
      status: 'DRAFT',
      published_at: null,
      min_amount: '100000.00',
      min_rate: '3.8500',
      max_rate: '5.2000',
      min_grade: 'B',
      industry_codes: ['C', 'I65'],
      guarantee_fund_eligible: true,
    });
    expect(await count('audit_event', "action = 'createLoanProduct' and target_id = ?", [p.id])).toBe(1);
  });

  test('without eligibility the product admits anyone; guaranteeFundEligible defaults to false', async () => {
    const p = await createOk(world.bank);
    expect(p.eligibility).toEqual({
      minGrade: null,
      industryCodes: [],
      regionCodes: [],
      sizes: [],
      minYearsEstablished: null,
    });
    expect(p.guaranteeFundEligible).toBe(false);
  });

  test('each bank creates for its own institution', async () => {
    const p = await createOk(world.bankUserB, { name: '乙行小微快贷' });
    expect(p.institution.id).toBe(world.bankB.id);
    expect((await row(p.id)).institution_id).toBe(world.bankB.id);
  });

  test('only banks may manage products', async () => {
    const others: [Viewer, string][] = [
      [null, 'UNAUTHENTICATED'],
      [world.enterprise, 'FORBIDDEN'],
      [world.regulator, 'FORBIDDEN'],
      [world.admin, 'FORBIDDEN'],
    ];
    const before = await count('loan_product');
    for (const [who, code] of others) {
      const res = await server.gql(CREATE, { input: validInput({ name: '越权产品' }) }, as(who));
      expect(res.body.errors?.[0].extensions.code).toBe(code);
      for (const mutation of [UPDATE, PUBLISH, UNPUBLISH]) {
        const r = await server.gql(mutation, { input: { id: randomUUID() } }, as(who));
        expect(r.body.errors?.[0].extensions.code).toBe(code);
      }
    }
    expect(await count('loan_product')).toBe(before);
  });

  test('min above max for amount, rate and term: INVALID on each max field, nothing written', async () => {
    const before = await count('loan_product');
    const { product, userErrors } = await create(world.bank, {
      minAmount: '500000',
      maxAmount: '499999.99',
      minRate: '5.0001',
      maxRate: '5',
      minTermMonths: 13,
      maxTermMonths: 12,
    });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual([
      ['input.maxAmount', 'INVALID'],
      ['input.maxRate', 'INVALID'],
      ['input.maxTermMonths', 'INVALID'],
    ]);
    for (const e of userErrors) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await count('loan_product')).toBe(before);
  });

  test('min equal to max is a fixed amount, rate and term', async () => {
    const p = await createOk(world.bank, {
      minAmount: '200000',
      maxAmount: '200000',
      minRate: '4.35',
      maxRate: '4.35',
      minTermMonths: 12,
      maxTermMonths: 12,
    });
    expect(p.minAmount).toBe(p.maxAmount);
  });

  test.each([
    ['minRate', '0'],
    ['minRate', '-1'],
    ['maxRate', '24.0001'],
    ['maxRate', '25'],
    ['minRate', '3.12345'],
  ])('rate %s = %s is INVALID on that field', async (field, value) => {
    const { product, userErrors } = await create(world.bank, { [field]: value });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual([[`input.${field}`, 'INVALID']]);
  });

  test('rates at the bounds: 0.0001 and 24 are accepted, 4 decimals kept', async () => {
    const p = await createOk(world.bank, { minRate: '0.0001', maxRate: '24' });
    expect(Number(p.minRate)).toBe(0.0001);
    expect(Number(p.maxRate)).toBe(24);
    expect((await row(p.id)).min_rate).toBe('0.0001');
  });

  test.each([
    ['minAmount', '100000.001'],
    ['maxAmount', '3000000.125'],
    ['minAmount', '0'],
    ['minAmount', '-100'],
  ])('amount %s = %s is INVALID on that field', async (field, value) => {
    const { product, userErrors } = await create(world.bank, { [field]: value });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual([[`input.${field}`, 'INVALID']]);
  });

  test('terms must be whole months from 1', async () => {
    const { userErrors } = await create(world.bank, { minTermMonths: 0 });
    expect(fieldsOf(userErrors)).toEqual([['input.minTermMonths', 'INVALID']]);
  });

  test('repayment methods: at least one, none twice', async () => {
    const empty = await create(world.bank, { repaymentMethods: [] });
    expect(empty.product).toBeNull();
    expect(fieldsOf(empty.userErrors)).toEqual([['input.repaymentMethods', 'INVALID']]);
    expect(empty.userErrors[0].message).toBe('至少选择一种还款方式');

    const dup = await create(world.bank, { repaymentMethods: ['BULLET', 'EQUAL_PRINCIPAL', 'BULLET'] });
    expect(dup.product).toBeNull();
    expect(fieldsOf(dup.userErrors)).toEqual([['input.repaymentMethods', 'INVALID']]);
    expect(dup.userErrors[0].message).toBe('还款方式重复');
  });

  test('an unknown repayment method or product type is refused by GraphQL itself', async () => {
    const res = await server.gql(CREATE, { input: validInput({ repaymentMethods: ['BALLOON'] }) }, as(world.bank));
    expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const type = await server.gql(CREATE, { input: validInput({ type: 'PAYDAY' }) }, as(world.bank));
    expect(type.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('malformed industry and region codes in eligibility are INVALID at their index', async () => {
    const { product, userErrors } = await create(world.bank, {
      eligibility: { industryCodes: ['C39', 'Z99', 'c39'], regionCodes: ['210602', '999999', '2106'] },
    });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual([
      ['input.eligibility.industryCodes.1', 'INVALID'],
      ['input.eligibility.industryCodes.2', 'INVALID'],
      ['input.eligibility.regionCodes.1', 'INVALID'],
      ['input.eligibility.regionCodes.2', 'INVALID'],
    ]);
    expect(userErrors[0].message).toBe('行业代码无效');
    expect(userErrors[2].message).toBe('行政区划代码无效');
  });

  test('a negative minimum of years established is INVALID', async () => {
    const { userErrors } = await create(world.bank, { eligibility: { minYearsEstablished: -1 } });
    expect(fieldsOf(userErrors)).toEqual([['input.eligibility.minYearsEstablished', 'INVALID']]);
  });

  test('every problem is reported at once, each at its own path', async () => {
    const before = await count('loan_product');
    const { product, userErrors } = await create(world.bank, {
      name: ' ',
      minAmount: '1.001',
      minRate: '0',
      maxRate: '24.0001',
      minTermMonths: 24,
      maxTermMonths: 12,
      repaymentMethods: [],
      eligibility: { industryCodes: ['X1'], regionCodes: ['000000'] },
    });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual(
      expect.arrayContaining([
        ['input.name', 'INVALID'],
        ['input.minAmount', 'INVALID'],
        ['input.minRate', 'INVALID'],
        ['input.maxRate', 'INVALID'],
        ['input.maxTermMonths', 'INVALID'],
        ['input.repaymentMethods', 'INVALID'],
        ['input.eligibility.industryCodes.0', 'INVALID'],
        ['input.eligibility.regionCodes.0', 'INVALID'],
      ]),
    );
    expect(userErrors).toHaveLength(8);
    expect(await count('loan_product')).toBe(before);
  });
});

// ───────────────────────────── update ─────────────────────────────

describe('updateLoanProduct', () => {
  test('a partial update changes only the fields given, and is saved', async () => {
    const original = await createOk(world.bank, {
      eligibility: { minGrade: 'C', regionCodes: ['210600'] },
      guaranteeFundEligible: true,
    });
    const { product, userErrors } = await mutate(UPDATE, world.bank, {
      id: original.id,
      name: '丹东科技贷（升级版）',
      maxAmount: '5000000.00',
      guaranteeFundEligible: false,
    });
    expect(userErrors).toEqual([]);
    expect(product).toEqual({
      ...original,
      name: '丹东科技贷（升级版）',
      maxAmount: '5000000.00',
      guaranteeFundEligible: false,
    });
    const reread = await server.gql(GET, { id: original.id }, as(world.bank));
    expect(reread.body.data.loanProduct).toEqual(product);
    expect(await row(original.id)).toMatchObject({
      name: '丹东科技贷（升级版）',
      max_amount: '5000000.00',
      guarantee_fund_eligible: false,
      min_grade: 'C',
      region_codes: ['210600'],
    });
    expect(await count('audit_event', "action = 'updateLoanProduct' and target_id = ?", [original.id])).toBe(1);
  });

  test('null fields are left alone; eligibility, when given, replaces the old one', async () => {
    const original = await createOk(world.bank, { eligibility: { minGrade: 'B', sizes: ['SMALL'] } });
    const { product, userErrors } = await mutate(UPDATE, world.bank, {
      id: original.id,
      name: null,
      minRate: null,
      eligibility: { industryCodes: ['C39'] },
    });
    expect(userErrors).toEqual([]);
    expect(product.name).toBe(original.name);
    expect(product.minRate).toBe(original.minRate);
    expect(product.eligibility).toEqual({
      minGrade: null,
      industryCodes: ['C39'],
      regionCodes: [],
      sizes: [],
      minYearsEstablished: null,
    });
    expect(await row(original.id)).toMatchObject({ min_grade: null, industry_codes: ['C39'], sizes: [] });
  });

  test('the merged product is re-validated: lowering maxAmount below minAmount is INVALID', async () => {
    const original = await createOk(world.bank, { minAmount: '100000', maxAmount: '300000' });
    const { product, userErrors } = await mutate(UPDATE, world.bank, { id: original.id, maxAmount: '99999.99' });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual([['input.maxAmount', 'INVALID']]);
    expect((await row(original.id)).max_amount).toBe('300000.00');
  });

  test('raising only a minimum above the saved maximum is INVALID on the field that was sent', async () => {
    const original = await createOk(world.bank, { minRate: '3.5', maxRate: '4.5', minTermMonths: 6 });
    const rate = await mutate(UPDATE, world.bank, { id: original.id, minRate: '4.6' });
    expect(fieldsOf(rate.userErrors)).toEqual([['input.minRate', 'INVALID']]);
    const term = await mutate(UPDATE, world.bank, { id: original.id, minTermMonths: 48 });
    expect(fieldsOf(term.userErrors)).toEqual([['input.minTermMonths', 'INVALID']]);
    // Both ends moved together consistently is fine.
    const both = await mutate(UPDATE, world.bank, { id: original.id, minRate: '4.6', maxRate: '5.6' });
    expect(both.userErrors).toEqual([]);
    expect(await row(original.id)).toMatchObject({ min_rate: '4.6000', max_rate: '5.6000', min_term_months: 6 });
  });

  test('field rules apply to the fields sent, together with range problems', async () => {
    const original = await createOk(world.bank);
    const { product, userErrors } = await mutate(UPDATE, world.bank, {
      id: original.id,
      minRate: '0',
      maxAmount: '1.5',
      repaymentMethods: [],
      eligibility: { regionCodes: ['123456'] },
    });
    expect(product).toBeNull();
    expect(fieldsOf(userErrors)).toEqual(
      expect.arrayContaining([
        ['input.minRate', 'INVALID'],
        ['input.repaymentMethods', 'INVALID'],
        ['input.eligibility.regionCodes.0', 'INVALID'],
        ['input.maxAmount', 'INVALID'],
      ]),
    );
    expect(userErrors).toHaveLength(4);
    expect(await row(original.id)).toMatchObject({ min_rate: '3.8500', max_amount: '3000000.00' });
  });

  test('another bank’s product, an unknown id and a malformed id are NOT_FOUND', async () => {
    const theirs = await createOk(world.bankUserB, { name: '乙行产品' });
    for (const id of [theirs.id, randomUUID(), 'not-a-uuid', '']) {
      const { product, userErrors } = await mutate(UPDATE, world.bank, { id, name: '改名' });
      expect(product).toBeNull();
      expect(fieldsOf(userErrors)).toEqual([['input.id', 'NOT_FOUND']]);
    }
    expect((await row(theirs.id)).name).toBe('乙行产品');
  });
});

// ───────────────────────────── publish / unpublish ─────────────────────────────

describe('publishLoanProduct and unpublishLoanProduct', () => {
  test('DRAFT → PUBLISHED → OFFLINE → PUBLISHED, with the wrong moves refused as INVALID_STATE', async () => {
    const draft = await createOk(world.bank);

    const early = await mutate(UNPUBLISH, world.bank, { id: draft.id });
    expect(early.product).toBeNull();
    expect(fieldsOf(early.userErrors)).toEqual([['input.id', 'INVALID_STATE']]);
    expect((await row(draft.id)).status).toBe('DRAFT');

    server.clock.advance(60_000);
    const publishTime = server.clock.now().getTime();
    const published = await mutate(PUBLISH, world.bank, { id: draft.id });
    expect(published.userErrors).toEqual([]);
    expect(published.product.status).toBe('PUBLISHED');
    expect(published.product.publishedAt).toMatch(/\+08:00$/);
    const publishedAt = new Date(published.product.publishedAt).getTime();
    expect(Math.abs(publishedAt - publishTime)).toBeLessThan(5_000);
    expect(await row(draft.id)).toMatchObject({ status: 'PUBLISHED' });

    const twice = await mutate(PUBLISH, world.bank, { id: draft.id });
    expect(twice.product).toBeNull();
    expect(fieldsOf(twice.userErrors)).toEqual([['input.id', 'INVALID_STATE']]);
    expect(new Date((await row(draft.id)).published_at).getTime()).toBe(publishedAt);

    const offline = await mutate(UNPUBLISH, world.bank, { id: draft.id });
    expect(offline.userErrors).toEqual([]);
    expect(offline.product.status).toBe('OFFLINE');
    expect((await row(draft.id)).status).toBe('OFFLINE');

    const offlineAgain = await mutate(UNPUBLISH, world.bank, { id: draft.id });
    expect(fieldsOf(offlineAgain.userErrors)).toEqual([['input.id', 'INVALID_STATE']]);

    server.clock.advance(60_000);
    const back = await mutate(PUBLISH, world.bank, { id: draft.id });
    expect(back.userErrors).toEqual([]);
    expect(back.product.status).toBe('PUBLISHED');
    expect(new Date(back.product.publishedAt).getTime()).toBeGreaterThan(publishedAt);
    expect((await row(draft.id)).status).toBe('PUBLISHED');

    const actions = await server.sql(
      "select action from audit_event where target_id = ? and action like '%LoanProduct' order by at, id",
      [draft.id],
    );
    expect(actions.map((a: { action: string }) => a.action).sort()).toEqual(
      ['createLoanProduct', 'publishLoanProduct', 'publishLoanProduct', 'unpublishLoanProduct'].sort(),
    );
  });

  test('another bank’s product and malformed ids are NOT_FOUND; the product is untouched', async () => {
    const theirs = await createOk(world.bankUserB);
    for (const id of [theirs.id, 'x', randomUUID()]) {
      for (const mutation of [PUBLISH, UNPUBLISH]) {
        const { product, userErrors } = await mutate(mutation, world.bank, { id });
        expect(product).toBeNull();
        expect(fieldsOf(userErrors)).toEqual([['input.id', 'NOT_FOUND']]);
      }
    }
    expect((await row(theirs.id)).status).toBe('DRAFT');
  });
});

// ───────────────────────────── visibility ─────────────────────────────

describe('who sees which products', () => {
  let owner: Principal;
  let institutionId: string;
  let draft: string;
  let published: string;
  let offline: string;

  beforeAll(async () => {
    const bank = await freshBank();
    owner = bank.user;
    institutionId = bank.institution.id;
    draft = (await createOk(owner, { name: '草稿产品' })).id;
    published = (await createOk(owner, { name: '已发布产品' })).id;
    offline = (await createOk(owner, { name: '已下线产品' })).id;
    expect((await mutate(PUBLISH, owner, { id: published })).userErrors).toEqual([]);
    expect((await mutate(PUBLISH, owner, { id: offline })).userErrors).toEqual([]);
    expect((await mutate(UNPUBLISH, owner, { id: offline })).userErrors).toEqual([]);
  });

  const filter = () => ({ filter: { institutionIds: [institutionId] } });

  test('anonymous viewers, enterprises and other banks see only PUBLISHED products', async () => {
    for (const who of [null, world.enterprise, world.bank, world.bankUserB]) {
      expect(await ids(who, filter())).toEqual([published]);
      expect((await list(who, filter())).totalCount).toBe(1);
      const one = await server.gql(GET, { id: published }, as(who));
      expect(one.body.data.loanProduct.id).toBe(published);
      for (const hidden of [draft, offline]) {
        const res = await server.gql(GET, { id: hidden }, as(who));
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.loanProduct).toBeNull();
      }
      for (const status of ['DRAFT', 'OFFLINE']) {
        expect(await ids(who, { filter: { institutionIds: [institutionId], status } })).toEqual([]);
      }
    }
  });

  test('the owning bank sees its drafts and offline products too', async () => {
    expect((await ids(owner, filter())).sort()).toEqual([draft, published, offline].sort());
    for (const id of [draft, published, offline]) {
      expect((await server.gql(GET, { id }, as(owner))).body.data.loanProduct.id).toBe(id);
    }
    expect(await ids(owner, { filter: { institutionIds: [institutionId], status: 'DRAFT' } })).toEqual([draft]);
  });

  test('the owning bank does not see other banks’ drafts', async () => {
    const otherDraft = await createOk(world.bankUserB, { name: '乙行草稿' });
    expect((await server.gql(GET, { id: otherDraft.id }, as(owner))).body.data.loanProduct).toBeNull();
    expect(await ids(owner, { filter: { institutionIds: [world.bankB.id], status: 'DRAFT' } })).toEqual([]);
  });

  test('regulators see every product in every status', async () => {
    expect((await ids(world.regulator, filter())).sort()).toEqual([draft, published, offline].sort());
    expect((await server.gql(GET, { id: draft }, as(world.regulator))).body.data.loanProduct.id).toBe(draft);
  });

  test('an unknown or malformed id is null, not an error', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await server.gql(GET, { id }, as(world.regulator));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.loanProduct).toBeNull();
    }
  });

  test('FinancialInstitution.products: published only for others, all its own for the owning bank', async () => {
    const INSTITUTIONS = `{ institutions(first: 100) { nodes { id products(first: 100) { totalCount nodes { id status } } } } }`;
    const productsAs = async (who: Viewer) => {
      const res = await server.gql(INSTITUTIONS, {}, as(who));
      expect(res.body.errors).toBeUndefined();
      const node = res.body.data.institutions.nodes.find((n: { id: string }) => n.id === institutionId);
      return node.products as { totalCount: number; nodes: { id: string; status: string }[] };
    };
    for (const who of [null, world.enterprise, world.bankUserB, world.regulator]) {
      const products = await productsAs(who);
      expect(products.nodes.map((n) => n.id)).toEqual([published]);
      expect(products.totalCount).toBe(1);
    }
    const own = await productsAs(owner);
    expect(own.nodes.map((n) => n.id).sort()).toEqual([draft, published, offline].sort());
    expect(own.totalCount).toBe(3);

    const mine = await server.gql('{ myInstitution { id products { nodes { id } } } }', {}, as(owner));
    expect(mine.body.data.myInstitution.products.nodes.map((n: { id: string }) => n.id).sort()).toEqual(
      [draft, published, offline].sort(),
    );
  });
});

// ───────────────────────────── filters and ordering ─────────────────────────────

describe('loanProducts filters and ordering', () => {
  let inst: string;
  let owner: Principal;
  const p: Record<string, string> = {};

  beforeAll(async () => {
    const bank = await freshBank();
    inst = bank.institution.id;
    owner = bank.user;
    p.tech = await insertProduct(inst, {
      name: '科技成长贷',
      description: '线上审批，随借随还',
      type: 'CREDIT',
      minAmount: '100000.00',
      maxAmount: '1000000.00',
      minRate: '3.2000',
      maxRate: '4.0000',
      minTermMonths: 6,
      maxTermMonths: 36,
      createdAt: minutesAgo(50),
      publishedAt: minutesAgo(40),
    });
    p.guarantee = await insertProduct(inst, {
      name: '兴边担保贷',
      description: '支持科技型小微企业，100%担保',
      type: 'GUARANTEE',
      minAmount: '500000.00',
      maxAmount: '5000000.00',
      minRate: '4.5000',
      maxRate: '6.0000',
      minTermMonths: 12,
      maxTermMonths: 60,
      minGrade: 'B',
      createdAt: minutesAgo(49),
      publishedAt: minutesAgo(30),
    });
    p.mortgage = await insertProduct(inst, {
      name: 'E房抵押贷',
      description: '以厂房抵押',
      type: 'MORTGAGE',
      minAmount: '1000000.00',
      maxAmount: '10000000.00',
      minRate: '3.6000',
      maxRate: '5.0000',
      minTermMonths: 12,
      maxTermMonths: 120,
      minGrade: 'A',
      createdAt: minutesAgo(48),
      publishedAt: minutesAgo(20),
    });
    p.micro = await insertProduct(inst, {
      name: '小微周转贷',
      description: '短期周转资金',
      type: 'CREDIT',
      minAmount: '50000.00',
      maxAmount: '300000.00',
      minRate: '5.5000',
      maxRate: '8.0000',
      minTermMonths: 3,
      maxTermMonths: 12,
      minGrade: 'C',
      createdAt: minutesAgo(47),
      publishedAt: minutesAgo(10),
    });
    // Match every filter below but are not published: never shown to the public.
    p.draft = await insertProduct(inst, {
      name: '科技草稿贷',
      minAmount: '1.00',
      maxAmount: '99999999.00',
      minRate: '0.1000',
      minTermMonths: 1,
      maxTermMonths: 360,
      status: 'DRAFT',
      createdAt: minutesAgo(46),
    });
    p.offline = await insertProduct(inst, {
      name: '科技下线贷',
      minAmount: '1.00',
      maxAmount: '99999999.00',
      minRate: '0.1000',
      minTermMonths: 1,
      maxTermMonths: 360,
      status: 'OFFLINE',
      createdAt: minutesAgo(45),
      publishedAt: minutesAgo(44),
    });
  });

  const find = async (filter: Record<string, unknown>, who: Viewer = null, orderBy?: unknown) =>
    ids(who, { filter: { institutionIds: [inst], ...filter }, orderBy });
  const names = (keys: string[]) => keys.map((k) => p[k]);
  const sorted = (keys: string[]) => names(keys).sort();

  test('no filter: the published ones, newest publication first', async () => {
    expect(await find({})).toEqual(names(['micro', 'mortgage', 'guarantee', 'tech']));
    const page = await list(null, { filter: { institutionIds: [inst] } });
    expect(page.totalCount).toBe(4);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  test('search matches name or description, case-insensitively, with % and _ taken literally', async () => {
    expect((await find({ search: '科技' })).sort()).toEqual(sorted(['tech', 'guarantee']));
    expect(await find({ search: '抵押' })).toEqual(names(['mortgage']));
    expect(await find({ search: 'e房' })).toEqual(names(['mortgage']));
    expect(await find({ search: '  周转  ' })).toEqual(names(['micro']));
    expect(await find({ search: '100%' })).toEqual(names(['guarantee']));
    expect(await find({ search: '%' })).toEqual(names(['guarantee']));
    expect(await find({ search: '_' })).toEqual([]);
    expect(await find({ search: '不存在的词' })).toEqual([]);
    expect((await find({ search: '' })).length).toBe(4);
  });

  test('types', async () => {
    expect((await find({ types: ['CREDIT'] })).sort()).toEqual(sorted(['tech', 'micro']));
    expect((await find({ types: ['GUARANTEE', 'MORTGAGE'] })).sort()).toEqual(sorted(['guarantee', 'mortgage']));
    expect(await find({ types: ['PLEDGE'] })).toEqual([]);
  });

  test('institutionIds', async () => {
    const other = await server.fixtures.institution();
    const otherProduct = await insertProduct(other.id, { name: '他行产品' });
    expect(await ids(null, { filter: { institutionIds: [other.id] } })).toEqual([otherProduct]);
    expect((await ids(null, { filter: { institutionIds: [inst, other.id] } })).sort()).toEqual(
      [...names(['tech', 'guarantee', 'mortgage', 'micro']), otherProduct].sort(),
    );
    expect(await ids(null, { filter: { institutionIds: [randomUUID()] } })).toEqual([]);
    expect(await ids(null, { filter: { institutionIds: ['not-a-uuid'] } })).toEqual([]);
    expect(await ids(null, { filter: { institutionIds: ['not-a-uuid', other.id] } })).toEqual([otherProduct]);
  });

  test.each([
    ['100000', ['tech', 'micro']],
    ['99999.99', ['micro']],
    ['300000', ['tech', 'micro']],
    ['300000.01', ['tech']],
    ['1000000', ['tech', 'guarantee', 'mortgage']],
    ['10000000', ['mortgage']],
    ['10000000.01', []],
    ['50000', ['micro']],
  ])('amount %s lies within [minAmount, maxAmount] (both ends inclusive)', async (amount, expected) => {
    expect((await find({ amount })).sort()).toEqual(sorted(expected));
  });

  test.each([
    [3, ['micro']],
    [6, ['tech', 'micro']],
    [12, ['tech', 'guarantee', 'mortgage', 'micro']],
    [36, ['tech', 'guarantee', 'mortgage']],
    [60, ['guarantee', 'mortgage']],
    [120, ['mortgage']],
    [121, []],
  ])('termMonths %i lies within the term range', async (termMonths, expected) => {
    expect((await find({ termMonths })).sort()).toEqual(sorted(expected));
  });

  test.each([
    ['3.6', ['tech', 'mortgage']],
    ['3.5999', ['tech']],
    ['3.2', ['tech']],
    ['3.1999', []],
    ['24', ['tech', 'guarantee', 'mortgage', 'micro']],
  ])('maxRate %s: products whose minRate is at most it', async (maxRate, expected) => {
    expect((await find({ maxRate })).sort()).toEqual(sorted(expected));
  });

  test.each([
    // tech: any grade; guarantee: B or better; mortgage: A only; micro: C or better.
    ['A', ['tech', 'guarantee', 'mortgage', 'micro']],
    ['B', ['tech', 'guarantee', 'micro']],
    ['C', ['tech', 'micro']],
    ['D', ['tech']],
  ])('grade %s: the products that accept it', async (grade, expected) => {
    expect((await find({ grade })).sort()).toEqual(sorted(expected));
  });

  test('filters combine', async () => {
    expect((await find({ types: ['CREDIT'], amount: '200000', grade: 'B' })).sort()).toEqual(sorted(['tech', 'micro']));
    expect(await find({ types: ['CREDIT'], amount: '200000', grade: 'B', termMonths: 24 })).toEqual(names(['tech']));
    expect(await find({ search: '科技', grade: 'C' })).toEqual(names(['tech']));
  });

  test('status: the owner filters its own by status; the public never sees other statuses', async () => {
    expect(await find({ status: 'DRAFT' }, owner)).toEqual(names(['draft']));
    expect(await find({ status: 'OFFLINE' }, owner)).toEqual(names(['offline']));
    expect(await find({ status: 'PUBLISHED' }, owner)).toEqual(names(['micro', 'mortgage', 'guarantee', 'tech']));
    expect(await find({ status: 'PUBLISHED' })).toEqual(names(['micro', 'mortgage', 'guarantee', 'tech']));
    expect(await find({ status: 'DRAFT' }, world.enterprise)).toEqual([]);
    expect(await find({ status: 'DRAFT' }, world.regulator)).toEqual(names(['draft']));
    expect(await find({ search: '科技', status: 'OFFLINE' }, world.regulator)).toEqual(names(['offline']));
  });

  test.each([
    [{ field: 'MIN_RATE', direction: 'ASC' }, ['tech', 'mortgage', 'guarantee', 'micro']],
    [{ field: 'MIN_RATE', direction: 'DESC' }, ['micro', 'guarantee', 'mortgage', 'tech']],
    [{ field: 'MAX_AMOUNT', direction: 'ASC' }, ['micro', 'tech', 'guarantee', 'mortgage']],
    [{ field: 'MAX_AMOUNT', direction: 'DESC' }, ['mortgage', 'guarantee', 'tech', 'micro']],
    [{ field: 'PUBLISHED_AT', direction: 'DESC' }, ['micro', 'mortgage', 'guarantee', 'tech']],
    [{ field: 'PUBLISHED_AT', direction: 'ASC' }, ['tech', 'guarantee', 'mortgage', 'micro']],
  ])('orderBy %j', async (orderBy, expected) => {
    expect(await find({}, null, orderBy)).toEqual(names(expected));
    // Paging one at a time gives the same order.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await list(null, { filter: { institutionIds: [inst] }, orderBy, first: 1, after });
      seen.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(names(expected));
  });

  test('minRate ordering compares numbers, not text', async () => {
    const bank = await freshBank();
    const ten = await insertProduct(bank.institution.id, { minRate: '10.0000', maxRate: '12.0000' });
    const nine = await insertProduct(bank.institution.id, { minRate: '9.5000', maxRate: '12.0000' });
    const order = { field: 'MIN_RATE', direction: 'ASC' };
    expect(await ids(null, { filter: { institutionIds: [bank.institution.id] }, orderBy: order })).toEqual([nine, ten]);
    const first = await list(null, { filter: { institutionIds: [bank.institution.id] }, orderBy: order, first: 1 });
    const second = await list(null, {
      filter: { institutionIds: [bank.institution.id] },
      orderBy: order,
      first: 1,
      after: first.pageInfo.endCursor,
    });
    expect(second.edges.map((e) => e.node.id)).toEqual([ten]);
  });
});

// ───────────────────────────── pagination ─────────────────────────────

describe('loanProducts pagination', () => {
  let inst: string;
  const all: string[] = [];

  beforeAll(async () => {
    inst = (await server.fixtures.institution()).id;
    // Nine products at three rates and with two equal publication times: ties everywhere.
    const same = minutesAgo(5);
    for (let i = 0; i < 9; i += 1) {
      all.push(
        await insertProduct(inst, {
          minRate: ['4.0000', '3.5000', '4.0000'][i % 3],
          maxAmount: '2000000.00',
          publishedAt: i < 4 ? same : minutesAgo(6 + i),
        }),
      );
    }
  });

  async function walk(orderBy: unknown, first: number) {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list(null, { filter: { institutionIds: [inst] }, orderBy, first, after });
      expect(page.totalCount).toBe(9);
      expect(page.edges.length).toBeLessThanOrEqual(first);
      seen.push(...page.edges.map((e) => e.node.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges.length).toBe(first);
      after = page.pageInfo.endCursor;
      expect(after).toBe(page.edges[page.edges.length - 1].cursor);
    }
    return { seen, pages };
  }

  test.each([
    [undefined, 2],
    [{ field: 'MIN_RATE', direction: 'ASC' }, 2],
    [{ field: 'MIN_RATE', direction: 'DESC' }, 4],
    [{ field: 'MAX_AMOUNT', direction: 'ASC' }, 2],
    [{ field: 'PUBLISHED_AT', direction: 'ASC' }, 3],
  ])('orderBy %j, %i a page: every product exactly once, in the one-page order', async (orderBy, size) => {
    const whole = await ids(null, { filter: { institutionIds: [inst] }, orderBy });
    expect(whole.sort()).toEqual([...all].sort());
    const { seen, pages } = await walk(orderBy, size);
    expect(seen).toEqual(await ids(null, { filter: { institutionIds: [inst] }, orderBy }));
    expect(new Set(seen).size).toBe(9);
    expect(pages).toBe(Math.ceil(9 / size));
  });

  test('equal rates are ordered by id, the same way every time', async () => {
    const orderBy = { field: 'MIN_RATE', direction: 'ASC' };
    const page = await list(null, { filter: { institutionIds: [inst] }, orderBy });
    const rates = page.edges.map((e) => Number(e.node.minRate));
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    const atFour = page.edges.filter((e) => Number(e.node.minRate) === 4).map((e) => e.node.id);
    expect(atFour).toEqual([...atFour].sort());
    expect(await ids(null, { filter: { institutionIds: [inst] }, orderBy })).toEqual(page.edges.map((e) => e.node.id));
  });

  test('page size outside 1..100 and foreign cursors are BAD_USER_INPUT', async () => {
    for (const first of [0, -1, 101]) {
      const res = await server.gql(LIST, { first });
      expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    const res = await server.gql(LIST, { first: 1, after: 'garbage' });
    expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    // A publication-time cursor does not fit the rate order.
    const dated = await list(null, { filter: { institutionIds: [inst] }, first: 1 });
    const mixed = await server.gql(LIST, {
      filter: { institutionIds: [inst] },
      orderBy: { field: 'MIN_RATE', direction: 'ASC' },
      first: 1,
      after: dated.pageInfo.endCursor,
    });
    expect(mixed.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

// ───────────────────────────── SQL statements ─────────────────────────────

describe('loanProducts runs a bounded number of SQL statements', () => {
  test('first: 1, 20 and 100 with institution and eligibility cost the same', async () => {
    const institutions = await Promise.all([1, 2, 3, 4, 5].map(() => server.fixtures.institution()));
    const instIds = institutions.map((i) => i.id);
    await server.sql(
      `insert into loan_product (id, created_at, institution_id, name, description, type, min_amount, max_amount,
         min_rate, max_rate, min_term_months, max_term_months, repayment_methods, min_grade, industry_codes,
         region_codes, sizes, min_years_established, guarantee_fund_eligible, status, published_at, updated_at)
       select gen_random_uuid(), now() - g * interval '1 second', (?::uuid[])[1 + g % 5], '批量产品' || g, '批量插入的测试产品', 'CREDIT',
         100000, 2000000, 3 + (g % 7) * 0.25, 8, 6, 36, '["EQUAL_INSTALLMENT"]', 'B', '["C"]', '["210000"]',
         '["SMALL"]', 1, false, 'PUBLISHED', date_trunc('milliseconds', now()) - g * interval '1 second', now()
       from generate_series(1, 120) g`,
      [`{${instIds.join(',')}}`],
    );
    // A bank's own list orders by creation (it may hold drafts): distinct times keep the pages round-robin.
    const QUERY = `query($first: Int, $filter: LoanProductFilter) {
      loanProducts(first: $first, filter: $filter) {
        totalCount
        nodes { id name minRate institution { id name } eligibility { minGrade industryCodes regionCodes sizes } }
      }
    }`;
    const statements: number[] = [];
    for (const first of [1, 20, 100]) {
      const res = await server.gql(QUERY, { first, filter: { institutionIds: instIds } }, as(world.bank));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.loanProducts.nodes).toHaveLength(first);
      expect(res.body.data.loanProducts.totalCount).toBe(120);
      const names = new Set(res.body.data.loanProducts.nodes.map((n: any) => n.institution.name));
      expect(names.size).toBe(Math.min(first, 5));
      expect(Number.isFinite(res.sqlStatements)).toBe(true);
      statements.push(res.sqlStatements);
    }
    expect(statements[1]).toBe(statements[0]);
    expect(statements[2]).toBe(statements[0]);
    expect(statements[0]).toBeLessThanOrEqual(5);

    // The same for the public and a regulator.
    for (const who of [null, world.regulator]) {
      const small = await server.gql(QUERY, { first: 1, filter: { institutionIds: instIds } }, as(who));
      const large = await server.gql(QUERY, { first: 100, filter: { institutionIds: instIds } }, as(who));
      expect(large.sqlStatements).toBe(small.sqlStatements);
    }
  });
});

// ───────────────────────────── recommendations ─────────────────────────────

describe('recommendedProducts', () => {
  let inst: string;
  let enterprise: Principal;
  let ungraded: Principal;
  let young: Principal;
  const p: Record<string, string> = {};

  /** Today in Shanghai by the server's clock, `years` earlier (29 February falls back to the 28th). */
  function yearsAgo(years: number, dayOffset = 0): string {
    const today = new Date(`${shanghaiDate(server.clock.now())}T00:00:00Z`);
    today.setUTCDate(today.getUTCDate() + dayOffset);
    const [y, m, d] = today.toISOString().slice(0, 10).split('-').map(Number);
    const day = m === 2 && d === 29 ? 28 : d;
    return `${y - years}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }

  beforeAll(async () => {
    // Only this block's products are on the market.
    await server.sql("update loan_product set status = 'OFFLINE' where status = 'PUBLISHED'");
    inst = (await server.fixtures.institution('推荐测试银行')).id;

    const ent = await server.fixtures.enterprise({
      industryCode: 'C39',
      regionCode: '210602',
      establishedOn: yearsAgo(3),
    });
    await server.sql("update enterprise set credit_grade = 'B', size = 'SMALL' where id = ?", [ent.id]);
    enterprise = await server.fixtures.principal(Role.ENTERPRISE, { enterprise: ent } as never);

    const none = await server.fixtures.enterprise({ establishedOn: yearsAgo(10) });
    await server.sql('update enterprise set credit_grade = null where id = ?', [none.id]);
    ungraded = await server.fixtures.principal(Role.ENTERPRISE, { enterprise: none } as never);

    // Three years old tomorrow: two whole years today.
    const baby = await server.fixtures.enterprise({ establishedOn: yearsAgo(3, 1) });
    await server.sql("update enterprise set credit_grade = 'A' where id = ?", [baby.id]);
    young = await server.fixtures.principal(Role.ENTERPRISE, { enterprise: baby } as never);

    const at = (minRate: string, more: ProductRow = {}) =>
      insertProduct(inst, { minRate, maxRate: '12.0000', type: 'GUARANTEE', ...more });
    // Eligible for the B-graded manufacturer in Dandong, small, three years old:
    p.cheapest = await at('3.2000', { name: '最低利率', minGrade: 'B', type: 'CREDIT', guaranteeFundEligible: true });
    p.open = await at('4.7000', { name: '无门槛' });
    p.section = await at('5.0000', { name: '制造业', industryCodes: ['C'] });
    p.province = await at('5.1000', { name: '辽宁省', regionCodes: ['210000'] });
    p.city = await at('5.2000', { name: '丹东市', regionCodes: ['210600'] });
    p.sizes = await at('5.3000', { name: '小微', sizes: ['MICRO', 'SMALL'] });
    p.threeYears = await at('5.4000', { name: '满三年', minYearsEstablished: 3 });
    p.gradeC = await at('5.5000', { name: 'C级及以上', minGrade: 'C' });
    p.dearest = await at('6.2000', { name: '最高利率' });
    // Not eligible:
    p.gradeA = await at('3.0000', { name: 'A级专享', minGrade: 'A' });
    p.services = await at('3.0000', { name: '服务业', industryCodes: ['I65', 'F'] });
    p.otherProvince = await at('3.0000', { name: '山东省', regionCodes: ['370000'] });
    p.otherDistrict = await at('3.0000', { name: '振兴区', regionCodes: ['210603'] });
    p.medium = await at('3.0000', { name: '中型', sizes: ['MEDIUM', 'LARGE'] });
    p.fourYears = await at('3.0000', { name: '满四年', minYearsEstablished: 4 });
    p.draft = await at('3.0000', { name: '草稿', status: 'DRAFT' });
    p.offline = await at('3.0000', { name: '已下线', status: 'OFFLINE' });
  });

  async function recommend(who: Viewer, first?: number) {
    const res = await server.gql(RECOMMEND, first === undefined ? {} : { first }, as(who));
    expect(res.body.errors).toBeUndefined();
    return res.body.data.recommendedProducts as {
      score: number;
      reasons: string[];
      product: { id: string; name: string; minRate: string; status: string; institution: { name: string } };
    }[];
  }

  test('only products the enterprise is eligible for, best first with lower rates first', async () => {
    const recs = await recommend(enterprise, 100);
    const eligible = ['cheapest', 'open', 'section', 'province', 'city', 'sizes', 'threeYears', 'gradeC', 'dearest'];
    expect(recs.map((r) => r.product.id).sort()).toEqual(eligible.map((k) => p[k]).sort());
    for (const r of recs) {
      expect(r.product.status).toBe('PUBLISHED');
      expect(r.product.institution.name).toBe('推荐测试银行');
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    const scores = recs.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The cheapest pure-credit product comes first; otherwise-equal products follow by rate.
    expect(recs[0].product.id).toBe(p.cheapest);
    const rest = recs.slice(1).map((r) => r.product.id);
    expect(rest).toEqual(
      ['open', 'section', 'province', 'city', 'sizes', 'threeYears', 'gradeC', 'dearest'].map((k) => p[k]),
    );
  });

  test('reasons are Chinese sentences that mention the rate', async () => {
    const recs = await recommend(enterprise, 100);
    for (const r of recs) {
      expect(r.reasons.length).toBeGreaterThan(0);
      for (const reason of r.reasons) expect(reason).toMatch(/[\u4e00-\u9fa5]/);
      const rate = Number(r.product.minRate).toFixed(2); // every rate here has at most two decimals
      expect(r.reasons.some((reason) => reason.includes(`${rate}%`) && reason.includes('利率'))).toBe(true);
    }
    const best = recs[0].reasons;
    expect(best.some((reason) => reason.includes('最低'))).toBe(true);
    expect(best.some((reason) => reason.includes('信用'))).toBe(true);
  });

  test('a rate with four decimals is quoted exactly in the reasons, not rounded', async () => {
    const bank = await server.fixtures.institution();
    const precise = await insertProduct(bank.id, { name: '精确利率', minRate: '3.1234', maxRate: '12.0000' });
    const half = await insertProduct(bank.id, { name: '半个基点', minRate: '5.1250', maxRate: '12.0000' });
    try {
      const recs = await recommend(enterprise, 100);
      const reasonsOf = (id: string) => recs.find((r) => r.product.id === id)!.reasons;
      expect(reasonsOf(precise)).toContain('年利率低至 3.1234%，为可申请产品中最低');
      expect(reasonsOf(half)).toContain('年利率 5.125% 起');
      expect(reasonsOf(p.open)).toContain('年利率 4.70% 起');
    } finally {
      await server.sql('delete from loan_product where id in (?, ?)', [precise, half]);
    }
  });

  test('`first` limits the list to the best ones', async () => {
    const all = await recommend(enterprise, 100);
    const two = await recommend(enterprise, 2);
    expect(two.map((r) => r.product.id)).toEqual(all.slice(0, 2).map((r) => r.product.id));
    expect(await recommend(enterprise)).toHaveLength(Math.min(10, all.length));
    expect(await recommend(enterprise, 1)).toHaveLength(1);
  });

  test('first: 0 or 101 is BAD_USER_INPUT', async () => {
    for (const first of [0, 101, -5]) {
      const res = await server.gql(RECOMMEND, { first }, as(enterprise));
      expect(res.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  test('an enterprise with no grade is not eligible where a minimum grade is set', async () => {
    const recs = await recommend(ungraded, 100);
    const got = recs.map((r) => r.product.id);
    for (const k of ['cheapest', 'gradeC', 'gradeA']) expect(got).not.toContain(p[k]);
    expect(got).toContain(p.open);
    expect(got).toContain(p.fourYears);
  });

  test('years established are whole years as of today', async () => {
    const got = (await recommend(young, 100)).map((r) => r.product.id);
    expect(got).not.toContain(p.threeYears);
    expect(got).not.toContain(p.fourYears);
    expect(got).toContain(p.gradeA);
    expect(got).toContain(p.open);
  });

  test('otherwise-equal products whose scores round alike still come lower rate first', async () => {
    const bank = await server.fixtures.institution();
    // The dearer one gets the smaller id, so an id tie-break alone would put it first.
    const dearer = await insertProduct(bank.id, {
      id: '00000000-0000-4000-8000-000000000001',
      name: '同款贵一点',
      minRate: '4.7001',
      maxRate: '12.0000',
      type: 'GUARANTEE',
    });
    const cheaper = await insertProduct(bank.id, {
      id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
      name: '同款便宜一点',
      minRate: '4.7000',
      maxRate: '12.0000',
      type: 'GUARANTEE',
    });
    try {
      const got = (await recommend(enterprise, 100)).map((r) => r.product.id);
      expect(got.indexOf(cheaper)).toBeLessThan(got.indexOf(dearer));
      expect(got.indexOf(p.open)).toBeLessThan(got.indexOf(dearer));
    } finally {
      await server.sql('delete from loan_product where id in (?, ?)', [dearer, cheaper]);
    }
  });

  test('only enterprises: banks, regulators and admins are FORBIDDEN, the anonymous UNAUTHENTICATED', async () => {
    for (const [who, code] of [
      [world.bank, 'FORBIDDEN'],
      [world.regulator, 'FORBIDDEN'],
      [world.admin, 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as [Viewer, string][]) {
      const res = await server.gql(RECOMMEND, { first: 5 }, as(who));
      expect(res.body.errors?.[0].extensions.code).toBe(code);
      expect(res.body.data).toBeNull();
    }
  });

  test('with nothing eligible the list is empty', async () => {
    await server.sql("update loan_product set status = 'OFFLINE' where institution_id = ?", [inst]);
    expect(await recommend(enterprise, 10)).toEqual([]);
  });
});
