import { CreditGrade, EnterpriseSize } from '../../src/entities/enums';
import type { CreditFeatures } from '../../src/services/credit/features';
import {
  DATA_MISSING,
  INDICATORS,
  INDICATOR_CODES,
  NEUTRAL_SUB_SCORE,
  indicatorByCode,
  wholeYearsBetween,
} from '../../src/services/credit/indicators';
import {
  DEFAULT_GRADE_BANDS,
  defaultWeights,
  evaluate,
  gradeFor,
  modelProblems,
  type GradeBand,
  type ModelSpec,
} from '../../src/services/credit/scorecard';

// Every expectation below is worked out by hand from docs/credit-model.md. Under the default
// weights (which sum to 100) an indicator's maxPoints is its weight × 10.

/** A model enterprise that earns full marks on every indicator; tests vary one field at a time. */
function baseFeatures(overrides: Partial<CreditFeatures> = {}): CreditFeatures {
  return {
    enterpriseId: '00000000-0000-4000-8000-000000000001',
    asOf: '2026-06-30',
    establishedOn: '2010-03-15',
    registeredCapital: '20000000.00',
    size: EnterpriseSize.MEDIUM,
    licensesRevoked24m: 0,
    hasTaxRecords: true,
    vatPaid12m: '3000000.00',
    vatPaidRecent6m: '1600000.00',
    vatPaidPrior6m: '1400000.00',
    taxArrears12m: '0',
    taxCreditLevel: 'A',
    hasSocialSecurityRecords: true,
    insuredEmployeesLatest: 120,
    insuredEmployees12mAgo: 100,
    socialSecurityArrears12m: '0',
    hasHousingFundRecords: true,
    housingFundMonths12m: 12,
    housingFundArrears12m: '0',
    utilityOnTime12m: 12,
    utilityLate12m: 0,
    penalties24m: 0,
    penaltyAmount24m: '0',
    judgments24m: 0,
    dishonestDebtor: false,
    loanOverdues24m: 0,
    loanDefaults60m: 0,
    patents: 12,
    signedCommitment: true,
    latestRecordAt: new Date('2026-06-29T08:00:00+08:00'),
    ...overrides,
  };
}

const DEFAULT_MODEL: ModelSpec = {
  version: 'test-default',
  weights: defaultWeights(),
  gradeBands: DEFAULT_GRADE_BANDS,
};

function outcome(code: string, overrides: Partial<CreditFeatures> = {}) {
  const indicator = indicatorByCode(code);
  if (!indicator) throw new Error(`no indicator ${code}`);
  return indicator.evaluate(baseFeatures(overrides));
}

function subScore(code: string, overrides: Partial<CreditFeatures>): number {
  return outcome(code, overrides).subScore;
}

function result(evaluation: ReturnType<typeof evaluate>, code: string) {
  const found = evaluation.indicators.find((indicator) => indicator.code === code);
  if (!found) throw new Error(`no result for ${code}`);
  return found;
}

describe('indicator catalogue', () => {
  it('has unique codes, the ten categories and default weights summing to 100', () => {
    expect(new Set(INDICATOR_CODES).size).toBe(INDICATORS.length);
    expect(INDICATORS.length).toBe(20);
    expect(new Set(INDICATORS.map((i) => i.category))).toEqual(
      new Set([
        'basic',
        'tax',
        'social_security',
        'housing_fund',
        'utilities',
        'compliance',
        'judicial',
        'loan_history',
        'innovation',
        'commitments',
      ]),
    );
    expect(INDICATORS.reduce((sum, i) => sum + i.defaultWeight, 0)).toBe(100);
  });

  it('weighs tax, then social security and judicial/compliance, most', () => {
    const byCategory = (category: string) =>
      INDICATORS.filter((i) => i.category === category).reduce((sum, i) => sum + i.defaultWeight, 0);
    expect(byCategory('tax')).toBe(26);
    expect(byCategory('social_security')).toBe(15);
    expect(byCategory('judicial') + byCategory('compliance')).toBe(21);
    expect(byCategory('basic')).toBe(12);
  });

  it('scores the base enterprise 1 everywhere, with nothing missing', () => {
    for (const indicator of INDICATORS) {
      expect([indicator.code, indicator.evaluate(baseFeatures())]).toEqual([
        indicator.code,
        expect.objectContaining({ subScore: 1, missing: false }),
      ]);
    }
  });
});

describe('wholeYearsBetween', () => {
  it.each([
    ['2020-07-01', '2026-06-30', 5],
    ['2020-06-30', '2026-06-30', 6],
    ['2026-01-01', '2026-06-30', 0],
    ['2024-02-29', '2025-02-28', 0],
    ['2024-02-29', '2025-03-01', 1],
    ['2027-01-01', '2026-06-30', -1],
  ])('%s → %s is %i whole years', (from, to, years) => {
    expect(wholeYearsBetween(from, to)).toBe(years);
  });

  it('returns null for a date that does not parse', () => {
    expect(wholeYearsBetween('unknown', '2026-06-30')).toBeNull();
  });
});

describe('indicator bins at their boundaries', () => {
  it.each([
    ['2026-06-30', 0.2, '0 年'], // 0 years
    ['2025-07-01', 0.2, '0 年'], // one day short of 1
    ['2025-06-30', 0.5, '1 年'],
    ['2023-07-01', 0.5, '2 年'],
    ['2023-06-30', 0.7, '3 年'],
    ['2021-06-30', 0.9, '5 年'],
    ['2016-07-01', 0.9, '9 年'],
    ['2016-06-30', 1, '10 年'],
    ['2027-01-01', 0.2, '0 年'], // established after asOf: data error, counts as 0
  ])('YEARS_ESTABLISHED: established %s → %s (%s)', (establishedOn, expected, value) => {
    expect(outcome('YEARS_ESTABLISHED', { establishedOn })).toEqual({ value, subScore: expected, missing: false });
  });

  it.each([
    ['0', 0.3],
    ['999999.99', 0.3],
    ['1000000', 0.6],
    ['4999999.99', 0.6],
    ['5000000.00', 0.8],
    ['9999999.99', 0.8],
    ['10000000', 1],
  ])('REGISTERED_CAPITAL: %s 元 → %s', (registeredCapital, expected) => {
    expect(subScore('REGISTERED_CAPITAL', { registeredCapital })).toBe(expected);
  });

  it('REGISTERED_CAPITAL shows the amount with thousands separators', () => {
    expect(outcome('REGISTERED_CAPITAL', { registeredCapital: '1234567.5' }).value).toBe('1,234,567.50 元');
  });

  it.each([
    [0, 1],
    [1, 0.3],
    [2, 0],
    [5, 0],
  ])('LICENSE_STATUS: %i revoked → %s', (licensesRevoked24m, expected) => {
    expect(subScore('LICENSE_STATUS', { licensesRevoked24m })).toBe(expected);
  });

  it.each([
    ['0', 0.2],
    ['9999.99', 0.2],
    ['10000', 0.4],
    ['99999.99', 0.4],
    ['100000', 0.6],
    ['499999.99', 0.6],
    ['500000', 0.8],
    ['1999999.99', 0.8],
    ['2000000', 1],
  ])('VAT_PAID: %s 元 → %s', (vatPaid12m, expected) => {
    expect(subScore('VAT_PAID', { vatPaid12m })).toBe(expected);
  });

  it.each([
    // recent, prior, sub-score: ratio = recent ÷ prior
    ['100', '100', 1], // flat counts as holding up
    ['99.99', '100', 0.8],
    ['90', '100', 0.8],
    ['89.99', '100', 0.5],
    ['70', '100', 0.5],
    ['69.99', '100', 0.3],
    ['50', '100', 0.3],
    ['49.99', '100', 0.1],
    ['0', '100', 0.1],
    ['100', '0', 1], // nothing before, something now: growth
    ['0', '0', 0.5], // nothing either half: no growth, but not missing
  ])('VAT_TREND: recent %s / prior %s → %s', (vatPaidRecent6m, vatPaidPrior6m, expected) => {
    expect(outcome('VAT_TREND', { vatPaidRecent6m, vatPaidPrior6m })).toEqual(
      expect.objectContaining({ subScore: expected, missing: false }),
    );
  });

  it('VAT_TREND shows both halves and the ratio', () => {
    expect(outcome('VAT_TREND', { vatPaidRecent6m: '900', vatPaidPrior6m: '1000' }).value).toBe(
      '近 6 月 900.00 元 / 前 6 月 1,000.00 元（0.90）',
    );
  });

  it.each([
    ['TAX_ARREARS', 'taxArrears12m'],
    ['SOCIAL_SECURITY_ARREARS', 'socialSecurityArrears12m'],
    ['HOUSING_FUND_ARREARS', 'housingFundArrears12m'],
  ])('%s: 0 → 1, < 10,000 → 0.5, < 100,000 → 0.2, else 0', (code, field) => {
    const at = (amount: string) => subScore(code, { [field]: amount });
    expect([at('0'), at('0.01'), at('9999.99'), at('10000'), at('99999.99'), at('100000'), at('5000000')]).toEqual([
      1, 0.5, 0.5, 0.2, 0.2, 0, 0,
    ]);
  });

  it.each([
    ['A', 1],
    ['B', 0.8],
    ['M', 0.6],
    ['C', 0.3],
    ['D', 0],
    [' b ', 0.8],
  ])('TAX_CREDIT_LEVEL: %s → %s', (taxCreditLevel, expected) => {
    expect(outcome('TAX_CREDIT_LEVEL', { taxCreditLevel })).toEqual(
      expect.objectContaining({ subScore: expected, missing: false }),
    );
  });

  it.each([
    [0, 0.1],
    [1, 0.3],
    [4, 0.3],
    [5, 0.6],
    [19, 0.6],
    [20, 0.8],
    [99, 0.8],
    [100, 1],
  ])('INSURED_EMPLOYEES: %i insured → %s', (insuredEmployeesLatest, expected) => {
    expect(subScore('INSURED_EMPLOYEES', { insuredEmployeesLatest })).toBe(expected);
  });

  it.each([
    [100, 100, 1],
    [99, 100, 0.8],
    [90, 100, 0.8],
    [89, 100, 0.5],
    [70, 100, 0.5],
    [69, 100, 0.3],
    [50, 100, 0.3],
    [49, 100, 0.1],
    [5, 0, 1],
    [0, 0, 0.5],
  ])('INSURED_TREND: %i now vs %i a year ago → %s', (insuredEmployeesLatest, insuredEmployees12mAgo, expected) => {
    expect(outcome('INSURED_TREND', { insuredEmployeesLatest, insuredEmployees12mAgo })).toEqual(
      expect.objectContaining({ subScore: expected, missing: false }),
    );
  });

  it.each([
    [12, 1],
    [11, 0.7],
    [9, 0.7],
    [8, 0.4],
    [6, 0.4],
    [5, 0.2],
    [1, 0.2],
    [0, 0],
  ])('HOUSING_FUND_CONTINUITY: %i months → %s', (housingFundMonths12m, expected) => {
    expect(subScore('HOUSING_FUND_CONTINUITY', { housingFundMonths12m })).toBe(expected);
  });

  it.each([
    [12, 0, 1],
    [19, 1, 0.8], // 95%
    [9, 1, 0.8], // exactly 90%
    [17, 2, 0.5], // 89.5%
    [3, 1, 0.5], // exactly 75%
    [2, 1, 0.2], // 66.7%
    [1, 1, 0.2], // exactly 50%
    [1, 2, 0], // 33.3%
    [0, 5, 0],
  ])('UTILITY_ON_TIME: %i on time, %i late → %s', (utilityOnTime12m, utilityLate12m, expected) => {
    expect(subScore('UTILITY_ON_TIME', { utilityOnTime12m, utilityLate12m })).toBe(expected);
  });

  it('UTILITY_ON_TIME shows the count and share', () => {
    expect(outcome('UTILITY_ON_TIME', { utilityOnTime12m: 2, utilityLate12m: 1 }).value).toBe('2/3 按时（66.7%）');
  });

  it.each([
    [0, '0', 1],
    [1, '0', 0.6], // a warning without a fine
    [1, '9999.99', 0.6],
    [1, '10000', 0.3],
    [2, '0', 0.3],
    [2, '99999.99', 0.3],
    [2, '100000', 0],
    [1, '100000', 0],
    [3, '0', 0],
  ])('ADMIN_PENALTIES: %i penalties, fines %s → %s', (penalties24m, penaltyAmount24m, expected) => {
    expect(subScore('ADMIN_PENALTIES', { penalties24m, penaltyAmount24m })).toBe(expected);
  });

  it.each([
    [0, 1],
    [1, 0.5],
    [2, 0.2],
    [3, 0],
  ])('COURT_JUDGMENTS: %i → %s', (judgments24m, expected) => {
    expect(subScore('COURT_JUDGMENTS', { judgments24m })).toBe(expected);
  });

  it('DISHONEST_DEBTOR: listed → 0, not listed → 1', () => {
    expect(outcome('DISHONEST_DEBTOR', { dishonestDebtor: true })).toEqual({
      value: '是',
      subScore: 0,
      missing: false,
    });
    expect(subScore('DISHONEST_DEBTOR', { dishonestDebtor: false })).toBe(1);
  });

  it.each([
    [0, 1],
    [1, 0.6],
    [2, 0.3],
    [3, 0],
  ])('LOAN_OVERDUE: %i → %s', (loanOverdues24m, expected) => {
    expect(subScore('LOAN_OVERDUE', { loanOverdues24m })).toBe(expected);
  });

  it.each([
    [0, 1],
    [1, 0],
    [4, 0],
  ])('LOAN_DEFAULT: %i → %s', (loanDefaults60m, expected) => {
    expect(subScore('LOAN_DEFAULT', { loanDefaults60m })).toBe(expected);
  });

  it.each([
    [0, 0.4],
    [1, 0.7],
    [2, 0.7],
    [3, 0.9],
    [9, 0.9],
    [10, 1],
  ])('PATENTS: %i → %s', (patents, expected) => {
    expect(subScore('PATENTS', { patents })).toBe(expected);
  });

  it('CREDIT_COMMITMENT: signed → 1, not signed → 0', () => {
    expect(subScore('CREDIT_COMMITMENT', { signedCommitment: true })).toBe(1);
    expect(outcome('CREDIT_COMMITMENT', { signedCommitment: false })).toEqual({
      value: '未签署',
      subScore: 0,
      missing: false,
    });
  });
});

describe('missing data', () => {
  const missing = { value: null, subScore: NEUTRAL_SUB_SCORE, missing: true };

  it('is the neutral 0.5', () => {
    expect(NEUTRAL_SUB_SCORE).toBe(0.5);
  });

  it.each<[string, Partial<CreditFeatures>]>([
    ['REGISTERED_CAPITAL', { registeredCapital: null }],
    ['REGISTERED_CAPITAL', { registeredCapital: 'not a number' }],
    ['YEARS_ESTABLISHED', { establishedOn: '' }],
    ['VAT_PAID', { vatPaid12m: null }],
    ['VAT_PAID', { hasTaxRecords: false }],
    ['VAT_TREND', { vatPaidPrior6m: null }],
    ['VAT_TREND', { hasTaxRecords: false }],
    ['TAX_ARREARS', { taxArrears12m: null }],
    ['TAX_ARREARS', { hasTaxRecords: false }],
    ['TAX_CREDIT_LEVEL', { taxCreditLevel: null }],
    ['TAX_CREDIT_LEVEL', { taxCreditLevel: 'AAA' }],
    ['TAX_CREDIT_LEVEL', { hasTaxRecords: false }],
    ['INSURED_EMPLOYEES', { insuredEmployeesLatest: null }],
    ['INSURED_EMPLOYEES', { hasSocialSecurityRecords: false }],
    ['INSURED_TREND', { insuredEmployees12mAgo: null }],
    ['INSURED_TREND', { hasSocialSecurityRecords: false }],
    ['SOCIAL_SECURITY_ARREARS', { socialSecurityArrears12m: null }],
    ['HOUSING_FUND_CONTINUITY', { hasHousingFundRecords: false }],
    ['HOUSING_FUND_ARREARS', { hasHousingFundRecords: false }],
    ['UTILITY_ON_TIME', { utilityOnTime12m: 0, utilityLate12m: 0 }],
  ])('%s with %j → 0.5, missing', (code, overrides) => {
    expect(outcome(code, overrides)).toEqual(missing);
  });

  it('is not the absence of adverse events, which scores 1', () => {
    const clean = { penalties24m: 0, judgments24m: 0, loanOverdues24m: 0, loanDefaults60m: 0, licensesRevoked24m: 0 };
    for (const code of ['ADMIN_PENALTIES', 'COURT_JUDGMENTS', 'LOAN_OVERDUE', 'LOAN_DEFAULT', 'LICENSE_STATUS']) {
      expect([code, outcome(code, clean)]).toEqual([code, expect.objectContaining({ subScore: 1, missing: false })]);
    }
  });

  it('reports DATA_MISSING with half the points', () => {
    const evaluation = evaluate(baseFeatures({ hasTaxRecords: false }), DEFAULT_MODEL);
    expect(result(evaluation, 'TAX_CREDIT_LEVEL')).toEqual({
      code: 'TAX_CREDIT_LEVEL',
      name: '纳税信用等级',
      category: 'tax',
      value: null,
      points: 35,
      maxPoints: 70,
      reasonCode: DATA_MISSING,
    });
    // The tax weights are 8+5+6+7 = 26 → 260 points, half lost: 1000 − 130.
    expect(evaluation.score).toBe(870);
    // DATA_MISSING appears once, although four indicators lack data.
    expect(evaluation.reasonCodes).toEqual([DATA_MISSING]);
  });
});

describe('evaluate', () => {
  it('gives the perfect enterprise 1000, grade A and no reasons', () => {
    const evaluation = evaluate(baseFeatures(), DEFAULT_MODEL);
    expect(evaluation.score).toBe(1000);
    expect(evaluation.grade).toBe(CreditGrade.A);
    expect(evaluation.reasonCodes).toEqual([]);
    expect(evaluation.indicators.map((i) => i.code)).toEqual(INDICATOR_CODES);
    for (const indicator of evaluation.indicators) {
      expect(indicator.reasonCode).toBeNull();
      expect(indicator.points).toBe(indicator.maxPoints);
      expect(indicator.maxPoints).toBe(indicatorByCode(indicator.code)!.defaultWeight * 10);
    }
  });

  // Shortfalls (maxPoints × (1 − sub-score)) under the default weights:
  //   DISHONEST_DEBTOR        80 × 1         = 80  DISHONEST_DEBTOR
  //   TAX_ARREARS 50,000      60 × (1 − 0.2) = 48  TAX_ARREARS
  //   ADMIN_PENALTIES 1×5,000 70 × (1 − 0.6) = 28  ADMIN_PENALTY
  //   HOUSING_FUND_CONTINUITY 40 × 0.5       = 20  DATA_MISSING (no housing fund records)
  //   CREDIT_COMMITMENT       20 × 1         = 20  NO_COMMITMENT (tie: later in the catalogue)
  //   YEARS_ESTABLISHED 3 y   50 × (1 − 0.7) = 15  SHORT_HISTORY
  //   HOUSING_FUND_ARREARS    30 × 0.5       = 15  DATA_MISSING (already listed)
  //   TAX_CREDIT_LEVEL B      70 × (1 − 0.8) = 14  LOW_TAX_CREDIT_LEVEL (6th: cut)
  //   PATENTS 0               20 × (1 − 0.4) = 12  FEW_PATENTS (7th: cut)
  // Σ = 252 → score 748, one below A: grade B.
  const mixed = () =>
    baseFeatures({
      dishonestDebtor: true,
      taxArrears12m: '50000.00',
      penalties24m: 1,
      penaltyAmount24m: '5000',
      hasHousingFundRecords: false,
      housingFundMonths12m: 0,
      housingFundArrears12m: null,
      signedCommitment: false,
      establishedOn: '2023-06-30',
      taxCreditLevel: 'B',
      patents: 0,
    });

  it('scores a mixed enterprise as worked out by hand', () => {
    const evaluation = evaluate(mixed(), DEFAULT_MODEL);
    expect(evaluation.score).toBe(748);
    expect(evaluation.grade).toBe(CreditGrade.B);
    expect(evaluation.reasonCodes).toEqual([
      'DISHONEST_DEBTOR',
      'TAX_ARREARS',
      'ADMIN_PENALTY',
      DATA_MISSING,
      'NO_COMMITMENT',
    ]);
    expect(result(evaluation, 'TAX_ARREARS')).toEqual(
      expect.objectContaining({ value: '50,000.00 元', points: 12, maxPoints: 60, reasonCode: 'TAX_ARREARS' }),
    );
    expect(result(evaluation, 'ADMIN_PENALTIES')).toEqual(
      expect.objectContaining({ value: '1 次，罚款 5,000.00 元', points: 42, maxPoints: 70 }),
    );
    expect(result(evaluation, 'YEARS_ESTABLISHED')).toEqual(
      expect.objectContaining({ value: '3 年', points: 35, reasonCode: 'SHORT_HISTORY' }),
    );
    expect(result(evaluation, 'HOUSING_FUND_ARREARS').reasonCode).toBe(DATA_MISSING);
    expect(result(evaluation, 'PATENTS').reasonCode).toBe('FEW_PATENTS');
    expect(result(evaluation, 'VAT_PAID').reasonCode).toBeNull();
  });

  it('recomputes maxPoints from the weights: tax weights at 0', () => {
    const weights = { ...defaultWeights(), VAT_PAID: 0, VAT_TREND: 0, TAX_ARREARS: 0, TAX_CREDIT_LEVEL: 0 };
    const evaluation = evaluate(mixed(), { version: 'crisis', weights, gradeBands: DEFAULT_GRADE_BANDS });
    // Σ weights = 100 − 26 = 74. YEARS_ESTABLISHED: 1000 × 5 ÷ 74 = 67.567… → 67.57, × 0.7 = 47.297… → 47.3.
    expect(result(evaluation, 'YEARS_ESTABLISHED')).toEqual(
      expect.objectContaining({ maxPoints: 67.57, points: 47.3 }),
    );
    // DISHONEST_DEBTOR: 1000 × 8 ÷ 74 = 108.108… → 108.11, points 0.
    expect(result(evaluation, 'DISHONEST_DEBTOR')).toEqual(expect.objectContaining({ maxPoints: 108.11, points: 0 }));
    // Zero-weight indicators give nothing and blame nothing, whatever their data says.
    expect(result(evaluation, 'TAX_ARREARS')).toEqual(
      expect.objectContaining({ value: '50,000.00 元', points: 0, maxPoints: 0, reasonCode: null }),
    );
    // Lost weight units: 8 (dishonest) + 5×0.3 + 4×0.5 + 3×0.5 + 7×0.4 + 2 + 2×0.6 = 19;
    // score = 1000 × (74 − 19) ÷ 74 = 743.24… → 743.
    expect(evaluation.score).toBe(743);
    expect(evaluation.reasonCodes).not.toContain('TAX_ARREARS');
    expect(evaluation.reasonCodes).not.toContain('LOW_TAX_CREDIT_LEVEL');
    // Rounded points add up to the score within 1.
    const sum = evaluation.indicators.reduce((total, i) => total + i.points, 0);
    expect(Math.abs(sum - evaluation.score)).toBeLessThanOrEqual(1);
  });

  it('treats weights as relative: doubling them all changes nothing', () => {
    const doubled = Object.fromEntries(Object.entries(defaultWeights()).map(([code, w]) => [code, w * 2]));
    expect(evaluate(mixed(), { ...DEFAULT_MODEL, weights: doubled })).toEqual(evaluate(mixed(), DEFAULT_MODEL));
  });

  it('weighs indicators absent from the weights at 0 and ignores unknown codes', () => {
    const evaluation = evaluate(mixed(), {
      version: 'two',
      weights: { TAX_ARREARS: 1, PATENTS: 3, RETIRED_INDICATOR: 5 },
      gradeBands: DEFAULT_GRADE_BANDS,
    });
    // TAX_ARREARS 250 × 0.2 = 50, PATENTS 750 × 0.4 = 300.
    expect(result(evaluation, 'TAX_ARREARS')).toEqual(expect.objectContaining({ maxPoints: 250, points: 50 }));
    expect(result(evaluation, 'PATENTS')).toEqual(expect.objectContaining({ maxPoints: 750, points: 300 }));
    expect(evaluation.score).toBe(350);
    expect(evaluation.grade).toBe(CreditGrade.D);
    // Shortfalls: PATENTS 450, TAX_ARREARS 200.
    expect(evaluation.reasonCodes).toEqual(['FEW_PATENTS', 'TAX_ARREARS']);
    expect(result(evaluation, 'DISHONEST_DEBTOR')).toEqual(
      expect.objectContaining({ maxPoints: 0, points: 0, reasonCode: null }),
    );
  });

  it('grades with the model bands', () => {
    const bands: GradeBand[] = [
      { grade: CreditGrade.A, minScore: 900 },
      { grade: CreditGrade.B, minScore: 700 },
      { grade: CreditGrade.C, minScore: 500 },
      { grade: CreditGrade.D, minScore: 0 },
    ];
    expect(evaluate(mixed(), { ...DEFAULT_MODEL, gradeBands: bands }).grade).toBe(CreditGrade.B);
    expect(evaluate(baseFeatures({ dishonestDebtor: true }), { ...DEFAULT_MODEL, gradeBands: bands }).grade).toBe(
      CreditGrade.A, // 920
    );
  });

  it('refuses a model whose weights cannot be used', () => {
    expect(() => evaluate(baseFeatures(), { ...DEFAULT_MODEL, weights: {} })).toThrow();
    expect(() => evaluate(baseFeatures(), { ...DEFAULT_MODEL, weights: { PATENTS: -1, VAT_PAID: 2 } })).toThrow();
    expect(() => evaluate(baseFeatures(), { ...DEFAULT_MODEL, weights: { PATENTS: Number.NaN } })).toThrow();
  });

  it('lists at most five reasons, largest shortfall first, ties in catalogue order', () => {
    const evaluation = evaluate(
      baseFeatures({
        hasTaxRecords: false, // DATA_MISSING: 40 + 25 + 30 + 35, listed at its largest (40)
        dishonestDebtor: true, // 80
        penalties24m: 3, // 70
        judgments24m: 3, // 60, COURT_JUDGMENTS comes before LOAN_DEFAULT
        loanDefaults60m: 1, // 60
        signedCommitment: false, // 20: cut
        patents: 0, // 12: cut
      }),
      DEFAULT_MODEL,
    );
    expect(evaluation.reasonCodes).toEqual([
      'DISHONEST_DEBTOR',
      'ADMIN_PENALTY',
      'COURT_JUDGMENT',
      'LOAN_DEFAULT',
      DATA_MISSING,
    ]);
    // 1000 − (130 + 80 + 70 + 60 + 60 + 20 + 12) = 568
    expect(evaluation.score).toBe(568);
    expect(evaluation.grade).toBe(CreditGrade.C);
  });
});

describe('gradeFor', () => {
  it.each([
    [1000, CreditGrade.A],
    [750, CreditGrade.A],
    [749, CreditGrade.B],
    [600, CreditGrade.B],
    [599, CreditGrade.C],
    [450, CreditGrade.C],
    [449, CreditGrade.D],
    [0, CreditGrade.D],
  ])('%i → %s under the default bands', (score, grade) => {
    expect(gradeFor(score, DEFAULT_GRADE_BANDS)).toBe(grade);
  });

  it('does not depend on the order of the bands', () => {
    expect(gradeFor(750, [...DEFAULT_GRADE_BANDS].reverse())).toBe(CreditGrade.A);
    expect(gradeFor(449, [...DEFAULT_GRADE_BANDS].reverse())).toBe(CreditGrade.D);
  });
});

describe('modelProblems', () => {
  const bands = (a: number, b: number, c: number, d: number): GradeBand[] => [
    { grade: CreditGrade.A, minScore: a },
    { grade: CreditGrade.B, minScore: b },
    { grade: CreditGrade.C, minScore: c },
    { grade: CreditGrade.D, minScore: d },
  ];
  const paths = (spec: Parameters<typeof modelProblems>[0]) => modelProblems(spec).map((p) => p.path);

  it('accepts the default model and zero weights beside a positive one', () => {
    expect(modelProblems({ weights: defaultWeights(), gradeBands: DEFAULT_GRADE_BANDS })).toEqual([]);
    expect(modelProblems({ weights: { VAT_PAID: 0, PATENTS: 0.5 }, gradeBands: bands(1000, 2, 1, 0) })).toEqual([]);
  });

  it.each([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ])('refuses a %s weight on its code', (_label, weight) => {
    expect(paths({ weights: { ...defaultWeights(), VAT_PAID: weight }, gradeBands: DEFAULT_GRADE_BANDS })).toEqual([
      ['weights', 'VAT_PAID'],
    ]);
  });

  it('refuses unknown indicator codes, in Chinese', () => {
    expect(modelProblems({ weights: { ...defaultWeights(), VAT: 3 }, gradeBands: DEFAULT_GRADE_BANDS })).toEqual([
      { path: ['weights', 'VAT'], message: '未知的指标代码：VAT' },
    ]);
  });

  it('needs at least one weight above 0', () => {
    const zeros = Object.fromEntries(INDICATOR_CODES.map((code) => [code, 0]));
    expect(paths({ weights: zeros, gradeBands: DEFAULT_GRADE_BANDS })).toEqual([['weights']]);
    expect(paths({ weights: {}, gradeBands: DEFAULT_GRADE_BANDS })).toEqual([['weights']]);
  });

  it('refuses weights whose sum overflows', () => {
    expect(paths({ weights: { VAT_PAID: 1e308, PATENTS: 1e308 }, gradeBands: DEFAULT_GRADE_BANDS })).toEqual([
      ['weights'],
    ]);
  });

  it('needs exactly one band per grade', () => {
    const missingC = DEFAULT_GRADE_BANDS.filter((band) => band.grade !== CreditGrade.C);
    expect(modelProblems({ weights: defaultWeights(), gradeBands: missingC })).toEqual([
      { path: ['gradeBands'], message: '缺少 C 级的分数线' },
    ]);
    const twoBs = [...DEFAULT_GRADE_BANDS, { grade: CreditGrade.B, minScore: 650 }];
    expect(modelProblems({ weights: defaultWeights(), gradeBands: twoBs })).toEqual([
      { path: ['gradeBands'], message: 'B 级的分数线重复' },
    ]);
  });

  it('needs integer minScores within 0..1000', () => {
    expect(paths({ weights: defaultWeights(), gradeBands: bands(750.5, 600, 450, 0) })).toEqual([
      ['gradeBands', '0', 'minScore'],
    ]);
    expect(paths({ weights: defaultWeights(), gradeBands: bands(1001, 600, 450, 0) })).toEqual([
      ['gradeBands', '0', 'minScore'],
    ]);
    expect(paths({ weights: defaultWeights(), gradeBands: bands(1000, 600, 450, 0) })).toEqual([]);
  });

  it('needs strictly descending bands with D at 0', () => {
    expect(paths({ weights: defaultWeights(), gradeBands: bands(750, 750, 450, 0) })).toEqual([['gradeBands']]);
    expect(paths({ weights: defaultWeights(), gradeBands: bands(600, 750, 450, 0) })).toEqual([['gradeBands']]);
    expect(paths({ weights: defaultWeights(), gradeBands: bands(750, 600, 450, 10) })).toEqual([
      ['gradeBands', '3', 'minScore'],
    ]);
    // Bands in another order are judged by grade, not by position.
    expect(paths({ weights: defaultWeights(), gradeBands: [...DEFAULT_GRADE_BANDS].reverse() })).toEqual([]);
  });
});
