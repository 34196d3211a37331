import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RiskWarning } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { RiskWarningConnection, RiskWarningFilterInput, RiskWarningType } from '../schema/types/consent.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => RiskWarningType)
export class RiskResolver {
  @Query(() => RiskWarningConnection)
  async riskWarnings(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => RiskWarningFilterInput, { nullable: true }) filter: RiskWarningFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.riskWarnings.list(ctx, filter ?? {}, checkPageArgs({ first, after })));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() w: RiskWarning, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(w.enterprise.id);
  }
}
