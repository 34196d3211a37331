import Decimal from 'decimal.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Department, Enterprise, FinancialInstitution, LoanProduct } from '../../entities';
import { RiskLevel, VerificationStatus, type CreditGrade } from '../../entities/enums';
import { eligibilityProblems } from '../../services/loan/eligibility';
import type { DemoProduct } from './demo-products';
import type { DepartmentKey } from './demo-organisations';

export type BankKey = DemoProduct['bank'];

/** What the marketplace part of the seed builds on: the rows the first part created, graded. */
export interface DemoWorld {
  em: EntityManager;
  now: Date;
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
  departments: Record<DepartmentKey, Department>;
  institutions: Record<BankKey | 'guarantee', FinancialInstitution>;
  /** In seed order; the first is demo-enterprise's. */
  enterprises: Enterprise[];
  /** Published products by `bank/name`. */
  products: Map<string, LoanProduct>;
  /** Enterprises already given a part (a borrower, a demand, a whitelist entry). */
  used: Set<string>;
  /** DEMO_PASSWORD, hashed once: the users the later parts add (claimant enterprises) share it. */
  passwordHash: string;
}

export function productOf(world: DemoWorld, bank: BankKey, name: string): LoanProduct {
  const product = world.products.get(`${bank}/${name}`);
  if (!product) throw new Error(`demo seed: no product ${bank}/${name}`);
  return product;
}

export function admits(world: DemoWorld, product: LoanProduct, enterprise: Enterprise): boolean {
  return eligibilityProblems(product, enterprise, world.today).length === 0;
}

export interface Wanted {
  /** Every one of these products must admit the enterprise. */
  products: LoanProduct[];
  grades?: CreditGrade[];
  /** No risk signal yet (so a late loan shows as its own YELLOW). */
  clean?: boolean;
  /** Preferred industries (section or division prefixes), fitting the purpose; any when none is free. */
  industries?: string[];
}

/**
 * The first VERIFIED enterprise (in seed order, demo-enterprise's excluded) not used yet that
 * meets `wanted`, preferably in its industries; it is then marked used. Null when none does,
 * and the caller skips its plan.
 */
export function pickEnterprise(world: DemoWorld, wanted: Wanted): Enterprise | null {
  const fits = (e: Enterprise) =>
    !world.used.has(e.id) &&
    e.verificationStatus === VerificationStatus.VERIFIED &&
    (!wanted.grades || (e.creditGrade != null && wanted.grades.includes(e.creditGrade))) &&
    (!wanted.clean || (e.riskLevel ?? RiskLevel.GREEN) === RiskLevel.GREEN) &&
    wanted.products.every((p) => admits(world, p, e));
  const candidates = world.enterprises.slice(1).filter(fits);
  const found = candidates.find((e) => wanted.industries?.some((c) => e.industryCode.startsWith(c))) ?? candidates[0];
  if (found) world.used.add(found.id);
  return found ?? null;
}

/** A moment on a Shanghai calendar date (office hours, `minutes` past 10:00), never after now. */
export function at(world: DemoWorld, date: string, minutes = 0): Date {
  const moment = Date.parse(`${date}T10:00:00+08:00`) + minutes * 60_000;
  return new Date(Math.min(moment, world.now.getTime()));
}

/** `amount × percent / 100`, to the fen, half-up (as the loan and fund services round). */
export function percentOf(amount: string, percent: number | string): string {
  return new Decimal(amount).times(percent).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
