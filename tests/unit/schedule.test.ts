import Decimal from 'decimal.js';
import {
  addMonthsClamped,
  buildSchedule,
  cachedInstallments,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  type Schedule,
} from '../../src/services/loan/schedule';

const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toFixed(2);
const MONEY = /^-?\d+\.\d{2}$/;

const quote = (
  method: RepaymentMethod,
  amount: string,
  annualRatePercent: string,
  termMonths: number,
  startDate = '2026-01-15',
) => buildSchedule({ amount, annualRatePercent, termMonths, method, startDate });

/** Invariants every schedule must satisfy, whatever the method. */
function expectConsistent(s: Schedule, amount: string) {
  const rows = s.installments;
  expect(rows.length).toBeGreaterThan(0);
  rows.forEach((row, i) => {
    expect(row.number).toBe(i + 1);
    for (const v of [row.principal, row.interest, row.total, row.remainingPrincipal]) expect(v).toMatch(MONEY);
    expect(new Decimal(row.principal).gte(0)).toBe(true);
    expect(new Decimal(row.interest).gte(0)).toBe(true);
    expect(new Decimal(row.remainingPrincipal).gte(0)).toBe(true);
    expect(new Decimal(row.principal).plus(row.interest).toFixed(2)).toBe(row.total);
    const before = i === 0 ? new Decimal(amount) : new Decimal(rows[i - 1].remainingPrincipal);
    expect(before.minus(row.principal).toFixed(2)).toBe(row.remainingPrincipal);
    if (i > 0) expect(row.dueDate > rows[i - 1].dueDate).toBe(true);
  });
  expect(sum(rows.map((r) => r.principal))).toBe(new Decimal(amount).toFixed(2));
  expect(rows[rows.length - 1].remainingPrincipal).toBe('0.00');
  expect(sum(rows.map((r) => r.interest))).toBe(s.totalInterest);
  expect(sum(rows.map((r) => r.total))).toBe(s.totalPayment);
  expect(new Decimal(amount).plus(s.totalInterest).toFixed(2)).toBe(s.totalPayment);
}

describe('known values (1,000,000 at 3.85 % for 12 months)', () => {
  test('EQUAL_INSTALLMENT pays 85,081.39 a month, the last 85,081.34, interest 20,976.63', () => {
    const s = quote('EQUAL_INSTALLMENT', '1000000', '3.85', 12);
    expect(s.installments).toHaveLength(12);
    expect(s.installments.slice(0, 11).map((r) => r.total)).toEqual(Array(11).fill('85081.39'));
    expect(s.installments[11].total).toBe('85081.34');
    expect(s.totalInterest).toBe('20976.63');
    expect(s.totalPayment).toBe('1020976.63');
    expect(s.installments[0]).toMatchObject({
      principal: '81873.06',
      interest: '3208.33',
      remainingPrincipal: '918126.94',
    });
    expect(s.installments[11]).toMatchObject({ principal: '84809.24', interest: '272.10', remainingPrincipal: '0.00' });
    expectConsistent(s, '1000000');
  });

  test('EQUAL_PRINCIPAL starts with 83,333.33 + 3,208.33, interest 20,854.16', () => {
    const s = quote('EQUAL_PRINCIPAL', '1000000', '3.85', 12);
    expect(s.installments[0]).toMatchObject({ principal: '83333.33', interest: '3208.33', total: '86541.66' });
    expect(s.installments.slice(0, 11).every((r) => r.principal === '83333.33')).toBe(true);
    expect(s.installments[11].principal).toBe('83333.37');
    expect(s.totalInterest).toBe('20854.16');
    expect(s.totalPayment).toBe('1020854.16');
    expectConsistent(s, '1000000');
  });

  test('BULLET interest 38,500.00 in one installment at maturity', () => {
    const s = quote('BULLET', '1000000', '3.85', 12, '2026-03-10');
    expect(s.installments).toEqual([
      {
        number: 1,
        dueDate: '2027-03-10',
        principal: '1000000.00',
        interest: '38500.00',
        total: '1038500.00',
        remainingPrincipal: '0.00',
      },
    ]);
    expect(s.totalInterest).toBe('38500.00');
    expect(s.totalPayment).toBe('1038500.00');
  });

  test('INTEREST_FIRST pays 3,208.33 interest monthly and the principal with the last', () => {
    const s = quote('INTEREST_FIRST', '1000000', '3.85', 12);
    expect(s.installments.map((r) => r.interest)).toEqual(Array(12).fill('3208.33'));
    expect(s.totalInterest).toBe('38499.96');
    expectConsistent(s, '1000000');
  });
});

describe('hand-computed small cases (1,000.00 at 12 % for 3 months, r = 1 % a month)', () => {
  const cut = (s: Schedule) => s.installments.map((r) => [r.principal, r.interest, r.total, r.remainingPrincipal]);

  test('EQUAL_INSTALLMENT: payment 340.02, the last pays what remains', () => {
    // 1000 × 0.01 × 1.01³ / (1.01³ − 1) = 340.0221… → 340.02
    const s = quote('EQUAL_INSTALLMENT', '1000', '12', 3);
    expect(cut(s)).toEqual([
      ['330.02', '10.00', '340.02', '669.98'],
      ['333.32', '6.70', '340.02', '336.66'],
      ['336.66', '3.37', '340.03', '0.00'],
    ]);
    expect(s.totalInterest).toBe('20.07');
    expect(s.totalPayment).toBe('1020.07');
  });

  test('EQUAL_PRINCIPAL: 333.33 twice, the last 333.34', () => {
    const s = quote('EQUAL_PRINCIPAL', '1000', '12', 3);
    expect(cut(s)).toEqual([
      ['333.33', '10.00', '343.33', '666.67'],
      ['333.33', '6.67', '340.00', '333.34'],
      ['333.34', '3.33', '336.67', '0.00'],
    ]);
    expect(s.totalInterest).toBe('20.00');
  });

  test('INTEREST_FIRST: 10.00, 10.00, then 1,010.00', () => {
    const s = quote('INTEREST_FIRST', '1000', '12', 3);
    expect(cut(s)).toEqual([
      ['0.00', '10.00', '10.00', '1000.00'],
      ['0.00', '10.00', '10.00', '1000.00'],
      ['1000.00', '10.00', '1010.00', '0.00'],
    ]);
  });

  test('BULLET: simple interest 1000 × 12 % × 3/12 = 30.00, due at start + 3 months', () => {
    const s = quote('BULLET', '1000', '12', 3, '2026-01-15');
    expect(cut(s)).toEqual([['1000.00', '30.00', '1030.00', '0.00']]);
    expect(s.installments[0].dueDate).toBe('2026-04-15');
  });

  test('rounding is half-up, not half-even (0.50 × 1 % = 0.005 → 0.01; 2.50 × 1 % = 0.025 → 0.03)', () => {
    expect(quote('BULLET', '0.50', '12', 1).totalInterest).toBe('0.01');
    expect(quote('INTEREST_FIRST', '2.50', '12', 1).totalInterest).toBe('0.03');
    // 0.05 / 10 = 0.005 → 0.01 per month
    expect(quote('EQUAL_PRINCIPAL', '0.05', '0', 10).installments[0].principal).toBe('0.01');
  });
});

describe('invariants', () => {
  const cases: Array<[string, string, number]> = [
    ['100000.01', '3.85', 7],
    ['100000.01', '4.35', 36],
    ['12345.67', '23.9999', 13],
    ['0.01', '5', 12],
    ['0.05', '12', 10],
    ['5.00', '0.0001', 600],
    ['99999999.99', '6', 360],
  ];
  for (const method of REPAYMENT_METHODS) {
    test.each(cases)(`${method}: %s at %s %% over %d months sums exactly and ends at 0.00`, (amount, rate, n) => {
      const s = quote(method, amount, rate, n);
      expect(s.installments).toHaveLength(method === 'BULLET' ? 1 : n);
      expectConsistent(s, amount);
    });
  }

  test('100,000.01 over 7 months: the last installment absorbs the rounding', () => {
    const ep = quote('EQUAL_PRINCIPAL', '100000.01', '3.85', 7);
    expect(ep.installments.slice(0, 6).every((r) => r.principal === '14285.72')).toBe(true);
    expect(ep.installments[6].principal).toBe('14285.69');
    const ei = quote('EQUAL_INSTALLMENT', '100000.01', '3.85', 7);
    const totals = new Set(ei.installments.slice(0, 6).map((r) => r.total));
    expect(totals.size).toBe(1);
  });

  test('a tiny loan over a long term never overpays principal before the last installment', () => {
    const s = quote('EQUAL_PRINCIPAL', '0.05', '12', 10);
    expect(s.installments.map((r) => r.principal)).toEqual([
      '0.01',
      '0.01',
      '0.01',
      '0.01',
      '0.01',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
    ]);
    expectConsistent(s, '0.05');
  });
});

describe('rate 0 and 1-month terms', () => {
  test('rate 0: no interest, equal principal parts, the last absorbs', () => {
    for (const method of ['EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL'] as const) {
      const s = quote(method, '100', '0', 3);
      expect(s.installments.map((r) => [r.principal, r.interest])).toEqual([
        ['33.33', '0.00'],
        ['33.33', '0.00'],
        ['33.34', '0.00'],
      ]);
      expect(s.totalInterest).toBe('0.00');
      expect(s.totalPayment).toBe('100.00');
    }
    expect(quote('INTEREST_FIRST', '100', '0', 3).totalInterest).toBe('0.00');
    expect(quote('BULLET', '100', '0', 3).totalPayment).toBe('100.00');
  });

  test('1 month: every method is one installment of principal + one month of interest', () => {
    for (const method of REPAYMENT_METHODS) {
      const s = quote(method, '1000000', '3.85', 1, '2026-01-31');
      expect(s.installments).toEqual([
        {
          number: 1,
          dueDate: '2026-02-28',
          principal: '1000000.00',
          interest: '3208.33',
          total: '1003208.33',
          remainingPrincipal: '0.00',
        },
      ]);
    }
  });
});

describe('due dates', () => {
  test('start 2026-01-31: due on the 31st, clamped to month end', () => {
    const s = quote('EQUAL_INSTALLMENT', '1000', '3.85', 5, '2026-01-31');
    expect(s.installments.map((r) => r.dueDate)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
  });

  test('leap years', () => {
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonthsClamped('2028-02-29', 48)).toBe('2032-02-29');
    expect(addMonthsClamped('2100-01-29', 1)).toBe('2100-02-28'); // not a leap year
    expect(addMonthsClamped('2000-01-30', 1)).toBe('2000-02-29');
    const s = quote('INTEREST_FIRST', '1000', '3.85', 3, '2028-02-29');
    expect(s.installments.map((r) => r.dueDate)).toEqual(['2028-03-29', '2028-04-29', '2028-05-29']);
  });

  test('year boundaries, zero and negative offsets', () => {
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonthsClamped('2026-05-31', 0)).toBe('2026-05-31');
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonthsClamped('2026-01-31', 600)).toBe('2076-01-31');
  });

  test('rejects malformed dates and offsets', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-1-5', '', '2026-01-01T00:00:00Z']) {
      expect(() => addMonthsClamped(bad, 1)).toThrow(RangeError);
    }
    expect(() => addMonthsClamped('2026-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('programming-error guards', () => {
  const base = {
    amount: '1000',
    annualRatePercent: '3.85',
    termMonths: 12,
    method: 'EQUAL_INSTALLMENT' as RepaymentMethod,
    startDate: '2026-01-15',
  };
  test.each([
    [{ amount: '0' }, /amount/],
    [{ amount: '-1' }, /amount/],
    [{ amount: '1.001' }, /amount/],
    [{ amount: 'abc' }, /amount/],
    [{ annualRatePercent: '-0.01' }, /annualRatePercent/],
    [{ annualRatePercent: '100.01' }, /annualRatePercent/],
    [{ annualRatePercent: 'NaN' }, /annualRatePercent/],
    [{ termMonths: 0 }, /termMonths/],
    [{ termMonths: 601 }, /termMonths/],
    [{ termMonths: 1.5 }, /termMonths/],
    [{ method: 'ANNUITY' as RepaymentMethod }, /method/],
    [{ startDate: '2026-02-29' }, /startDate/],
    [{ startDate: 'tomorrow' }, /startDate/],
  ])('%j throws a RangeError', (patch, message) => {
    expect(() => buildSchedule({ ...base, ...patch })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, ...patch })).toThrow(message);
  });

  test('the bounds themselves are accepted', () => {
    expect(() => buildSchedule({ ...base, annualRatePercent: '100', termMonths: 600 })).not.toThrow();
    expect(() => buildSchedule({ ...base, amount: '0.01', annualRatePercent: '0', termMonths: 1 })).not.toThrow();
  });
});

describe('cachedInstallments', () => {
  const input = {
    amount: '123456.78',
    annualRatePercent: '4.35',
    termMonths: 24,
    method: 'EQUAL_INSTALLMENT' as const,
    startDate: '2026-01-31',
  };

  test('answers exactly what buildSchedule computes, and the same terms twice from the cache', () => {
    const first = cachedInstallments(input);
    expect(first).toEqual(buildSchedule(input).installments);
    expect(cachedInstallments({ ...input })).toBe(first);
    expect(cachedInstallments({ ...input, startDate: '2026-02-28' })).not.toBe(first);
  });

  test('what it shares between requests cannot be changed by one of them', () => {
    const installments = cachedInstallments(input);
    expect(Object.isFrozen(installments)).toBe(true);
    expect(Object.isFrozen(installments[0])).toBe(true);
  });
});
