import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import { Department, Enterprise, FinancialInstitution } from '../entities';
import type { RequestContext } from '../services/request-context';

/** One SELECT … WHERE id IN (…) for every id asked for in the same tick. */
function byId<T extends { id: string }>(ctx: RequestContext, entity: EntityClass<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await ctx.em.find(entity, { id: { $in: [...ids] } } as never);
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Per-request loaders: created with the request, never shared (they cache what one viewer saw). */
export function createLoaders(ctx: RequestContext) {
  return {
    enterprise: byId(ctx, Enterprise),
    institution: byId(ctx, FinancialInstitution),
    department: byId(ctx, Department),
    /**
     * Does the viewer's institution hold an ACTIVE FULL credit authorisation from each
     * enterprise? Authorisations arrive with the credit area; until then no bank holds one.
     */
    fullAuthorisation: new DataLoader<string, boolean>(async (ids) => ids.map(() => false)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
