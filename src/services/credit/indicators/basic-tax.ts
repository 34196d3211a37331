import type { CreditFeatures } from '../features';
import {
  MISSING,
  arrearsOutcome,
  formatRatio,
  formatYuan,
  parseAmount,
  scored,
  stepBelow,
  times,
  trendSubScore,
  type Indicator,
} from './common';

// Basic facts and tax. Tax is the best evidence of real business in the 信易贷 model, so the four
// tax indicators carry the largest category weight (26 of 100).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * Whole years from `from` to `to` (both YYYY-MM-DD): an anniversary not yet reached this year
 * does not count, so 2020-07-01 → 2026-06-30 is 5 years. Someone established on 29 February
 * completes a year on 1 March in common years. Null when either date does not parse.
 */
export function wholeYearsBetween(from: string, to: string): number | null {
  const a = ISO_DATE.exec(from);
  const b = ISO_DATE.exec(to);
  if (!a || !b) return null;
  const [fy, fm, fd] = a.slice(1).map(Number);
  const [ty, tm, td] = b.slice(1).map(Number);
  const beforeAnniversary = tm < fm || (tm === fm && td < fd);
  return ty - fy - (beforeAnniversary ? 1 : 0);
}

/** 纳税信用等级: M is the level of newly registered taxpayers, between B and C. */
const TAX_CREDIT_LEVEL_SCORES: Readonly<Record<string, number>> = { A: 1, B: 0.8, M: 0.6, C: 0.3, D: 0 };

function hasTax(f: CreditFeatures): boolean {
  return f.hasTaxRecords;
}

export const BASIC_TAX_INDICATORS: readonly Indicator[] = [
  {
    code: 'YEARS_ESTABLISHED',
    name: '成立年限',
    category: 'basic',
    defaultWeight: 5,
    reasonCode: 'SHORT_HISTORY',
    // < 1 → 0.2, < 3 → 0.5, < 5 → 0.7, < 10 → 0.9, else 1; a date after asOf counts as 0 years.
    evaluate(f) {
      const years = wholeYearsBetween(f.establishedOn, f.asOf);
      if (years === null) return MISSING;
      const shown = Math.max(0, years);
      const bins = [
        [1, 0.2],
        [3, 0.5],
        [5, 0.7],
        [10, 0.9],
      ] as const;
      return scored(`${shown} 年`, stepBelow(shown, bins, 1));
    },
  },
  {
    code: 'REGISTERED_CAPITAL',
    name: '注册资本',
    category: 'basic',
    defaultWeight: 3,
    reasonCode: 'LOW_CAPITAL',
    // Yuan: < 1,000,000 (100 万) → 0.3, < 5,000,000 → 0.6, < 10,000,000 → 0.8, else 1.
    evaluate(f) {
      const capital = parseAmount(f.registeredCapital);
      if (!capital) return MISSING;
      const bins = [
        [1_000_000, 0.3],
        [5_000_000, 0.6],
        [10_000_000, 0.8],
      ] as const;
      return scored(formatYuan(capital), stepBelow(capital, bins, 1));
    },
  },
  {
    code: 'LICENSE_STATUS',
    name: '证照状态',
    category: 'basic',
    defaultWeight: 4,
    reasonCode: 'LICENSE_REVOKED',
    // Licences revoked in 24 months: 0 → 1, 1 → 0.3, ≥ 2 → 0.
    evaluate(f) {
      const n = f.licensesRevoked24m;
      return scored(times(n), n <= 0 ? 1 : n === 1 ? 0.3 : 0);
    },
  },
  {
    code: 'VAT_PAID',
    name: '增值税纳税额',
    category: 'tax',
    defaultWeight: 8,
    reasonCode: 'LOW_VAT',
    // VAT paid in 12 months, yuan: < 10,000 → 0.2, < 100,000 → 0.4, < 500,000 → 0.6, < 2,000,000 → 0.8, else 1.
    evaluate(f) {
      const vat = hasTax(f) ? parseAmount(f.vatPaid12m) : null;
      if (!vat) return MISSING;
      const bins = [
        [10_000, 0.2],
        [100_000, 0.4],
        [500_000, 0.6],
        [2_000_000, 0.8],
      ] as const;
      return scored(formatYuan(vat), stepBelow(vat, bins, 1));
    },
  },
  {
    code: 'VAT_TREND',
    name: '增值税趋势',
    category: 'tax',
    defaultWeight: 5,
    reasonCode: 'VAT_DECLINE',
    // Latest 6 months ÷ the 6 before, binned by trendSubScore (0 then and 0 now → 0.5, not missing).
    evaluate(f) {
      const recent = hasTax(f) ? parseAmount(f.vatPaidRecent6m) : null;
      const prior = hasTax(f) ? parseAmount(f.vatPaidPrior6m) : null;
      if (!recent || !prior) return MISSING;
      const value = `近 6 月 ${formatYuan(recent)} / 前 6 月 ${formatYuan(prior)}（${formatRatio(recent, prior)}）`;
      return scored(value, trendSubScore(recent, prior));
    },
  },
  {
    code: 'TAX_ARREARS',
    name: '欠税',
    category: 'tax',
    defaultWeight: 6,
    reasonCode: 'TAX_ARREARS',
    // Arrears in 12 months: 0 → 1, < 10,000 → 0.5, < 100,000 → 0.2, else 0.
    evaluate: (f) => arrearsOutcome(f.hasTaxRecords, f.taxArrears12m),
  },
  {
    code: 'TAX_CREDIT_LEVEL',
    name: '纳税信用等级',
    category: 'tax',
    defaultWeight: 7,
    reasonCode: 'LOW_TAX_CREDIT_LEVEL',
    // A → 1, B → 0.8, M → 0.6, C → 0.3, D → 0; an unknown level is missing data, not a D.
    evaluate(f) {
      const level = hasTax(f) ? f.taxCreditLevel?.trim().toUpperCase() : undefined;
      return level && Object.hasOwn(TAX_CREDIT_LEVEL_SCORES, level)
        ? scored(level, TAX_CREDIT_LEVEL_SCORES[level])
        : MISSING;
    },
  },
];
