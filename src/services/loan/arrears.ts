import Decimal from 'decimal.js';
import { daysBetween } from '../time';
import type { Installment } from './schedule';

/**
 * Arrears from a schedule and what has been repaid (principal + interest, in total). Pure.
 * Payments are applied to installments in order, so the first installment whose cumulative
 * total exceeds what was paid is the first one not fully paid.
 */
export function firstUnpaidDueDate(installments: readonly Installment[], totalPaid: string): string | null {
  let due = new Decimal(0);
  for (const installment of installments) {
    due = due.plus(installment.total);
    if (due.gt(totalPaid)) return installment.dueDate;
  }
  return null;
}

/** Days overdue as of `asOf`: from the first unpaid installment due on or before it; 0 when none. */
export function daysOverdueAsOf(installments: readonly Installment[], totalPaid: string, asOf: string): number {
  const due = firstUnpaidDueDate(installments, totalPaid);
  return due ? Math.max(0, daysBetween(due, asOf)) : 0;
}
