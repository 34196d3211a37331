import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import { canReadSensitiveProfile, maskPersonName } from '../auth/enterprise-access';
import type { Enterprise } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { DecimalScalar } from '../schema/scalars';
import {
  EnterpriseFilterInput,
  RegisterEnterpriseInput,
  RegisterEnterprisePayload,
  UpdateEnterpriseProfileInput,
  UpdateEnterpriseProfilePayload,
} from '../schema/types/enterprise-input.type';
import { EnterpriseConnection, EnterpriseType } from '../schema/types/enterprise.type';
import { checkPageArgs } from '../services/pagination';

function sensitive(ctx: GraphQLContext, enterprise: { id: string }): Promise<boolean> {
  return canReadSensitiveProfile(ctx.viewer, enterprise.id, (id) => ctx.loaders.fullAuthorisation.load(id));
}

@Resolver(() => EnterpriseType)
export class EnterpriseResolver {
  @Query(() => EnterpriseType, { nullable: true })
  enterprise(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.enterprises.get(ctx, id);
  }

  @Query(() => EnterpriseConnection, {
    description:
      'Regulators: all; banks: enterprises that authorised them, have a demand open to them, or were dispatched to them.',
  })
  async enterprises(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => EnterpriseFilterInput, { nullable: true }) filter: EnterpriseFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.enterprises.list(ctx, filter ?? {}, checkPageArgs({ first, after })));
  }

  @Query(() => EnterpriseType, { nullable: true, description: "The signed-in enterprise user's own enterprise." })
  myEnterprise(@Ctx() ctx: GraphQLContext) {
    return ctx.services.enterprises.mine(ctx);
  }

  @Mutation(() => RegisterEnterprisePayload)
  async registerEnterprise(
    @Arg('input', () => RegisterEnterpriseInput) input: RegisterEnterpriseInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.enterprises.register(ctx, input), (created) => created);
  }

  @Mutation(() => UpdateEnterpriseProfilePayload)
  async updateEnterpriseProfile(
    @Arg('input', () => UpdateEnterpriseProfileInput) input: UpdateEnterpriseProfileInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.enterprises.updateProfile(ctx, input), (enterprise) => ({ enterprise }));
  }

  @FieldResolver(() => String, { description: 'Masked (e.g. 张*) for viewers without access.' })
  async legalRepresentative(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return (await sensitive(ctx, enterprise))
      ? enterprise.legalRepresentative
      : maskPersonName(enterprise.legalRepresentative);
  }

  @FieldResolver(() => Int, { nullable: true })
  async employees(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return (await sensitive(ctx, enterprise)) ? (enterprise.employees ?? null) : null;
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'Null for viewers without access.' })
  async annualRevenue(@Root() enterprise: Plain<Enterprise>, @Ctx() ctx: GraphQLContext) {
    return (await sensitive(ctx, enterprise)) ? (enterprise.annualRevenue ?? null) : null;
  }
}
