import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import {
  CreateDepartmentInput,
  CreateDepartmentPayload,
  CreateInstitutionInput,
  CreateInstitutionPayload,
} from '../schema/types/admin.type';
import {
  DepartmentType,
  FinancialInstitutionConnection,
  FinancialInstitutionType,
} from '../schema/types/organisation.type';
import { checkPageArgs } from '../services/pagination';

@Resolver()
export class OrganisationResolver {
  @Query(() => FinancialInstitutionConnection)
  async institutions(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.organisations.institutions(ctx, checkPageArgs({ first, after })));
  }

  @Query(() => [DepartmentType])
  departments(@Ctx() ctx: GraphQLContext) {
    return ctx.services.organisations.departments(ctx);
  }

  @Query(() => FinancialInstitutionType, { nullable: true })
  myInstitution(@Ctx() ctx: GraphQLContext) {
    return ctx.viewer.institutionId ? ctx.loaders.institution.load(ctx.viewer.institutionId) : null;
  }

  @Mutation(() => CreateInstitutionPayload)
  async createInstitution(
    @Arg('input', () => CreateInstitutionInput) input: CreateInstitutionInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.organisations.createInstitution(ctx, input), (institution) => ({
      institution,
    }));
  }

  @Mutation(() => CreateDepartmentPayload)
  async createDepartment(
    @Arg('input', () => CreateDepartmentInput) input: CreateDepartmentInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.organisations.createDepartment(ctx, input), (department) => ({
      department,
    }));
  }
}
