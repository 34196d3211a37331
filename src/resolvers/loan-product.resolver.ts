import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Plain } from '../db/plain-rows';
import type { FinancialInstitution, LoanProduct } from '../entities';
import { ProductStatus, Role } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import {
  CreateLoanProductInput,
  LoanProductConnection,
  LoanProductFilterInput,
  LoanProductNode,
  LoanProductOrderInput,
  LoanProductPayload,
  ProductEligibilityType,
  ProductIdInput,
  ProductRecommendationType,
  ScheduleQuoteInput,
  ScheduleQuoteType,
  UpdateLoanProductInput,
} from '../schema/types/loan-product.type';
import { FinancialInstitutionType } from '../schema/types/organisation.type';
import { BadInputError } from '../services/errors';
import { checkPageArgs } from '../services/pagination';
import { quoteSchedule } from '../services/schedule-quote.service';

@Resolver(() => LoanProductNode)
export class LoanProductResolver {
  @Query(() => LoanProductConnection)
  async loanProducts(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => LoanProductFilterInput, { nullable: true }) filter: LoanProductFilterInput | null,
    @Arg('orderBy', () => LoanProductOrderInput, { nullable: true }) orderBy: LoanProductOrderInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    return toConnection(await ctx.services.loanProducts.list(ctx, filter ?? {}, orderBy, page));
  }

  @Query(() => LoanProductNode, { nullable: true })
  loanProduct(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.loanProducts.get(ctx, id);
  }

  @Query(() => [ProductRecommendationType], { description: 'For the signed-in enterprise, best first.' })
  recommendedProducts(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw new BadInputError('first 应在 1 到 100 之间', 'first');
    return ctx.services.loanProducts.recommend(ctx, first);
  }

  @Query(() => ScheduleQuoteType, { description: 'Repayment schedule calculator (还款计划试算).' })
  scheduleQuote(@Arg('input', () => ScheduleQuoteInput) input: ScheduleQuoteInput): ScheduleQuoteType {
    return quoteSchedule(input);
  }

  @Mutation(() => LoanProductPayload)
  async createLoanProduct(
    @Arg('input', () => CreateLoanProductInput) input: CreateLoanProductInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.loanProducts.create(ctx, input), (product) => ({ product }));
  }

  @Mutation(() => LoanProductPayload)
  async updateLoanProduct(
    @Arg('input', () => UpdateLoanProductInput) input: UpdateLoanProductInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.loanProducts.update(ctx, input), (product) => ({ product }));
  }

  @Mutation(() => LoanProductPayload)
  async publishLoanProduct(@Arg('input', () => ProductIdInput) input: ProductIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.loanProducts.publish(ctx, input), (product) => ({ product }));
  }

  @Mutation(() => LoanProductPayload)
  async unpublishLoanProduct(@Arg('input', () => ProductIdInput) input: ProductIdInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.loanProducts.unpublish(ctx, input), (product) => ({ product }));
  }

  @FieldResolver(() => FinancialInstitutionType)
  institution(@Root() product: Plain<LoanProduct>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.institution.load(product.institution.id);
  }

  @FieldResolver(() => ProductEligibilityType)
  eligibility(@Root() p: Plain<LoanProduct>): ProductEligibilityType {
    return {
      minGrade: p.minGrade ?? null,
      industryCodes: p.industryCodes,
      regionCodes: p.regionCodes,
      sizes: p.sizes,
      minYearsEstablished: p.minYearsEstablished ?? null,
    };
  }
}

/** FinancialInstitution.products: what the institution publishes (the bank itself sees all of its own). */
@Resolver(() => FinancialInstitutionType)
export class InstitutionProductsResolver {
  @FieldResolver(() => LoanProductConnection)
  async products(
    @Root() institution: Plain<FinancialInstitution>,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const own = ctx.viewer.role === Role.BANK && ctx.viewer.institutionId === institution.id;
    const page = checkPageArgs({ first, after });
    // Everyone else's first page comes batched across the institutions listed (one statement).
    if (!own && !page.after)
      return toConnection(await ctx.loaders.productPages.load(`${institution.id}:${page.first}`));
    const filter = { institutionIds: [institution.id], status: own ? null : ProductStatus.PUBLISHED };
    return toConnection(await ctx.services.loanProducts.list(ctx, filter, null, page));
  }
}
