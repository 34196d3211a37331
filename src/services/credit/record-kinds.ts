import { CreditDataSource } from '../../entities/enums';

/**
 * The record kinds the credit model reads, by source. Other kinds are stored and shown but not
 * scored. `amount` means what the column says for each kind; docs/credit-data-format.md has the
 * whole table for the departments that send data.
 */
export const RECORD_KINDS = {
  /** REGISTRY: the business registration, with subjectName and legalRepresentative (实名认证). */
  BUSINESS_REGISTRATION: CreditDataSource.REGISTRY,
  /** TAX: VAT paid in the period, amount in yuan. */
  VAT_PAID: CreditDataSource.TAX,
  /** TAX: tax owed and overdue, amount in yuan. */
  TAX_ARREARS: CreditDataSource.TAX,
  /** TAX: the tax bureau's annual taxpayer credit level (纳税信用等级), description A, B, M, C or D. */
  TAX_CREDIT_LEVEL: CreditDataSource.TAX,
  /** SOCIAL_SECURITY: employees insured in the month, amount = headcount. */
  EMPLOYEES_INSURED: CreditDataSource.SOCIAL_SECURITY,
  /** SOCIAL_SECURITY: contributions overdue, amount in yuan. */
  SOCIAL_SECURITY_ARREARS: CreditDataSource.SOCIAL_SECURITY,
  /** HOUSING_FUND: employees contributing in the month, amount = headcount. */
  HOUSING_FUND_CONTRIBUTORS: CreditDataSource.HOUSING_FUND,
  /** HOUSING_FUND: contributions overdue, amount in yuan. */
  HOUSING_FUND_ARREARS: CreditDataSource.HOUSING_FUND,
  /** UTILITY: a water, power or gas bill paid on time. */
  UTILITY_PAID_ON_TIME: CreditDataSource.UTILITY,
  /** UTILITY: a bill paid late or not at all. */
  UTILITY_PAID_LATE: CreditDataSource.UTILITY,
  /** LICENSE: a licence or permit revoked (吊销). */
  LICENSE_REVOKED: CreditDataSource.LICENSE,
  /** PENALTY: an administrative penalty (行政处罚), amount = the fine in yuan. */
  ADMIN_PENALTY: CreditDataSource.PENALTY,
  /** JUDGMENT: a court judgment against the enterprise, amount in yuan. */
  COURT_JUDGMENT: CreditDataSource.JUDGMENT,
  /** JUDGMENT: listed as a dishonest judgment debtor (失信被执行人). */
  DISHONEST_DEBTOR: CreditDataSource.JUDGMENT,
  /** INTELLECTUAL_PROPERTY: a granted patent. */
  PATENT_GRANTED: CreditDataSource.INTELLECTUAL_PROPERTY,
  /** LOAN_HISTORY: a loan installment overdue, amount = the sum overdue. */
  LOAN_OVERDUE: CreditDataSource.LOAN_HISTORY,
  /** LOAN_HISTORY: a loan in default (不良). */
  LOAN_DEFAULT: CreditDataSource.LOAN_HISTORY,
} as const;

export type ScoredRecordKind = keyof typeof RECORD_KINDS;
