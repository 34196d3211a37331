import { shanghaiDate } from '../../src/services/time';
import type { World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const MODEL_FIELDS =
  'id version status createdAt activatedAt indicators { code name category weight } gradeBands { grade minScore }';
const ACTIVE = `{ activeCreditModel { ${MODEL_FIELDS} } }`;
const MODELS = `{ creditModels { ${MODEL_FIELDS} } }`;
const CREATE = `mutation($input: CreateCreditModelInput!) {
  createCreditModel(input: $input) { model { ${MODEL_FIELDS} } userErrors { field message code } }
}`;
const ACTIVATE = `mutation($input: ActivateCreditModelInput!) {
  activateCreditModel(input: $input) { model { id version status activatedAt } reevaluated userErrors { field message code } }
}`;
const IMPORT = `mutation($input: ImportCreditRecordsInput!) {
  importCreditRecords(input: $input) { inserted rejected reevaluated userErrors { field code } }
}`;
const REPORT = `query($id: ID!) {
  enterprise(id: $id) {
    creditGrade
    creditReport { id score grade modelVersion reasonCodes indicators { code category points maxPoints reasonCode } }
  }
}`;

const TAX_CODES = ['VAT_PAID', 'VAT_TREND', 'TAX_ARREARS', 'TAX_CREDIT_LEVEL'];
const regulator = () => ({ token: world.regulator.token });

interface Model {
  id: string;
  version: string;
  status: string;
  activatedAt: string | null;
  indicators: { code: string; name: string; category: string; weight: number }[];
  gradeBands: { grade: string; minScore: number }[];
}

function daysAgo(days: number): string {
  return shanghaiDate(new Date(server.clock.now().getTime() - days * 86_400_000));
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql(`select count(*)::int as n from ${table} where ${where}`, params);
  return row.n;
}

async function create(input: Record<string, unknown>) {
  const res = await server.gql(CREATE, { input }, regulator());
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createCreditModel as {
    model: Model | null;
    userErrors: { field: string[]; message: string; code: string }[];
  };
}

async function activate(id: string) {
  const res = await server.gql(ACTIVATE, { input: { id } }, regulator());
  expect(res.body.errors).toBeUndefined();
  return res.body.data.activateCreditModel as {
    model: { id: string; version: string; status: string; activatedAt: string | null } | null;
    reevaluated: number;
    userErrors: { field: string[]; message: string; code: string }[];
  };
}

async function report(id: string) {
  const res = await server.gql(REPORT, { id }, regulator());
  return res.body.data.enterprise as {
    creditGrade: string;
    creditReport: {
      id: string;
      score: number;
      grade: string;
      modelVersion: string;
      reasonCodes: string[];
      indicators: { code: string; category: string; points: number; maxPoints: number; reasonCode: string | null }[];
    };
  };
}

const weightOf = (model: Model, code: string) => model.indicators.find((i) => i.code === code)!.weight;

describe('reading the model', () => {
  test('activeCreditModel is v1 for every signed-in role: 20 weighted indicators and the default bands', async () => {
    for (const token of [world.enterprise.token, world.bank.token, world.regulator.token, world.admin.token]) {
      const res = await server.gql(ACTIVE, {}, { token });
      const model: Model = res.body.data.activeCreditModel;
      expect(model).toMatchObject({ version: 'v1', status: 'ACTIVE' });
      expect(model.activatedAt).toMatch(/\+08:00$/);
      expect(model.indicators).toHaveLength(20);
      expect(model.indicators.reduce((s, i) => s + i.weight, 0)).toBe(100);
      expect(model.indicators[0]).toEqual({
        code: 'YEARS_ESTABLISHED',
        name: '成立年限',
        category: 'basic',
        weight: 5,
      });
      expect(weightOf(model, 'DISHONEST_DEBTOR')).toBe(8);
      expect(model.gradeBands).toEqual([
        { grade: 'A', minScore: 750 },
        { grade: 'B', minScore: 600 },
        { grade: 'C', minScore: 450 },
        { grade: 'D', minScore: 0 },
      ]);
    }
  });

  test('anonymous viewers may not read the model', async () => {
    const res = await server.gql(ACTIVE);
    expect(res.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('creditModels is for regulators only', async () => {
    const res = await server.gql(MODELS, {}, regulator());
    expect(res.body.data.creditModels.map((m: Model) => m.version)).toContain('v1');
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      const refused = await server.gql(MODELS, {}, { token });
      expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await server.gql(MODELS)).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('createCreditModel', () => {
  test('copies the active model as a DRAFT, changing only the listed weights', async () => {
    const { model, userErrors } = await create({
      version: 'crisis-draft',
      weights: TAX_CODES.map((code) => ({ code, weight: 0 })),
    });
    expect(userErrors).toEqual([]);
    expect(model).toMatchObject({ version: 'crisis-draft', status: 'DRAFT', activatedAt: null });
    for (const code of TAX_CODES) expect(weightOf(model!, code)).toBe(0);
    expect(weightOf(model!, 'YEARS_ESTABLISHED')).toBe(5);
    expect(weightOf(model!, 'DISHONEST_DEBTOR')).toBe(8);
    expect(model!.indicators.reduce((s, i) => s + i.weight, 0)).toBe(74);
    expect(model!.gradeBands.map((b) => b.minScore)).toEqual([750, 600, 450, 0]);
    // A draft changes nothing: v1 is still the active model, and the list shows both.
    const active = await server.gql(ACTIVE, {}, regulator());
    expect(active.body.data.activeCreditModel.version).toBe('v1');
    const list = await server.gql(MODELS, {}, regulator());
    expect(list.body.data.creditModels.map((m: Model) => m.version)).toEqual(
      expect.arrayContaining(['v1', 'crisis-draft']),
    );
    expect(await count('audit_event', "action = 'createCreditModel' and target_id = ?", [model!.id])).toBe(1);
  });

  test('grade bands given replace the bands (any order in, descending out)', async () => {
    const { model, userErrors } = await create({
      version: 'strict-bands',
      gradeBands: [
        { grade: 'D', minScore: 0 },
        { grade: 'B', minScore: 700 },
        { grade: 'A', minScore: 850 },
        { grade: 'C', minScore: 500 },
      ],
    });
    expect(userErrors).toEqual([]);
    expect(model!.gradeBands).toEqual([
      { grade: 'A', minScore: 850 },
      { grade: 'B', minScore: 700 },
      { grade: 'C', minScore: 500 },
      { grade: 'D', minScore: 0 },
    ]);
    expect(model!.indicators.reduce((s, i) => s + i.weight, 0)).toBe(100);
  });

  test('a negative weight and an unknown code are INVALID at their place in the weights list', async () => {
    const before = await count('credit_model');
    const { model, userErrors } = await create({
      version: 'bad-weights',
      weights: [
        { code: 'PATENTS', weight: 3 },
        { code: 'VAT_PAID', weight: -1 },
        { code: 'SHOE_SIZE', weight: 2 },
      ],
    });
    expect(model).toBeNull();
    expect(userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'weights', '1', 'weight'], 'INVALID'],
      [['input', 'weights', '2', 'code'], 'INVALID'],
    ]);
    expect(userErrors[1].message).toContain('SHOE_SIZE');
    expect(await count('credit_model')).toBe(before);
  });

  test('all weights 0 is INVALID', async () => {
    const all = (await server.gql(ACTIVE, {}, regulator())).body.data.activeCreditModel as Model;
    const { model, userErrors } = await create({
      version: 'all-zero',
      weights: all.indicators.map((i) => ({ code: i.code, weight: 0 })),
    });
    expect(model).toBeNull();
    expect(userErrors).toEqual([expect.objectContaining({ field: ['input', 'weights'], code: 'INVALID' })]);
  });

  test('bands must descend strictly with D at 0', async () => {
    const notDescending = await create({
      version: 'flat-bands',
      gradeBands: [
        { grade: 'A', minScore: 700 },
        { grade: 'B', minScore: 700 },
        { grade: 'C', minScore: 450 },
        { grade: 'D', minScore: 0 },
      ],
    });
    expect(notDescending.model).toBeNull();
    expect(notDescending.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'gradeBands'], code: 'INVALID' }),
    ]);
    const dNotZero = await create({
      version: 'd-at-100',
      gradeBands: [
        { grade: 'A', minScore: 750 },
        { grade: 'B', minScore: 600 },
        { grade: 'C', minScore: 450 },
        { grade: 'D', minScore: 100 },
      ],
    });
    expect(dNotZero.model).toBeNull();
    expect(dNotZero.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'gradeBands', '3', 'minScore'], code: 'INVALID' }),
    ]);
    const missingGrade = await create({
      version: 'three-bands',
      gradeBands: [
        { grade: 'A', minScore: 750 },
        { grade: 'B', minScore: 600 },
        { grade: 'D', minScore: 0 },
      ],
    });
    expect(missingGrade.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'gradeBands'], code: 'INVALID' }),
    ]);
  });

  test('a version already used is ALREADY_EXISTS, also when two regulators create it at once', async () => {
    const dup = await create({ version: 'v1', weights: [{ code: 'PATENTS', weight: 5 }] });
    expect(dup).toEqual({
      model: null,
      userErrors: [expect.objectContaining({ field: ['input', 'version'], code: 'ALREADY_EXISTS' })],
    });
    const results = await Promise.all(
      [world.regulator.token, world.regulatorB.token].map((token) =>
        server.gql(CREATE, { input: { version: 'race-version' } }, { token }),
      ),
    );
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const payloads = results.map((r) => r.body.data.createCreditModel);
    expect(payloads.filter((p) => p.model !== null)).toHaveLength(1);
    expect(payloads.filter((p) => p.model === null)[0].userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'version'], code: 'ALREADY_EXISTS' }),
    ]);
    expect(await count('credit_model', "version = 'race-version'")).toBe(1);
  });

  test('only regulators create models', async () => {
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(CREATE, { input: { version: 'sneaky' } }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(await count('credit_model', "version = 'sneaky'")).toBe(0);
  });
});

describe('activateCreditModel', () => {
  let taxStrong: string;
  let taxWeak: string;
  beforeAll(async () => {
    // Strong tax data, weak elsewhere: two years old, nothing from social security or housing fund.
    const strong = await server.fixtures.enterprise({ establishedOn: daysAgo(800) });
    // Tax arrears and a D tax credit level, clean otherwise.
    const weak = await server.fixtures.enterprise({ establishedOn: daysAgo(800) });
    taxStrong = strong.id;
    taxWeak = weak.id;
    const records = [
      { uscc: strong.uscc, kind: 'VAT_PAID', amount: '3000000.00', occurredOn: daysAgo(30) },
      { uscc: strong.uscc, kind: 'VAT_PAID', amount: '2000000.00', occurredOn: daysAgo(250) },
      { uscc: strong.uscc, kind: 'TAX_CREDIT_LEVEL', description: 'A', occurredOn: daysAgo(60) },
      { uscc: weak.uscc, kind: 'TAX_ARREARS', amount: '150000.00', occurredOn: daysAgo(30) },
      { uscc: weak.uscc, kind: 'TAX_CREDIT_LEVEL', description: 'D', occurredOn: daysAgo(60) },
    ].map((r, i) => ({ source: 'TAX', externalId: `model-${i}`, ...r }));
    const res = await server.gql(IMPORT, { input: { records } }, regulator());
    expect(res.body.data.importCreditRecords).toMatchObject({ inserted: 5, rejected: 0, reevaluated: 2 });
  });

  test('v1 scores the enterprises as the documented scorecard says', async () => {
    const strong = await report(taxStrong);
    // basic 25 + 24 + 40, tax 260, social security 75 and housing fund 35 and utilities 20 missing
    // (neutral 0.5), compliance 70, judicial 140, loan history 110, patents 8, no commitment 0.
    expect(strong.creditReport).toMatchObject({ score: 807, grade: 'A', modelVersion: 'v1' });
    const weak = await report(taxWeak);
    // Tax: VAT_PAID 0.2 (16), VAT_TREND 0.5 (25), TAX_ARREARS 0 (0), TAX_CREDIT_LEVEL 0 (0) = 41 of 260.
    expect(weak.creditReport).toMatchObject({ score: 588, grade: 'C', modelVersion: 'v1' });
  });

  test('activating a draft retires v1 and re-evaluates every enterprise under the new weights', async () => {
    const { model: draft } = await create({
      version: 'crisis-2026',
      weights: TAX_CODES.map((code) => ({ code, weight: 0 })),
    });
    const enterprises = await count('enterprise');
    const reportsBefore = await count('credit_report');
    const result = await activate(draft!.id);
    expect(result.userErrors).toEqual([]);
    expect(result.model).toMatchObject({ id: draft!.id, version: 'crisis-2026', status: 'ACTIVE' });
    expect(result.model!.activatedAt).toMatch(/\+08:00$/);
    expect(result.reevaluated).toBe(enterprises);
    expect(await count('credit_report')).toBe(reportsBefore + enterprises);
    expect(await count('credit_report', "model_version = 'crisis-2026'")).toBe(enterprises);

    const active = (await server.gql(ACTIVE, {}, { token: world.enterprise.token })).body.data.activeCreditModel;
    expect(active.version).toBe('crisis-2026');
    const [v1] = await server.sql("select status from credit_model where version = 'v1'");
    expect(v1.status).toBe('RETIRED');
    expect(await count('credit_model', "status = 'ACTIVE'")).toBe(1);

    // Strong tax data no longer helps: 547 non-tax points of 740 now count out of 1000 × 74 / 100.
    const strong = await report(taxStrong);
    expect(strong.creditReport).toMatchObject({ score: 739, grade: 'B', modelVersion: 'crisis-2026' });
    expect(strong.creditGrade).toBe('B');
    // Tax trouble no longer costs anything: (588 − 41) × 100 / 74.
    const weak = await report(taxWeak);
    expect(weak.creditReport).toMatchObject({ score: 739, grade: 'B', modelVersion: 'crisis-2026' });
    expect(weak.creditReport.reasonCodes).not.toContain('TAX_ARREARS');
    const years = weak.creditReport.indicators.find((i) => i.code === 'YEARS_ESTABLISHED')!;
    expect(years.maxPoints).toBe(67.57);
    for (const i of weak.creditReport.indicators.filter((x) => TAX_CODES.includes(x.code))) {
      expect(i).toMatchObject({ points: 0, maxPoints: 0, reasonCode: null });
    }
    const sum = weak.creditReport.indicators.reduce((s, i) => s + i.points, 0);
    expect(Math.abs(sum - weak.creditReport.score)).toBeLessThanOrEqual(1);
    expect(await count('audit_event', "action = 'activateCreditModel' and target_id = ?", [draft!.id])).toBe(1);
  });

  test('activating the ACTIVE model is INVALID_STATE; an unknown id NOT_FOUND; a retired one may return', async () => {
    const active = (await server.gql(ACTIVE, {}, regulator())).body.data.activeCreditModel as Model;
    const again = await activate(active.id);
    expect(again).toMatchObject({ model: null, reevaluated: 0 });
    expect(again.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })]);
    const unknown = await activate('00000000-0000-4000-8000-000000000000');
    expect(unknown.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);

    const [v1] = await server.sql("select id from credit_model where version = 'v1'");
    const back = await activate(v1.id);
    expect(back.userErrors).toEqual([]);
    expect(back.model).toMatchObject({ version: 'v1', status: 'ACTIVE' });
    expect((await report(taxStrong)).creditReport).toMatchObject({ score: 807, grade: 'A', modelVersion: 'v1' });
    const [previous] = await server.sql('select status from credit_model where id = ?', [active.id]);
    expect(previous.status).toBe('RETIRED');
  });

  test('only regulators activate', async () => {
    const { model } = await create({ version: 'not-for-banks' });
    for (const token of [world.enterprise.token, world.bank.token, world.admin.token]) {
      const res = await server.gql(ACTIVATE, { input: { id: model!.id } }, { token });
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const [row] = await server.sql('select status from credit_model where id = ?', [model!.id]);
    expect(row.status).toBe('DRAFT');
  });

  test('two drafts activated at the same time: exactly one model is ACTIVE afterwards', async () => {
    for (let round = 0; round < 3; round += 1) {
      const first = await create({ version: `race-a-${round}`, weights: [{ code: 'PATENTS', weight: 4 }] });
      const second = await create({ version: `race-b-${round}`, weights: [{ code: 'PATENTS', weight: 6 }] });
      const results = await Promise.all(
        [first.model!.id, second.model!.id].map((id, i) =>
          server.gql(ACTIVATE, { input: { id } }, { token: [world.regulator, world.regulatorB][i].token }),
        ),
      );
      for (const res of results) expect(res.body.errors).toBeUndefined();
      const payloads = results.map((r) => r.body.data.activateCreditModel);
      expect(payloads.some((p) => p.model?.status === 'ACTIVE')).toBe(true);
      for (const p of payloads.filter((x) => x.model === null)) {
        expect(['CONFLICT', 'INVALID_STATE']).toContain(p.userErrors[0].code);
      }
      expect(await count('credit_model', "status = 'ACTIVE'")).toBe(1);
      const [active] = await server.sql("select version from credit_model where status = 'ACTIVE'");
      // The active model is the one every enterprise's latest report was made with.
      expect(
        await count('enterprise e join credit_report r on r.id = e.latest_report_id', 'r.model_version <> ?', [
          active.version,
        ]),
      ).toBe(0);
    }
  });
});
