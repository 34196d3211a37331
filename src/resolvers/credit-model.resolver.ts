import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CreditModel } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import {
  ActivateCreditModelInput,
  ActivateCreditModelPayload,
  CreateCreditModelInput,
  CreateCreditModelPayload,
  CreditModelType,
  IndicatorWeightType,
} from '../schema/types/credit-report.type';
import { INDICATORS } from '../services/credit/indicators';

@Resolver(() => CreditModelType)
export class CreditModelResolver {
  @Query(() => [CreditModelType])
  creditModels(@Ctx() ctx: GraphQLContext) {
    return ctx.services.creditModels.list(ctx);
  }

  @Query(() => CreditModelType)
  activeCreditModel(@Ctx() ctx: GraphQLContext) {
    return ctx.services.creditModels.active(ctx);
  }

  @Mutation(() => CreateCreditModelPayload)
  async createCreditModel(
    @Arg('input', () => CreateCreditModelInput) input: CreateCreditModelInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.creditModels.create(ctx, input), (model) => ({ model }));
  }

  @Mutation(() => ActivateCreditModelPayload)
  async activateCreditModel(
    @Arg('input', () => ActivateCreditModelInput) input: ActivateCreditModelInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.creditModels.activate(ctx, input), (v) => v, { reevaluated: 0 });
  }

  /** Every indicator of the catalogue with this model's weight (0 when the model leaves it out). */
  @FieldResolver(() => [IndicatorWeightType])
  indicators(@Root() model: CreditModel): IndicatorWeightType[] {
    return INDICATORS.map((i) => ({
      code: i.code,
      name: i.name,
      category: i.category,
      weight: model.weights[i.code] ?? 0,
    }));
  }
}
