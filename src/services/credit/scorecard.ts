import type { StoredIndicator } from '../../entities/credit-report.entity';
import Decimal from 'decimal.js';
import { CreditGrade } from '../../entities/enums';
import type { CreditFeatures } from './features';
import { DATA_MISSING, INDICATORS, indicatorByCode } from './indicators';

// The scorecard: pure arithmetic from CreditFeatures and a model to a score, grade and reasons.
// No database, no clock (asOf comes with the features), so the bulk evaluator and the tests
// get the same answer for the same input. docs/credit-model.md explains the numbers.

export interface GradeBand {
  grade: CreditGrade;
  minScore: number;
}

export interface ModelSpec {
  version: string;
  /** Relative weights by indicator code; an indicator not listed weighs 0. */
  weights: Record<string, number>;
  gradeBands: GradeBand[];
}

/** One indicator's outcome: exactly what a stored report keeps. */
export type IndicatorResult = StoredIndicator;

export interface Evaluation {
  score: number;
  grade: CreditGrade;
  indicators: IndicatorResult[];
  reasonCodes: string[];
}

export const MAX_SCORE = 1000;
/** Reports list the main reasons only; the indicator breakdown has the rest. */
export const MAX_REASON_CODES = 5;

export const DEFAULT_GRADE_BANDS: GradeBand[] = [
  { grade: CreditGrade.A, minScore: 750 },
  { grade: CreditGrade.B, minScore: 600 },
  { grade: CreditGrade.C, minScore: 450 },
  { grade: CreditGrade.D, minScore: 0 },
];

export function defaultWeights(): Record<string, number> {
  return Object.fromEntries(INDICATORS.map((indicator) => [indicator.code, indicator.defaultWeight]));
}

/** Half-up to 2 decimals in decimal, so 0.125 shows as 0.13 and not as float noise. */
function round2(x: number): number {
  return new Decimal(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

/** The grade of the highest band whose minScore the score reaches (bands in any order). */
export function gradeFor(score: number, bands: GradeBand[]): CreditGrade {
  if (bands.length === 0) throw new Error('a credit model needs grade bands');
  const descending = [...bands].sort((a, b) => b.minScore - a.minScore);
  return (descending.find((band) => score >= band.minScore) ?? descending[descending.length - 1]).grade;
}

/** The weight the model gives an indicator: 0 when not listed. */
function weightOf(model: { weights: Record<string, number> }, code: string): number {
  return Object.hasOwn(model.weights, code) ? model.weights[code] : 0;
}

/**
 * Scores one enterprise. maxPoints = 1000 × weight ÷ Σ weights; points = maxPoints × sub-score;
 * score = round(Σ points), with the unrounded points, so the rounded points shown sum to the
 * score ± 1. Codes in `weights` that are not indicators are ignored (modelProblems rejects them
 * on create; ignoring keeps old models usable). Throws when a weight is negative or not finite or
 * all weigh 0: models are validated when created, so that is a programming error.
 */
export function evaluate(features: CreditFeatures, model: ModelSpec): Evaluation {
  for (const indicator of INDICATORS) {
    const weight = weightOf(model, indicator.code);
    if (!Number.isFinite(weight) || weight < 0) {
      throw new Error(`credit model ${model.version}: invalid weight ${weight} for ${indicator.code}`);
    }
  }
  const totalWeight = INDICATORS.reduce((sum, indicator) => sum + weightOf(model, indicator.code), 0);
  // Σ overflowing to Infinity would turn every maxPoints into 0 or NaN.
  if (!(totalWeight > 0) || !Number.isFinite(totalWeight)) {
    throw new Error(`credit model ${model.version}: weights sum to ${totalWeight}`);
  }

  let total = 0;
  const shortfalls: { reasonCode: string; shortfall: number; order: number }[] = [];
  const indicators = INDICATORS.map((indicator, order): IndicatorResult => {
    const weight = weightOf(model, indicator.code);
    const outcome = indicator.evaluate(features);
    const subScore = Math.min(1, Math.max(0, outcome.subScore));
    const maxPoints = (MAX_SCORE * weight) / totalWeight;
    const points = maxPoints * subScore;
    total += points;
    const reasonCode = weight > 0 && subScore < 1 ? (outcome.missing ? DATA_MISSING : indicator.reasonCode) : null;
    // Float noise (1e-13) must neither invent a shortfall nor break a tie the indicator order should decide.
    const shortfall = Number((maxPoints - points).toFixed(6));
    if (reasonCode && shortfall > 0) shortfalls.push({ reasonCode, shortfall, order });
    return {
      code: indicator.code,
      name: indicator.name,
      category: indicator.category,
      value: outcome.value,
      points: round2(points),
      maxPoints: round2(maxPoints),
      reasonCode,
    };
  });

  const score = Math.min(MAX_SCORE, Math.max(0, Math.round(total)));
  shortfalls.sort((a, b) => b.shortfall - a.shortfall || a.order - b.order);
  const reasonCodes = [...new Set(shortfalls.map((s) => s.reasonCode))].slice(0, MAX_REASON_CODES);
  return { score, grade: gradeFor(score, model.gradeBands), indicators, reasonCodes };
}

const GRADES: readonly CreditGrade[] = [CreditGrade.A, CreditGrade.B, CreditGrade.C, CreditGrade.D];

/**
 * What is wrong with a model's weights and bands, as userError material: paths are relative to
 * the model (['weights', code], ['gradeBands'], ['gradeBands', index, 'minScore']); the caller
 * prefixes 'input' and maps a weight code to its position in the input list. Empty when valid.
 */
export function modelProblems(spec: {
  weights: Record<string, number>;
  gradeBands: GradeBand[];
}): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];

  let anyPositive = false;
  let sum = 0;
  for (const [code, weight] of Object.entries(spec.weights)) {
    if (!indicatorByCode(code)) {
      problems.push({ path: ['weights', code], message: `未知的指标代码：${code}` });
    } else if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      problems.push({ path: ['weights', code], message: `指标 ${code} 的权重必须是不小于 0 的有限数` });
    } else {
      anyPositive ||= weight > 0;
      sum += weight;
    }
  }
  if (!anyPositive) problems.push({ path: ['weights'], message: '至少一个指标的权重必须大于 0' });
  else if (!Number.isFinite(sum)) problems.push({ path: ['weights'], message: '权重之和过大' });

  const bands = spec.gradeBands;
  let bandsUsable = true;
  bands.forEach((band, index) => {
    const path = ['gradeBands', String(index), 'minScore'];
    if (!GRADES.includes(band.grade)) {
      problems.push({ path: ['gradeBands', String(index), 'grade'], message: `未知的信用等级：${String(band.grade)}` });
      bandsUsable = false;
    } else if (!Number.isInteger(band.minScore)) {
      problems.push({ path, message: `${band.grade} 级的最低分必须是整数` });
      bandsUsable = false;
    } else if (band.minScore < 0 || band.minScore > MAX_SCORE) {
      problems.push({ path, message: `${band.grade} 级的最低分必须在 0 到 ${MAX_SCORE} 之间` });
      bandsUsable = false;
    }
  });
  for (const grade of GRADES) {
    const count = bands.filter((band) => band.grade === grade).length;
    if (count !== 1) {
      problems.push({
        path: ['gradeBands'],
        message: count === 0 ? `缺少 ${grade} 级的分数线` : `${grade} 级的分数线重复`,
      });
      bandsUsable = false;
    }
  }
  // Order and D at 0 only mean something once every grade has exactly one valid band.
  if (bandsUsable) {
    const [a, b, c, d] = GRADES.map((grade) => bands.find((band) => band.grade === grade)!.minScore);
    if (d !== 0) {
      const dIndex = bands.findIndex((band) => band.grade === CreditGrade.D);
      problems.push({ path: ['gradeBands', String(dIndex), 'minScore'], message: 'D 级的最低分必须为 0' });
    }
    if (!(a > b && b > c && c > d)) {
      problems.push({ path: ['gradeBands'], message: '各等级最低分必须严格递减：A > B > C > D' });
    }
  }
  return problems;
}
