import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditAuthorization, CreditReport, Enterprise, ReportAccess } from '../../entities';
import { AuthorizationScope, Role } from '../../entities/enums';
import { recordAudit } from '../audit';
import { pgArray } from '../ids';
import type { RequestContext } from '../request-context';
import { sql } from '../sql';

/** A report as one viewer may see it: SUMMARY hides the indicators. */
export interface ReportView {
  report: CreditReport;
  scope: AuthorizationScope;
}

export type ReportRequest = { enterpriseId: string } | { reportId: string };

/**
 * Report ids each request has logged already: a report reached twice in one request (through
 * Enterprise.creditReport and creditReport(id), in different loader batches) is one read.
 */
const loggedByRequest = new WeakMap<RequestContext, Set<string>>();

const REGULATOR_PURPOSE = '监管查询';
const DEMAND_PURPOSE = 'demand';

/**
 * Decides, for a batch of report reads by one viewer, what each read may show, and logs every
 * read a bank or regulator makes (a ReportAccess row and an audit event), in a fixed number of
 * statements whatever the batch size. Refused reads are null and not logged; the enterprise's
 * own reads are not logged.
 */
export async function readReports(
  ctx: RequestContext,
  requests: readonly ReportRequest[],
): Promise<(ReportView | null)[]> {
  const { viewer } = ctx;
  if (viewer.role !== Role.ENTERPRISE && viewer.role !== Role.BANK && viewer.role !== Role.REGULATOR) {
    return requests.map(() => null);
  }
  const reports = await loadReports(ctx, requests);
  const enterpriseIds = [...new Set([...reports.values()].map((r) => r.enterpriseId))];
  const grants = viewer.role === Role.BANK ? await activeGrants(ctx, enterpriseIds) : new Map();
  const demandSummaries =
    viewer.role === Role.BANK ? await openDemandEnterprises(ctx, enterpriseIds) : new Set<string>();

  let alreadyLogged = loggedByRequest.get(ctx);
  if (!alreadyLogged) loggedByRequest.set(ctx, (alreadyLogged = new Set()));
  const logged: ReportAccess[] = [];
  const views = requests.map((request) => {
    const report = reports.get(key(request));
    if (!report) return null;
    if (viewer.role === Role.ENTERPRISE) {
      return viewer.enterpriseId === report.enterpriseId ? { report, scope: AuthorizationScope.FULL } : null;
    }
    let access: { scope: AuthorizationScope; purpose: string; authorizationId: string | null } | null = null;
    if (viewer.role === Role.REGULATOR) {
      access = { scope: AuthorizationScope.FULL, purpose: REGULATOR_PURPOSE, authorizationId: null };
    } else {
      const grant = grants.get(report.enterpriseId);
      if (grant) access = { scope: grant.scope, purpose: grant.purpose, authorizationId: grant.id };
      else if (demandSummaries.has(report.enterpriseId)) {
        access = { scope: AuthorizationScope.SUMMARY, purpose: DEMAND_PURPOSE, authorizationId: null };
      }
    }
    if (!access) return null;
    if (alreadyLogged.has(report.id)) return { report, scope: access.scope };
    alreadyLogged.add(report.id);
    logged.push(
      Object.assign(new ReportAccess(), {
        id: randomUUID(),
        enterpriseId: report.enterpriseId,
        reportId: report.id,
        institutionId: viewer.institutionId,
        userId: viewer.userId,
        authorizationId: access.authorizationId,
        scope: access.scope,
        purpose: access.purpose,
        accessedAt: ctx.now(),
      }),
    );
    return { report, scope: access.scope };
  });

  if (logged.length) await ctx.writeFromRead((tx) => logReportReads(ctx, tx, logged));
  return views;
}

/** Writes the access-log rows (one statement) and their audit events in the caller's transaction. */
export async function logReportReads(ctx: RequestContext, em: EntityManager, entries: ReportAccess[]): Promise<void> {
  await em.insertMany(ReportAccess, entries);
  for (const entry of entries) {
    recordAudit(ctx, em, {
      action: 'creditReport.read',
      targetType: 'CreditReport',
      targetId: entry.reportId,
      detail: { scope: entry.scope, enterpriseId: entry.enterpriseId },
    });
  }
}

/** The read a regulator makes by evaluating: the report it is handed is logged like any other read. */
export function regulatorRead(ctx: RequestContext, report: CreditReport): ReportAccess {
  return Object.assign(new ReportAccess(), {
    id: randomUUID(),
    enterpriseId: report.enterpriseId,
    reportId: report.id,
    institutionId: null,
    userId: ctx.viewer.userId,
    authorizationId: null,
    scope: AuthorizationScope.FULL,
    purpose: REGULATOR_PURPOSE,
    accessedAt: ctx.now(),
  });
}

const key = (request: ReportRequest) => ('reportId' in request ? `r:${request.reportId}` : `e:${request.enterpriseId}`);

/** Reports by id and the latest report of enterprises, in at most two statements. */
async function loadReports(
  ctx: RequestContext,
  requests: readonly ReportRequest[],
): Promise<Map<string, CreditReport>> {
  const reportIds = requests.flatMap((r) => ('reportId' in r ? [r.reportId] : []));
  const enterpriseIds = requests.flatMap((r) => ('enterpriseId' in r ? [r.enterpriseId] : []));
  const latest = enterpriseIds.length
    ? await ctx.em.find(Enterprise, { id: { $in: enterpriseIds } }, { fields: ['id', 'latestReportId'] })
    : [];
  const ids = [...reportIds, ...latest.flatMap((e) => (e.latestReportId ? [e.latestReportId] : []))];
  const rows = ids.length ? await ctx.em.find(CreditReport, { id: { $in: ids } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result = new Map<string, CreditReport>();
  for (const id of reportIds) if (byId.has(id)) result.set(`r:${id}`, byId.get(id)!);
  for (const e of latest)
    if (e.latestReportId && byId.has(e.latestReportId)) result.set(`e:${e.id}`, byId.get(e.latestReportId)!);
  return result;
}

/** The widest ACTIVE authorisation each enterprise gave the viewer's institution, checked now. */
async function activeGrants(ctx: RequestContext, enterpriseIds: string[]): Promise<Map<string, CreditAuthorization>> {
  const rows = enterpriseIds.length
    ? await ctx.em.find(CreditAuthorization, {
        institutionId: ctx.viewer.institutionId!,
        enterpriseId: { $in: enterpriseIds },
        revokedAt: null,
        expiresAt: { $gt: ctx.now() },
      })
    : [];
  const widest = new Map<string, CreditAuthorization>();
  for (const row of rows) {
    const current = widest.get(row.enterpriseId);
    if (!current || (current.scope === AuthorizationScope.SUMMARY && row.scope === AuthorizationScope.FULL)) {
      widest.set(row.enterpriseId, row);
    }
  }
  return widest;
}

/**
 * Enterprises with an OPEN, unexpired demand this bank may bid on (accepting a type of product
 * it publishes): their SUMMARY is readable for the bid. One statement for the whole batch.
 */
async function openDemandEnterprises(ctx: RequestContext, enterpriseIds: string[]): Promise<Set<string>> {
  if (enterpriseIds.length === 0) return new Set();
  const rows = await sql<{ enterprise_id: string }>(
    ctx.em,
    `select distinct d.enterprise_id from financing_demand d
      where d.enterprise_id = any(?::uuid[]) and d.status = 'OPEN' and d.expires_at > ?
        and d.accepted_types && array(
          select distinct p.type from loan_product p where p.institution_id = ? and p.status = 'PUBLISHED')`,
    [pgArray(enterpriseIds), ctx.now().toISOString(), ctx.viewer.institutionId],
  );
  return new Set(rows.map((r) => r.enterprise_id));
}
