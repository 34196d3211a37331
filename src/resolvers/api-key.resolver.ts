import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import {
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
} from '../schema/types/auth.type';
import { ApiKeyType } from '../schema/types/user.type';

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKeyType])
  myApiKeys(@Ctx() ctx: GraphQLContext) {
    return ctx.services.apiKeys.mine(ctx);
  }

  @Mutation(() => CreateApiKeyPayload)
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.apiKeys.create(ctx, input), (created) => created);
  }

  @Mutation(() => RevokeApiKeyPayload)
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.apiKeys.revoke(ctx, input), (apiKey) => ({ apiKey }));
  }
}
