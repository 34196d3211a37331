import type { EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseSize } from '../../entities/enums';
import type { CreditFeatures } from './features';
import { pgArray } from '../ids';
import { sql } from '../sql';

/** The features of one enterprise, as the feature query returns them. */
export interface FeatureRow {
  features: CreditFeatures;
}

/**
 * One statement gathers every feature of every enterprise in `ids` as of `asOf`: a LEFT JOIN of
 * the enterprises to their records (by USCC) folded with FILTERed aggregates. No query per
 * enterprise, whatever the batch size.
 */
const FEATURES_SQL = `
with params as (select ?::date as d),
ents as (
  select e.id, e.uscc, e.established_on, e.registered_capital, e.size
  from enterprise e where e.id = any(?::uuid[])
)
select
  ents.id as enterprise_id,
  to_char(ents.established_on, 'YYYY-MM-DD') as established_on,
  ents.registered_capital::text as registered_capital,
  ents.size,
  count(*) filter (where r.kind = 'LICENSE_REVOKED' and r.occurred_on > p.d - interval '24 months')::int as licenses_revoked_24m,
  count(*) filter (where r.source = 'TAX') > 0 as has_tax,
  (sum(r.amount) filter (where r.kind = 'VAT_PAID' and r.occurred_on > p.d - interval '12 months'))::text as vat_paid_12m,
  (sum(r.amount) filter (where r.kind = 'VAT_PAID' and r.occurred_on > p.d - interval '6 months'))::text as vat_recent_6m,
  (sum(r.amount) filter (where r.kind = 'VAT_PAID' and r.occurred_on > p.d - interval '12 months'
                           and r.occurred_on <= p.d - interval '6 months'))::text as vat_prior_6m,
  (sum(r.amount) filter (where r.kind = 'TAX_ARREARS' and r.occurred_on > p.d - interval '12 months'))::text as tax_arrears_12m,
  (array_agg(r.description order by r.occurred_on desc, r.recorded_at desc)
     filter (where r.kind = 'TAX_CREDIT_LEVEL'))[1] as tax_credit_level,
  count(*) filter (where r.source = 'SOCIAL_SECURITY') > 0 as has_social_security,
  (array_agg(r.amount order by r.occurred_on desc, r.recorded_at desc)
     filter (where r.kind = 'EMPLOYEES_INSURED'))[1]::int as insured_latest,
  (array_agg(r.amount order by r.occurred_on desc, r.recorded_at desc)
     filter (where r.kind = 'EMPLOYEES_INSURED' and r.occurred_on <= p.d - interval '12 months'))[1]::int as insured_12m_ago,
  (sum(r.amount) filter (where r.kind = 'SOCIAL_SECURITY_ARREARS' and r.occurred_on > p.d - interval '12 months'))::text
    as social_security_arrears_12m,
  count(*) filter (where r.source = 'HOUSING_FUND') > 0 as has_housing_fund,
  count(distinct date_trunc('month', r.occurred_on)) filter (
    where r.kind = 'HOUSING_FUND_CONTRIBUTORS' and r.amount > 0 and r.occurred_on > p.d - interval '12 months')::int
    as housing_fund_months_12m,
  (sum(r.amount) filter (where r.kind = 'HOUSING_FUND_ARREARS' and r.occurred_on > p.d - interval '12 months'))::text
    as housing_fund_arrears_12m,
  count(*) filter (where r.kind = 'UTILITY_PAID_ON_TIME' and r.occurred_on > p.d - interval '12 months')::int as utility_on_time_12m,
  count(*) filter (where r.kind = 'UTILITY_PAID_LATE' and r.occurred_on > p.d - interval '12 months')::int as utility_late_12m,
  count(*) filter (where r.kind = 'ADMIN_PENALTY' and r.occurred_on > p.d - interval '24 months')::int as penalties_24m,
  coalesce(sum(r.amount) filter (where r.kind = 'ADMIN_PENALTY' and r.occurred_on > p.d - interval '24 months'), 0)::text
    as penalty_amount_24m,
  count(*) filter (where r.kind = 'COURT_JUDGMENT' and r.occurred_on > p.d - interval '24 months')::int as judgments_24m,
  coalesce(bool_or(r.kind = 'DISHONEST_DEBTOR' and r.occurred_on > p.d - interval '60 months'), false) as dishonest_debtor,
  count(*) filter (where r.kind = 'LOAN_OVERDUE' and r.occurred_on > p.d - interval '24 months')::int as loan_overdues_24m,
  count(*) filter (where r.kind = 'LOAN_DEFAULT' and r.occurred_on > p.d - interval '60 months')::int as loan_defaults_60m,
  count(*) filter (where r.kind = 'PATENT_GRANTED')::int as patents,
  exists (select 1 from credit_commitment c where c.enterprise_id = ents.id and c.status = 'SIGNED') as signed_commitment,
  max(r.recorded_at) as latest_record_at
from ents
cross join params p
left join credit_record r on r.uscc = ents.uscc and r.occurred_on <= p.d
group by ents.id, ents.established_on, ents.registered_capital, ents.size, p.d
`;

type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function gatherFeatures(em: EntityManager, ids: string[], asOf: string): Promise<FeatureRow[]> {
  if (ids.length === 0) return [];
  const rows: Row[] = await sql(em, FEATURES_SQL, [asOf, pgArray(ids)]);
  return rows.map((r) => {
    const hasTax = Boolean(r.has_tax);
    const hasSocialSecurity = Boolean(r.has_social_security);
    const hasHousingFund = Boolean(r.has_housing_fund);
    return {
      features: {
        enterpriseId: String(r.enterprise_id),
        asOf,
        establishedOn: String(r.established_on),
        registeredCapital: text(r.registered_capital),
        size: r.size as EnterpriseSize,
        licensesRevoked24m: Number(r.licenses_revoked_24m),
        hasTaxRecords: hasTax,
        // With tax records on file, no VAT paid in a window is a zero, not missing data.
        vatPaid12m: hasTax ? (text(r.vat_paid_12m) ?? '0') : null,
        vatPaidRecent6m: hasTax ? (text(r.vat_recent_6m) ?? '0') : null,
        vatPaidPrior6m: hasTax ? (text(r.vat_prior_6m) ?? '0') : null,
        // Arrears are a fact only where the tax bureau reports at all: none reported means none owed.
        taxArrears12m: hasTax ? (text(r.tax_arrears_12m) ?? '0') : null,
        taxCreditLevel: text(r.tax_credit_level),
        hasSocialSecurityRecords: hasSocialSecurity,
        insuredEmployeesLatest: num(r.insured_latest),
        insuredEmployees12mAgo: num(r.insured_12m_ago),
        socialSecurityArrears12m: hasSocialSecurity ? (text(r.social_security_arrears_12m) ?? '0') : null,
        hasHousingFundRecords: hasHousingFund,
        housingFundMonths12m: Number(r.housing_fund_months_12m),
        housingFundArrears12m: hasHousingFund ? (text(r.housing_fund_arrears_12m) ?? '0') : null,
        utilityOnTime12m: Number(r.utility_on_time_12m),
        utilityLate12m: Number(r.utility_late_12m),
        penalties24m: Number(r.penalties_24m),
        penaltyAmount24m: String(r.penalty_amount_24m),
        judgments24m: Number(r.judgments_24m),
        dishonestDebtor: Boolean(r.dishonest_debtor),
        loanOverdues24m: Number(r.loan_overdues_24m),
        loanDefaults60m: Number(r.loan_defaults_60m),
        patents: Number(r.patents),
        signedCommitment: Boolean(r.signed_commitment),
        latestRecordAt: r.latest_record_at ? new Date(r.latest_record_at as string) : null,
      },
    };
  });
}
