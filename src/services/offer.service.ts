import Decimal from 'decimal.js';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { CreditAuthorization, Enterprise, FinancingDemand, Loan, LoanProduct, Offer } from '../entities';
import {
  AuthorizationScope,
  DemandStatus,
  LoanStatus,
  OfferStatus,
  ProductStatus,
  RepaymentMethod,
  Role,
} from '../entities/enums';
import { recordAudit } from './audit';
import { authorizationGranted, loanUpdated, offerRejected } from './events';
import type { DemandService } from './demand.service';
import { isUuid, pgArray } from './ids';
import { eligibilityProblems } from './loan/eligibility';
import { outsideProduct } from './loan/product-terms';
import { firstPlainPagesByParent, keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { shanghaiDate, DAY_MS } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from './user-error';
import { count, money, rate, text } from './validation';

/** The consent the winning bank receives (DESIGN.md: FULL, 90 days, for underwriting). */
export const UNDERWRITING_PURPOSE = 'loan underwriting';
const UNDERWRITING_DAYS = 90;

const makeInput = z.object({
  demandId: z.string(),
  productId: z.string(),
  amount: money(),
  rate: rate(),
  termMonths: count('期限', 1, 360),
  repaymentMethod: z.enum(RepaymentMethod),
  conditions: text('附加条件', 1, 1000).nullish(),
  validDays: count('报价有效天数', 1, 30).nullish(),
});

type MakeOffer = z.infer<typeof makeInput>;

export interface AcceptedOffer {
  offer: Offer;
  demand: FinancingDemand;
  loan: Loan;
  /** The competing offers this acceptance rejected, and the consent it gave (their banks' webhooks hear of them). */
  rejected: { id: string; institution_id: string }[];
  authorization: CreditAuthorization;
}

/** The terms of an offer outside what its product or the demand allows: INVALID on the field. */
function termProblems(data: MakeOffer, product: LoanProduct, demand: FinancingDemand): UserError[] {
  const problems = outsideProduct(product, data);
  if (!problems.amount && new Decimal(data.amount).gt(demand.amount)) {
    problems.amount = `金额不能超过需求金额 ${demand.amount} 元`;
  }
  if (!problems.rate && demand.maxRate && new Decimal(data.rate).gt(demand.maxRate)) {
    problems.rate = `利率超过企业可接受的最高利率 ${demand.maxRate}%`;
  }
  const errors: UserError[] = Object.entries(problems).map(([field, message]) => ({
    code: UserErrorCode.INVALID,
    message,
    field: ['input', field],
  }));
  if (!product.repaymentMethods.includes(data.repaymentMethod)) {
    errors.push({
      code: UserErrorCode.INVALID,
      message: '该产品不支持此还款方式',
      field: ['input', 'repaymentMethod'],
    });
  }
  return errors;
}

/** Offers (报价): banks bid on open demands; the enterprise accepts one, which becomes a loan. */
export class OfferService {
  constructor(private readonly demands: DemandService) {}

  /**
   * The demand is read FOR SHARE: an acceptance in progress (which holds it FOR UPDATE) finishes
   * first, so no offer slips onto a demand that has just been matched.
   */
  async make(ctx: RequestContext, input: unknown): Promise<Result<Offer>> {
    const parsed = parseInput(makeInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    const result = await this.uniquePending(() =>
      transaction(ctx, async (em) => {
        const now = ctx.now();
        const demand = isUuid(data.demandId)
          ? await em.findOne(
              FinancingDemand,
              { $and: [{ id: data.demandId }, await this.demandScope(ctx)] },
              {
                lockMode: LockMode.PESSIMISTIC_READ,
              },
            )
          : null;
        if (!demand) return fail(UserErrorCode.NOT_FOUND, '融资需求不存在', ['input', 'demandId']);
        const status = demand.statusAt(now);
        if (status !== DemandStatus.OPEN) {
          return fail(UserErrorCode.INVALID_STATE, `融资需求当前状态为 ${status}，不接受报价`, ['input', 'demandId']);
        }
        const product = isUuid(data.productId)
          ? await em.findOne(LoanProduct, { id: data.productId, institution: ctx.viewer.institutionId })
          : null;
        if (!product) return fail(UserErrorCode.NOT_FOUND, '产品不存在', ['input', 'productId']);
        if (product.status !== ProductStatus.PUBLISHED) {
          return fail(UserErrorCode.INVALID_STATE, '只能使用已上架的产品报价', ['input', 'productId']);
        }
        if (!demand.acceptedTypes.includes(product.type)) {
          return fail(UserErrorCode.INVALID, '该需求不接受此类产品', ['input', 'productId']);
        }
        const problems = termProblems(data, product, demand);
        if (problems.length) return failMany(problems);
        const enterprise = await em.findOneOrFail(Enterprise, { id: demand.enterprise.id });
        const unmet = eligibilityProblems(product, enterprise, shanghaiDate(now));
        if (unmet.length) {
          return fail(UserErrorCode.NOT_ELIGIBLE, `企业不符合产品准入条件：${unmet.join('；')}`, [
            'input',
            'productId',
          ]);
        }
        // A lapsed offer no longer blocks a new one (the unique index counts stored PENDING rows).
        await em.nativeUpdate(
          Offer,
          {
            demand: demand.id,
            institution: ctx.viewer.institutionId,
            status: OfferStatus.PENDING,
            validUntil: { $lte: now },
          },
          { status: OfferStatus.EXPIRED, updatedAt: now },
        );
        const pending = await em.count(Offer, {
          demand: demand.id,
          institution: ctx.viewer.institutionId,
          status: OfferStatus.PENDING,
        });
        if (pending > 0) return onePendingOnly();
        const offer = em.create(Offer, {
          demand,
          institution: ctx.viewer.institutionId!,
          product,
          amount: data.amount,
          rate: data.rate,
          termMonths: data.termMonths,
          repaymentMethod: data.repaymentMethod,
          conditions: data.conditions ?? null,
          status: OfferStatus.PENDING,
          validUntil: new Date(now.getTime() + (data.validDays ?? 7) * DAY_MS),
          createdAt: now,
          updatedAt: now,
        });
        recordAudit(ctx, em, { action: 'makeOffer', targetType: 'Offer', targetId: offer.id });
        await em.flush();
        return ok(offer);
      }),
    );
    if (result.ok) {
      const offer = result.value;
      const demand = offer.demand.getEntity();
      ctx.events.publish({ type: 'offerReceived', offerId: offer.id, enterpriseId: demand.enterprise.id });
    }
    return result;
  }

  /** The bank takes back its own PENDING offer; the conditional update settles a race with acceptance. */
  async withdraw(ctx: RequestContext, input: { id: string }): Promise<Result<Offer>> {
    return transaction(ctx, async (em) => {
      const offer = isUuid(input.id)
        ? await em.findOne(Offer, { id: input.id, institution: ctx.viewer.institutionId })
        : null;
      if (!offer) return fail(UserErrorCode.NOT_FOUND, '报价不存在', ['input', 'id']);
      const now = ctx.now();
      const changed = await em.nativeUpdate(
        Offer,
        { id: offer.id, status: OfferStatus.PENDING, validUntil: { $gt: now } },
        { status: OfferStatus.WITHDRAWN, updatedAt: now },
      );
      if (changed === 0) {
        return fail(UserErrorCode.INVALID_STATE, `报价当前状态为 ${offer.statusAt(now)}，不能撤回`, ['input', 'id']);
      }
      await em.refresh(offer);
      recordAudit(ctx, em, { action: 'withdrawOffer', targetType: 'Offer', targetId: offer.id });
      return ok(offer);
    });
  }

  /**
   * In one transaction: the offer ACCEPTED, the other pending offers REJECTED, the demand
   * MATCHED, a PENDING loan on the offer's terms, and a FULL 90-day consent for the winning bank.
   * The demand row is locked FOR UPDATE first, so of concurrent accepts exactly one finds it
   * OPEN; the unique index on accepted offers per demand is the last guard.
   */
  async accept(ctx: RequestContext, input: { id: string }): Promise<Result<AcceptedOffer>> {
    const result = await transaction(ctx, async (em): Promise<Result<AcceptedOffer>> => {
      const found = isUuid(input.id) ? await em.findOne(Offer, { id: input.id }, { fields: ['id', 'demand'] }) : null;
      const demand = found
        ? await em.findOne(
            FinancingDemand,
            { id: found.demand.id, enterprise: ctx.viewer.enterpriseId },
            { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
          )
        : null;
      if (!found || !demand) return fail(UserErrorCode.NOT_FOUND, '报价不存在', ['input', 'id']);
      const now = ctx.now();
      const demandStatus = demand.statusAt(now);
      if (demandStatus !== DemandStatus.OPEN) {
        return fail(UserErrorCode.INVALID_STATE, `融资需求当前状态为 ${demandStatus}，不能接受报价`, ['input', 'id']);
      }
      const offer = await em.findOneOrFail(Offer, { id: found.id }, { refresh: true });
      const offerStatus = offer.statusAt(now);
      if (offerStatus !== OfferStatus.PENDING) {
        return fail(UserErrorCode.INVALID_STATE, `报价当前状态为 ${offerStatus}，不能接受`, ['input', 'id']);
      }
      offer.status = OfferStatus.ACCEPTED;
      offer.updatedAt = now;
      // Which banks lost, so each hears of its own offer's rejection (and nothing of the others).
      const rejected = await sql<{ id: string; institution_id: string }>(
        em,
        `update offer set status = 'REJECTED', updated_at = ? where demand_id = ? and status = 'PENDING' and id <> ?
         returning id, institution_id`,
        [now.toISOString(), demand.id, offer.id],
      );
      demand.status = DemandStatus.MATCHED;
      demand.updatedAt = now;
      const loan = em.create(Loan, {
        enterprise: demand.enterprise,
        institution: offer.institution,
        product: offer.product,
        demand,
        offer,
        status: LoanStatus.PENDING,
        rate: offer.rate,
        termMonths: offer.termMonths,
        repaymentMethod: offer.repaymentMethod,
        disbursedAmount: '0.00',
        outstandingPrincipal: '0.00',
        daysOverdue: 0,
        createdAt: now,
        updatedAt: now,
      });
      const authorization = em.create(CreditAuthorization, {
        enterpriseId: demand.enterprise.id,
        institutionId: offer.institution.id,
        scope: AuthorizationScope.FULL,
        purpose: UNDERWRITING_PURPOSE,
        demandId: demand.id,
        grantedAt: now,
        expiresAt: new Date(now.getTime() + UNDERWRITING_DAYS * DAY_MS),
        createdAt: now,
      });
      recordAudit(ctx, em, { action: 'acceptOffer', targetType: 'Offer', targetId: offer.id });
      return ok({ offer, demand, loan, rejected, authorization });
    }).catch((err: unknown) => {
      if (err instanceof UniqueConstraintViolationException) {
        return fail<AcceptedOffer>(UserErrorCode.INVALID_STATE, '该需求已接受其他报价', ['input', 'id']);
      }
      throw err;
    });
    if (result.ok) {
      const { offer, demand, loan, rejected, authorization } = result.value;
      ctx.events.publish(loanUpdated(loan));
      ctx.events.publish({
        type: 'offerAccepted',
        offerId: offer.id,
        demandId: demand.id,
        loanId: loan.id,
        institutionId: offer.institution.id,
      });
      for (const r of rejected) {
        ctx.events.publish(offerRejected(r, demand.id));
      }
      ctx.events.publish(authorizationGranted(authorization));
    }
    return result;
  }

  async get(ctx: RequestContext, id: string): Promise<Offer | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Offer, { $and: [{ id }, this.scope(ctx)] });
  }

  /** Offers the viewer may see, newest first; EXPIRED is read from the clock like the demand's. */
  list(ctx: RequestContext, statuses: OfferStatus[] | null | undefined, page: PageArgs): Promise<Page<Offer>> {
    const where: FilterQuery<Offer>[] = [this.scope(ctx)];
    if (statuses?.length) where.push({ $or: statuses.map((s) => this.statusCondition(ctx, s)) });
    return keysetPage(ctx.em, Offer, page, { where: { $and: where }, sortBy: 'createdAt', direction: 'desc' });
  }

  /** FinancingDemand.offers after the first page: a bank sees only its own. */
  forDemand(ctx: RequestContext, demandId: string, page: PageArgs): Promise<Page<Offer>> {
    return keysetPage(ctx.em, Offer, page, {
      where: { $and: [{ demand: demandId }, this.scope(ctx)] },
      sortBy: 'createdAt',
      direction: 'desc',
    });
  }

  /** First pages of FinancingDemand.offers for many demands in one statement. */
  firstPagesForDemands(ctx: RequestContext, demandIds: readonly string[], first: number) {
    const { viewer } = ctx;
    let where: { sql: string; params: unknown[] } | undefined;
    if (viewer.role === Role.BANK) where = { sql: 't.institution_id = ?', params: [viewer.institutionId] };
    else if (viewer.role !== Role.ENTERPRISE && viewer.role !== Role.REGULATOR) where = { sql: 'false', params: [] };
    return firstPlainPagesByParent(ctx.em, Offer, {
      parentColumn: 'demand_id',
      parentIds: demandIds,
      sortColumn: 'created_at',
      sortProp: 'createdAt',
      where,
      first,
    });
  }

  /**
   * offerCount per demand: PENDING (unexpired) and ACCEPTED offers of every bank. Banks may see
   * that competition exists, never its terms.
   */
  async countsForDemands(ctx: RequestContext, demandIds: readonly string[]): Promise<number[]> {
    const rows = await sql<{ demand_id: string; n: string }>(
      ctx.em,
      `select demand_id, count(*) as n from offer
        where demand_id = any(?::uuid[])
          and (status = 'ACCEPTED' or (status = 'PENDING' and valid_until > ?))
        group by demand_id`,
      [pgArray(demandIds), ctx.now().toISOString()],
    );
    const counts = new Map(rows.map((r) => [r.demand_id, Number(r.n)]));
    return demandIds.map((id) => counts.get(id) ?? 0);
  }

  /** The accepted offer of each demand, when the viewer may see it (a losing bank may not). */
  async acceptedForDemands(ctx: RequestContext, demandIds: readonly string[]): Promise<(Offer | null)[]> {
    const rows = await ctx.em.find(Offer, {
      $and: [{ demand: { $in: [...demandIds] }, status: OfferStatus.ACCEPTED }, this.scope(ctx)],
    });
    const byDemand = new Map(rows.map((o) => [o.demand.id, o]));
    return demandIds.map((id) => byDemand.get(id) ?? null);
  }

  /** Enterprise: offers on its own demands; bank: its own; regulator: all. */
  scope(ctx: RequestContext): FilterQuery<Offer> {
    const { viewer } = ctx;
    if (viewer.role === Role.REGULATOR) return {};
    if (viewer.role === Role.ENTERPRISE) return { demand: { enterprise: viewer.enterpriseId } };
    if (viewer.role === Role.BANK) return { institution: viewer.institutionId };
    return { id: { $in: [] } };
  }

  private statusCondition(ctx: RequestContext, status: OfferStatus): FilterQuery<Offer> {
    const now = ctx.now();
    if (status === OfferStatus.EXPIRED) {
      return { $or: [{ status }, { status: OfferStatus.PENDING, validUntil: { $lte: now } }] };
    }
    if (status === OfferStatus.PENDING) return { status, validUntil: { $gt: now } };
    return { status };
  }

  /** A bank bids only on demands of a type it publishes (or ones it already bid on). */
  private demandScope(ctx: RequestContext): Promise<FilterQuery<FinancingDemand>> {
    return this.demands.biddable(ctx);
  }

  /** Two bids from one bank at once: the partial unique index lets one through. */
  private async uniquePending(work: () => Promise<Result<Offer>>): Promise<Result<Offer>> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return onePendingOnly();
      throw err;
    }
  }
}

const onePendingOnly = () =>
  fail<Offer>(UserErrorCode.LIMIT_EXCEEDED, '本行对该需求已有待处理的报价，请先撤回原报价', ['input', 'demandId']);
