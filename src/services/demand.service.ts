import { LockMode } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Enterprise, FinancingDemand, LoanProduct } from '../entities';
import {
  DemandStatus,
  LoanProductType,
  ProductStatus,
  Role,
  VerificationStatus,
  type CreditGrade,
} from '../entities/enums';
import type { Plain } from '../db/plain-rows';
import { recordAudit } from './audit';
import { bankDemandPage } from './bank-demand-page';
import { enterpriseFilterConditions } from './enterprise-filter';
import { ForbiddenError } from './errors';
import { offerRejected } from './events';
import { isUuid, pgArray } from './ids';
import { Lazy } from './lazy';
import { sql } from './sql';
import { firstPlainPagesByParent, keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { DAY_MS } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { count, money, rate, text } from './validation';

export const MAX_OPEN_DEMANDS = 5;

const publishInput = z.object({
  amount: money(),
  termMonths: count('期限', 1, 360),
  purpose: text('资金用途', 2, 500),
  maxRate: rate().nullish(),
  acceptedTypes: z
    .array(z.enum(LoanProductType))
    .nullish()
    .refine((t) => !t || t.length > 0, '至少接受一种产品类型'),
  validDays: count('有效天数', 1, 90).nullish(),
});

export interface DemandFilter {
  statuses?: DemandStatus[] | null;
  minAmount?: string | null;
  maxAmount?: string | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
  grades?: CreditGrade[] | null;
  enterpriseId?: string | null;
}

/** Financing demands (融资需求): published by verified enterprises, bid on by banks. */
export class DemandService {
  /**
   * A VERIFIED enterprise publishes a demand; at most five are open at once. The enterprise row
   * is locked while counting, so two publications at once cannot both pass the limit.
   */
  async publish(ctx: RequestContext, input: unknown): Promise<Result<FinancingDemand>> {
    const parsed = parseInput(publishInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    const result = await transaction(ctx, async (em) => {
      const enterprise = await em.findOneOrFail(
        Enterprise,
        { id: ctx.viewer.enterpriseId! },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (enterprise.verificationStatus !== VerificationStatus.VERIFIED) {
        return fail(UserErrorCode.NOT_ELIGIBLE, '企业通过实名认证后才能发布融资需求');
      }
      const now = ctx.now();
      const open = await em.count(FinancingDemand, {
        enterprise: enterprise.id,
        status: DemandStatus.OPEN,
        expiresAt: { $gt: now },
      });
      if (open >= MAX_OPEN_DEMANDS) {
        return fail(UserErrorCode.LIMIT_EXCEEDED, `同时最多发布 ${MAX_OPEN_DEMANDS} 条融资需求`);
      }
      const demand = em.create(FinancingDemand, {
        enterprise,
        amount: data.amount,
        termMonths: data.termMonths,
        purpose: data.purpose,
        maxRate: data.maxRate ?? null,
        acceptedTypes: data.acceptedTypes ?? Object.values(LoanProductType),
        status: DemandStatus.OPEN,
        expiresAt: new Date(now.getTime() + (data.validDays ?? 30) * DAY_MS),
        createdAt: now,
        updatedAt: now,
      });
      recordAudit(ctx, em, { action: 'publishDemand', targetType: 'FinancingDemand', targetId: demand.id });
      return ok(demand);
    });
    if (result.ok) ctx.events.publish({ type: 'demandPublished', demandId: result.value.id });
    return result;
  }

  /** Only an open, unexpired demand can be withdrawn; the conditional update settles races. */
  async withdraw(ctx: RequestContext, input: { id: string }): Promise<Result<FinancingDemand>> {
    let rejected: { id: string; institution_id: string }[] = [];
    const result = await transaction(ctx, async (em) => {
      const demand = isUuid(input.id)
        ? await em.findOne(FinancingDemand, { id: input.id, enterprise: ctx.viewer.enterpriseId })
        : null;
      if (!demand) return fail(UserErrorCode.NOT_FOUND, '融资需求不存在', ['input', 'id']);
      const now = ctx.now();
      const changed = await em.nativeUpdate(
        FinancingDemand,
        { id: demand.id, status: DemandStatus.OPEN, expiresAt: { $gt: now } },
        { status: DemandStatus.WITHDRAWN, updatedAt: now },
      );
      if (changed === 0) {
        return fail(UserErrorCode.INVALID_STATE, `融资需求当前状态为 ${demand.statusAt(now)}，不能撤回`, [
          'input',
          'id',
        ]);
      }
      // Offers on a withdrawn demand can never be accepted: their banks see them REJECTED (and
      // each bank's webhooks hear of its own).
      rejected = await sql<{ id: string; institution_id: string }>(
        em,
        `update offer set status = 'REJECTED', updated_at = ? where demand_id = ? and status = 'PENDING'
         returning id, institution_id`,
        [now.toISOString(), demand.id],
      );
      await em.refresh(demand);
      recordAudit(ctx, em, { action: 'withdrawDemand', targetType: 'FinancingDemand', targetId: demand.id });
      return ok(demand);
    });
    if (result.ok) {
      for (const r of rejected) {
        ctx.events.publish(offerRejected(r, input.id));
      }
    }
    return result;
  }

  async get(ctx: RequestContext, id: string): Promise<FinancingDemand | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(FinancingDemand, { $and: [{ id }, await this.scope(ctx)] });
  }

  /** Enterprise.demands: the same scope, for one enterprise; anonymous and the operator may not. */
  forEnterprise(ctx: RequestContext, enterpriseId: string, page: PageArgs): Promise<Page<Plain<FinancingDemand>>> {
    this.checkDemandReader(ctx);
    return this.list(ctx, { enterpriseId }, page);
  }

  checkDemandReader(ctx: RequestContext): void {
    if (![Role.ENTERPRISE, Role.BANK, Role.REGULATOR].includes(ctx.viewer.role!)) {
      throw new ForbiddenError('无权查看融资需求');
    }
  }

  /** First pages of Enterprise.demands for a whole list of enterprises, in one statement (plus the bank's types). */
  async firstPagesForEnterprises(ctx: RequestContext, enterpriseIds: readonly string[], first: number) {
    const { viewer } = ctx;
    let where: { sql: string; params: unknown[] } | undefined;
    if (viewer.role === Role.ENTERPRISE) where = { sql: 't.enterprise_id = ?', params: [viewer.enterpriseId] };
    if (viewer.role === Role.BANK) {
      // The same market as scope(): open, unexpired, accepting a type this bank publishes.
      const types = await this.publishedTypes(ctx);
      where = {
        sql: `((t.status = 'OPEN' and t.expires_at > ? and t.accepted_types && ?::text[])
               or exists (select 1 from offer o where o.demand_id = t.id and o.institution_id = ?))`,
        params: [ctx.now().toISOString(), pgArray(types), viewer.institutionId],
      };
    }
    return firstPlainPagesByParent(ctx.em, FinancingDemand, {
      parentColumn: 'enterprise_id',
      parentIds: enterpriseIds,
      sortColumn: 'created_at',
      sortProp: 'createdAt',
      where,
      first,
    });
  }

  async list(ctx: RequestContext, filter: DemandFilter, page: PageArgs): Promise<Page<Plain<FinancingDemand>>> {
    if (ctx.viewer.role === Role.BANK) {
      // The same rows as keysetPage over scope(), without reading every offer of the bank first.
      const types = await this.publishedTypes(ctx);
      const conditions = this.filterConditions(ctx, filter);
      const where = { $and: [this.bankScope(ctx, types), ...conditions] } as FilterQuery<FinancingDemand>;
      const rows = await bankDemandPage(ctx.em, {
        institutionId: ctx.viewer.institutionId!,
        types,
        now: ctx.now(),
        conditions,
        page,
      });
      return { ...rows, totalCount: new Lazy(() => ctx.em.count(FinancingDemand, where)) };
    }
    const where: FilterQuery<FinancingDemand>[] = [await this.scope(ctx), ...this.filterConditions(ctx, filter)];
    return keysetPage(ctx.em, FinancingDemand, page, {
      where: { $and: where },
      sortBy: 'createdAt',
      direction: 'desc',
    });
  }

  /**
   * The enterprise sees its own, regulators all. A bank sees the OPEN demands it may bid on:
   * unexpired, accepting a type of product it publishes, and every demand it has bid on.
   */
  async scope(ctx: RequestContext): Promise<FilterQuery<FinancingDemand>> {
    const { viewer } = ctx;
    if (viewer.role === Role.REGULATOR) return {};
    if (viewer.role === Role.ENTERPRISE) return { enterprise: viewer.enterpriseId };
    if (viewer.role !== Role.BANK) return { id: { $in: [] } };
    return this.bankScope(ctx, await this.publishedTypes(ctx));
  }

  /** scope() for a bank that publishes `types` (bankDemandPage reads the same rows page by page). */
  private bankScope(ctx: RequestContext, types: LoanProductType[]): FilterQuery<FinancingDemand> {
    const bidOn: FilterQuery<FinancingDemand> = { offers: { $some: { institution: ctx.viewer.institutionId } } };
    if (types.length === 0) return bidOn;
    return {
      $or: [{ status: DemandStatus.OPEN, expiresAt: { $gt: ctx.now() }, acceptedTypes: { $overlap: types } }, bidOn],
    };
  }

  /**
   * The demands a bank may try to bid on: accepting a type it publishes (whatever their status,
   * so a closed one answers INVALID_STATE rather than NOT_FOUND), or already bid on.
   */
  async biddable(ctx: RequestContext): Promise<FilterQuery<FinancingDemand>> {
    const bidOn: FilterQuery<FinancingDemand> = { offers: { $some: { institution: ctx.viewer.institutionId } } };
    const types = await this.publishedTypes(ctx);
    return types.length ? { $or: [{ acceptedTypes: { $overlap: types } }, bidOn] } : bidOn;
  }

  private async publishedTypes(ctx: RequestContext): Promise<LoanProductType[]> {
    const products = await ctx.em.find(
      LoanProduct,
      { institution: ctx.viewer.institutionId, status: ProductStatus.PUBLISHED },
      { fields: ['type'] },
    );
    return [...new Set(products.map((p) => p.type))];
  }

  private filterConditions(ctx: RequestContext, filter: DemandFilter): FilterQuery<FinancingDemand>[] {
    const now = ctx.now();
    const c: FilterQuery<FinancingDemand>[] = [];
    if (filter.statuses?.length) {
      // EXPIRED is read, not stored: an OPEN demand past its expiry.
      c.push({
        $or: filter.statuses.map((s) =>
          s === DemandStatus.EXPIRED
            ? { status: DemandStatus.OPEN, expiresAt: { $lte: now } }
            : s === DemandStatus.OPEN
              ? { status: DemandStatus.OPEN, expiresAt: { $gt: now } }
              : { status: s },
        ),
      });
    }
    if (filter.minAmount) c.push({ amount: { $gte: filter.minAmount } });
    if (filter.maxAmount) c.push({ amount: { $lte: filter.maxAmount } });
    if (filter.enterpriseId) c.push({ enterprise: isUuid(filter.enterpriseId) ? filter.enterpriseId : { $in: [] } });
    for (const condition of enterpriseFilterConditions(filter)) c.push({ enterprise: condition });
    return c;
  }
}
