import { registerEnumType } from 'type-graphql';
import {
  ArticleCategory,
  AuthorizationScope,
  ClaimStatus,
  AuthorizationStatus,
  CommitmentStatus,
  CreditDataSource,
  CreditGrade,
  CreditModelStatus,
  DemandStatus,
  DispatchStatus,
  EnterpriseSize,
  InstitutionType,
  LoanEventType,
  LoanProductType,
  LoanStatus,
  OfferStatus,
  PolicyCategory,
  PolicyStatus,
  ProductStatus,
  RepaymentMethod,
  ReviewDecision,
  RiskLevel,
  Role,
  VerificationStatus,
  WebhookDeliveryStatus,
  WebhookEndpointStatus,
  WebhookEventType,
} from '../entities/enums';
import { UserErrorCode } from '../services/user-error';

/** The contract's enums, registered once with the names it uses. */
registerEnumType(UserErrorCode, { name: 'UserErrorCode' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(InstitutionType, { name: 'InstitutionType' });
registerEnumType(EnterpriseSize, { name: 'EnterpriseSize' });
registerEnumType(VerificationStatus, { name: 'VerificationStatus' });
registerEnumType(CreditGrade, { name: 'CreditGrade' });
registerEnumType(RiskLevel, { name: 'RiskLevel' });
registerEnumType(CreditDataSource, { name: 'CreditDataSource' });
registerEnumType(CreditModelStatus, { name: 'CreditModelStatus' });
registerEnumType(AuthorizationScope, {
  name: 'AuthorizationScope',
  valuesConfig: {
    SUMMARY: { description: 'Grade, score and reason codes.' },
    FULL: { description: "The whole report with every indicator and the enterprise's unmasked profile." },
  },
});
registerEnumType(AuthorizationStatus, { name: 'AuthorizationStatus' });
registerEnumType(CommitmentStatus, { name: 'CommitmentStatus' });
registerEnumType(LoanProductType, {
  name: 'LoanProductType',
  valuesConfig: { CREDIT: { description: 'Pure credit loan (纯信用贷款), no collateral.' } },
});
registerEnumType(RepaymentMethod, {
  name: 'RepaymentMethod',
  valuesConfig: {
    EQUAL_INSTALLMENT: { description: '等额本息' },
    EQUAL_PRINCIPAL: { description: '等额本金' },
    INTEREST_FIRST: { description: '先息后本' },
    BULLET: { description: '到期一次还本付息' },
  },
});
registerEnumType(ProductStatus, { name: 'ProductStatus' });
registerEnumType(DemandStatus, {
  name: 'DemandStatus',
  valuesConfig: {
    OPEN: { description: 'Banks may make offers.' },
    MATCHED: { description: 'The enterprise accepted an offer; waiting for the bank to grant credit.' },
    GRANTED: { description: 'Credit granted (授信).' },
    CLOSED: { description: 'The bank declined to grant after matching, or the loan ended.' },
  },
});

registerEnumType(OfferStatus, { name: 'OfferStatus' });
registerEnumType(LoanStatus, {
  name: 'LoanStatus',
  valuesConfig: {
    PENDING: { description: 'Offer accepted, credit not yet granted.' },
    GRANTED: { description: 'Credit line granted (授信), nothing disbursed yet.' },
    ACTIVE: { description: 'Disbursed and performing.' },
    DEFAULTED: { description: 'Non-performing (不良), 90+ days overdue or declared.' },
    DECLINED: { description: 'Bank declined after acceptance.' },
  },
});
registerEnumType(LoanEventType, { name: 'LoanEventType' });
registerEnumType(DispatchStatus, { name: 'DispatchStatus' });

registerEnumType(PolicyStatus, { name: 'PolicyStatus' });
registerEnumType(PolicyCategory, {
  name: 'PolicyCategory',
  valuesConfig: { INTEREST_SUBSIDY: { description: '贷款贴息' }, RISK_COMPENSATION: { description: '风险补偿' } },
});
registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  valuesConfig: { PUBLICIZED: { description: 'Approved and on public display (公示) until publicityEndsAt.' } },
});
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });
registerEnumType(ArticleCategory, {
  name: 'ArticleCategory',
  valuesConfig: { RISK_ALERT: { description: '风险提示' } },
});

export enum LoanProductSortField {
  MIN_RATE = 'MIN_RATE',
  MAX_AMOUNT = 'MAX_AMOUNT',
  PUBLISHED_AT = 'PUBLISHED_AT',
}
registerEnumType(LoanProductSortField, { name: 'LoanProductSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'What a webhook delivery reports (docs/webhooks.md, "Events").',
  valuesConfig: {
    DEMAND_PUBLISHED: { description: 'A financing demand the bank may bid on was published.' },
    OFFER_ACCEPTED: { description: "The enterprise accepted the bank's offer (a PENDING loan exists)." },
    OFFER_REJECTED: { description: "The bank's offer was rejected (another was accepted, or the demand withdrawn)." },
    LOAN_UPDATED: { description: "One of the bank's loans changed." },
    DISPATCH_ASSIGNED: { description: 'A whitelisted enterprise was dispatched to the bank.' },
    AUTHORIZATION_GRANTED: { description: 'An enterprise authorised the bank to read its credit report.' },
    AUTHORIZATION_REVOKED: { description: "An enterprise revoked the bank's authorisation." },
    PING: { description: 'A test event from sendTestWebhook; never subscribed to.' },
  },
});
registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'Whether an endpoint is being sent to.',
  valuesConfig: {
    ACTIVE: { description: 'Deliveries are sent.' },
    PAUSED: { description: 'Deliveries are queued and wait until the endpoint is resumed (up to 24 hours).' },
  },
});
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Queued, or waiting for its next retry.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'No 2xx answer within 24 hours; redeliverWebhook sends it again.' },
  },
});
