import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { CreditAuthorization, ReportAccess } from '../entities';
import { AuthorizationStatus, Role } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import {
  CreditAuthorizationType,
  GrantCreditAuthorizationInput,
  GrantCreditAuthorizationPayload,
  ReportAccessType,
  RevokeCreditAuthorizationInput,
  RevokeCreditAuthorizationPayload,
} from '../schema/types/consent.type';
import { FinancingDemandType } from '../schema/types/demand.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { FinancialInstitutionType } from '../schema/types/organisation.type';
import { UserType } from '../schema/types/user.type';

@Resolver(() => CreditAuthorizationType)
export class CreditAuthorizationResolver {
  @Mutation(() => GrantCreditAuthorizationPayload)
  async grantCreditAuthorization(
    @Arg('input', () => GrantCreditAuthorizationInput) input: GrantCreditAuthorizationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.authorizations.grant(ctx, input), (authorization) => ({ authorization }));
  }

  @Mutation(() => RevokeCreditAuthorizationPayload)
  async revokeCreditAuthorization(
    @Arg('input', () => RevokeCreditAuthorizationInput) input: RevokeCreditAuthorizationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.authorizations.revoke(ctx, input), (authorization) => ({ authorization }));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() a: CreditAuthorization, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(a.enterpriseId);
  }

  @FieldResolver(() => FinancialInstitutionType)
  institution(@Root() a: CreditAuthorization, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.institution.load(a.institutionId);
  }

  /** The enterprise's own demand the consent is for; whoever sees the consent may see it. */
  @FieldResolver(() => FinancingDemandType, { nullable: true })
  demand(@Root() a: CreditAuthorization, @Ctx() ctx: GraphQLContext) {
    return a.demandId ? ctx.loaders.demandById.load(a.demandId) : null;
  }

  /** Computed from the request's clock: consent lapses without any job running. */
  @FieldResolver(() => AuthorizationStatus)
  status(@Root() a: CreditAuthorization, @Ctx() ctx: GraphQLContext) {
    return a.statusAt(ctx.now());
  }
}

@Resolver(() => ReportAccessType)
export class ReportAccessResolver {
  @FieldResolver(() => FinancialInstitutionType, { nullable: true })
  institution(@Root() r: ReportAccess, @Ctx() ctx: GraphQLContext) {
    return r.institutionId ? ctx.loaders.institution.load(r.institutionId) : null;
  }

  /** Regulators see which person read; the enterprise sees the institution (a bank's logins are not its business). */
  @FieldResolver(() => UserType, { nullable: true })
  user(@Root() r: ReportAccess, @Ctx() ctx: GraphQLContext) {
    return r.userId && ctx.viewer.role === Role.REGULATOR ? ctx.loaders.user.load(r.userId) : null;
  }

  @FieldResolver(() => CreditAuthorizationType, { nullable: true })
  authorization(@Root() r: ReportAccess, @Ctx() ctx: GraphQLContext) {
    return r.authorizationId ? ctx.loaders.authorization.load(r.authorizationId) : null;
  }
}
