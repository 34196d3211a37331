import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Dispatch, Whitelist, WhitelistEntry } from '../entities';
import { DispatchStatus } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { LoanProductNode } from '../schema/types/loan-product.type';
import { DepartmentType, FinancialInstitutionType } from '../schema/types/organisation.type';
import {
  DispatchConnection,
  DispatchPayload,
  DispatchType,
  DispatchWhitelistInput,
  DispatchWhitelistPayload,
  RespondToDispatchInput,
  UploadWhitelistInput,
  WhitelistConnection,
  WhitelistEntryConnection,
  WhitelistEntryType,
  WhitelistPayload,
  WhitelistType,
} from '../schema/types/whitelist.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => WhitelistType)
export class WhitelistResolver {
  @Query(() => WhitelistConnection, { description: "Regulator: its department's whitelists, newest first." })
  async whitelists(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.whitelists.list(ctx, checkPageArgs({ first, after })));
  }

  @Mutation(() => WhitelistPayload)
  async uploadWhitelist(
    @Arg('input', () => UploadWhitelistInput) input: UploadWhitelistInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.whitelists.upload(ctx, input), (whitelist) => ({ whitelist }));
  }

  @Mutation(() => DispatchWhitelistPayload)
  async dispatchWhitelist(
    @Arg('input', () => DispatchWhitelistInput) input: DispatchWhitelistInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DispatchWhitelistPayload> {
    const result = await ctx.services.dispatches.dispatchWhitelist(ctx, input);
    // Entries no bank could take are reported beside the dispatches that were made.
    return result.ok
      ? { dispatched: result.value.dispatched, userErrors: result.value.unassigned }
      : { dispatched: 0, userErrors: result.errors };
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() whitelist: Whitelist, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.department.load(whitelist.department.id);
  }

  @FieldResolver(() => WhitelistEntryConnection, { description: 'In upload order.' })
  async entries(
    @Root() whitelist: Whitelist,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    if (page.after) return toConnection(await ctx.services.whitelists.entries(ctx, whitelist, page));
    // First pages of a whole list of whitelists in one statement.
    return toConnection(await ctx.loaders.whitelistEntryPages.load(`${whitelist.id}:${page.first}`));
  }
}

@Resolver(() => WhitelistEntryType)
export class WhitelistEntryResolver {
  @FieldResolver(() => EnterpriseType, {
    nullable: true,
    description: 'Null until an enterprise with this USCC registers.',
  })
  enterprise(@Root() entry: WhitelistEntry, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.enterpriseByUscc.load(entry.uscc);
  }

  @FieldResolver(() => [DispatchType], {
    description: 'Newest first; a bank sees only those to itself (not which banks declined before it).',
  })
  dispatches(@Root() entry: WhitelistEntry, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.entryDispatches.load(entry.id);
  }
}

@Resolver(() => DispatchType)
export class DispatchResolver {
  @Query(() => DispatchConnection, {
    description: "Bank: dispatches assigned to it; regulator: those of its department's whitelists. Newest first.",
  })
  async dispatches(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [DispatchStatus], { nullable: true }) statuses?: DispatchStatus[] | null,
  ) {
    return toConnection(await ctx.services.dispatches.list(ctx, statuses, checkPageArgs({ first, after })));
  }

  @Mutation(() => DispatchPayload)
  async respondToDispatch(
    @Arg('input', () => RespondToDispatchInput) input: RespondToDispatchInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.dispatches.respond(ctx, input), (dispatch) => ({ dispatch }));
  }

  @FieldResolver(() => WhitelistEntryType)
  async entry(@Root() dispatch: Dispatch, @Ctx() ctx: GraphQLContext) {
    return (await ctx.loaders.whitelistEntry.load(dispatch.entry.id))!;
  }

  @FieldResolver(() => FinancialInstitutionType)
  institution(@Root() dispatch: Dispatch, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.institution.load(dispatch.institution.id);
  }

  @FieldResolver(() => LoanProductNode, {
    nullable: true,
    description: 'The product the enterprise was matched to at dispatch (the lowest-rate one it is eligible for).',
  })
  product(@Root() dispatch: Dispatch, @Ctx() ctx: GraphQLContext) {
    return dispatch.product ? ctx.loaders.loanProduct.load(dispatch.product.id) : null;
  }
}
