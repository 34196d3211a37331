import Decimal from 'decimal.js';
import type { LoanProduct } from '../../entities';

export interface LoanTerms {
  amount: string;
  rate: string;
  termMonths: number;
}

/**
 * What in an offer's or a grant's terms falls outside the product's ranges, as a Chinese message
 * per term; empty when all fit. Callers put each message on their own input field.
 */
export function outsideProduct(product: LoanProduct, terms: LoanTerms): Partial<Record<keyof LoanTerms, string>> {
  const problems: Partial<Record<keyof LoanTerms, string>> = {};
  const amount = new Decimal(terms.amount);
  if (amount.lt(product.minAmount) || amount.gt(product.maxAmount)) {
    problems.amount = `金额应在产品额度 ${product.minAmount}–${product.maxAmount} 元之间`;
  }
  const rate = new Decimal(terms.rate);
  if (rate.lt(product.minRate) || rate.gt(product.maxRate)) {
    problems.rate = `利率应在产品利率 ${product.minRate}%–${product.maxRate}% 之间`;
  }
  if (terms.termMonths < product.minTermMonths || terms.termMonths > product.maxTermMonths) {
    problems.termMonths = `期限应在产品期限 ${product.minTermMonths}–${product.maxTermMonths} 个月之间`;
  }
  return problems;
}
