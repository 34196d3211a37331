import { z } from 'zod';
import { RepaymentMethod } from '../entities/enums';
import { BadInputError } from './errors';
import { buildSchedule, type Schedule } from './loan/schedule';
import { isValidIsoDate } from './time';
import { count, money, rate } from './validation';

const quoteInput = z.object({
  amount: money(),
  rate: rate(),
  termMonths: count('期限', 1, 360),
  repaymentMethod: z.enum(RepaymentMethod),
  startDate: z.string().refine(isValidIsoDate, '起始日期无效'),
});

/**
 * The public repayment calculator (还款计划试算). A query has no userErrors, so input it cannot
 * work with is BAD_USER_INPUT naming the argument.
 */
export function quoteSchedule(input: unknown): Schedule {
  const parsed = quoteInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`${issue.path.join('.')}: ${issue.message}`, `input.${issue.path.join('.')}`);
  }
  const { amount, rate: annualRatePercent, termMonths, repaymentMethod, startDate } = parsed.data;
  return buildSchedule({ amount, annualRatePercent, termMonths, method: repaymentMethod, startDate });
}
