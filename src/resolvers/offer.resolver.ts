import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import type { FinancingDemand, Offer } from '../entities';
import { OfferStatus } from '../entities/enums';
import { offerStatusAt } from '../entities/offer.entity';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { FinancingDemandType } from '../schema/types/demand.type';
import { LoanProductNode } from '../schema/types/loan-product.type';
import { LoanType } from '../schema/types/loan.type';
import {
  AcceptOfferPayload,
  MakeOfferInput,
  OfferConnection,
  OfferIdInput,
  OfferPayload,
  OfferType,
} from '../schema/types/offer.type';
import { FinancialInstitutionType } from '../schema/types/organisation.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => OfferType)
export class OfferResolver {
  @Query(() => OfferConnection, {
    description: 'Enterprise: offers on its own demands; bank: its own offers; regulator: all. Newest first.',
  })
  async offers(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [OfferStatus], { nullable: true }) statuses?: OfferStatus[] | null,
  ) {
    return toConnection(await ctx.services.offers.list(ctx, statuses, checkPageArgs({ first, after })));
  }

  @Mutation(() => OfferPayload)
  async makeOffer(@Arg('input', () => MakeOfferInput) input: MakeOfferInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.offers.make(ctx, input), (offer) => ({ offer }));
  }

  @Mutation(() => OfferPayload)
  async withdrawOffer(@Arg('input', () => OfferIdInput) input: OfferIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.offers.withdraw(ctx, input), (offer) => ({ offer }));
  }

  @Mutation(() => AcceptOfferPayload)
  async acceptOffer(@Arg('input', () => OfferIdInput) input: OfferIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.offers.accept(ctx, input), (accepted) => accepted);
  }

  @FieldResolver(() => FinancingDemandType)
  demand(@Root() offer: Plain<Offer>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.demandById.load(offer.demand.id);
  }

  @FieldResolver(() => FinancialInstitutionType)
  institution(@Root() offer: Plain<Offer>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.institution.load(offer.institution.id);
  }

  @FieldResolver(() => LoanProductNode)
  product(@Root() offer: Plain<Offer>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.loanProduct.load(offer.product.id);
  }

  @FieldResolver(() => OfferStatus)
  status(@Root() offer: Plain<Offer>, @Ctx() ctx: GraphQLContext) {
    return offerStatusAt(offer, ctx.now());
  }
}

/** The marketplace side of a demand: its offers (a bank sees only its own), their count, the winner, the loan. */
@Resolver(() => FinancingDemandType)
export class DemandOffersResolver {
  @FieldResolver(() => OfferConnection, {
    description: 'A bank sees only its own offers; the enterprise and regulators see all.',
  })
  async offers(
    @Root() demand: Plain<FinancingDemand>,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    if (page.after) return toConnection(await ctx.services.offers.forDemand(ctx, demand.id, page));
    return toConnection(await ctx.loaders.offerPages.load(`${demand.id}:${page.first}`));
  }

  @FieldResolver(() => Int, {
    description: 'PENDING and ACCEPTED offers of every bank: banks may see that competition exists, never its terms.',
  })
  offerCount(@Root() demand: Plain<FinancingDemand>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.offerCount.load(demand.id);
  }

  @FieldResolver(() => OfferType, {
    nullable: true,
    description: 'Null for a bank whose offer was not the one accepted.',
  })
  acceptedOffer(@Root() demand: Plain<FinancingDemand>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.acceptedOffer.load(demand.id);
  }

  @FieldResolver(() => LoanType, { nullable: true })
  loan(@Root() demand: Plain<FinancingDemand>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.demandLoan.load(demand.id);
  }
}
