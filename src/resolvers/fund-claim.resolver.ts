import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FundClaim, FundClaimEvent, Policy } from '../entities';
import { ClaimStatus } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { EnterpriseType } from '../schema/types/enterprise.type';
import {
  ClaimHistoryEntryType,
  ClaimIdInput,
  ClaimReviewType,
  FundClaimConnection,
  FundClaimPayload,
  FundClaimType,
  PublicClaimNoticeConnection,
  PublicizeFundClaimsInput,
  PublicizeFundClaimsPayload,
  ReviewFundClaimInput,
  SubmitFundClaimInput,
} from '../schema/types/fund-claim.type';
import { PolicyType } from '../schema/types/policy.type';
import { UserType } from '../schema/types/user.type';
import { checkPageArgs } from '../services/pagination';

/** A review as served: the history entry with a decision, its actor kept for the reviewer field. */
type Review = ClaimReviewType & { reviewerId: string };

@Resolver(() => FundClaimType)
export class FundClaimResolver {
  @Query(() => FundClaimConnection, {
    description: "Enterprise: its own claims; regulator: claims on its department's policies. Newest first.",
  })
  async fundClaims(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [ClaimStatus], { nullable: true }) statuses?: ClaimStatus[] | null,
  ) {
    return toConnection(await ctx.services.fundClaims.list(ctx, statuses, checkPageArgs({ first, after })));
  }

  @Query(() => FundClaimType, { nullable: true })
  fundClaim(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.fundClaims.get(ctx, id);
  }

  @Query(() => PublicClaimNoticeConnection, {
    description:
      'Claims now in their publicity window (公示), newest first: the latest publicised first (then by id); ' +
      'a claim leaves the list when its publicity ends.',
  })
  async publicClaimNotices(
    @Ctx() ctx: GraphQLContext,
    @Arg('policyId', () => ID, { nullable: true }) policyId: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.fundClaims.notices(ctx, policyId, checkPageArgs({ first, after })));
  }

  @Mutation(() => FundClaimPayload)
  async submitFundClaim(
    @Arg('input', () => SubmitFundClaimInput) input: SubmitFundClaimInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.fundClaims.submit(ctx, input), (claim) => ({ claim }));
  }

  @Mutation(() => FundClaimPayload, { description: 'Only while SUBMITTED (not yet reviewed).' })
  async withdrawFundClaim(@Arg('input', () => ClaimIdInput) input: ClaimIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.fundClaims.withdraw(ctx, input), (claim) => ({ claim }));
  }

  @Mutation(() => FundClaimPayload, {
    description: 'Approval commits approvedAmount to the policy budget, never beyond it (LIMIT_EXCEEDED).',
  })
  async reviewFundClaim(
    @Arg('input', () => ReviewFundClaimInput) input: ReviewFundClaimInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.fundClaims.review(ctx, input), (claim) => ({ claim }));
  }

  @Mutation(() => PublicizeFundClaimsPayload, {
    description: 'All or nothing: each claim that is not an APPROVED claim of the policy is reported at its position.',
  })
  async publicizeFundClaims(
    @Arg('input', () => PublicizeFundClaimsInput) input: PublicizeFundClaimsInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.fundClaims.publicize(ctx, input), (claims) => ({ claims }), { claims: [] });
  }

  @Mutation(() => FundClaimPayload, { description: 'Only PUBLICIZED claims whose publicity has ended.' })
  async disburseFundClaim(@Arg('input', () => ClaimIdInput) input: ClaimIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.fundClaims.disburse(ctx, input), (claim) => ({ claim }));
  }

  @FieldResolver(() => PolicyType)
  policy(@Root() claim: FundClaim, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.policy.load(claim.policy.id);
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() claim: FundClaim, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(claim.enterprise.id);
  }

  @FieldResolver(() => [ClaimReviewType], { description: 'Oldest first.' })
  async reviews(@Root() claim: FundClaim, @Ctx() ctx: GraphQLContext): Promise<Review[]> {
    const events = await ctx.loaders.claimEvents.load(claim.id);
    return events
      .filter((e) => e.decision)
      .map((e) => ({
        decision: e.decision!,
        approvedAmount: e.approvedAmount ?? null,
        comment: e.comment ?? '',
        reviewedAt: e.at,
        reviewerId: e.actor.id,
      }));
  }

  @FieldResolver(() => [ClaimHistoryEntryType], {
    description: 'Every status change: submitted, reviewed, publicised, paid (with the payment reference), withdrawn.',
  })
  history(@Root() claim: FundClaim, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.claimEvents.load(claim.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The payment reference, once DISBURSED.' })
  paymentReference(@Root() claim: FundClaim): string | null {
    return claim.paymentReference ?? null;
  }
}

@Resolver(() => ClaimReviewType)
export class ClaimReviewResolver {
  @FieldResolver(() => UserType)
  reviewer(@Root() review: Review, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.user.load(review.reviewerId);
  }
}

@Resolver(() => ClaimHistoryEntryType)
export class ClaimHistoryEntryResolver {
  @FieldResolver(() => UserType, { description: 'Who made the change.' })
  actor(@Root() event: FundClaimEvent, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.user.load(event.actor.id);
  }
}

/** The claims side of a policy: for the regulators of its department only. */
@Resolver(() => PolicyType)
export class PolicyClaimsResolver {
  @FieldResolver(() => FundClaimConnection, {
    description: 'Regulators of the owning department only (FORBIDDEN for anyone else). Newest first.',
  })
  async claims(
    @Root() policy: Policy,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [ClaimStatus], { nullable: true }) statuses?: ClaimStatus[] | null,
  ) {
    ctx.services.fundClaims.checkPolicyClaimsReader(ctx, policy);
    const page = checkPageArgs({ first, after });
    const filter = statuses ?? [];
    if (page.after) return toConnection(await ctx.services.fundClaims.forPolicy(ctx, policy.id, filter, page));
    return toConnection(
      await ctx.loaders.claimPages.load({ policyId: policy.id, first: page.first, statuses: filter }),
    );
  }
}
