import { MISSING, formatYuan, parseAmount, scored, times, type Indicator } from './common';

// Conduct: penalties, courts, loan history, patents and the credit commitment. These are counts of
// events, never missing: no penalty on record is a clean record and scores 1. Judicial and
// compliance weigh 21 of 100, loan history 11.

export const CONDUCT_INDICATORS: readonly Indicator[] = [
  {
    code: 'ADMIN_PENALTIES',
    name: '行政处罚',
    category: 'compliance',
    defaultWeight: 7,
    reasonCode: 'ADMIN_PENALTY',
    // In 24 months: none → 1; one with fines < 10,000 → 0.6; up to two with fines < 100,000 in
    // total → 0.3; more, or larger fines → 0. A warning without a fine still counts as one.
    evaluate(f) {
      const count = f.penalties24m;
      const fines = parseAmount(f.penaltyAmount24m);
      if (!fines) return MISSING;
      const value = `${times(count)}，罚款 ${formatYuan(fines)}`;
      if (count <= 0) return scored(value, 1);
      if (count === 1 && fines.lessThan(10_000)) return scored(value, 0.6);
      if (count <= 2 && fines.lessThan(100_000)) return scored(value, 0.3);
      return scored(value, 0);
    },
  },
  {
    code: 'COURT_JUDGMENTS',
    name: '法院判决',
    category: 'judicial',
    defaultWeight: 6,
    reasonCode: 'COURT_JUDGMENT',
    // Judgments against the enterprise in 24 months: 0 → 1, 1 → 0.5, 2 → 0.2, ≥ 3 → 0.
    evaluate: (f) => scored(times(f.judgments24m), countScore(f.judgments24m, [1, 0.5, 0.2])),
  },
  {
    code: 'DISHONEST_DEBTOR',
    name: '失信被执行人',
    category: 'judicial',
    defaultWeight: 8,
    reasonCode: 'DISHONEST_DEBTOR',
    // Listed within 60 months → 0 (联合惩戒: the listing alone disqualifies), else 1.
    evaluate: (f) => (f.dishonestDebtor ? scored('是', 0) : scored('否', 1)),
  },
  {
    code: 'LOAN_OVERDUE',
    name: '贷款逾期',
    category: 'loan_history',
    defaultWeight: 5,
    reasonCode: 'LOAN_OVERDUE',
    // Overdue installments in 24 months: 0 → 1, 1 → 0.6, 2 → 0.3, ≥ 3 → 0.
    evaluate: (f) => scored(times(f.loanOverdues24m), countScore(f.loanOverdues24m, [1, 0.6, 0.3])),
  },
  {
    code: 'LOAN_DEFAULT',
    name: '贷款违约',
    category: 'loan_history',
    defaultWeight: 6,
    reasonCode: 'LOAN_DEFAULT',
    // Defaults (不良) in 60 months: 0 → 1, any → 0.
    evaluate: (f) => scored(times(f.loanDefaults60m), countScore(f.loanDefaults60m, [1])),
  },
  {
    code: 'PATENTS',
    name: '专利',
    category: 'innovation',
    defaultWeight: 2,
    reasonCode: 'FEW_PATENTS',
    // Granted patents: 0 → 0.4, 1–2 → 0.7, 3–9 → 0.9, ≥ 10 → 1. Most small enterprises hold none,
    // so the weight is small and none is not scored 0.
    evaluate(f) {
      const n = f.patents;
      return scored(`${n} 项`, n <= 0 ? 0.4 : n < 3 ? 0.7 : n < 10 ? 0.9 : 1);
    },
  },
  {
    code: 'CREDIT_COMMITMENT',
    name: '信用承诺',
    category: 'commitments',
    defaultWeight: 2,
    reasonCode: 'NO_COMMITMENT',
    // A signed (not revoked) 信用承诺 → 1, none → 0: signing is free, so not signing is a choice.
    evaluate: (f) => (f.signedCommitment ? scored('已签署', 1) : scored('未签署', 0)),
  },
];

/** Sub-score by count of events: scores[count], and 0 beyond the list. */
function countScore(count: number, scores: readonly number[]): number {
  return scores[Math.max(0, count)] ?? 0;
}
