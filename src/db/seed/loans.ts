import Decimal from 'decimal.js';
import { ref } from '@mikro-orm/core';
import {
  CreditAuthorization,
  Loan,
  LoanEvent,
  type Enterprise,
  type GuaranteeFund,
  type LoanProduct,
} from '../../entities';
import {
  AuthorizationScope,
  DemandStatus,
  LoanEventType,
  LoanProductType,
  LoanStatus,
  OfferStatus,
} from '../../entities/enums';
import { DEFAULT_AFTER_DAYS } from '../../services/loan.service';
import { daysOverdueAsOf, firstUnpaidDueDate } from '../../services/loan/arrears';
import { addMonthsClamped, buildSchedule } from '../../services/loan/schedule';
import { UNDERWRITING_PURPOSE } from '../../services/offer.service';
import { placeDemand, placeOffer, type OfferPlan } from './demands';
import { LOAN_PLANS, type LoanPlan } from './loan-plans';
import { admits, at, percentOf, pickEnterprise, productOf, type DemoWorld } from './demo-world';
import { DAY_MS, addDays } from '../../services/time';

const DEMAND_STATUS: Record<LoanStatus, DemandStatus> = {
  PENDING: DemandStatus.MATCHED,
  GRANTED: DemandStatus.GRANTED,
  ACTIVE: DemandStatus.GRANTED,
  OVERDUE: DemandStatus.GRANTED,
  DEFAULTED: DemandStatus.GRANTED,
  SETTLED: DemandStatus.CLOSED,
  DECLINED: DemandStatus.CLOSED,
};

/** Days after the first missed installment when the bank reported the loan overdue, then defaulted. */
const REPORTED_OVERDUE_AFTER = 30;
const REPORTED_DEFAULT_AFTER = DEFAULT_AFTER_DAYS + 2;

/** As LoanService.grantCredit fixes it: the fund's rule for the grade, when it admits the amount. */
function coverage(fund: GuaranteeFund, product: LoanProduct, enterprise: Enterprise, credit: string) {
  if (
    !product.guaranteeFundEligible ||
    (product.type !== LoanProductType.CREDIT && product.type !== LoanProductType.GUARANTEE)
  )
    return {};
  const rule = fund.rules.find((r) => r.grade === enterprise.creditGrade && new Decimal(r.maxLoanAmount).gte(credit));
  if (!rule) return {};
  return {
    guaranteeFund: ref(fund),
    fundSharePercent: rule.fundSharePercent,
    coveredAmount: percentOf(credit, rule.fundSharePercent),
  };
}

interface Step {
  type: LoanEventType;
  on: string;
  amount?: string;
  principal?: string;
  interest?: string;
  note?: string;
}

function check(ok: boolean, what: string) {
  if (!ok) throw new Error(`demo seed: ${what}`);
}

/**
 * Loans in every status, each from a demand and its accepted offer (the others rejected), with
 * the consent acceptance gives, the events of each step and the fund's cover. Returns the
 * borrowers, whose risk is then re-assessed.
 */
export function seedLoans(world: DemoWorld, fund: GuaranteeFund): string[] {
  const borrowers = new Set<string>();
  for (const plan of LOAN_PLANS) {
    const product = productOf(world, plan.accepted.bank, plan.accepted.product);
    const all = [plan.accepted, ...(plan.rivals ?? [])];
    const enterprise =
      plan.borrower === 'demo'
        ? world.enterprises[0]
        : pickEnterprise(world, { ...plan.borrower, products: all.map((o) => productOf(world, o.bank, o.product)) });
    if (!enterprise || !admits(world, product, enterprise)) continue;
    const rivals = (plan.rivals ?? []).filter((o) => admits(world, productOf(world, o.bank, o.product), enterprise));
    seedLoan(world, fund, plan, product, enterprise, rivals);
    borrowers.add(enterprise.id);
  }
  return [...borrowers];
}

function seedLoan(
  world: DemoWorld,
  fund: GuaranteeFund,
  plan: LoanPlan,
  product: LoanProduct,
  enterprise: Enterprise,
  rivals: OfferPlan[],
): void {
  const { em, today } = world;
  const { status } = plan;
  const credit = new Decimal(plan.accepted.amount).toFixed(2);

  // The dates, backwards from the first disbursement (or from the acceptance).
  const disbursedOn =
    plan.disbursedMonthsAgo != null ? addDays(addMonthsClamped(today, -plan.disbursedMonthsAgo), -3) : null;
  const grantedOn = disbursedOn
    ? addDays(disbursedOn, -2)
    : plan.grantedDaysAgo != null
      ? addDays(today, -plan.grantedDaysAgo)
      : null;
  const acceptedOn = grantedOn && disbursedOn ? addDays(grantedOn, -3) : addDays(today, -plan.acceptedDaysAgo!);
  const acceptedAt = at(world, acceptedOn, 30);
  const publishedAt = at(world, addDays(acceptedOn, -4));

  const demand = placeDemand(world, enterprise, plan.demand, publishedAt, DEMAND_STATUS[status]);
  const offerAt = (i: number) => new Date(publishedAt.getTime() + DAY_MS + i * 90 * 60_000);
  const offer = placeOffer(world, demand, enterprise, plan.accepted, offerAt(0), OfferStatus.ACCEPTED, acceptedAt);
  rivals.forEach((rival, i) =>
    placeOffer(world, demand, enterprise, rival, offerAt(i + 1), OfferStatus.REJECTED, acceptedAt),
  );
  em.create(CreditAuthorization, {
    enterpriseId: enterprise.id,
    institutionId: product.institution.id,
    scope: AuthorizationScope.FULL,
    purpose: UNDERWRITING_PURPOSE,
    demandId: demand.id,
    grantedAt: acceptedAt,
    expiresAt: new Date(acceptedAt.getTime() + 90 * DAY_MS),
    createdAt: acceptedAt,
  });

  const events: Step[] = [];
  const loan = em.create(Loan, {
    enterprise,
    institution: product.institution,
    product,
    demand,
    offer,
    status,
    rate: new Decimal(plan.accepted.rate).toFixed(4),
    termMonths: plan.accepted.termMonths,
    repaymentMethod: plan.accepted.method,
    disbursedAmount: '0.00',
    outstandingPrincipal: '0.00',
    daysOverdue: 0,
    createdAt: acceptedAt,
    updatedAt: acceptedAt,
  });

  if (status === LoanStatus.DECLINED) {
    events.push({
      type: LoanEventType.DECLINED,
      on: addDays(today, -plan.declined!.daysAgo),
      note: plan.declined!.reason,
    });
  }
  if (grantedOn) {
    Object.assign(loan, { creditAmount: credit, grantedOn, ...coverage(fund, product, enterprise, credit) });
    events.push({ type: LoanEventType.GRANTED, on: grantedOn, amount: credit });
  }
  if (disbursedOn) {
    const disbursed = plan.disbursed ?? credit;
    const schedule = buildSchedule({
      amount: disbursed,
      annualRatePercent: loan.rate,
      termMonths: loan.termMonths,
      method: loan.repaymentMethod,
      startDate: disbursedOn,
    }).installments;
    const paid = schedule.slice(0, plan.paid ?? schedule.filter((i) => i.dueDate <= today).length);
    Object.assign(loan, {
      disbursedAmount: disbursed,
      disbursedOn,
      maturityDate: addMonthsClamped(disbursedOn, loan.termMonths),
    });
    events.push({ type: LoanEventType.DISBURSED, on: disbursedOn, amount: disbursed });
    let outstanding = new Decimal(disbursed);
    let totalPaid = new Decimal(0);
    for (const installment of paid) {
      check(installment.dueDate <= today, `installment due ${installment.dueDate} paid before it is due`);
      outstanding = outstanding.minus(installment.principal);
      totalPaid = totalPaid.plus(installment.total);
      events.push({
        type: LoanEventType.REPAID,
        on: installment.dueDate,
        amount: installment.total,
        principal: installment.principal,
        interest: installment.interest,
      });
    }
    loan.outstandingPrincipal = outstanding.toFixed(2);
    const late = (asOf: string) => daysOverdueAsOf(schedule, totalPaid.toFixed(2), asOf);
    if (status === LoanStatus.SETTLED) {
      check(outstanding.isZero(), 'a settled loan still owes principal');
      events.push({ type: LoanEventType.SETTLED, on: paid[paid.length - 1].dueDate });
    } else if (status === LoanStatus.ACTIVE) {
      check(outstanding.gt(0) && late(today) === 0, 'an active loan is behind its schedule');
    } else if (status === LoanStatus.OVERDUE) {
      loan.daysOverdue = late(today);
      check(loan.daysOverdue > 0 && loan.daysOverdue < DEFAULT_AFTER_DAYS, `overdue ${loan.daysOverdue} days`);
      events.push({ type: LoanEventType.OVERDUE, on: today, note: `逾期 ${loan.daysOverdue} 天` });
    } else if (status === LoanStatus.DEFAULTED) {
      const missed = firstUnpaidDueDate(schedule, totalPaid.toFixed(2))!;
      const reported = addDays(missed, REPORTED_OVERDUE_AFTER);
      const defaulted = addDays(missed, REPORTED_DEFAULT_AFTER);
      check(defaulted <= today, 'a loan defaulted in the future');
      loan.daysOverdue = late(defaulted);
      events.push({ type: LoanEventType.OVERDUE, on: reported, note: `逾期 ${late(reported)} 天` });
      events.push({ type: LoanEventType.DEFAULTED, on: defaulted, note: `逾期 ${loan.daysOverdue} 天` });
      if (plan.compensated && loan.fundSharePercent != null) {
        loan.compensatedAmount = percentOf(loan.outstandingPrincipal, loan.fundSharePercent);
        events.push({
          type: LoanEventType.COMPENSATED,
          on: addDays(defaulted, 10),
          amount: loan.compensatedAmount,
          note: `${fund.name}按 ${loan.fundSharePercent}% 代偿`,
        });
      }
    }
  }

  // Events in the order they happened; the loan and its demand last changed with the last one.
  events.forEach((e, i) => {
    check(e.on <= today, `${e.type} dated ${e.on}, after today`);
    em.create(LoanEvent, {
      loan,
      type: e.type,
      occurredOn: e.on,
      amount: e.amount ?? null,
      principal: e.principal ?? null,
      interest: e.interest ?? null,
      note: e.note ?? null,
      createdAt: at(world, e.on, 60 + i),
    });
  });
  const last = events.length ? at(world, events[events.length - 1].on, 60 + events.length) : acceptedAt;
  loan.updatedAt = last;
  demand.updatedAt = last;
}
