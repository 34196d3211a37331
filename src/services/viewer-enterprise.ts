import type { EntityManager } from '@mikro-orm/postgresql';
import { Enterprise } from '../entities';
import { NotFoundError } from './errors';
import type { RequestContext } from './request-context';

const reads = new WeakMap<EntityManager, Promise<Enterprise | null>>();

/**
 * The signed-in enterprise's own row, read once per request (per entity manager). myEnterprise,
 * recommendedProducts and matchedPolicies are sibling root fields that start together, before the
 * identity map holds the row, so each would read it again. Read paths only: a mutation reads the
 * row under its own lock.
 */
export function viewerEnterprise(ctx: RequestContext): Promise<Enterprise | null> {
  const id = ctx.viewer.enterpriseId;
  if (!id) return Promise.resolve(null);
  let read = reads.get(ctx.em);
  if (!read) {
    read = ctx.em.findOne(Enterprise, { id });
    reads.set(ctx.em, read);
  }
  return read;
}

/** viewerEnterprise for the services that only an enterprise reaches (the access rules say so). */
export async function viewerEnterpriseOrFail(ctx: RequestContext): Promise<Enterprise> {
  const enterprise = await viewerEnterprise(ctx);
  if (!enterprise) throw new NotFoundError('企业');
  return enterprise;
}
