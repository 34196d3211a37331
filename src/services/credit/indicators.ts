import { BASIC_TAX_INDICATORS } from './indicators/basic-tax';
import type { Indicator } from './indicators/common';
import { CONDUCT_INDICATORS } from './indicators/conduct';
import { WORKFORCE_INDICATORS } from './indicators/workforce';

// The indicator catalogue of the credit model. The order here is the order of report indicators
// and the tie-break between equal shortfalls in reason codes, so append; do not reorder.

export {
  DATA_MISSING,
  NEUTRAL_SUB_SCORE,
  type Indicator,
  type IndicatorCategory,
  type IndicatorOutcome,
} from './indicators/common';
export { wholeYearsBetween } from './indicators/basic-tax';

export const INDICATORS: readonly Indicator[] = Object.freeze([
  ...BASIC_TAX_INDICATORS,
  ...WORKFORCE_INDICATORS,
  ...CONDUCT_INDICATORS,
]);

const BY_CODE: ReadonlyMap<string, Indicator> = new Map(INDICATORS.map((indicator) => [indicator.code, indicator]));
// A duplicated code would silently shadow an indicator's weight: fail at load instead.
if (BY_CODE.size !== INDICATORS.length) throw new Error('credit indicator codes must be unique');

export const INDICATOR_CODES: readonly string[] = INDICATORS.map((indicator) => indicator.code);

export function indicatorByCode(code: string): Indicator | undefined {
  return BY_CODE.get(code);
}
