import type { CreditGrade, EnterpriseSize } from '../../entities/enums';
import { regionScopePrefix } from '../../reference/regions';

/** Who a product (or later a policy) admits. Empty lists mean any. */
export interface EligibilityRule {
  minGrade?: CreditGrade | null;
  industryCodes: string[];
  regionCodes: string[];
  sizes: EnterpriseSize[];
  minYearsEstablished?: number | null;
}

export interface EligibilitySubject {
  creditGrade?: CreditGrade | null;
  industryCode: string;
  regionCode: string;
  size: EnterpriseSize;
  establishedOn: string;
}

const SIZE_NAMES: Record<string, string> = { MICRO: '微型', SMALL: '小型', MEDIUM: '中型', LARGE: '大型' };

/** A province (xx0000) or city (xxxx00) code admits the places inside it. */
export function regionCovers(rule: string, code: string): boolean {
  return code.startsWith(regionScopePrefix(rule));
}

/** A section (C) or division (C39) admits the codes under it. */
export function industryCovers(rule: string, code: string): boolean {
  return code.startsWith(rule);
}

/** Whole years from `from` to `to` (both YYYY-MM-DD). */
export function wholeYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/**
 * The criteria a subject does not meet, as short Chinese sentences naming its own value
 * (e.g. 成立年限 2 年，要求至少 3 年). Empty when eligible. Grades compare as letters: A is best.
 */
export function eligibilityProblems(rule: EligibilityRule, subject: EligibilitySubject, today: string): string[] {
  const problems: string[] = [];
  if (rule.minGrade) {
    if (!subject.creditGrade) problems.push(`尚无信用评价，要求信用等级不低于 ${rule.minGrade}`);
    else if (subject.creditGrade > rule.minGrade) {
      problems.push(`信用等级 ${subject.creditGrade}，要求不低于 ${rule.minGrade}`);
    }
  }
  if (rule.industryCodes.length && !rule.industryCodes.some((c) => industryCovers(c, subject.industryCode))) {
    problems.push(`所属行业 ${subject.industryCode} 不在适用行业（${rule.industryCodes.join('、')}）内`);
  }
  if (rule.regionCodes.length && !rule.regionCodes.some((c) => regionCovers(c, subject.regionCode))) {
    problems.push(`所在地区 ${subject.regionCode} 不在适用地区（${rule.regionCodes.join('、')}）内`);
  }
  if (rule.sizes.length && !rule.sizes.includes(subject.size)) {
    const allowed = rule.sizes.map((s) => SIZE_NAMES[s] ?? s).join('、');
    problems.push(`企业规模为${SIZE_NAMES[subject.size] ?? subject.size}，要求为${allowed}企业`);
  }
  if (rule.minYearsEstablished) {
    const years = wholeYears(subject.establishedOn, today);
    if (years < rule.minYearsEstablished)
      problems.push(`成立年限 ${years} 年，要求至少 ${rule.minYearsEstablished} 年`);
  }
  return problems;
}
