import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreditGrade, LoanProductType } from '../../entities/enums';
import { sql } from '../sql';
import { wholeYears, type EligibilitySubject } from './eligibility';

/** What recommend() scores a published product on; the rest of the row is read only for the ones shown. */
export interface RecommendationCandidate {
  id: string;
  type: LoanProductType;
  /** Decimal strings, as the entity holds them (numeric(18,2) and numeric(9,4)). */
  minAmount: string;
  maxAmount: string;
  minRate: string;
  minTermMonths: number;
  maxTermMonths: number;
  minGrade: CreditGrade | null;
  guaranteeFundEligible: boolean;
  /** The enterprise's open demand this product could serve (the oldest such), if any. */
  served: { amount: string; termMonths: number } | null;
}

/**
 * The published products the enterprise is eligible for, with the columns the score needs, and
 * whether it has an open demand at all. The eligibility test is eligibilityProblems() written in
 * SQL (an empty list admits anyone; grades compare as letters, A best; a province or city code
 * admits the places inside it; an industry section or division the codes under it; whole years
 * since establishment as of `today`), so products an enterprise can never get are not read.
 * servesDemand() is likewise SQL here: a type the demand accepts, its amount and term within the
 * product's ranges, the product's rate within the demand's cap — numeric comparisons, exact.
 */
export async function recommendationCandidates(
  em: EntityManager,
  enterprise: EligibilitySubject & { id: string },
  today: string,
  now: Date,
): Promise<{ candidates: RecommendationCandidate[]; hasOpenDemand: boolean }> {
  const rows = await sql<{
    id: string;
    type: LoanProductType;
    min_amount: string;
    max_amount: string;
    min_rate: string;
    min_term_months: number;
    max_term_months: number;
    min_grade: CreditGrade | null;
    guarantee_fund_eligible: boolean;
    served_amount: string | null;
    served_term_months: number | null;
    has_open_demand: boolean;
  }>(
    em,
    `with open_demand as materialized (
       select d.amount, d.term_months, d.max_rate, d.accepted_types, d.created_at, d.id
         from financing_demand d
        where d.enterprise_id = ? and d.status = 'OPEN' and d.expires_at > ?
     )
     select p.id, p.type, p.min_amount, p.max_amount, p.min_rate, p.min_term_months, p.max_term_months,
            p.min_grade, p.guarantee_fund_eligible, s.amount as served_amount, s.term_months as served_term_months,
            exists (select 1 from open_demand) as has_open_demand
       from loan_product p
       left join lateral (
         select d.amount, d.term_months from open_demand d
          where p.type = any(d.accepted_types)
            and d.amount >= p.min_amount and d.amount <= p.max_amount
            and d.term_months >= p.min_term_months and d.term_months <= p.max_term_months
            and (d.max_rate is null or p.min_rate <= d.max_rate)
          order by d.created_at, d.id
          limit 1
       ) s on true
      where p.status = 'PUBLISHED'
        and (p.min_grade is null or ?::text collate "C" <= p.min_grade collate "C")
        and (jsonb_array_length(p.industry_codes) = 0
             or exists (select 1 from jsonb_array_elements_text(p.industry_codes) c(code)
                         where starts_with(?::text, c.code)))
        and (jsonb_array_length(p.region_codes) = 0
             or exists (select 1 from jsonb_array_elements_text(p.region_codes) c(code)
                         where starts_with(?::text, case when c.code like '%0000' then left(c.code, 2)
                                                         when c.code like '%00' then left(c.code, 4)
                                                         else c.code end)))
        and (jsonb_array_length(p.sizes) = 0 or p.sizes @> jsonb_build_array(?::text))
        and (coalesce(p.min_years_established, 0) = 0 or p.min_years_established <= ?::int)`,
    [
      enterprise.id,
      now.toISOString(),
      enterprise.creditGrade ?? null,
      enterprise.industryCode,
      enterprise.regionCode,
      enterprise.size,
      wholeYears(enterprise.establishedOn, today),
    ],
  );
  return {
    hasOpenDemand: rows[0]?.has_open_demand ?? false,
    candidates: rows.map((r) => ({
      id: r.id,
      type: r.type,
      minAmount: r.min_amount,
      maxAmount: r.max_amount,
      minRate: r.min_rate,
      minTermMonths: r.min_term_months,
      maxTermMonths: r.max_term_months,
      minGrade: r.min_grade,
      guaranteeFundEligible: r.guarantee_fund_eligible,
      served: r.served_amount === null ? null : { amount: r.served_amount, termMonths: r.served_term_months! },
    })),
  };
}
