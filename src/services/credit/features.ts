import type { EnterpriseSize } from '../../entities/enums';

/**
 * What the credit model reads about one enterprise, gathered for many enterprises in one SQL
 * statement (feature-query.ts) as of a date D. Windows are "the N months up to and including D".
 *
 * Decimal amounts are strings (yuan). A field is null when the enterprise has no record of that
 * source at all: the scorecard then scores the indicator neutrally with reason DATA_MISSING.
 * Counts of adverse events (penalties, judgments) are 0, not null, when there are none: the
 * absence of a penalty is a fact, not missing data.
 */
export interface CreditFeatures {
  enterpriseId: string;
  /** The evaluation date, YYYY-MM-DD (Asia/Shanghai). */
  asOf: string;

  // basic
  establishedOn: string;
  registeredCapital: string | null;
  size: EnterpriseSize;
  /** LICENSE_REVOKED records within 24 months. */
  licensesRevoked24m: number;

  // tax: null when the enterprise has no TAX record at all
  hasTaxRecords: boolean;
  /** Σ VAT_PAID in 12 months. */
  vatPaid12m: string | null;
  /** Σ VAT_PAID in the latest 6 months and in the 6 before them (trend). */
  vatPaidRecent6m: string | null;
  vatPaidPrior6m: string | null;
  /** Σ TAX_ARREARS in 12 months ("0" when tax records exist but no arrears). */
  taxArrears12m: string | null;
  /** Latest TAX_CREDIT_LEVEL description: A, B, M, C or D. */
  taxCreditLevel: string | null;

  // social security
  hasSocialSecurityRecords: boolean;
  /** Headcount of the latest EMPLOYEES_INSURED record, and of the latest one at least 12 months before D. */
  insuredEmployeesLatest: number | null;
  insuredEmployees12mAgo: number | null;
  socialSecurityArrears12m: string | null;

  // housing fund
  hasHousingFundRecords: boolean;
  /** Months (distinct YYYY-MM of occurredOn) with HOUSING_FUND_CONTRIBUTORS > 0 in 12 months. */
  housingFundMonths12m: number;
  housingFundArrears12m: string | null;

  // utilities: counts in 12 months
  utilityOnTime12m: number;
  utilityLate12m: number;

  // compliance and judicial
  penalties24m: number;
  penaltyAmount24m: string;
  judgments24m: number;
  /** DISHONEST_DEBTOR record within 60 months. */
  dishonestDebtor: boolean;

  // loan history (platform records)
  loanOverdues24m: number;
  loanDefaults60m: number;

  // innovation
  patents: number;

  // commitments
  signedCommitment: boolean;

  /** The newest recordedAt among the records read (the report's dataAsOf); null without records. */
  latestRecordAt: Date | null;
}
