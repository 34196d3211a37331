import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AuthorizationScope } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import {
  CreditReportType,
  EvaluateEnterpriseInput,
  EvaluateEnterprisePayload,
  IndicatorScoreType,
} from '../schema/types/credit-report.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { toReportNode, type ReportNode } from '../services/credit/report-node';
import { isUuid } from '../services/ids';

@Resolver(() => CreditReportType)
export class CreditReportResolver {
  @Query(() => CreditReportType, { nullable: true })
  async creditReport(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return isUuid(id) ? toReportNode(await ctx.loaders.report.load({ reportId: id })) : null;
  }

  @Mutation(() => EvaluateEnterprisePayload)
  async evaluateEnterprise(
    @Arg('input', () => EvaluateEnterpriseInput) input: EvaluateEnterpriseInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.creditReports.evaluate(ctx, input), (report) => ({
      // The regulator who asked reads it in full; the read itself is the evaluation, not logged twice.
      report: toReportNode({ report, scope: AuthorizationScope.FULL }),
    }));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() report: ReportNode, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(report.enterpriseId);
  }

  @FieldResolver(() => [IndicatorScoreType])
  indicators(@Root() report: ReportNode): IndicatorScoreType[] {
    return report.scope === AuthorizationScope.FULL ? report.indicators : [];
  }
}
