import { Role } from '../entities/enums';

/**
 * The one registry of who may call each root field. Rows (which demand, whose loan) are
 * scoped further inside the services; this is the coarse gate, enforced by the access guard
 * before any resolver runs. A root field missing here is refused, and a test fails.
 */
export type AccessRule =
  /** Anyone, signed in or not. */
  | { kind: 'public' }
  /** These roles only; `sessionOnly` refuses API keys (a key must not mint keys). */
  | { kind: 'roles'; roles: readonly Role[]; sessionOnly?: boolean };

const PUBLIC: AccessRule = { kind: 'public' };
const only = (...roles: Role[]): AccessRule => ({ kind: 'roles', roles });
const SIGNED_IN = only(Role.ENTERPRISE, Role.BANK, Role.REGULATOR, Role.ADMIN);
const { ENTERPRISE, BANK, REGULATOR, ADMIN } = Role;

export const ACCESS_RULES: Record<string, AccessRule> = {
  // ── Query: public reads
  'Query.me': PUBLIC,
  'Query.loanProducts': PUBLIC,
  'Query.loanProduct': PUBLIC,
  'Query.policies': PUBLIC,
  'Query.policy': PUBLIC,
  'Query.articles': PUBLIC,
  'Query.article': PUBLIC,
  'Query.creditCommitments': PUBLIC,
  'Query.publicClaimNotices': PUBLIC,
  'Query.publicStatistics': PUBLIC,
  'Query.institutions': PUBLIC,
  'Query.departments': PUBLIC,
  'Query.scheduleQuote': PUBLIC,
  // Public fields for anyone; the rest by row scope in the service.
  'Query.enterprise': PUBLIC,
  // ── Query: scoped by role
  'Query.enterprises': SIGNED_IN,
  'Query.myEnterprise': only(ENTERPRISE),
  'Query.myInstitution': only(BANK),
  'Query.creditReport': only(ENTERPRISE, BANK, REGULATOR),
  'Query.creditRecords': only(ENTERPRISE, REGULATOR),
  'Query.creditModels': only(REGULATOR),
  'Query.activeCreditModel': SIGNED_IN,
  'Query.demands': only(ENTERPRISE, BANK, REGULATOR),
  'Query.demand': only(ENTERPRISE, BANK, REGULATOR),
  'Query.offers': only(ENTERPRISE, BANK, REGULATOR),
  'Query.loans': only(ENTERPRISE, BANK, REGULATOR),
  'Query.loan': only(ENTERPRISE, BANK, REGULATOR),
  'Query.recommendedProducts': only(ENTERPRISE),
  'Query.matchedPolicies': only(ENTERPRISE),
  'Query.fundClaims': only(ENTERPRISE, REGULATOR),
  'Query.fundClaim': only(ENTERPRISE, REGULATOR),
  'Query.guaranteeFunds': only(REGULATOR),
  'Query.whitelists': only(REGULATOR),
  'Query.dispatches': only(BANK, REGULATOR),
  'Query.platformStatistics': only(REGULATOR),
  'Query.riskWarnings': only(BANK, REGULATOR),
  'Query.auditEvents': only(REGULATOR, ADMIN),
  'Query.myApiKeys': only(BANK),
  'Query.webhookEndpoints': only(BANK),
  'Query.webhookDeliveries': only(BANK),

  // ── Mutation: identity
  'Mutation.login': PUBLIC,
  'Mutation.refreshToken': PUBLIC,
  'Mutation.logout': PUBLIC,
  'Mutation.registerEnterprise': PUBLIC,
  'Mutation.createApiKey': { kind: 'roles', roles: [BANK], sessionOnly: true },
  'Mutation.revokeApiKey': only(BANK),
  // ── Mutation: admin
  'Mutation.createInstitution': only(ADMIN),
  'Mutation.createDepartment': only(ADMIN),
  'Mutation.createUser': only(ADMIN),
  // ── Mutation: enterprise
  'Mutation.updateEnterpriseProfile': only(ENTERPRISE),
  'Mutation.grantCreditAuthorization': only(ENTERPRISE),
  'Mutation.revokeCreditAuthorization': only(ENTERPRISE),
  'Mutation.publishDemand': only(ENTERPRISE),
  'Mutation.withdrawDemand': only(ENTERPRISE),
  'Mutation.acceptOffer': only(ENTERPRISE),
  'Mutation.submitFundClaim': only(ENTERPRISE),
  'Mutation.withdrawFundClaim': only(ENTERPRISE),
  'Mutation.signCreditCommitment': only(ENTERPRISE),
  // ── Mutation: bank
  'Mutation.createLoanProduct': only(BANK),
  'Mutation.updateLoanProduct': only(BANK),
  'Mutation.publishLoanProduct': only(BANK),
  'Mutation.unpublishLoanProduct': only(BANK),
  'Mutation.makeOffer': only(BANK),
  'Mutation.withdrawOffer': only(BANK),
  'Mutation.grantCredit': only(BANK),
  'Mutation.declineLoan': only(BANK),
  'Mutation.disburseLoan': only(BANK),
  'Mutation.recordRepayment': only(BANK),
  'Mutation.markLoanOverdue': only(BANK),
  'Mutation.claimCompensation': only(BANK),
  'Mutation.respondToDispatch': only(BANK),
  // Webhooks: a bank's core system registers its own callbacks with its API key (docs/webhooks.md).
  'Mutation.createWebhookEndpoint': only(BANK),
  'Mutation.updateWebhookEndpoint': only(BANK),
  'Mutation.pauseWebhookEndpoint': only(BANK),
  'Mutation.resumeWebhookEndpoint': only(BANK),
  'Mutation.deleteWebhookEndpoint': only(BANK),
  'Mutation.rotateWebhookSecret': only(BANK),
  'Mutation.redeliverWebhook': only(BANK),
  'Mutation.sendTestWebhook': only(BANK),
  // ── Mutation: regulator
  'Mutation.verifyEnterprise': only(REGULATOR),
  'Mutation.importCreditRecords': only(REGULATOR),
  'Mutation.evaluateEnterprise': only(REGULATOR),
  'Mutation.createCreditModel': only(REGULATOR),
  'Mutation.activateCreditModel': only(REGULATOR),
  'Mutation.createPolicy': only(REGULATOR),
  'Mutation.publishPolicy': only(REGULATOR),
  'Mutation.closePolicy': only(REGULATOR),
  'Mutation.reviewFundClaim': only(REGULATOR),
  'Mutation.publicizeFundClaims': only(REGULATOR),
  'Mutation.disburseFundClaim': only(REGULATOR),
  'Mutation.uploadWhitelist': only(REGULATOR),
  'Mutation.dispatchWhitelist': only(REGULATOR),
  'Mutation.createGuaranteeFund': only(REGULATOR),
  'Mutation.publishArticle': only(REGULATOR),

  // ── Subscription
  'Subscription.demandPublished': only(BANK),
  'Subscription.offerReceived': only(ENTERPRISE),
  'Subscription.fundClaimUpdated': only(ENTERPRISE, REGULATOR),
  'Subscription.loanUpdated': only(ENTERPRISE, BANK),
};
