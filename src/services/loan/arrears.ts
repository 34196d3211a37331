import Decimal from 'decimal.js';
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

/** Days from an installment's due date to `asOf` (both YYYY-MM-DD); ≤ 0 when not yet late. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Days overdue as of `asOf`: from the first unpaid installment due on or before it; 0 when none. */
export function daysOverdueAsOf(installments: readonly Installment[], totalPaid: string, asOf: string): number {
  const due = firstUnpaidDueDate(installments, totalPaid);
  return due ? Math.max(0, daysBetween(due, asOf)) : 0;
}
