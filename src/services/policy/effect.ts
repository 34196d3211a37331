import Decimal from 'decimal.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../ids';
import { sql } from '../sql';

/** Policy.effect: what a policy did, for the regulators of its department (docs/policies.md). */
export interface PolicyEffectFigures {
  /** Claims submitted, whatever became of them, except those the enterprise withdrew. */
  claimCount: number;
  /** Claims that reached approval: status APPROVED, PUBLICIZED or DISBURSED (never undone). */
  approvedCount: number;
  /** Σ approved amount of the DISBURSED claims, two decimals. */
  disbursedAmount: string;
  /** Distinct enterprises with a DISBURSED claim. */
  beneficiaryCount: number;
  /** Beneficiaries' taxes paid, 12 months after each one's first disbursement vs. the 12 before, percent (whole years only). */
  taxChangePercent: number | null;
  /** Beneficiaries' average monthly insured employees, same windows, percent. */
  employeeChangePercent: number | null;
}

interface EffectRow {
  policy_id: string;
  claim_count: number;
  approved_count: number;
  disbursed_amount: string;
  beneficiary_count: number;
  tax_change: string | null;
  employee_change: string | null;
}

/**
 * One statement for a whole batch of policies; nothing but the figures leaves PostgreSQL.
 *
 * - `claims`: counts and sums per policy (FILTER over one scan of the policy's claims).
 * - `beneficiary`: each enterprise with a DISBURSED claim, with the Asia/Shanghai date `d` of its
 *   first disbursement under the policy.
 * - two LATERAL subqueries per beneficiary read its credit records (index on uscc, occurred_on)
 *   in [d − 12 months, d) ("before") and [d, d + 12 months) ("after"):
 *   - taxes: Σ amount of TAX records whose kind ends in `_PAID` (VAT_PAID, CIT_PAID, …); no record
 *     counts as 0 paid;
 *   - employees: EMPLOYEES_INSURED headcounts, one value per calendar month (the average of the
 *     month's records, normally one), averaged over the months of the window. A beneficiary with
 *     no headcount in one of the windows is left out of both sides (an unknown headcount is not 0).
 * - per policy: (Σ after − Σ before) × 100 ÷ Σ before, rounded to 2 decimals at the end; null when
 *   Σ before is 0 or there is no beneficiary (with data).
 *
 * Only beneficiaries whose "after" window has fully passed (first disbursement 12 months or more
 * before `today`) count towards the two changes; until one has, the changes are null.
 */
const EFFECT_SQL = `
with claims as (
  select c.policy_id,
         count(*) filter (where c.status <> 'WITHDRAWN')::int as claim_count,
         count(*) filter (where c.status in ('APPROVED', 'PUBLICIZED', 'DISBURSED'))::int as approved_count,
         coalesce(sum(c.approved_amount) filter (where c.status = 'DISBURSED'), 0)::text as disbursed_amount,
         count(distinct c.enterprise_id) filter (where c.status = 'DISBURSED')::int as beneficiary_count
    from fund_claim c
   where c.policy_id = any(?::uuid[])
   group by c.policy_id
),
beneficiary as (
  select c.policy_id, e.uscc, (min(c.disbursed_at) at time zone 'Asia/Shanghai')::date as d
    from fund_claim c
    join enterprise e on e.id = c.enterprise_id
   where c.policy_id = any(?::uuid[]) and c.status = 'DISBURSED' and c.disbursed_at is not null
   group by c.policy_id, e.id, e.uscc
),
-- The change is measured on whole years only: a beneficiary paid less than 12 months ago has no
-- full "after" window yet (its taxes would look like a fall).
measured as (
  select * from beneficiary b where (b.d + interval '12 months')::date <= ?::date
),
change as (
  select b.policy_id,
         sum(t.tax_before) as tax_before,
         sum(t.tax_after) as tax_after,
         sum(h.staff_before) filter (where h.staff_before is not null and h.staff_after is not null) as staff_before,
         sum(h.staff_after) filter (where h.staff_before is not null and h.staff_after is not null) as staff_after
    from measured b
   cross join lateral (
     select coalesce(sum(r.amount) filter (where r.occurred_on < b.d), 0) as tax_before,
            coalesce(sum(r.amount) filter (where r.occurred_on >= b.d), 0) as tax_after
       from credit_record r
      where r.uscc = b.uscc
        and r.occurred_on >= (b.d - interval '12 months')::date
        and r.occurred_on < (b.d + interval '12 months')::date
        and r.source = 'TAX' and right(r.kind, 5) = '_PAID' and r.amount is not null
   ) t
   cross join lateral (
     select avg(m.headcount) filter (where not m.is_after) as staff_before,
            avg(m.headcount) filter (where m.is_after) as staff_after
       from (
         select r.occurred_on >= b.d as is_after, to_char(r.occurred_on, 'YYYY-MM') as month,
                avg(r.amount) as headcount
           from credit_record r
          where r.uscc = b.uscc
            and r.occurred_on >= (b.d - interval '12 months')::date
            and r.occurred_on < (b.d + interval '12 months')::date
            and r.source = 'SOCIAL_SECURITY' and r.kind = 'EMPLOYEES_INSURED' and r.amount is not null
          group by 1, 2
       ) m
   ) h
   group by b.policy_id
)
select c.policy_id, c.claim_count, c.approved_count, c.disbursed_amount, c.beneficiary_count,
       case when ch.tax_before > 0
            then round((ch.tax_after - ch.tax_before) * 100 / ch.tax_before, 2)::text end as tax_change,
       case when ch.staff_before > 0
            then round((ch.staff_after - ch.staff_before) * 100 / ch.staff_before, 2)::text end as employee_change
  from claims c
  left join change ch on ch.policy_id = c.policy_id`;

const NO_CLAIMS: PolicyEffectFigures = Object.freeze({
  claimCount: 0,
  approvedCount: 0,
  disbursedAmount: '0.00',
  beneficiaryCount: 0,
  taxChangePercent: null,
  employeeChangePercent: null,
});

/** The effect figures of many policies in one statement, in the order of `policyIds`. */
export async function policyEffects(
  em: EntityManager,
  policyIds: readonly string[],
  today: string,
): Promise<PolicyEffectFigures[]> {
  if (policyIds.length === 0) return [];
  const ids = pgArray(policyIds);
  const rows = await sql<EffectRow>(em, EFFECT_SQL, [ids, ids, today]);
  const byPolicy = new Map(rows.map((r) => [r.policy_id, r]));
  return policyIds.map((id) => {
    const row = byPolicy.get(id);
    if (!row) return { ...NO_CLAIMS };
    return {
      claimCount: row.claim_count,
      approvedCount: row.approved_count,
      disbursedAmount: new Decimal(row.disbursed_amount).toFixed(2),
      beneficiaryCount: row.beneficiary_count,
      taxChangePercent: row.tax_change === null ? null : Number(row.tax_change),
      employeeChangePercent: row.employee_change === null ? null : Number(row.employee_change),
    };
  });
}
