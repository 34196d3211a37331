import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { FinancialInstitutionType } from '../schema/types/organisation.type';
import {
  InstitutionStatType,
  PlatformStatisticsType,
  PublicStatisticsType,
  StatisticsFilterInput,
} from '../schema/types/statistics.type';

@Resolver()
export class StatisticsResolver {
  @Query(() => PlatformStatisticsType)
  platformStatistics(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => StatisticsFilterInput, { nullable: true }) filter: StatisticsFilterInput | null,
  ) {
    return ctx.services.statistics.platformStatistics(ctx, filter ?? {});
  }

  @Query(() => PublicStatisticsType)
  publicStatistics(@Ctx() ctx: GraphQLContext) {
    return ctx.services.statistics.publicStatistics(ctx);
  }
}

@Resolver(() => InstitutionStatType)
export class InstitutionStatResolver {
  @FieldResolver(() => FinancialInstitutionType)
  async institution(@Root() stat: InstitutionStatType, @Ctx() ctx: GraphQLContext) {
    return (await ctx.loaders.institution.load(stat.institutionId))!;
  }
}
