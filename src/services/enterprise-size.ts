import Decimal from 'decimal.js';
import sizeRules from '../reference/sme-size-2011.json';

// Enterprise size (划型) per 工信部联企业〔2011〕300号, driven by sme-size-2011.json:
// LARGE when at or above every SME-ceiling measure of the industry; otherwise MEDIUM
// when at or above every medium measure, SMALL when at or above every small measure,
// else MICRO.

export type EnterpriseSize = 'MICRO' | 'SMALL' | 'MEDIUM' | 'LARGE';

export interface EnterpriseSizeInput {
  industryCode: string;
  employees?: number | null;
  /** Annual operating revenue in yuan, decimal string. */
  annualRevenueYuan?: string | null;
  /** Registered capital in yuan, decimal string. */
  registeredCapitalYuan?: string | null;
}

type Measure = 'employees' | 'revenue' | 'assets';
type Thresholds = Partial<Record<Measure, number>>;

interface SizeRule {
  name: string;
  gbt4754: string[];
  medium: Thresholds;
  small: Thresholds;
  smeCeiling: Thresholds;
}

const RULES: readonly SizeRule[] = sizeRules.industries;
// Fail at load, not on some later save, if the reference data loses its catch-all.
const FALLBACK: SizeRule = (() => {
  const rule = RULES.find((candidate) => candidate.gbt4754.includes('*'));
  if (!rule) throw new Error('sme-size-2011.json lacks the "*" rule');
  return rule;
})();

const YUAN_PER_WAN = 10_000;

/** The rule whose gbt4754 prefix matches most of the code: F5123 → F51, K7010 → K701, C39 → C. */
export function sizeRuleFor(industryCode: string): SizeRule {
  let best = FALLBACK;
  let bestLength = 0;
  for (const rule of RULES) {
    for (const prefix of rule.gbt4754) {
      if (prefix !== '*' && prefix.length > bestLength && industryCode.startsWith(prefix)) {
        best = rule;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

// Amounts in yuan become 万元 in decimal: thresholds sit on exact boundaries
// (20,000,000 yuan = 2,000 万元) where float division could land a hair short.
function wan(yuan: string | null | undefined): Decimal {
  if (yuan === null || yuan === undefined || yuan.trim() === '') return new Decimal(0);
  return new Decimal(yuan).dividedBy(YUAN_PER_WAN);
}

function meetsAll(thresholds: Thresholds, values: Record<Measure, Decimal>): boolean {
  return (Object.keys(thresholds) as Measure[]).every((measure) =>
    values[measure].greaterThanOrEqualTo(thresholds[measure]!),
  );
}

/**
 * Size from declared figures. Missing employees or revenue count as 0, so an
 * enterprise that declares nothing is MICRO until it says otherwise. The 2011 rules
 * use total assets for construction, real estate development and leasing/business
 * services; we hold no balance sheet, so registered capital stands in for assets.
 * Non-numeric money strings throw (decimal.js): callers validate money inputs first.
 */
export function deriveEnterpriseSize(input: EnterpriseSizeInput): EnterpriseSize {
  const employees = input.employees;
  const values: Record<Measure, Decimal> = {
    employees: new Decimal(typeof employees === 'number' && Number.isFinite(employees) ? employees : 0),
    revenue: wan(input.annualRevenueYuan),
    assets: wan(input.registeredCapitalYuan),
  };
  const rule = sizeRuleFor(input.industryCode);
  if (meetsAll(rule.smeCeiling, values)) return 'LARGE';
  if (meetsAll(rule.medium, values)) return 'MEDIUM';
  if (meetsAll(rule.small, values)) return 'SMALL';
  return 'MICRO';
}
