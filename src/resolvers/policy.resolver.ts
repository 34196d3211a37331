import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Policy } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { DepartmentType } from '../schema/types/organisation.type';
import {
  CreatePolicyInput,
  PolicyConnection,
  PolicyEligibilityType,
  PolicyFilterInput,
  PolicyIdInput,
  PolicyMatchType,
  PolicyPayload,
  PolicyType,
} from '../schema/types/policy.type';
import { BadInputError } from '../services/errors';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => PolicyType)
export class PolicyResolver {
  @Query(() => PolicyConnection, {
    description: 'Published and closed policies, newest first; regulators also see their department’s drafts.',
  })
  async policies(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => PolicyFilterInput, { nullable: true }) filter: PolicyFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.policies.list(ctx, filter ?? {}, checkPageArgs({ first, after })));
  }

  @Query(() => PolicyType, { nullable: true })
  policy(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.policies.get(ctx, id);
  }

  @Query(() => [PolicyMatchType], {
    description:
      'For the signed-in enterprise: every policy open today, eligible ones first, with what it does not meet.',
  })
  matchedPolicies(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new BadInputError('first 应在 1 到 100 之间', 'first');
    }
    return ctx.services.policies.matched(ctx, first);
  }

  @Mutation(() => PolicyPayload)
  async createPolicy(@Arg('input', () => CreatePolicyInput) input: CreatePolicyInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.policies.create(ctx, input), (policy) => ({ policy }));
  }

  @Mutation(() => PolicyPayload)
  async publishPolicy(@Arg('input', () => PolicyIdInput) input: PolicyIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.policies.publish(ctx, input), (policy) => ({ policy }));
  }

  @Mutation(() => PolicyPayload)
  async closePolicy(@Arg('input', () => PolicyIdInput) input: PolicyIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.policies.close(ctx, input), (policy) => ({ policy }));
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() policy: Policy, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.department.load(policy.department.id);
  }

  @FieldResolver(() => PolicyEligibilityType)
  eligibility(@Root() p: Policy): PolicyEligibilityType {
    return {
      industryCodes: p.industryCodes,
      regionCodes: p.regionCodes,
      sizes: p.sizes,
      minGrade: p.minGrade ?? null,
      minYearsEstablished: p.minYearsEstablished ?? null,
      noPenaltyMonths: p.noPenaltyMonths ?? null,
    };
  }
}
