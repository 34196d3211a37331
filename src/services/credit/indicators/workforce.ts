import Decimal from 'decimal.js';
import { MISSING, arrearsOutcome, formatRatio, scored, stepBelow, trendSubScore, type Indicator } from './common';

// Social security, housing fund and utilities: whether the enterprise really employs people and
// pays its regular bills. Social security weighs 15 of 100, housing fund 7, utilities 4.

export const WORKFORCE_INDICATORS: readonly Indicator[] = [
  {
    code: 'INSURED_EMPLOYEES',
    name: '参保职工人数',
    category: 'social_security',
    defaultWeight: 6,
    reasonCode: 'FEW_INSURED_EMPLOYEES',
    // Latest headcount: 0 → 0.1, < 5 → 0.3, < 20 → 0.6, < 100 → 0.8, else 1.
    evaluate(f) {
      const n = f.hasSocialSecurityRecords ? f.insuredEmployeesLatest : null;
      if (n === null) return MISSING;
      const bins = [
        [1, 0.1],
        [5, 0.3],
        [20, 0.6],
        [100, 0.8],
      ] as const;
      return scored(`${n} 人`, stepBelow(n, bins, 1));
    },
  },
  {
    code: 'INSURED_TREND',
    name: '参保人数趋势',
    category: 'social_security',
    defaultWeight: 4,
    reasonCode: 'INSURED_DECLINE',
    // Latest headcount ÷ the one 12 months before, binned like VAT_TREND. Without a record from
    // 12 months ago there is no trend to judge: missing.
    evaluate(f) {
      const latest = f.hasSocialSecurityRecords ? f.insuredEmployeesLatest : null;
      const before = f.hasSocialSecurityRecords ? f.insuredEmployees12mAgo : null;
      if (latest === null || before === null) return MISSING;
      const [now, then] = [new Decimal(latest), new Decimal(before)];
      return scored(`${latest} 人 / 12 个月前 ${before} 人（${formatRatio(now, then)}）`, trendSubScore(now, then));
    },
  },
  {
    code: 'SOCIAL_SECURITY_ARREARS',
    name: '社保欠费',
    category: 'social_security',
    defaultWeight: 5,
    reasonCode: 'SOCIAL_SECURITY_ARREARS',
    // Arrears in 12 months: 0 → 1, < 10,000 → 0.5, < 100,000 → 0.2, else 0.
    evaluate: (f) => arrearsOutcome(f.hasSocialSecurityRecords, f.socialSecurityArrears12m),
  },
  {
    code: 'HOUSING_FUND_CONTINUITY',
    name: '公积金缴存连续性',
    category: 'housing_fund',
    defaultWeight: 4,
    reasonCode: 'HOUSING_FUND_GAPS',
    // Months with contributors in the last 12: 12 → 1, ≥ 9 → 0.7, ≥ 6 → 0.4, ≥ 1 → 0.2, 0 → 0.
    evaluate(f) {
      if (!f.hasHousingFundRecords) return MISSING;
      const months = f.housingFundMonths12m;
      const bins = [
        [1, 0],
        [6, 0.2],
        [9, 0.4],
        [12, 0.7],
      ] as const;
      return scored(`${months}/12 个月`, stepBelow(months, bins, 1));
    },
  },
  {
    code: 'HOUSING_FUND_ARREARS',
    name: '公积金欠缴',
    category: 'housing_fund',
    defaultWeight: 3,
    reasonCode: 'HOUSING_FUND_ARREARS',
    // Arrears in 12 months: 0 → 1, < 10,000 → 0.5, < 100,000 → 0.2, else 0.
    evaluate: (f) => arrearsOutcome(f.hasHousingFundRecords, f.housingFundArrears12m),
  },
  {
    code: 'UTILITY_ON_TIME',
    name: '水电气按时缴费',
    category: 'utilities',
    defaultWeight: 4,
    reasonCode: 'LATE_UTILITY_PAYMENTS',
    // Share of bills paid on time in 12 months: 100% → 1, ≥ 90% → 0.8, ≥ 75% → 0.5, ≥ 50% → 0.2,
    // below → 0. No bills at all is missing data. Compared as a decimal fraction, so 9/10 is
    // exactly 90%.
    evaluate(f) {
      const total = f.utilityOnTime12m + f.utilityLate12m;
      if (total <= 0) return MISSING;
      const share = new Decimal(f.utilityOnTime12m).dividedBy(total);
      const bins = [
        [0.5, 0],
        [0.75, 0.2],
        [0.9, 0.5],
        [1, 0.8],
      ] as const;
      const percent = share.times(100).toFixed(1, Decimal.ROUND_HALF_UP);
      return scored(`${f.utilityOnTime12m}/${total} 按时（${percent}%）`, stepBelow(share, bins, 1));
    },
  },
];
