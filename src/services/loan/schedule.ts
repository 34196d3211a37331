import Decimal from 'decimal.js';
import { LRUCache } from 'lru-cache';

// Repayment schedules (DESIGN.md "Domain rules: Schedules"). Pure: no database, no GraphQL.
// Every money and rate figure is a decimal.js value; amounts are rounded to the fen (0.01)
// half-up and the last installment absorbs the rounding so principal sums exactly to the amount.

export type RepaymentMethod = 'EQUAL_INSTALLMENT' | 'EQUAL_PRINCIPAL' | 'INTEREST_FIRST' | 'BULLET';

/** One installment; money strings carry exactly 2 decimals, dueDate is YYYY-MM-DD. */
export interface Installment {
  number: number;
  dueDate: string;
  principal: string;
  interest: string;
  total: string;
  /** Principal still owed after this installment. */
  remainingPrincipal: string;
}

export interface Schedule {
  installments: Installment[];
  totalInterest: string;
  totalPayment: string;
}

export interface ScheduleInput {
  /** Principal in yuan, decimal string with at most 2 decimals, > 0. */
  amount: string;
  /** Annual rate in percent ("3.85" = 3.85 % a year), 0..100. */
  annualRatePercent: string;
  /** Integer 1..600. */
  termMonths: number;
  method: RepaymentMethod;
  /** YYYY-MM-DD; installment k is due addMonthsClamped(startDate, k). */
  startDate: string;
}

export const REPAYMENT_METHODS: readonly RepaymentMethod[] = [
  'EQUAL_INSTALLMENT',
  'EQUAL_PRINCIPAL',
  'INTEREST_FIRST',
  'BULLET',
];

export const MAX_TERM_MONTHS = 600;

// Enough significant digits that (1 + r)^n for n ≤ 600 never loses a fen.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

const ZERO = new D(0);
const fen = (x: Dec): Dec => x.toDecimalPlaces(2, D.ROUND_HALF_UP);
const money = (x: Dec): string => x.toFixed(2, D.ROUND_HALF_UP);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  // month is 1..12; day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(date: string, what: string): [number, number, number] {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new RangeError(`${what} is not a calendar date: ${date}`);
  }
  return [y, mo, d];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `date` plus `months` calendar months, keeping the day of month and clamping it to the end of
 * a shorter month: 2026-01-31 + 1 → 2026-02-28, + 2 → 2026-03-31; 2028-01-31 + 1 → 2028-02-29.
 * Always count from the same start date (not from the previous due date) to keep the day.
 */
export function addMonthsClamped(date: string, months: number): string {
  const [y, m, d] = parseDate(date, 'date');
  if (!Number.isSafeInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  if (year < 1 || year > 9999) throw new RangeError(`${date} + ${months} months is outside years 1..9999`);
  const day = Math.min(d, daysInMonth(year, month));
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function parseDecimal(value: string, what: string): Dec {
  if (typeof value !== 'string' || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim())) {
    throw new RangeError(`${what} must be a decimal string, got ${JSON.stringify(value)}`);
  }
  return new D(value.trim());
}

function validate(input: ScheduleInput): { amount: Dec; annualPercent: Dec } {
  const amount = parseDecimal(input.amount, 'amount');
  if (amount.lte(0)) throw new RangeError(`amount must be > 0, got ${input.amount}`);
  if (amount.decimalPlaces() > 2) throw new RangeError(`amount must have at most 2 decimals, got ${input.amount}`);
  const annualPercent = parseDecimal(input.annualRatePercent, 'annualRatePercent');
  if (annualPercent.lt(0) || annualPercent.gt(100)) {
    throw new RangeError(`annualRatePercent must be within 0..100, got ${input.annualRatePercent}`);
  }
  const n = input.termMonths;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TERM_MONTHS) {
    throw new RangeError(`termMonths must be an integer 1..${MAX_TERM_MONTHS}, got ${n}`);
  }
  if (!REPAYMENT_METHODS.includes(input.method)) {
    throw new RangeError(`method must be one of ${REPAYMENT_METHODS.join(', ')}, got ${String(input.method)}`);
  }
  parseDate(input.startDate, 'startDate');
  // The last due date must be representable.
  addMonthsClamped(input.startDate, n);
  return { amount, annualPercent };
}

interface Row {
  principal: Dec;
  interest: Dec;
}

/**
 * Amortizing methods: each month's interest is the remaining principal × r, rounded to the fen;
 * `principalPart(interest)` gives a non-last installment's principal, kept within 0..remaining
 * (fen rounding of tiny loans over long terms could otherwise overpay); the last installment
 * pays all that remains.
 */
function amortize(amount: Dec, r: Dec, n: number, principalPart: (interest: Dec) => Dec): Row[] {
  const rows: Row[] = [];
  let remaining = amount;
  for (let k = 1; k <= n; k++) {
    const interest = fen(remaining.times(r));
    const principal = k === n ? remaining : D.min(D.max(principalPart(interest), ZERO), remaining);
    rows.push({ principal, interest });
    remaining = remaining.minus(principal);
  }
  return rows;
}

/** 等额本息 monthly payment P·r·(1+r)^n / ((1+r)^n − 1) rounded to the fen; P/n when r = 0. */
function equalPayment(amount: Dec, r: Dec, n: number): Dec {
  if (r.isZero()) return fen(amount.div(n));
  const growth = r.plus(1).pow(n);
  return fen(amount.times(r).times(growth).div(growth.minus(1)));
}

/** The schedule for a loan of `amount` from `startDate` (see DESIGN.md "Schedules"). */
export function buildSchedule(input: ScheduleInput): Schedule {
  const { amount, annualPercent } = validate(input);
  const n = input.termMonths;
  const r = annualPercent.div(12).div(100); // monthly rate, unrounded

  let rows: Row[];
  let dueMonths: number[];
  switch (input.method) {
    case 'EQUAL_INSTALLMENT': {
      // 等额本息: payment = P·r·(1+r)^n / ((1+r)^n − 1), rounded to the fen; r = 0 → P/n.
      const payment = equalPayment(amount, r, n);
      rows = amortize(amount, r, n, (interest) => payment.minus(interest));
      dueMonths = rows.map((_, i) => i + 1);
      break;
    }
    case 'EQUAL_PRINCIPAL': {
      // 等额本金: principal P/n rounded to the fen, interest on the remaining principal.
      const part = fen(amount.div(n));
      rows = amortize(amount, r, n, () => part);
      dueMonths = rows.map((_, i) => i + 1);
      break;
    }
    case 'INTEREST_FIRST': {
      // 先息后本: interest every month, all principal with the last installment.
      rows = amortize(amount, r, n, () => ZERO);
      dueMonths = rows.map((_, i) => i + 1);
      break;
    }
    case 'BULLET': {
      // 到期一次还本付息: one installment at maturity, simple interest for the term.
      rows = [{ principal: amount, interest: fen(amount.times(annualPercent).div(100).times(n).div(12)) }];
      dueMonths = [n];
      break;
    }
  }

  let remaining = amount;
  let totalInterest = ZERO;
  let totalPayment = ZERO;
  const installments = rows.map((row, i): Installment => {
    const total = row.principal.plus(row.interest);
    remaining = remaining.minus(row.principal);
    totalInterest = totalInterest.plus(row.interest);
    totalPayment = totalPayment.plus(total);
    return {
      number: i + 1,
      dueDate: addMonthsClamped(input.startDate, dueMonths[i]),
      principal: money(row.principal),
      interest: money(row.interest),
      total: money(total),
      remainingPrincipal: money(remaining),
    };
  });
  return { installments, totalInterest: money(totalInterest), totalPayment: money(totalPayment) };
}

/**
 * Installments computed once per distinct loan terms. A schedule is a pure function of its
 * input, and a dashboard shows the same loans' schedules on every view: W3 spent about 5 % of
 * its CPU recomputing them in decimal.js. Bounded by installments held (about 10 MB at the
 * limit), least recently used first out. The frozen results are shared between requests.
 */
const scheduleCache = new LRUCache<string, readonly Readonly<Installment>[]>({
  maxSize: 50_000,
  sizeCalculation: (installments) => Math.max(1, installments.length),
});

/** buildSchedule's installments, from the cache when the same terms were computed before. */
export function cachedInstallments(input: ScheduleInput): readonly Readonly<Installment>[] {
  const key = `${input.amount}|${input.annualRatePercent}|${input.termMonths}|${input.method}|${input.startDate}`;
  let installments = scheduleCache.get(key);
  if (!installments) {
    installments = Object.freeze(buildSchedule(input).installments.map((i) => Object.freeze(i)));
    scheduleCache.set(key, installments);
  }
  return installments;
}
