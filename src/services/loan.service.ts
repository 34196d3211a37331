import Decimal from 'decimal.js';
import type { Plain } from '../db/plain-rows';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Enterprise, FinancingDemand, GuaranteeFund, Loan, LoanEvent, LoanProduct } from '../entities';
import { DemandStatus, LoanEventType, LoanStatus, Role } from '../entities/enums';
import { recordAudit } from './audit';
import { loanUpdated } from './events';
import { assessRisk } from './credit/evaluator';
import { enterpriseFilterConditions } from './enterprise-filter';
import { coveringFund } from './guarantee-fund.service';
import { isUuid } from './ids';
import { daysOverdueAsOf } from './loan/arrears';
import { outsideProduct } from './loan/product-terms';
import { addMonthsClamped, cachedInstallments, type Installment } from './loan/schedule';
import { keysetPlainPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from './user-error';
import { count, isoDate, money, rate, text } from './validation';

/** DESIGN.md: 90 days or more past due is non-performing (不良). */
export const DEFAULT_AFTER_DAYS = 90;

const loanId = z.string();

const grantInput = z.object({
  loanId,
  creditAmount: money(),
  rate: rate(),
  termMonths: count('期限', 1, 360),
  grantedOn: isoDate('授信日期'),
});
const declineInput = z.object({ loanId, reason: text('拒绝原因', 2, 500) });
const disburseInput = z.object({ loanId, amount: money(), disbursedOn: isoDate('放款日期') });
const repaymentInput = z
  .object({
    loanId,
    principal: money({ allowZero: true }),
    interest: money({ allowZero: true }),
    paidOn: isoDate('还款日期'),
  })
  .refine((r) => new Decimal(r.principal).plus(r.interest).gt(0), {
    message: '本金和利息不能同时为 0',
    path: ['principal'],
  });
const overdueInput = z.object({
  loanId,
  asOf: isoDate('逾期统计日期'),
  daysOverdue: count('逾期天数', 1, 36_500).nullish(),
});

export interface LoanFilter {
  statuses?: LoanStatus[] | null;
  institutionIds?: string[] | null;
  enterpriseId?: string | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
}

type Change = (em: EntityManager, loan: Loan, today: string) => Promise<Result<Loan>>;

/** An event date: never in the future, never before the event it follows (DESIGN.md). */
function dateProblems(field: string, value: string, today: string, after?: { date: string; what: string }) {
  const errors: UserError[] = [];
  if (value > today) errors.push({ code: UserErrorCode.INVALID, message: '日期不能晚于今天', field: ['input', field] });
  else if (after && value < after.date) {
    errors.push({
      code: UserErrorCode.INVALID,
      message: `日期不能早于${after.what}（${after.date}）`,
      field: ['input', field],
    });
  }
  return errors;
}

/**
 * Loans from offer accepted to settled (贷后管理). Each change runs on the bank's own loan,
 * locked for the transaction, and writes a LoanEvent and an audit event with it.
 */
export class LoanService {
  async grantCredit(ctx: RequestContext, input: unknown): Promise<Result<Loan>> {
    const parsed = parseInput(grantInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.loanId, 'grantCredit', async (em, loan, today) => {
      if (loan.status !== LoanStatus.PENDING) return wrongState(loan, '授信');
      const product = await em.findOneOrFail(LoanProduct, { id: loan.product.id });
      const errors = [
        ...dateProblems('grantedOn', data.grantedOn, today, {
          date: shanghaiDate(loan.createdAt),
          what: '接受报价日期',
        }),
        ...productRangeProblems(product, data),
      ];
      if (errors.length) return failMany(errors);
      Object.assign(loan, {
        status: LoanStatus.GRANTED,
        creditAmount: data.creditAmount,
        rate: data.rate,
        termMonths: data.termMonths,
        grantedOn: data.grantedOn,
      });
      const enterprise = await em.findOneOrFail(Enterprise, { id: loan.enterprise.id });
      const cover = await coveringFund(em, product, enterprise, data.creditAmount);
      if (cover) {
        loan.guaranteeFund = em.getReference(GuaranteeFund, cover.fundId) as never;
        loan.fundSharePercent = cover.sharePercent;
        loan.coveredAmount = cover.coveredAmount;
      }
      if (loan.demand) await setDemandStatus(em, loan.demand.id, DemandStatus.GRANTED, ctx.now());
      // A whitelist entry dispatched to this bank has now been served.
      await sql(
        em,
        `update dispatch d set status = 'GRANTED', responded_at = coalesce(d.responded_at, ?)
           from whitelist_entry w
          where d.entry_id = w.id and w.uscc = ? and d.institution_id = ? and d.status in ('PENDING', 'ACCEPTED')`,
        [ctx.now().toISOString(), enterprise.uscc, loan.institution.id],
      );
      addEvent(em, ctx.now(), loan, LoanEventType.GRANTED, data.grantedOn, { amount: data.creditAmount });
      return ok(loan);
    });
  }

  async declineLoan(ctx: RequestContext, input: unknown): Promise<Result<Loan>> {
    const parsed = parseInput(declineInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.loanId, 'declineLoan', async (em, loan, today) => {
      if (loan.status !== LoanStatus.PENDING) return wrongState(loan, '拒绝');
      loan.status = LoanStatus.DECLINED;
      if (loan.demand) await setDemandStatus(em, loan.demand.id, DemandStatus.CLOSED, ctx.now());
      addEvent(em, ctx.now(), loan, LoanEventType.DECLINED, today, { note: data.reason });
      return ok(loan);
    });
  }

  /** Disbursed in one or more tranches, never beyond the credit granted; the first one starts the loan. */
  async disburseLoan(ctx: RequestContext, input: unknown): Promise<Result<Loan>> {
    const parsed = parseInput(disburseInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.loanId, 'disburseLoan', async (em, loan, today) => {
      if (loan.status !== LoanStatus.GRANTED && loan.status !== LoanStatus.ACTIVE) return wrongState(loan, '放款');
      const errors = dateProblems('disbursedOn', data.disbursedOn, today, {
        date: loan.disbursedOn ?? loan.grantedOn!,
        what: loan.disbursedOn ? '首次放款日期' : '授信日期',
      });
      const disbursed = new Decimal(loan.disbursedAmount).plus(data.amount);
      if (disbursed.gt(loan.creditAmount!)) {
        const room = new Decimal(loan.creditAmount!).minus(loan.disbursedAmount).toFixed(2);
        errors.push({
          code: UserErrorCode.LIMIT_EXCEEDED,
          message: `累计放款不能超过授信额度 ${loan.creditAmount} 元（尚可放款 ${room} 元）`,
          field: ['input', 'amount'],
        });
      }
      if (errors.length) return failMany(errors);
      loan.disbursedAmount = disbursed.toFixed(2);
      loan.outstandingPrincipal = new Decimal(loan.outstandingPrincipal).plus(data.amount).toFixed(2);
      if (!loan.disbursedOn) {
        loan.disbursedOn = data.disbursedOn;
        loan.maturityDate = addMonthsClamped(data.disbursedOn, loan.termMonths);
        loan.status = LoanStatus.ACTIVE;
      }
      addEvent(em, ctx.now(), loan, LoanEventType.DISBURSED, data.disbursedOn, { amount: data.amount });
      return ok(loan);
    });
  }

  /**
   * Principal never beyond what is outstanding. Reaching zero settles the loan and closes its
   * demand; an overdue loan whose arrears are paid off is performing again.
   */
  async recordRepayment(ctx: RequestContext, input: unknown): Promise<Result<Loan>> {
    const parsed = parseInput(repaymentInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.loanId, 'recordRepayment', async (em, loan, today) => {
      if (loan.status !== LoanStatus.ACTIVE && loan.status !== LoanStatus.OVERDUE) return wrongState(loan, '还款');
      const errors = dateProblems('paidOn', data.paidOn, today, { date: loan.disbursedOn!, what: '放款日期' });
      if (new Decimal(data.principal).gt(loan.outstandingPrincipal)) {
        errors.push({
          code: UserErrorCode.LIMIT_EXCEEDED,
          message: `还款本金不能超过剩余本金 ${loan.outstandingPrincipal} 元`,
          field: ['input', 'principal'],
        });
      }
      if (errors.length) return failMany(errors);
      const amount = new Decimal(data.principal).plus(data.interest).toFixed(2);
      loan.outstandingPrincipal = new Decimal(loan.outstandingPrincipal).minus(data.principal).toFixed(2);
      addEvent(em, ctx.now(), loan, LoanEventType.REPAID, data.paidOn, {
        amount,
        principal: data.principal,
        interest: data.interest,
      });
      if (new Decimal(loan.outstandingPrincipal).isZero()) {
        loan.status = LoanStatus.SETTLED;
        loan.daysOverdue = 0;
        if (loan.demand) await setDemandStatus(em, loan.demand.id, DemandStatus.CLOSED, ctx.now());
        addEvent(em, ctx.now(), loan, LoanEventType.SETTLED, data.paidOn);
      } else if (loan.status === LoanStatus.OVERDUE) {
        const paid = new Decimal(await totalRepaid(em, loan.id)).plus(amount).toFixed(2);
        if (daysOverdueAsOf(loanSchedule(loan), paid, data.paidOn) === 0) {
          loan.status = LoanStatus.ACTIVE;
          loan.daysOverdue = 0;
        }
      }
      return ok(loan);
    });
  }

  /**
   * The bank reports arrears (贷后报送): its own day count, or ours from the first unpaid
   * installment. 90 days or more is DEFAULTED, which is final.
   */
  async markLoanOverdue(ctx: RequestContext, input: unknown): Promise<Result<Loan>> {
    const parsed = parseInput(overdueInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.loanId, 'markLoanOverdue', async (em, loan, today) => {
      if (loan.status !== LoanStatus.ACTIVE && loan.status !== LoanStatus.OVERDUE) return wrongState(loan, '标记逾期');
      const errors = dateProblems('asOf', data.asOf, today, { date: loan.disbursedOn!, what: '放款日期' });
      if (errors.length) return failMany(errors);
      const days = data.daysOverdue ?? daysOverdueAsOf(loanSchedule(loan), await totalRepaid(em, loan.id), data.asOf);
      if (days <= 0) {
        return fail(UserErrorCode.INVALID_STATE, `截至 ${data.asOf} 没有逾期未还的款项`, ['input', 'asOf']);
      }
      loan.daysOverdue = days;
      if (days >= DEFAULT_AFTER_DAYS) {
        loan.status = LoanStatus.DEFAULTED;
        addEvent(em, ctx.now(), loan, LoanEventType.DEFAULTED, data.asOf, { note: `逾期 ${days} 天` });
      } else {
        loan.status = LoanStatus.OVERDUE;
        addEvent(em, ctx.now(), loan, LoanEventType.OVERDUE, data.asOf, { note: `逾期 ${days} 天` });
      }
      return ok(loan);
    });
  }

  /**
   * A DEFAULTED loan covered by a fund: the fund pays outstanding principal × its share, once,
   * and never more in total than its capital (the fund row is locked while summing).
   */
  async claimCompensation(ctx: RequestContext, input: { loanId: string }): Promise<Result<Loan>> {
    return this.change(ctx, input.loanId, 'claimCompensation', async (em, loan, today) => {
      if (loan.status !== LoanStatus.DEFAULTED) return wrongState(loan, '申请代偿');
      if (!loan.guaranteeFund || loan.fundSharePercent == null) {
        return fail(UserErrorCode.NOT_ELIGIBLE, '该笔贷款未纳入信保基金风险分担', ['input', 'loanId']);
      }
      if (loan.compensatedAmount != null) {
        return fail(UserErrorCode.INVALID_STATE, '该笔贷款已获代偿', ['input', 'loanId']);
      }
      const fund = await em.findOneOrFail(
        GuaranteeFund,
        { id: loan.guaranteeFund.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const amount = new Decimal(loan.outstandingPrincipal)
        .times(loan.fundSharePercent)
        .div(100)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const [{ paid }] = await sql<{ paid: string }>(
        em,
        'select coalesce(sum(compensated_amount), 0)::text as paid from loan where guarantee_fund_id = ?',
        [fund.id],
      );
      if (amount.plus(paid).gt(fund.capital)) {
        return fail(UserErrorCode.LIMIT_EXCEEDED, `信保基金余额不足（资本金 ${fund.capital} 元，已代偿 ${paid} 元）`, [
          'input',
          'loanId',
        ]);
      }
      loan.compensatedAmount = amount.toFixed(2);
      addEvent(em, ctx.now(), loan, LoanEventType.COMPENSATED, today, {
        amount: loan.compensatedAmount,
        note: `${fund.name}按 ${loan.fundSharePercent}% 代偿`,
      });
      return ok(loan);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Loan | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Loan, { $and: [{ id }, this.scope(ctx)] });
  }

  list(ctx: RequestContext, filter: LoanFilter, page: PageArgs): Promise<Page<Plain<Loan>>> {
    const where: FilterQuery<Loan>[] = [this.scope(ctx)];
    if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
    if (filter.institutionIds?.length) where.push({ institution: { $in: filter.institutionIds.filter(isUuid) } });
    if (filter.enterpriseId)
      where.push({ enterprise: isUuid(filter.enterpriseId) ? filter.enterpriseId : { $in: [] } });
    for (const condition of enterpriseFilterConditions(filter)) where.push({ enterprise: condition });
    return keysetPlainPage(ctx.em, Loan, page, { where: { $and: where }, sortBy: 'createdAt', direction: 'desc' });
  }

  /** The loans of many demands at once (FinancingDemand.loan), as this viewer may see them. */
  async forDemands(ctx: RequestContext, demandIds: readonly string[]): Promise<(Loan | null)[]> {
    const rows = await ctx.em.find(Loan, { $and: [{ demand: { $in: [...demandIds] } }, this.scope(ctx)] });
    const byDemand = new Map(rows.map((l) => [l.demand!.id, l]));
    return demandIds.map((id) => byDemand.get(id) ?? null);
  }

  /** Events of many loans at once, in the order they happened. */
  async eventsFor(ctx: RequestContext, loanIds: readonly string[]): Promise<LoanEvent[][]> {
    const rows = await ctx.em.find(
      LoanEvent,
      { loan: { $in: [...loanIds] } },
      { orderBy: { occurredOn: 'asc', createdAt: 'asc', id: 'asc' } },
    );
    const byLoan = new Map<string, LoanEvent[]>(loanIds.map((id) => [id, []]));
    for (const event of rows.sort(inOrderOfHappening)) byLoan.get(event.loan.id)?.push(event);
    return loanIds.map((id) => byLoan.get(id)!);
  }

  /** Enterprise: its own loans; bank: the loans it made; regulator: all. */
  scope(ctx: RequestContext): FilterQuery<Loan> {
    const { viewer } = ctx;
    if (viewer.role === Role.REGULATOR) return {};
    if (viewer.role === Role.ENTERPRISE) return { enterprise: viewer.enterpriseId };
    if (viewer.role === Role.BANK) return { institution: viewer.institutionId };
    return { id: { $in: [] } };
  }

  /**
   * Runs one change on the bank's own loan, locked FOR UPDATE: another bank's loan is NOT_FOUND.
   * The enterprise's risk is re-assessed in the same transaction (overdue and default are signals).
   */
  private async change(ctx: RequestContext, id: string, action: string, work: Change): Promise<Result<Loan>> {
    const result = await transaction(ctx, async (em) => {
      const loan = isUuid(id)
        ? await em.findOne(
            Loan,
            { id, institution: ctx.viewer.institutionId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          )
        : null;
      if (!loan) return fail<Loan>(UserErrorCode.NOT_FOUND, '贷款不存在', ['input', 'loanId']);
      const before = loan.status;
      const today = shanghaiDate(ctx.now());
      const done = await work(em, loan, today);
      if (!done.ok) return done;
      loan.updatedAt = ctx.now();
      recordAudit(ctx, em, { action, targetType: 'Loan', targetId: loan.id });
      if (before !== loan.status) {
        await em.flush();
        await assessRisk(em, [loan.enterprise.id], today, ctx.now());
      }
      return done;
    });
    if (result.ok) ctx.events.publish(loanUpdated(result.value));
    return result;
  }
}

/**
 * The loan's schedule (DESIGN.md): principal = amount disbursed, or the credit amount before the
 * first disbursement (the offer's amount before credit is granted, passed in); from the first
 * disbursement date, or the grant date before it.
 */
export function loanSchedule(loan: Plain<Loan>, offerAmount?: string | null): readonly Readonly<Installment>[] {
  const principal = new Decimal(loan.disbursedAmount).gt(0)
    ? loan.disbursedAmount
    : (loan.creditAmount ?? offerAmount ?? null);
  if (!principal) return [];
  const startDate = loan.disbursedOn ?? loan.grantedOn ?? shanghaiDate(loan.createdAt);
  return cachedInstallments({
    amount: principal,
    annualRatePercent: loan.rate,
    termMonths: loan.termMonths,
    method: loan.repaymentMethod,
    startDate,
  });
}

/** The order of event types within one change (a repayment that settles: REPAID, then SETTLED). */
const EVENT_RANK = new Map(Object.values(LoanEventType).map((type, i) => [type, i]));

/**
 * Date, then the instant it was recorded, then the type: the events one transaction writes share
 * their date and may share their millisecond, and random ids would order them by chance.
 */
function inOrderOfHappening(a: LoanEvent, b: LoanEvent): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? -1 : 1;
  const at = a.createdAt.getTime() - b.createdAt.getTime();
  if (at !== 0) return at;
  const rank = EVENT_RANK.get(a.type)! - EVENT_RANK.get(b.type)!;
  return rank !== 0 ? rank : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function wrongState(loan: Loan, action: string) {
  return fail<Loan>(UserErrorCode.INVALID_STATE, `贷款当前状态为 ${loan.status}，不能${action}`, ['input', 'loanId']);
}

/** Granted terms stay inside the product's ranges, like the offer's. */
function productRangeProblems(
  product: LoanProduct,
  data: { creditAmount: string; rate: string; termMonths: number },
): UserError[] {
  const problems = outsideProduct(product, { ...data, amount: data.creditAmount });
  return Object.entries(problems).map(([term, message]) => ({
    code: UserErrorCode.INVALID,
    message: term === 'amount' ? message.replace('金额', '授信额度') : message,
    field: ['input', term === 'amount' ? 'creditAmount' : term],
  }));
}

function addEvent(
  em: EntityManager,
  at: Date,
  loan: Loan,
  type: LoanEventType,
  occurredOn: string,
  extra: { amount?: string; principal?: string; interest?: string; note?: string } = {},
): void {
  em.create(LoanEvent, {
    loan,
    type,
    occurredOn,
    amount: extra.amount ?? null,
    principal: extra.principal ?? null,
    interest: extra.interest ?? null,
    note: extra.note ?? null,
    createdAt: at,
  });
}

async function setDemandStatus(em: EntityManager, demandId: string, status: DemandStatus, now: Date) {
  await em.nativeUpdate(FinancingDemand, { id: demandId }, { status, updatedAt: now });
}

async function totalRepaid(em: EntityManager, loanId: string): Promise<string> {
  const [{ paid }] = await sql<{ paid: string }>(
    em,
    "select coalesce(sum(amount), 0)::text as paid from loan_event where loan_id = ? and type = 'REPAID'",
    [loanId],
  );
  return paid;
}
