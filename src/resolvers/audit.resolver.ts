import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AuditEvent } from '../entities';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { AuditEventConnection, AuditEventFilter, AuditEventType } from '../schema/types/audit.type';
import { UserType } from '../schema/types/user.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => AuditEventType)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit trail, newest first (regulators and admins).' })
  async auditEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.auditEvents.list(ctx, filter, checkPageArgs({ first, after })));
  }

  /** Null when the event had no signed-in actor or the user no longer exists. */
  @FieldResolver(() => UserType, { nullable: true })
  actor(@Root() event: AuditEvent, @Ctx() ctx: GraphQLContext) {
    return event.actorId ? ctx.loaders.user.load(event.actorId) : null;
  }
}
