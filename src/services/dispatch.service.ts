import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Dispatch, LoanProduct, Whitelist } from '../entities';
import { DispatchStatus, ProductStatus, Role } from '../entities/enums';
import { recordAudit } from './audit';
import { isUuid, pgArray } from './ids';
import { eligibilityProblems, wholeYears, type EligibilitySubject } from './loan/eligibility';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result, type UserError } from './user-error';
import { text } from './validation';
import { percent } from './format';

/** An entry with no live dispatch, as the planner needs it. */
export interface OpenEntry {
  id: string;
  /** 0-based place in the uploaded list. */
  position: number;
  uscc: string;
  name: string;
  /** Null when no enterprise has registered with the USCC. */
  enterprise: EligibilitySubject | null;
  /** Institutions that already declined this entry. */
  declined: string[];
}

export interface Assignment {
  entryId: string;
  institutionId: string;
  productId: string;
  reason: string;
}

export interface DispatchOutcome {
  dispatched: number;
  /** Entries no bank could take, at ["entries", "<position>"]. */
  unassigned: UserError[];
}

/** An institution's cheapest product an enterprise profile is eligible for. */
interface Offer {
  institutionId: string;
  product: LoanProduct;
  /** The product's minRate as a number: numeric(9,4) values up to 24 compare exactly. */
  rate: number;
}

interface Candidate extends Offer {
  load: number;
}

const STATUS_NAMES: Record<DispatchStatus, string> = {
  PENDING: '待处理',
  ACCEPTED: '已接单',
  DECLINED: '已拒绝',
  GRANTED: '已授信',
};

/** Negative when `a` ranks before `b`: fewer pending, then the lower rate, then the id (stable). */
const rank = (a: Candidate, b: Candidate) =>
  a.load - b.load || a.rate - b.rate || (a.institutionId < b.institutionId ? -1 : 1);

/** Why the chosen candidate won over the runner-up, in the words a regulator reads. */
function reasonFor(chosen: Candidate, runnerUp: Candidate | null): string {
  const offer = `可申请产品「${chosen.product.name}」年利率 ${percent(chosen.product.minRate)}% 起`;
  if (!runnerUp) return `唯一可承接的机构；待处理派单 ${chosen.load} 件；${offer}`;
  if (runnerUp.load > chosen.load) return `待处理派单 ${chosen.load} 件（最少）；${offer}`;
  return `待处理派单 ${chosen.load} 件（并列最少）；${offer}（${chosen.rate < runnerUp.rate ? '最低' : '并列最低'}）`;
}

const entryLabel = (e: OpenEntry) => `第 ${e.position + 1} 条「${e.name}」（${e.uscc}）`;

/**
 * Assigns each entry, in list order, to the least-loaded institution (fewest PENDING dispatches,
 * counting this run's) among those with a published product the enterprise is eligible for
 * and that have not declined it; then the lowest rate; then the institution id, so a rerun on
 * the same data chooses the same. Pure: the caller loads the data and writes the result.
 */
export function planDispatch(
  entries: OpenEntry[],
  products: LoanProduct[],
  pending: Map<string, number>,
  today: string,
): { assignments: Assignment[]; problems: UserError[] } {
  const load = new Map(pending);
  // Enterprises with the same profile admit the same products: check each profile once. Age
  // counts in whole years, so it goes into the profile as years, not as the founding date.
  const offersByProfile = new Map<string, Offer[]>();
  const offersFor = (subject: EligibilitySubject) => {
    const years = wholeYears(subject.establishedOn, today);
    const key = [subject.creditGrade, subject.industryCode, subject.regionCode, subject.size, years];
    const profile = key.join('|');
    let offers = offersByProfile.get(profile);
    if (!offers) {
      const cheapest = new Map<string, Offer>();
      for (const product of products) {
        if (eligibilityProblems(product, subject, today).length) continue;
        const rate = Number(product.minRate);
        const held = cheapest.get(product.institution.id);
        if (!held || rate < held.rate || (rate === held.rate && product.id < held.product.id)) {
          cheapest.set(product.institution.id, { institutionId: product.institution.id, product, rate });
        }
      }
      offers = [...cheapest.values()];
      offersByProfile.set(profile, offers);
    }
    return offers;
  };

  const assignments: Assignment[] = [];
  const problems: UserError[] = [];
  for (const entry of entries) {
    const field = ['entries', String(entry.position)];
    if (!entry.enterprise) {
      problems.push({
        code: UserErrorCode.NOT_FOUND,
        message: `${entryLabel(entry)}尚未在平台注册，暂不能派单`,
        field,
      });
      continue;
    }
    const offers = offersFor(entry.enterprise);
    // The best and the runner-up in one pass (the runner-up only shapes the reason). Plain
    // assignments, no spread or destructuring: this runs entries × banks times.
    let chosen: Candidate | null = null;
    let runnerUp: Candidate | null = null;
    for (const offer of offers) {
      if (entry.declined.includes(offer.institutionId)) continue;
      const candidate: Candidate = {
        institutionId: offer.institutionId,
        product: offer.product,
        rate: offer.rate,
        load: load.get(offer.institutionId) ?? 0,
      };
      if (!chosen || rank(candidate, chosen) < 0) {
        runnerUp = chosen;
        chosen = candidate;
      } else if (!runnerUp || rank(candidate, runnerUp) < 0) runnerUp = candidate;
    }
    if (!chosen) {
      problems.push({
        code: UserErrorCode.NOT_ELIGIBLE,
        message:
          offers.length > 0
            ? `${entryLabel(entry)}：符合条件的机构均已拒绝，暂无机构可承接`
            : `${entryLabel(entry)}：没有该企业符合准入条件的已发布产品，暂无机构可承接`,
        field,
      });
      continue;
    }
    assignments.push({
      entryId: entry.id,
      institutionId: chosen.institutionId,
      productId: chosen.product.id,
      reason: reasonFor(chosen, runnerUp),
    });
    load.set(chosen.institutionId, chosen.load + 1);
  }
  return { assignments, problems };
}

/** Entries of the list with no live (PENDING, ACCEPTED, GRANTED) dispatch, with their enterprise and refusals. */
async function openEntries(em: EntityManager, whitelistId: string): Promise<OpenEntry[]> {
  const rows = await sql<{
    id: string;
    position: number;
    uscc: string;
    name: string;
    enterprise_id: string | null;
    credit_grade: EligibilitySubject['creditGrade'];
    industry_code: string;
    region_code: string;
    size: EligibilitySubject['size'];
    established_on: string;
    declined: string[];
  }>(
    em,
    `select we.id, we.position, we.uscc, we.name, e.id as enterprise_id, e.credit_grade, e.industry_code,
            e.region_code, e.size, e.established_on::text as established_on,
            array(select d.institution_id::text from dispatch d
                  where d.entry_id = we.id and d.status = 'DECLINED') as declined
     from whitelist_entry we
     left join enterprise e on e.uscc = we.uscc
     where we.whitelist_id = ?
       and not exists (select 1 from dispatch d where d.entry_id = we.id and d.status <> 'DECLINED')
     order by we.position, we.id`,
    [whitelistId],
  );
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    uscc: r.uscc,
    name: r.name,
    declined: r.declined,
    enterprise: r.enterprise_id
      ? {
          creditGrade: r.credit_grade,
          industryCode: r.industry_code,
          regionCode: r.region_code,
          size: r.size,
          establishedOn: r.established_on,
        }
      : null,
  }));
}

/** PENDING dispatches per institution, for the given institutions. */
async function pendingLoads(em: EntityManager, institutionIds: string[]): Promise<Map<string, number>> {
  if (institutionIds.length === 0) return new Map();
  const rows = await sql<{ institution_id: string; n: number }>(
    em,
    `select institution_id, count(*)::int as n from dispatch
     where status = 'PENDING' and institution_id = any(?::uuid[]) group by institution_id`,
    [pgArray(institutionIds)],
  );
  return new Map(rows.map((r) => [r.institution_id, r.n]));
}

/**
 * All of a run's dispatches in one statement. The partial unique index (one live dispatch per
 * entry) is the last guard: a row it refuses is skipped, and not returned.
 */
async function insertDispatches(
  em: EntityManager,
  assignments: Assignment[],
  now: Date,
): Promise<{ id: string; institution_id: string }[]> {
  if (assignments.length === 0) return [];
  const rows = assignments.map((a) => ({
    id: randomUUID(),
    entry_id: a.entryId,
    institution_id: a.institutionId,
    product_id: a.productId,
    reason: a.reason,
  }));
  const inserted = await sql(
    em,
    `insert into dispatch (id, created_at, entry_id, institution_id, product_id, status, reason, assigned_at)
     select x.id, ?::timestamptz, x.entry_id, x.institution_id, x.product_id, 'PENDING', x.reason, ?::timestamptz
     from jsonb_to_recordset(?::jsonb) as x(id uuid, entry_id uuid, institution_id uuid, product_id uuid, reason text)
     on conflict (entry_id) where status <> 'DECLINED' do nothing
     returning id, institution_id`,
    [now.toISOString(), now.toISOString(), JSON.stringify(rows)],
  );
  return inserted as { id: string; institution_id: string }[];
}

const respondInput = z.object({
  dispatchId: z.string(),
  accept: z.boolean(),
  note: text('备注', 0, 500).nullish(),
});

/** Whitelist dispatch (白名单派单): regulators hand listed enterprises to banks, banks answer. */
export class DispatchService {
  /**
   * Dispatches every entry of the viewer's department's list that has no live dispatch. The
   * list's row lock makes a second run of the same list wait for the first and then find its
   * entries taken. Entries no bank can take come back as userErrors; the others are committed.
   * A bounded number of statements whatever the list's size.
   */
  async dispatchWhitelist(ctx: RequestContext, input: { whitelistId: string }): Promise<Result<DispatchOutcome>> {
    let inserted: { id: string; institution_id: string }[] = [];
    const result = await transaction(ctx, async (em) => {
      const whitelist = isUuid(input.whitelistId)
        ? await em.findOne(
            Whitelist,
            { id: input.whitelistId, department: ctx.viewer.departmentId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          )
        : null;
      if (!whitelist) return fail(UserErrorCode.NOT_FOUND, '白名单不存在', ['input', 'whitelistId']);
      const entries = await openEntries(em, whitelist.id);
      const products = entries.some((e) => e.enterprise)
        ? await em.find(LoanProduct, { status: ProductStatus.PUBLISHED })
        : [];
      const pending = await pendingLoads(em, [...new Set(products.map((p) => p.institution.id))]);
      const { assignments, problems } = planDispatch(entries, products, pending, shanghaiDate(ctx.now()));
      inserted = await insertDispatches(em, assignments, ctx.now());
      const dispatched = inserted.length;
      recordAudit(ctx, em, {
        action: 'dispatchWhitelist',
        targetType: 'Whitelist',
        targetId: whitelist.id,
        detail: { dispatched, unassigned: problems.length },
      });
      return ok({ dispatched, unassigned: problems });
    });
    if (result.ok) {
      for (const d of inserted) {
        ctx.events.publish({ type: 'dispatchAssigned', dispatchId: d.id, institutionId: d.institution_id });
      }
    }
    return result;
  }

  /** Banks: dispatches to them; regulators: those of their department's lists. Newest first. */
  list(ctx: RequestContext, statuses: DispatchStatus[] | null | undefined, page: PageArgs): Promise<Page<Dispatch>> {
    const where: FilterQuery<Dispatch>[] = [this.scope(ctx)];
    if (statuses?.length) where.push({ status: { $in: statuses } });
    return keysetPage(ctx.em, Dispatch, page, { where: { $and: where }, sortBy: 'assignedAt', direction: 'desc' });
  }

  /** WhitelistEntry.dispatches for many entries at once, in the same scope, newest first. */
  forEntries(ctx: RequestContext, entryIds: string[]): Promise<Dispatch[]> {
    return ctx.em.find(
      Dispatch,
      { $and: [{ entry: { $in: entryIds } }, this.scope(ctx)] },
      { orderBy: { assignedAt: 'desc', id: 'desc' } },
    );
  }

  /** The bank answers its own PENDING dispatch once; the conditional update settles a race. */
  async respond(ctx: RequestContext, input: unknown): Promise<Result<Dispatch>> {
    const parsed = parseInput(respondInput, input);
    if (!parsed.ok) return parsed;
    const { dispatchId, accept, note } = parsed.value;
    return transaction(ctx, async (em) => {
      const dispatch = isUuid(dispatchId)
        ? await em.findOne(Dispatch, { id: dispatchId, institution: ctx.viewer.institutionId })
        : null;
      if (!dispatch) return fail(UserErrorCode.NOT_FOUND, '派单不存在', ['input', 'dispatchId']);
      const changed = await em.nativeUpdate(
        Dispatch,
        { id: dispatch.id, status: DispatchStatus.PENDING },
        {
          status: accept ? DispatchStatus.ACCEPTED : DispatchStatus.DECLINED,
          respondedAt: ctx.now(),
          note: note || null,
        },
      );
      await em.refresh(dispatch);
      if (changed === 0) {
        return fail(UserErrorCode.INVALID_STATE, `派单当前状态为${STATUS_NAMES[dispatch.status]}，不能再次处理`, [
          'input',
          'dispatchId',
        ]);
      }
      recordAudit(ctx, em, {
        action: 'respondToDispatch',
        targetType: 'Dispatch',
        targetId: dispatch.id,
        detail: { accept },
      });
      return ok(dispatch);
    });
  }

  private scope(ctx: RequestContext): FilterQuery<Dispatch> {
    const { viewer } = ctx;
    if (viewer.role === Role.BANK) return { institution: viewer.institutionId };
    if (viewer.role === Role.REGULATOR) return { entry: { whitelist: { department: viewer.departmentId } } };
    return { id: { $in: [] } };
  }
}
