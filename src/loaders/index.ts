import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import {
  CreditAuthorization,
  CreditCommitment,
  Department,
  Enterprise,
  FinancialInstitution,
  type FinancingDemand,
  type ReportAccess,
  User,
} from '../entities';
import { AuthorizationScope, CommitmentStatus, Role, type RiskLevel } from '../entities/enums';
import { readReports, type ReportRequest, type ReportView } from '../services/credit/report-access';
import type { Page } from '../services/pagination';
import type { RequestContext } from '../services/request-context';
import type { Services } from '../services';

/** One SELECT … WHERE id IN (…) for every id asked for in the same tick. */
function byId<T extends { id: string }>(ctx: RequestContext, entity: EntityClass<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await ctx.em.find(entity, { id: { $in: [...ids] } } as never);
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Rows grouped by a key column, in one query for the whole batch. */
function groupedBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await load([...keys]);
    return keys.map((k) => rows.filter((r) => keyOf(r) === k));
  });
}

/**
 * First pages of a nested connection, keyed `parentId:first`: one statement per distinct page
 * size for every parent asked for in the same tick.
 */
function firstPages<T>(load: (ids: string[], first: number) => Promise<Map<string, Page<T>>>) {
  return new DataLoader<string, Page<T>>(async (keys) => {
    const bySize = new Map<number, string[]>();
    for (const key of keys) {
      const [id, first] = key.split(':');
      bySize.set(Number(first), [...(bySize.get(Number(first)) ?? []), id]);
    }
    const pages = new Map<string, Page<T>>();
    for (const [first, ids] of bySize) {
      for (const [id, page] of await load(ids, first)) pages.set(`${id}:${first}`, page);
    }
    return keys.map((k) => pages.get(k)!);
  });
}

/** Per-request loaders: created with the request, never shared (they cache what one viewer saw). */
export function createLoaders(ctx: RequestContext & { services: Services }) {
  return {
    enterprise: byId(ctx, Enterprise),
    institution: byId(ctx, FinancialInstitution),
    department: byId(ctx, Department),
    user: byId(ctx, User),
    authorization: byId(ctx, CreditAuthorization),
    /** Credit reports as this viewer may see them; each read by a bank or regulator is logged once per request. */
    report: new DataLoader<ReportRequest, ReportView | null, string>((requests) => readReports(ctx, requests), {
      cacheKeyFn: (r) => ('reportId' in r ? `r:${r.reportId}` : `e:${r.enterpriseId}`),
    }),
    riskLevel: new DataLoader<string, RiskLevel>((ids) => ctx.services.riskWarnings.levels(ctx, ids)),
    commitments: groupedBy(
      (ids) =>
        ctx.em.find(
          CreditCommitment,
          { enterpriseId: { $in: ids }, status: CommitmentStatus.SIGNED },
          { orderBy: { signedAt: 'desc', id: 'desc' } },
        ),
      (c) => c.enterpriseId,
    ),
    authorizationPages: firstPages<CreditAuthorization>((ids, first) =>
      ctx.services.authorizations.firstAuthorizationPages(ctx, ids, first),
    ),
    demandPages: firstPages<FinancingDemand>((ids, first) =>
      ctx.services.demands.firstPagesForEnterprises(ctx, ids, first),
    ),
    accessPages: firstPages<ReportAccess>((ids, first) =>
      ctx.services.authorizations.firstAccessPages(ctx, ids, first),
    ),
    /** Does the viewer's institution hold an ACTIVE FULL authorisation from each enterprise, now? */
    fullAuthorisation: new DataLoader<string, boolean>(async (ids) => {
      if (ctx.viewer.role !== Role.BANK) return ids.map(() => false);
      const rows = await ctx.em.find(
        CreditAuthorization,
        {
          institutionId: ctx.viewer.institutionId!,
          enterpriseId: { $in: [...ids] },
          scope: AuthorizationScope.FULL,
          revokedAt: null,
          expiresAt: { $gt: ctx.now() },
        },
        { fields: ['enterpriseId'] },
      );
      const granted = new Set(rows.map((r) => r.enterpriseId));
      return ids.map((id) => granted.has(id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
