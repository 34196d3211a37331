import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import {
  CreditRecordConnection,
  ImportCreditRecordsInput,
  ImportCreditRecordsPayload,
} from '../schema/types/credit-record.type';
import { checkPageArgs } from '../services/pagination';

@Resolver()
export class CreditRecordResolver {
  @Mutation(() => ImportCreditRecordsPayload)
  async importCreditRecords(
    @Arg('input', () => ImportCreditRecordsInput) input: ImportCreditRecordsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportCreditRecordsPayload> {
    const result = await ctx.services.creditRecords.import(ctx, input);
    if (!result.ok)
      return { inserted: 0, updated: 0, rejected: input.records.length, reevaluated: 0, userErrors: result.errors };
    const { errors, ...counts } = result.value;
    return { ...counts, userErrors: errors };
  }

  @Query(() => CreditRecordConnection)
  async creditRecords(
    @Ctx() ctx: GraphQLContext,
    @Arg('enterpriseId', () => ID) enterpriseId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.creditRecords.list(ctx, enterpriseId, checkPageArgs({ first, after })));
  }
}
