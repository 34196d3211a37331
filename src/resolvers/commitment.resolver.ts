import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CreditCommitment } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import {
  CreditCommitmentConnection,
  CreditCommitmentPayload,
  CreditCommitmentType,
  SignCreditCommitmentInput,
} from '../schema/types/consent.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => CreditCommitmentType)
export class CommitmentResolver {
  @Query(() => CreditCommitmentConnection)
  async creditCommitments(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.commitments.list(ctx, checkPageArgs({ first, after })));
  }

  @Mutation(() => CreditCommitmentPayload)
  async signCreditCommitment(
    @Arg('input', () => SignCreditCommitmentInput) input: SignCreditCommitmentInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.commitments.sign(ctx, input), (commitment) => ({ commitment }));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() c: CreditCommitment, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(c.enterpriseId);
  }
}
