import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import { AuthPayload, LoginInput, LogoutInput, LogoutPayload, RefreshTokenInput } from '../schema/types/auth.type';
import { UserType } from '../schema/types/user.type';

@Resolver()
export class AuthResolver {
  @Query(() => UserType, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  me(@Ctx() ctx: GraphQLContext) {
    return ctx.viewer.userId ? ctx.services.users.findById(ctx, ctx.viewer.userId) : null;
  }

  @Mutation(() => AuthPayload)
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.auth.login(ctx, input), (s) => s);
  }

  @Mutation(() => AuthPayload)
  async refreshToken(@Arg('input', () => RefreshTokenInput) input: RefreshTokenInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.auth.refresh(ctx, input), (s) => s);
  }

  @Mutation(() => LogoutPayload)
  async logout(@Arg('input', () => LogoutInput) input: LogoutInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.auth.logout(ctx, input), () => ({ ok: true }), { ok: false });
  }
}
