import Decimal from 'decimal.js';
import type { CreditFeatures } from '../features';

/** The ten categories, as stored on reports and shown in the contract's `category` strings. */
export type IndicatorCategory =
  | 'basic'
  | 'tax'
  | 'social_security'
  | 'housing_fund'
  | 'utilities'
  | 'compliance'
  | 'judicial'
  | 'loan_history'
  | 'innovation'
  | 'commitments';

/** What one indicator made of the features: the input as text, a 0..1 sub-score, and whether data was missing. */
export interface IndicatorOutcome {
  value: string | null;
  subScore: number;
  missing: boolean;
}

export interface Indicator {
  code: string;
  /** Simplified Chinese, shown on reports. */
  name: string;
  category: IndicatorCategory;
  /** Relative weight in the default model (the defaults sum to 100). */
  defaultWeight: number;
  /** Reported when this indicator pulls the score down (sub-score < 1) and the data was there. */
  reasonCode: string;
  evaluate(f: CreditFeatures): IndicatorOutcome;
}

/** Reported instead of an indicator's own reason code when its input was missing. */
export const DATA_MISSING = 'DATA_MISSING';

/**
 * Missing data neither rewards nor punishes: half marks. Scoring it 0 would push enterprises
 * whose departments have not sent data yet into grade D; scoring it 1 would reward hiding.
 */
export const NEUTRAL_SUB_SCORE = 0.5;

export const MISSING: IndicatorOutcome = Object.freeze({ value: null, subScore: NEUTRAL_SUB_SCORE, missing: true });

export function scored(value: string, subScore: number): IndicatorOutcome {
  return { value, subScore, missing: false };
}

/**
 * A step function: the score of the first bin whose upper limit (exclusive) the value is below,
 * else `top`. Compared in decimal so money sits exactly on its boundaries (10,000.00 is not < 10,000).
 */
export function stepBelow(value: Decimal.Value, bins: readonly (readonly [number, number])[], top: number): number {
  const x = new Decimal(value);
  for (const [limit, score] of bins) if (x.lessThan(limit)) return score;
  return top;
}

/**
 * A decimal amount from the feature query, or null when there is none. An unparsable amount is
 * treated as missing rather than thrown: one bad row must not stop re-evaluating everyone.
 */
export function parseAmount(amount: string | null | undefined): Decimal | null {
  if (amount === null || amount === undefined || amount.trim() === '') return null;
  try {
    const parsed = new Decimal(amount.trim());
    return parsed.isFinite() ? parsed : null;
  } catch {
    return null;
  }
}

/** 1234567.5 → "1,234,567.50 元" (half-up to the fen, as elsewhere on the platform). */
export function formatYuan(amount: Decimal): string {
  const [integer, fraction] = amount.abs().toFixed(2, Decimal.ROUND_HALF_UP).split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount.isNegative() && !amount.isZero() ? '-' : ''}${grouped}.${fraction} 元`;
}

/**
 * Trend sub-score of `recent` against `earlier`. A base of 0 (or less) has no ratio: any positive
 * recent value is growth (1); nothing then and nothing now is no growth either way, scored 0.5 but
 * not missing, since the data is there. Otherwise ratio = recent ÷ earlier:
 * ≥ 1 → 1, ≥ 0.9 → 0.8, ≥ 0.7 → 0.5, ≥ 0.5 → 0.3, below → 0.1.
 */
export function trendSubScore(recent: Decimal, earlier: Decimal): number {
  if (earlier.lessThanOrEqualTo(0)) return recent.greaterThan(0) ? 1 : 0.5;
  return stepBelow(
    recent.dividedBy(earlier),
    [
      [0.5, 0.1],
      [0.7, 0.3],
      [0.9, 0.5],
      [1, 0.8],
    ],
    1,
  );
}

/** The ratio as shown in values: 2 decimals, or "—" when the base is 0. */
export function formatRatio(recent: Decimal, earlier: Decimal): string {
  return earlier.lessThanOrEqualTo(0) ? '—' : recent.dividedBy(earlier).toFixed(2, Decimal.ROUND_HALF_UP);
}

/**
 * Arrears (tax, social security, housing fund) in yuan over 12 months:
 * 0 → 1, < 10,000 → 0.5, < 100,000 → 0.2, else 0.
 */
export function arrearsSubScore(arrears: Decimal): number {
  if (arrears.lessThanOrEqualTo(0)) return 1;
  return stepBelow(
    arrears,
    [
      [10_000, 0.5],
      [100_000, 0.2],
    ],
    0,
  );
}

/** An arrears indicator: missing without records of the source or without the amount. */
export function arrearsOutcome(hasRecords: boolean, amount: string | null): IndicatorOutcome {
  const arrears = hasRecords ? parseAmount(amount) : null;
  return arrears ? scored(formatYuan(arrears), arrearsSubScore(arrears)) : MISSING;
}

/** Count of adverse events as text. */
export function times(count: number): string {
  return `${count} 次`;
}
