import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import type { Enterprise, FinancingDemand } from '../entities';
import { DemandStatus } from '../entities/enums';
import { demandStatusAt } from '../entities/financing-demand.entity';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import {
  DemandIdInput,
  DemandPayload,
  FinancingDemandConnection,
  FinancingDemandFilterInput,
  FinancingDemandType,
  PublishDemandInput,
} from '../schema/types/demand.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => FinancingDemandType)
export class DemandResolver {
  @Query(() => FinancingDemandConnection, {
    description: 'Enterprise: own demands; bank: OPEN demands it may bid on plus those it bid on; regulator: all.',
  })
  async demands(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => FinancingDemandFilterInput, { nullable: true }) filter: FinancingDemandFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.demands.list(ctx, filter ?? {}, checkPageArgs({ first, after })));
  }

  @Query(() => FinancingDemandType, { nullable: true })
  demand(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.demands.get(ctx, id);
  }

  @Mutation(() => DemandPayload)
  async publishDemand(@Arg('input', () => PublishDemandInput) input: PublishDemandInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.demands.publish(ctx, input), (demand) => ({ demand }));
  }

  @Mutation(() => DemandPayload)
  async withdrawDemand(@Arg('input', () => DemandIdInput) input: DemandIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.demands.withdraw(ctx, input), (demand) => ({ demand }));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() demand: Plain<FinancingDemand>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(demand.enterprise.id);
  }

  @FieldResolver(() => DemandStatus)
  status(@Root() demand: Plain<FinancingDemand>, @Ctx() ctx: GraphQLContext) {
    return demandStatusAt(demand, ctx.now());
  }
}

@Resolver(() => EnterpriseType)
export class EnterpriseDemandsResolver {
  @FieldResolver(() => FinancingDemandConnection)
  async demands(
    @Root() enterprise: Plain<Enterprise>,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    if (page.after) return toConnection(await ctx.services.demands.forEnterprise(ctx, enterprise.id, page));
    // First pages of a whole list of enterprises in one statement.
    ctx.services.demands.checkDemandReader(ctx);
    return toConnection(await ctx.loaders.demandPages.load(`${enterprise.id}:${page.first}`));
  }
}
