import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Policy } from '../entities';
import { Role } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { PolicyEffectType, PolicyType } from '../schema/types/policy.type';

@Resolver(() => PolicyType)
export class PolicyEffectResolver {
  /** Batched across the policies of a request (one statement); docs/policies.md defines the figures. */
  @FieldResolver(() => PolicyEffectType, {
    nullable: true,
    description:
      "Regulators of the policy's department only (null otherwise). Changes compare the 12 months after each " +
      "beneficiary's first disbursement with the 12 months before; employees are average monthly headcounts.",
  })
  effect(@Root() policy: Policy, @Ctx() ctx: GraphQLContext) {
    const { viewer } = ctx;
    if (viewer.role !== Role.REGULATOR || !viewer.departmentId) return null;
    if (policy.department.id !== viewer.departmentId) return null;
    return ctx.loaders.policyEffect.load(policy.id);
  }
}
