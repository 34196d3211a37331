import { ApiKey } from './api-key.entity';
import { CreditAuthorization } from './credit-authorization.entity';
import { CreditCommitment } from './credit-commitment.entity';
import { CreditModel } from './credit-model.entity';
import { CreditRecord } from './credit-record.entity';
import { CreditReport } from './credit-report.entity';
import { ReportAccess } from './report-access.entity';
import { RiskWarning } from './risk-warning.entity';
import { AuditEvent } from './audit-event.entity';
import { Department } from './department.entity';
import { Enterprise } from './enterprise.entity';
import { FinancialInstitution } from './institution.entity';
import { FinancingDemand } from './financing-demand.entity';
import { LoanProduct } from './loan-product.entity';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';
import { Offer } from './offer.entity';
import { Loan } from './loan.entity';
import { LoanEvent } from './loan-event.entity';
import { GuaranteeFund } from './guarantee-fund.entity';
import { Whitelist, WhitelistEntry } from './whitelist.entity';
import { Dispatch } from './dispatch.entity';
import { Policy } from './policy.entity';
import { FundClaim, FundClaimEvent } from './fund-claim.entity';
import { Article } from './article.entity';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entity';

export {
  ApiKey,
  Article,
  AuditEvent,
  CreditAuthorization,
  CreditCommitment,
  CreditModel,
  CreditRecord,
  CreditReport,
  Department,
  Dispatch,
  Enterprise,
  FinancialInstitution,
  FinancingDemand,
  FundClaim,
  FundClaimEvent,
  GuaranteeFund,
  Loan,
  LoanEvent,
  LoanProduct,
  Offer,
  Policy,
  RefreshToken,
  ReportAccess,
  RiskWarning,
  User,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
  Whitelist,
  WhitelistEntry,
};

export const ENTITIES = [
  Department,
  FinancialInstitution,
  Enterprise,
  User,
  RefreshToken,
  ApiKey,
  AuditEvent,
  CreditRecord,
  CreditModel,
  CreditReport,
  CreditAuthorization,
  ReportAccess,
  CreditCommitment,
  RiskWarning,
  LoanProduct,
  FinancingDemand,
  Offer,
  GuaranteeFund,
  Loan,
  LoanEvent,
  Whitelist,
  WhitelistEntry,
  Dispatch,
  Policy,
  FundClaim,
  FundClaimEvent,
  Article,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
];
