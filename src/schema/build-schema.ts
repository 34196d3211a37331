import 'reflect-metadata';
import './enums';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authChecker, guardRootFields } from '../auth/access-guard';
import { ApiKeyResolver } from '../resolvers/api-key.resolver';
import { AuthResolver } from '../resolvers/auth.resolver';
import { SubscriptionResolver, noGlobalPubSub } from '../resolvers/subscription.resolver';
import { EnterpriseResolver } from '../resolvers/enterprise.resolver';
import { OrganisationResolver } from '../resolvers/organisation.resolver';
import { UserResolver } from '../resolvers/user.resolver';
import { CommitmentResolver } from '../resolvers/commitment.resolver';
import { CreditAuthorizationResolver, ReportAccessResolver } from '../resolvers/consent.resolver';
import { CreditModelResolver } from '../resolvers/credit-model.resolver';
import { CreditRecordResolver } from '../resolvers/credit-record.resolver';
import { CreditReportResolver } from '../resolvers/credit-report.resolver';
import { EnterpriseCreditResolver } from '../resolvers/enterprise-credit.resolver';
import { RiskResolver } from '../resolvers/risk.resolver';
import { DemandResolver, EnterpriseDemandsResolver } from '../resolvers/demand.resolver';
import { InstitutionProductsResolver, LoanProductResolver } from '../resolvers/loan-product.resolver';
import { DispatchResolver, WhitelistEntryResolver, WhitelistResolver } from '../resolvers/whitelist.resolver';
import { DemandOffersResolver, OfferResolver } from '../resolvers/offer.resolver';
import { LoanResolver } from '../resolvers/loan.resolver';
import { GuaranteeFundResolver } from '../resolvers/guarantee-fund.resolver';
import { PolicyResolver } from '../resolvers/policy.resolver';
import { PolicyEffectResolver } from '../resolvers/policy-effect.resolver';
import { ArticleResolver } from '../resolvers/article.resolver';
import { InstitutionStatResolver, StatisticsResolver } from '../resolvers/statistics.resolver';
import { AuditResolver } from '../resolvers/audit.resolver';
import { WebhookDeliveryResolver, WebhookResolver } from '../resolvers/webhook.resolver';
import {
  ClaimHistoryEntryResolver,
  ClaimReviewResolver,
  FundClaimResolver,
  PolicyClaimsResolver,
} from '../resolvers/fund-claim.resolver';
import { CreditReportConnection } from './types/credit-report.type';
import { DateTimeScalar } from './scalars';

export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  UserResolver,
  OrganisationResolver,
  EnterpriseResolver,
  ApiKeyResolver,
  CreditRecordResolver,
  CreditModelResolver,
  CreditReportResolver,
  CreditAuthorizationResolver,
  ReportAccessResolver,
  CommitmentResolver,
  RiskResolver,
  EnterpriseCreditResolver,
  LoanProductResolver,
  InstitutionProductsResolver,
  DemandResolver,
  EnterpriseDemandsResolver,
  WhitelistResolver,
  WhitelistEntryResolver,
  DispatchResolver,
  OfferResolver,
  DemandOffersResolver,
  LoanResolver,
  GuaranteeFundResolver,
  PolicyResolver,
  PolicyEffectResolver,
  ArticleResolver,
  FundClaimResolver,
  ClaimReviewResolver,
  ClaimHistoryEntryResolver,
  PolicyClaimsResolver,
  StatisticsResolver,
  InstitutionStatResolver,
  AuditResolver,
  WebhookResolver,
  WebhookDeliveryResolver,
  SubscriptionResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    // Subscriptions read the per-server event bus from the context; see subscription.resolver.ts.
    pubSub: noGlobalPubSub,
    // Inputs are validated by the services (userErrors with field paths), not by class-validator.
    validate: false,
    emitSchemaFile: false,
    // Contract types no field returns yet (kept so clients can rely on them).
    orphanedTypes: [CreditReportConnection],
  }).then(guardRootFields);
  return built;
}
