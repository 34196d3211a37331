/** Domain enums shared by entities, services and the GraphQL schema (registered in schema/enums.ts). */

export enum Role {
  ENTERPRISE = 'ENTERPRISE',
  BANK = 'BANK',
  REGULATOR = 'REGULATOR',
  ADMIN = 'ADMIN',
}

export enum InstitutionType {
  STATE_OWNED_BANK = 'STATE_OWNED_BANK',
  JOINT_STOCK_BANK = 'JOINT_STOCK_BANK',
  CITY_COMMERCIAL_BANK = 'CITY_COMMERCIAL_BANK',
  RURAL_BANK = 'RURAL_BANK',
  POLICY_BANK = 'POLICY_BANK',
  GUARANTEE_COMPANY = 'GUARANTEE_COMPANY',
  OTHER = 'OTHER',
}

export enum EnterpriseSize {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}

export enum VerificationStatus {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
}

export enum CreditGrade {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

export enum RiskLevel {
  GREEN = 'GREEN',
  YELLOW = 'YELLOW',
  RED = 'RED',
}

export enum CreditDataSource {
  REGISTRY = 'REGISTRY',
  TAX = 'TAX',
  SOCIAL_SECURITY = 'SOCIAL_SECURITY',
  HOUSING_FUND = 'HOUSING_FUND',
  UTILITY = 'UTILITY',
  LICENSE = 'LICENSE',
  PENALTY = 'PENALTY',
  JUDGMENT = 'JUDGMENT',
  CUSTOMS = 'CUSTOMS',
  INTELLECTUAL_PROPERTY = 'INTELLECTUAL_PROPERTY',
  LOAN_HISTORY = 'LOAN_HISTORY',
  SELF_DECLARED = 'SELF_DECLARED',
}

export enum CreditModelStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}

export enum AuthorizationScope {
  SUMMARY = 'SUMMARY',
  FULL = 'FULL',
}

export enum AuthorizationStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

export enum CommitmentStatus {
  SIGNED = 'SIGNED',
  REVOKED = 'REVOKED',
}

export enum LoanProductType {
  CREDIT = 'CREDIT',
  GUARANTEE = 'GUARANTEE',
  MORTGAGE = 'MORTGAGE',
  PLEDGE = 'PLEDGE',
  SUPPLY_CHAIN = 'SUPPLY_CHAIN',
}

export enum RepaymentMethod {
  EQUAL_INSTALLMENT = 'EQUAL_INSTALLMENT',
  EQUAL_PRINCIPAL = 'EQUAL_PRINCIPAL',
  INTEREST_FIRST = 'INTEREST_FIRST',
  BULLET = 'BULLET',
}

export enum ProductStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  OFFLINE = 'OFFLINE',
}

export enum DemandStatus {
  OPEN = 'OPEN',
  MATCHED = 'MATCHED',
  GRANTED = 'GRANTED',
  WITHDRAWN = 'WITHDRAWN',
  EXPIRED = 'EXPIRED',
  CLOSED = 'CLOSED',
}

export enum OfferStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
  EXPIRED = 'EXPIRED',
}

export enum LoanStatus {
  PENDING = 'PENDING',
  GRANTED = 'GRANTED',
  ACTIVE = 'ACTIVE',
  OVERDUE = 'OVERDUE',
  DEFAULTED = 'DEFAULTED',
  SETTLED = 'SETTLED',
  DECLINED = 'DECLINED',
}

export enum LoanEventType {
  GRANTED = 'GRANTED',
  DISBURSED = 'DISBURSED',
  REPAID = 'REPAID',
  OVERDUE = 'OVERDUE',
  DEFAULTED = 'DEFAULTED',
  SETTLED = 'SETTLED',
  DECLINED = 'DECLINED',
  COMPENSATED = 'COMPENSATED',
}

export enum DispatchStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  GRANTED = 'GRANTED',
}

export enum PolicyStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  CLOSED = 'CLOSED',
}

export enum PolicyCategory {
  SUBSIDY = 'SUBSIDY',
  INTEREST_SUBSIDY = 'INTEREST_SUBSIDY',
  RISK_COMPENSATION = 'RISK_COMPENSATION',
  GUARANTEE_FEE_SUBSIDY = 'GUARANTEE_FEE_SUBSIDY',
  TAX_RELIEF = 'TAX_RELIEF',
  TECH_INNOVATION = 'TECH_INNOVATION',
  TALENT = 'TALENT',
  OTHER = 'OTHER',
}

export enum ClaimStatus {
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  PUBLICIZED = 'PUBLICIZED',
  DISBURSED = 'DISBURSED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

export enum ArticleCategory {
  RISK_ALERT = 'RISK_ALERT',
  POLICY_NEWS = 'POLICY_NEWS',
  CASE_STUDY = 'CASE_STUDY',
  NOTICE = 'NOTICE',
}

/** What a bank's webhook endpoint can subscribe to (docs/webhooks.md); PING only comes from sendTestWebhook. */
export enum WebhookEventType {
  DEMAND_PUBLISHED = 'DEMAND_PUBLISHED',
  OFFER_ACCEPTED = 'OFFER_ACCEPTED',
  OFFER_REJECTED = 'OFFER_REJECTED',
  LOAN_UPDATED = 'LOAN_UPDATED',
  DISPATCH_ASSIGNED = 'DISPATCH_ASSIGNED',
  AUTHORIZATION_GRANTED = 'AUTHORIZATION_GRANTED',
  AUTHORIZATION_REVOKED = 'AUTHORIZATION_REVOKED',
  PING = 'PING',
}

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
