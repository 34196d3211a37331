import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { plainRows, type Plain } from '../db/plain-rows';
import { FinancingDemand } from '../entities';
import type { LoanProductType } from '../entities/enums';
import { BadInputError } from './errors';
import { pgArray } from './ids';
import { decodeCursor, encodeCursor, type Page, type PageArgs } from './pagination';
import { sql } from './sql';

/**
 * One page of a bank's demands (newest first): the OPEN, unexpired demands accepting a type it
 * publishes, plus every demand it has bid on — DemandService.scope() for a bank — with the
 * list's filters and cursor. One statement that reads about `first + 1` rows from indexes.
 *
 * The scope's OR with "has an offer of this bank" leaves PostgreSQL a hashed subplan that reads
 * every offer the bank ever made before the first row (12,130 offers, 44,000 buffers at size M).
 * Here the two halves are separate branches whose rows never overlap:
 *
 * - `open_page`: the market, from the partial index on OPEN demands by (created_at, id). The
 *   expiry is written `expires_at + interval '0'` so that the planner cannot take the
 *   `expires_at` index instead: it estimates the unexpired OPEN demands as a few hundred, reads
 *   them all (thousands) and sorts them.
 * - the demands bid on outside the market. When `open_page` is full, every row of the answer is
 *   at or after its last row, so only the demands from that time on are probed for an offer of
 *   the bank (one index probe each). When it is not full (few open demands, a filter, the last
 *   pages), the bank's offers are read instead, as before; the one-time filters on `bound` run
 *   exactly one of the two.
 */
export async function bankDemandPage(
  em: EntityManager,
  opts: {
    institutionId: string;
    types: LoanProductType[];
    now: Date;
    conditions: FilterQuery<FinancingDemand>[];
    page: PageArgs;
  },
): Promise<Omit<Page<Plain<FinancingDemand>>, 'totalCount'>> {
  const { institutionId, types, now, conditions, page } = opts;
  const limit = page.first + 1;
  let after: { sql: string; params: unknown[] } | null = null;
  if (page.after) {
    const { value, id } = decodeCursor(page.after);
    if (!(value instanceof Date)) throw new BadInputError('after 游标无效', 'after');
    after = { sql: '(d.created_at, d.id) < (?::timestamptz, ?::uuid)', params: [value.toISOString(), id] };
  }
  // The list's filters as SQL, built once: MikroORM's query builder costs more CPU than the
  // statement takes in PostgreSQL, so it runs only when there are filters, and once, not per
  // branch. PostgreSQL pulls the subquery up, so each branch is planned as if written inline.
  let source = 'financing_demand';
  let sourceParams: unknown[] = [];
  if (conditions.length) {
    const query = em
      .createQueryBuilder(FinancingDemand, 'd')
      .select('d.*')
      .where({ $and: conditions } as never)
      .getKnexQuery()
      .toSQL(); // `?` placeholders, as sql() takes them
    source = `(${query.sql})`;
    sourceParams = [...query.bindings];
  }
  /** One branch: the list's filters and cursor, its own condition, newest first, `limit` rows. */
  const branch = (condition: string, params: unknown[]) => ({
    sql: `select d.* from ${source} d where ${condition}${after ? ` and ${after.sql}` : ''}
          order by d.created_at desc, d.id desc limit ?`,
    params: [...sourceParams, ...params, ...(after?.params ?? []), limit],
  });
  const nowIso = now.toISOString();
  const typeArray = pgArray(types);
  const inMarket = `(d.status = 'OPEN' and d.expires_at > ? and d.accepted_types && ?::text[])`;
  const market = types.length
    ? branch(`d.status = 'OPEN' and d.expires_at + interval '0' > ? and d.accepted_types && ?::text[]`, [
        nowIso,
        typeArray,
      ])
    : branch('false', []);
  const windowed = branch(
    `d.created_at >= (select t from bound) and not ${inMarket}
     and coalesce((select true from offer o where o.demand_id = d.id and o.institution_id = ? limit 1), false)`,
    [nowIso, typeArray, institutionId],
  );
  const unbounded = branch(
    `not exists (select 1 from bound) and not ${inMarket}
     and d.id in (select o.demand_id from offer o where o.institution_id = ?)`,
    [nowIso, typeArray, institutionId],
  );
  const rows = await sql<Record<string, unknown>>(
    em,
    `with open_page as materialized (${market.sql}),
          bound as (select min(created_at) as t from open_page having count(*) = ?)
     select * from (
       select * from open_page
       union all (${windowed.sql})
       union all (${unbounded.sql})
     ) u
     order by created_at desc, id desc
     limit ?`,
    [...market.params, limit, ...windowed.params, ...unbounded.params, limit],
  );
  // Read-only: plain rows, not managed entities (src/db/plain-rows.ts).
  const nodes = plainRows(em, FinancingDemand, rows);
  const hasNextPage = nodes.length > page.first;
  const shown = hasNextPage ? nodes.slice(0, page.first) : nodes;
  return {
    edges: shown.map((node) => ({ node, cursor: encodeCursor(node.createdAt, node.id) })),
    hasNextPage,
    hasPreviousPage: Boolean(page.after),
  };
}
