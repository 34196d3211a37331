import type { LoginThrottle } from '../auth/login-throttle';
import type { AccessTokens } from '../auth/tokens';
import { ApiKeyService } from './api-key.service';
import { AuthorizationService } from './authorization.service';
import { CommitmentService } from './commitment.service';
import { CreditModelService } from './credit-model.service';
import { CreditRecordService } from './credit-record.service';
import { CreditReportService } from './credit-report.service';
import { RiskWarningService } from './risk-warning.service';
import { VerificationService } from './verification.service';
import { AuthService } from './auth.service';
import { DemandService } from './demand.service';
import { EnterpriseService } from './enterprise.service';
import { LoanProductService } from './loan-product.service';
import { OfferService } from './offer.service';
import { LoanService } from './loan.service';
import { GuaranteeFundService } from './guarantee-fund.service';
import { PolicyService } from './policy.service';
import { FundClaimService } from './fund-claim.service';
import { ArticleService } from './article.service';
import { AuditQueryService } from './audit-query.service';
import { OrganisationService } from './organisation.service';
import { UserService } from './user.service';
import { DispatchService } from './dispatch.service';
import { WhitelistService } from './whitelist.service';
import { StatisticsService } from './statistics.service';
import { WebhookService } from './webhook.service';
import type { UrlPolicy } from './webhooks/url-policy';

/** The stateless services, built once per process; each method takes the RequestContext first. */
export function createServices(deps: { tokens: AccessTokens; throttle: LoginThrottle; webhookUrls: UrlPolicy }) {
  const demands = new DemandService();
  return {
    auth: new AuthService(deps.tokens, deps.throttle),
    apiKeys: new ApiKeyService(),
    enterprises: new EnterpriseService(),
    organisations: new OrganisationService(),
    users: new UserService(),
    creditRecords: new CreditRecordService(),
    creditModels: new CreditModelService(),
    creditReports: new CreditReportService(),
    authorizations: new AuthorizationService(),
    commitments: new CommitmentService(),
    riskWarnings: new RiskWarningService(),
    verification: new VerificationService(),
    loanProducts: new LoanProductService(),
    demands,
    offers: new OfferService(demands),
    loans: new LoanService(),
    guaranteeFunds: new GuaranteeFundService(),
    policies: new PolicyService(),
    fundClaims: new FundClaimService(),
    articles: new ArticleService(),
    whitelists: new WhitelistService(),
    dispatches: new DispatchService(),
    statistics: new StatisticsService(),
    auditEvents: new AuditQueryService(),
    webhooks: new WebhookService(deps.webhookUrls),
  };
}

export type Services = ReturnType<typeof createServices>;
