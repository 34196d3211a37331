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
import type { FundFigures } from '../services/guarantee-fund.service';
import { policyEffects, type PolicyEffectFigures } from '../services/policy/effect';
import { shanghaiDate } from '../services/time';
import { claimPageKey, type ClaimPageKey } from '../services/fund-claim.service';
import { Policy, type FundClaim, type FundClaimEvent } from '../entities';
import { FinancingDemand as FinancingDemandEntity, GuaranteeFund, Offer, type Loan, type LoanEvent } from '../entities';
import { LoanProduct, WhitelistEntry, type Dispatch } from '../entities';
import { plainRows, type Plain } from '../db/plain-rows';
import { pgArray } from '../services/ids';
import { sql } from '../services/sql';

/** One SELECT … WHERE id IN (…) for every id asked for in the same tick. */
function byId<T extends { id: string }>(ctx: RequestContext, entity: EntityClass<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await ctx.em.find(entity, { id: { $in: [...ids] } } as never);
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/**
 * byId read as plain rows (src/db/plain-rows.ts): for the types whose resolvers only read
 * (enterprises under every list, demands and offers), so a page of them creates no entities.
 */
function plainById<T extends { id: string }>(ctx: RequestContext, entity: EntityClass<T>) {
  return new DataLoader<string, Plain<T> | null>(async (ids) => {
    const table = ctx.em.getMetadata().get(entity).tableName;
    const rows = await sql<Record<string, unknown>>(ctx.em, `select * from ${table} where id = any(?::uuid[])`, [
      pgArray(ids),
    ]);
    const found = new Map(plainRows(ctx.em, entity, rows).map((r) => [(r as { id: string }).id, r]));
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
    enterprise: plainById(ctx, Enterprise),
    institution: plainById(ctx, FinancialInstitution),
    department: byId(ctx, Department),
    loanProduct: byId(ctx, LoanProduct),
    whitelistEntry: byId(ctx, WhitelistEntry),
    /** Whitelist.entries' first pages, batched across lists. */
    whitelistEntryPages: firstPages<WhitelistEntry>((ids, first) =>
      ctx.services.whitelists.firstEntryPages(ctx, ids, first),
    ),
    /** WhitelistEntry.enterprise: the registered enterprise with the entry's USCC, or null. */
    enterpriseByUscc: new DataLoader<string, Enterprise | null>(async (usccs) => {
      const rows = await ctx.em.find(Enterprise, { uscc: { $in: [...usccs] } });
      const found = new Map(rows.map((e) => [e.uscc, e]));
      return usccs.map((u) => found.get(u) ?? null);
    }),
    entryDispatches: groupedBy<Dispatch>(
      (ids) => ctx.services.dispatches.forEntries(ctx, ids),
      (d) => d.entry.id,
    ),
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
    demandPages: firstPages<Plain<FinancingDemand>>((ids, first) =>
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
    // ── The marketplace: offers, loans and funds, each batched across the parents of one request.
    demandById: plainById(ctx, FinancingDemandEntity),
    offerById: plainById(ctx, Offer),
    fund: byId(ctx, GuaranteeFund),
    productPages: firstPages<LoanProduct>((ids, first) =>
      ctx.services.loanProducts.firstPagesForInstitutions(ctx, ids, first),
    ),
    offerPages: firstPages<Plain<Offer>>((ids, first) => ctx.services.offers.firstPagesForDemands(ctx, ids, first)),
    offerCount: new DataLoader<string, number>((ids) => ctx.services.offers.countsForDemands(ctx, ids)),
    acceptedOffer: new DataLoader<string, Offer | null>((ids) => ctx.services.offers.acceptedForDemands(ctx, ids)),
    demandLoan: new DataLoader<string, Loan | null>((ids) => ctx.services.loans.forDemands(ctx, ids)),
    loanEvents: new DataLoader<string, LoanEvent[]>((ids) => ctx.services.loans.eventsFor(ctx, ids)),
    fundFigures: new DataLoader<string, FundFigures>((ids) => ctx.services.guaranteeFunds.figures(ctx, ids)),
    /** Policy.effect figures, one statement for every policy of the request. */
    policyEffect: new DataLoader<string, PolicyEffectFigures>((ids) =>
      policyEffects(ctx.em, ids, shanghaiDate(ctx.now())),
    ),
    // ── Fund claims (政策兑现): their policies, histories and Policy.claims pages, batched per request.
    policy: byId(ctx, Policy),
    /** Every status change of each claim, oldest first; reviews are the entries with a decision. */
    claimEvents: groupedBy<FundClaimEvent>(
      (ids) => ctx.services.fundClaims.eventsFor(ctx, ids),
      (e) => e.claim.id,
    ),
    /** Policy.claims' first pages, one statement per page size and status filter. */
    claimPages: new DataLoader<ClaimPageKey, Page<FundClaim>, string>(
      (keys) => ctx.services.fundClaims.firstPagesForPolicies(ctx, keys),
      { cacheKeyFn: claimPageKey },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
