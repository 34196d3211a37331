import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { User } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toPayload } from '../schema/payload';
import { CreateUserInput, CreateUserPayload } from '../schema/types/admin.type';
import { EnterpriseType } from '../schema/types/enterprise.type';
import { DepartmentType, FinancialInstitutionType } from '../schema/types/organisation.type';
import { UserType } from '../schema/types/user.type';

@Resolver(() => UserType)
export class UserResolver {
  @Mutation(() => CreateUserPayload)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: GraphQLContext) {
    return toPayload(await ctx.services.users.createUser(ctx, input), (user) => ({ user }));
  }

  @FieldResolver(() => EnterpriseType, { nullable: true })
  enterprise(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return user.enterprise ? ctx.loaders.enterprise.load(user.enterprise.id) : null;
  }

  @FieldResolver(() => FinancialInstitutionType, { nullable: true })
  institution(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return user.institution ? ctx.loaders.institution.load(user.institution.id) : null;
  }

  @FieldResolver(() => DepartmentType, { nullable: true })
  department(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return user.department ? ctx.loaders.department.load(user.department.id) : null;
  }
}
