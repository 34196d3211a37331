import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import type { Enterprise } from '../entities';
import { CreditGrade, RiskLevel, Role } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import {
  CreditAuthorizationConnection,
  CreditCommitmentType,
  ReportAccessConnection,
  VerifyEnterpriseInput,
} from '../schema/types/consent.type';
import { CreditReportType } from '../schema/types/credit-report.type';
import { VerifyEnterprisePayload } from '../schema/types/enterprise-input.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { toReportNode } from '../services/credit/report-node';
import { checkPageArgs } from '../services/pagination';

/** The credit side of an enterprise: grade, report, risk, consents and who read the report. */
@Resolver(() => EnterpriseType)
export class EnterpriseCreditResolver {
  @Mutation(() => VerifyEnterprisePayload)
  async verifyEnterprise(
    @Arg('input', () => VerifyEnterpriseInput) input: VerifyEnterpriseInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    const result = await ctx.services.verification.verify(ctx, input);
    // A mismatch is both a change (REJECTED) and a userError naming it.
    return result.ok
      ? { enterprise: result.value.enterprise, userErrors: result.value.problems }
      : { enterprise: null, userErrors: result.errors };
  }

  @FieldResolver(() => CreditGrade, {
    nullable: true,
    description: 'Current grade; visible to every signed-in viewer.',
  })
  creditGrade(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return ctx.viewer.userId ? (enterprise.creditGrade ?? null) : null;
  }

  @FieldResolver(() => CreditReportType, {
    nullable: true,
    description: 'Latest credit report; null unless the viewer may read it (the access is recorded).',
  })
  async creditReport(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return toReportNode(await ctx.loaders.report.load({ enterpriseId: enterprise.id }));
  }

  /** The enterprise itself, regulators and banks with a FULL authorisation; null for others. */
  @FieldResolver(() => RiskLevel, { nullable: true })
  async riskLevel(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    const { viewer } = ctx;
    const visible =
      viewer.role === Role.REGULATOR ||
      (viewer.role === Role.ENTERPRISE && viewer.enterpriseId === enterprise.id) ||
      (viewer.role === Role.BANK && (await ctx.loaders.fullAuthorisation.load(enterprise.id)));
    return visible ? ctx.loaders.riskLevel.load(enterprise.id) : null;
  }

  @FieldResolver(() => [CreditCommitmentType])
  commitments(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.commitments.load(enterprise.id);
  }

  @FieldResolver(() => ReportAccessConnection, {
    description: "Who read this enterprise's credit report (征信查询记录): the enterprise itself and regulators only.",
  })
  async reportAccesses(
    @Root() enterprise: Plain<Enterprise>,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    if (page.after)
      return toConnection(await ctx.services.authorizations.accessesForEnterprise(ctx, enterprise.id, page));
    // First pages of many enterprises in one statement (a list of enterprises asking for this).
    ctx.services.authorizations.checkAccessLogReader(ctx, enterprise.id);
    return toConnection(await ctx.loaders.accessPages.load(`${enterprise.id}:${page.first}`));
  }

  @FieldResolver(() => CreditAuthorizationConnection)
  async authorizations(
    @Root() enterprise: Plain<Enterprise>,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    if (page.after) return toConnection(await ctx.services.authorizations.listForEnterprise(ctx, enterprise.id, page));
    ctx.services.authorizations.authorizationScope(ctx, enterprise.id);
    return toConnection(await ctx.loaders.authorizationPages.load(`${enterprise.id}:${page.first}`));
  }
}
