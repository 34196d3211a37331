// The floor's SQL: W1's and W2's responses built whole inside PostgreSQL (json_build_object /
// json_agg), one statement each, with the server's semantics: the same scope, statuses read at
// now() (EXPIRED), the same order, page size + 1 for hasNextPage, the same opaque cursors
// (base64url of [sort value, id]) and the numerics as the text PostgreSQL returns.

/** base64url without padding, as Buffer.toString('base64url'). */
const base64url = (text: string) =>
  `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const shanghai = (column: string) =>
  `to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"')`;

/**
 * $1 the bank's institution, $2 first, $3 offers per demand. The page is read as the server reads
 * it (src/services/bank-demand-page.ts): the open market from its partial index, then the demands
 * the bank bid on outside it, only from the open page's last row on when that page is full.
 */
const IN_MARKET = `(d.status = 'OPEN' and d.expires_at > now() and d.accepted_types && scope.types)`;
export const W1_SQL = `
with scope as (
  select coalesce(array_agg(distinct type), '{}') as types
    from loan_product where institution_id = $1 and status = 'PUBLISHED'
), open_page as materialized (
  select d.* from financing_demand d, scope
   where d.status = 'OPEN' and d.expires_at + interval '0' > now() and d.accepted_types && scope.types
   order by d.created_at desc, d.id desc limit $2::int + 1
), bound as (
  select min(created_at) as t from open_page having count(*) = $2::int + 1
), candidates as (
  select * from open_page
  union all (select d.* from financing_demand d, scope
              where d.created_at >= (select t from bound) and not ${IN_MARKET}
                and exists (select 1 from offer o where o.demand_id = d.id and o.institution_id = $1)
              order by d.created_at desc, d.id desc limit $2::int + 1)
  union all (select d.* from financing_demand d, scope
              where not exists (select 1 from bound) and not ${IN_MARKET}
                and d.id in (select o.demand_id from offer o where o.institution_id = $1)
              order by d.created_at desc, d.id desc limit $2::int + 1)
), page as (
  select d.*, row_number() over (order by d.created_at desc, d.id desc) as n
    from (select * from candidates order by created_at desc, id desc limit $2::int + 1) d
)
select json_build_object('data', json_build_object('demands', json_build_object(
  'pageInfo', json_build_object(
    'hasNextPage', count(*) > $2::int,
    'endCursor', (array_agg(${base64url(`'[{"d":"' || ${iso('p.created_at')} || '"},"' || p.id || '"]'`)}
                            order by p.n desc) filter (where p.n <= $2::int))[1]),
  'nodes', coalesce(json_agg(json_build_object(
    'id', p.id, 'amount', p.amount::text, 'termMonths', p.term_months, 'purpose', p.purpose,
    'status', case when p.status = 'OPEN' and p.expires_at <= now() then 'EXPIRED' else p.status end,
    'acceptedTypes', to_json(p.accepted_types),
    'enterprise', json_build_object('id', e.id, 'name', e.name, 'uscc', e.uscc, 'creditGrade', e.credit_grade),
    'offerCount', (select count(*) from offer o
                    where o.demand_id = p.id and (o.status = 'ACCEPTED' or (o.status = 'PENDING' and o.valid_until > now()))),
    'offers', json_build_object('nodes', (
      select coalesce(json_agg(json_build_object(
               'id', o.id, 'amount', o.amount::text, 'rate', o.rate::text, 'termMonths', o.term_months,
               'status', case when o.status = 'PENDING' and o.valid_until <= now() then 'EXPIRED' else o.status end)
             order by o.created_at desc, o.id desc), '[]')
        from (select * from offer o where o.demand_id = p.id and o.institution_id = $1
               order by o.created_at desc, o.id desc limit $3::int) o))
  ) order by p.n) filter (where p.n <= $2::int), '[]')
)))::text as body
from page p join enterprise e on e.id = p.enterprise_id`;

/**
 * $1 types, $2 amount, $3 term in months, $4 first: published products (what anyone sees),
 * cheapest first (MIN_RATE ASC, then id), with the total.
 */
export const W2_SQL = `
with matching as (
  select p.* from loan_product p
   where p.status = 'PUBLISHED' and p.type = any($1::text[])
     and p.min_amount <= $2::numeric and p.max_amount >= $2::numeric
     and p.min_term_months <= $3::int and p.max_term_months >= $3::int
), page as (
  select m.*, row_number() over (order by m.min_rate, m.id) as n
    from (select * from matching order by min_rate, id limit $4::int + 1) m
)
select json_build_object('data', json_build_object('loanProducts', json_build_object(
  'totalCount', (select count(*) from matching),
  'pageInfo', json_build_object(
    'hasNextPage', count(*) > $4::int,
    'endCursor', (array_agg(${base64url(`'["' || p.min_rate::text || '","' || p.id || '"]'`)} order by p.n desc)
                  filter (where p.n <= $4::int))[1]),
  'nodes', coalesce(json_agg(json_build_object(
    'id', p.id, 'name', p.name, 'type', p.type, 'minAmount', p.min_amount::text, 'maxAmount', p.max_amount::text,
    'minRate', p.min_rate::text, 'maxRate', p.max_rate::text, 'minTermMonths', p.min_term_months,
    'maxTermMonths', p.max_term_months, 'repaymentMethods', p.repayment_methods,
    'guaranteeFundEligible', p.guarantee_fund_eligible, 'publishedAt', ${shanghai('p.published_at')},
    'institution', json_build_object('id', i.id, 'name', i.name),
    'eligibility', json_build_object('minGrade', p.min_grade, 'industryCodes', p.industry_codes,
                                     'regionCodes', p.region_codes, 'sizes', p.sizes,
                                     'minYearsEstablished', p.min_years_established)
  ) order by p.n) filter (where p.n <= $4::int), '[]')
)))::text as body
from page p join financial_institution i on i.id = p.institution_id`;

interface Variables {
  first?: number;
  offers?: number;
  filter?: { types?: string[]; amount?: string; termMonths?: number };
  orderBy?: { field: string; direction: string };
}

/** The statement answering a request of the bench's workloads, or null for anything else. */
export function floorStatement(
  operationName: string | undefined,
  variables: Variables,
  bankId: string,
): { text: string; values: unknown[] } | null {
  if (operationName === 'W1BankDemands') {
    return { text: W1_SQL, values: [bankId, variables.first ?? 20, variables.offers ?? 20] };
  }
  if (operationName === 'W2Marketplace') {
    const { filter = {}, orderBy } = variables;
    if (orderBy && (orderBy.field !== 'MIN_RATE' || orderBy.direction !== 'ASC')) return null;
    if (!filter.types?.length || !filter.amount || !filter.termMonths) return null;
    return { text: W2_SQL, values: [filter.types, filter.amount, filter.termMonths, variables.first ?? 20] };
  }
  return null;
}
