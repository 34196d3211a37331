import { Resolver, Root, Subscription, type PubSub, type SubscribeResolverData } from 'type-graphql';
import type { FinancingDemand, FundClaim, Loan, Offer } from '../entities';
import { Role } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { eventStream } from '../server/subscriptions';
import { FinancingDemandType } from '../schema/types/demand.type';
import { FundClaimType } from '../schema/types/fund-claim.type';
import { LoanType } from '../schema/types/loan.type';
import { OfferType } from '../schema/types/offer.type';

type Data = SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>;

/**
 * type-graphql insists on a global pubSub as soon as one subscription exists. Ours take their
 * events from the per-server bus in the context (`subscribe` below), so this one only refuses.
 */
export const noGlobalPubSub: PubSub = {
  publish() {
    throw new Error('publish domain events on ctx.events');
  },
  subscribe() {
    throw new Error('subscriptions read ctx.events');
  },
};

/**
 * Live updates. Each event names a row; every subscriber reloads it through the service's scoped
 * getter under its own viewer and receives it only when that read would show it. Role gates come
 * from the access registry (checked when subscribing, see guardRootFields).
 */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => FinancingDemandType, {
    description: 'Banks: a demand they may bid on was published.',
    subscribe: ({ context }: Data) =>
      eventStream(context, 'demandPublished', {
        admits: () => context.viewer.role === Role.BANK,
        // The bank's market scope: OPEN, unexpired, accepting a type of product it publishes.
        load: (ctx, event) => ctx.services.demands.get(ctx, event.demandId),
      }),
  })
  demandPublished(@Root() demand: FinancingDemand): FinancingDemand {
    return demand;
  }

  @Subscription(() => OfferType, {
    description: 'Enterprises: an offer arrived on one of their demands.',
    subscribe: ({ context }: Data) =>
      eventStream(context, 'offerReceived', {
        admits: (event) =>
          context.viewer.role === Role.ENTERPRISE && event.enterpriseId === context.viewer.enterpriseId,
        load: (ctx, event) => ctx.services.offers.get(ctx, event.offerId),
      }),
  })
  offerReceived(@Root() offer: Offer): Offer {
    return offer;
  }

  @Subscription(() => LoanType, {
    description: 'The borrower and the lender: a loan changed status.',
    subscribe: ({ context }: Data) =>
      eventStream(context, 'loanUpdated', {
        admits: (event) => {
          const { viewer } = context;
          if (viewer.role === Role.ENTERPRISE) return event.enterpriseId === viewer.enterpriseId;
          if (viewer.role === Role.BANK) return event.institutionId === viewer.institutionId;
          return false;
        },
        load: (ctx, event) => ctx.services.loans.get(ctx, event.loanId),
      }),
  })
  loanUpdated(@Root() loan: Loan): Loan {
    return loan;
  }

  @Subscription(() => FundClaimType, {
    description: "The owning enterprise and the policy's department: a claim changed status.",
    subscribe: ({ context }: Data) =>
      eventStream(context, 'fundClaimUpdated', {
        admits: (event) => {
          const { viewer } = context;
          if (viewer.role === Role.ENTERPRISE) return event.enterpriseId === viewer.enterpriseId;
          if (viewer.role === Role.REGULATOR) return event.departmentId === viewer.departmentId;
          return false;
        },
        load: (ctx, event) => ctx.services.fundClaims.get(ctx, event.claimId),
      }),
  })
  fundClaimUpdated(@Root() claim: FundClaim): FundClaim {
    return claim;
  }
}
