import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import type { Loan } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { FinancingDemandType } from '../schema/types/demand.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { ClaimCompensationInput } from '../schema/types/guarantee-fund.type';
import { InstallmentType, LoanProductNode } from '../schema/types/loan-product.type';
import {
  DeclineLoanInput,
  DisburseLoanInput,
  GrantCreditInput,
  LoanConnection,
  LoanEventNode,
  LoanFilterInput,
  LoanGuaranteeType,
  LoanPayload,
  LoanType,
  MarkLoanOverdueInput,
  RecordRepaymentInput,
} from '../schema/types/loan.type';
import { OfferType } from '../schema/types/offer.type';
import { FinancialInstitutionType } from '../schema/types/organisation.type';
import { loanSchedule } from '../services/loan.service';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => LoanType)
export class LoanResolver {
  @Query(() => LoanConnection, { description: 'Enterprise: its own; bank: the loans it made; regulator: all.' })
  async loans(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => LoanFilterInput, { nullable: true }) filter: LoanFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.loans.list(ctx, filter ?? {}, checkPageArgs({ first, after })));
  }

  @Query(() => LoanType, { nullable: true })
  loan(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.loans.get(ctx, id);
  }

  @Mutation(() => LoanPayload)
  async grantCredit(@Arg('input', () => GrantCreditInput) input: GrantCreditInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.loans.grantCredit(ctx, input), (loan) => ({ loan }));
  }

  @Mutation(() => LoanPayload)
  async declineLoan(@Arg('input', () => DeclineLoanInput) input: DeclineLoanInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.loans.declineLoan(ctx, input), (loan) => ({ loan }));
  }

  @Mutation(() => LoanPayload)
  async disburseLoan(@Arg('input', () => DisburseLoanInput) input: DisburseLoanInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.loans.disburseLoan(ctx, input), (loan) => ({ loan }));
  }

  @Mutation(() => LoanPayload)
  async recordRepayment(
    @Arg('input', () => RecordRepaymentInput) input: RecordRepaymentInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.loans.recordRepayment(ctx, input), (loan) => ({ loan }));
  }

  @Mutation(() => LoanPayload)
  async markLoanOverdue(
    @Arg('input', () => MarkLoanOverdueInput) input: MarkLoanOverdueInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.loans.markLoanOverdue(ctx, input), (loan) => ({ loan }));
  }

  @Mutation(() => LoanPayload)
  async claimCompensation(
    @Arg('input', () => ClaimCompensationInput) input: ClaimCompensationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.loans.claimCompensation(ctx, input), (loan) => ({ loan }));
  }

  @FieldResolver(() => EnterpriseType)
  enterprise(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterprise.load(loan.enterprise.id);
  }

  @FieldResolver(() => FinancialInstitutionType)
  institution(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.institution.load(loan.institution.id);
  }

  @FieldResolver(() => LoanProductNode)
  product(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.loanProduct.load(loan.product.id);
  }

  @FieldResolver(() => FinancingDemandType, { nullable: true })
  demand(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return loan.demand ? ctx.loaders.demandById.load(loan.demand.id) : null;
  }

  @FieldResolver(() => OfferType, { nullable: true })
  offer(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return loan.offer ? ctx.loaders.offerById.load(loan.offer.id) : null;
  }

  @FieldResolver(() => [InstallmentType], {
    description:
      'From the loan’s terms: principal disbursed (credit amount before the first disbursement, the offer’s amount before the grant), from the first disbursement date (grant date before it).',
  })
  async schedule(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    const needsOffer = !loan.creditAmount && loan.offer && loan.disbursedAmount === '0.00';
    const offer = needsOffer ? await ctx.loaders.offerById.load(loan.offer!.id) : null;
    return loanSchedule(loan, offer?.amount);
  }

  @FieldResolver(() => [LoanEventNode], { description: 'Every change, in the order it happened.' })
  events(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.loanEvents.load(loan.id);
  }

  @FieldResolver(() => LoanGuaranteeType, { nullable: true })
  async guarantee(@Root() loan: Plain<Loan>, @Ctx() ctx: GraphQLContext): Promise<LoanGuaranteeType | null> {
    if (!loan.guaranteeFund) return null;
    const fund = await ctx.loaders.fund.load(loan.guaranteeFund.id);
    return {
      fund: fund!,
      fundSharePercent: loan.fundSharePercent!,
      coveredAmount: loan.coveredAmount!,
      compensatedAmount: loan.compensatedAmount ?? null,
    };
  }
}
