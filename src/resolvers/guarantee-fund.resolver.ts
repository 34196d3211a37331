import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GuaranteeFund } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import { CreateGuaranteeFundInput, GuaranteeFundPayload, GuaranteeFundType } from '../schema/types/guarantee-fund.type';
import { DepartmentType } from '../schema/types/organisation.type';
import { DecimalScalar } from '../schema/scalars';

@Resolver(() => GuaranteeFundType)
export class GuaranteeFundResolver {
  @Query(() => [GuaranteeFundType], { description: 'Every fund, newest first, with its exposure.' })
  guaranteeFunds(@Ctx() ctx: GraphQLContext) {
    return ctx.services.guaranteeFunds.list(ctx);
  }

  @Mutation(() => GuaranteeFundPayload)
  async createGuaranteeFund(
    @Arg('input', () => CreateGuaranteeFundInput) input: CreateGuaranteeFundInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.guaranteeFunds.create(ctx, input), (fund) => ({ fund }));
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() fund: GuaranteeFund, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.department.load(fund.department.id);
  }

  @FieldResolver(() => Int)
  async coveredLoanCount(@Root() fund: GuaranteeFund, @Ctx() ctx: GraphQLContext) {
    return (await ctx.loaders.fundFigures.load(fund.id)).coveredLoanCount;
  }

  @FieldResolver(() => DecimalScalar, {
    description: 'Σ outstanding principal × share over covered loans not yet compensated.',
  })
  async outstandingCoverage(@Root() fund: GuaranteeFund, @Ctx() ctx: GraphQLContext) {
    return (await ctx.loaders.fundFigures.load(fund.id)).outstandingCoverage;
  }

  @FieldResolver(() => DecimalScalar)
  async compensationPaid(@Root() fund: GuaranteeFund, @Ctx() ctx: GraphQLContext) {
    return (await ctx.loaders.fundFigures.load(fund.id)).compensationPaid;
  }
}
