import Decimal from 'decimal.js';

/** A rate as quoted to users: at least two decimals (3.20), and every significant one it has (3.1234). */
export function percent(rate: string): string {
  const value = new Decimal(rate);
  return value.decimalPlaces() <= 2 ? value.toFixed(2) : value.toFixed();
}
