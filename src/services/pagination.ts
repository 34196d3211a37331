import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { BadInputError } from './errors';
import { isUuid, pgArray } from './ids';
import { sql } from './sql';
import { Lazy } from './lazy';
import { isValidIsoDate } from './time';
import { plainRows, type Plain } from '../db/plain-rows';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: PromiseLike<number>;
}

export function checkPageArgs(args: { first?: number | null; after?: string | null }): PageArgs {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first 应在 1 到 ${MAX_PAGE_SIZE} 之间`, 'first');
  }
  return { first, after: args.after ?? null };
}

type SortValue = string | number | Date;

/** Cursors are opaque to clients: base64url of the sort value (tagged when a Date) and the id. */
export function encodeCursor(value: SortValue, id: string): string {
  const v = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: SortValue; id: string } {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (!isUuid(id)) throw new Error('id');
    // Only what a column of ours can hold: a finite number (JSON's 1e400 parses to Infinity),
    // text PostgreSQL accepts (no NUL), a date within years 1–9999 (JavaScript's range is wider).
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v, id };
    if (typeof v === 'string' && !v.includes('\u0000')) return { value: v, id };
    if (v && typeof v === 'object' && typeof (v as { d?: unknown }).d === 'string') {
      const date = new Date((v as { d: string }).d);
      const year = date.getUTCFullYear();
      if (!Number.isNaN(date.getTime()) && year >= 1 && year <= 9999) return { value: date, id };
    }
  } catch {
    // fall through: any malformed cursor gets the same answer
  }
  throw new BadInputError('after 游标无效', 'after');
}

export interface KeysetOptions<T> {
  where: FilterQuery<T>;
  /** The sort property; id breaks ties so the order is total and stable. */
  sortBy: keyof T & string;
  /** What the sort column holds; a cursor carrying anything else is not ours (BAD_USER_INPUT, not a 500). */
  sortKind?: 'date' | 'day' | 'string' | 'number';
  direction: 'asc' | 'desc';
}

function kindOf(value: SortValue): 'date' | 'string' | 'number' {
  return value instanceof Date ? 'date' : typeof value === 'string' ? 'string' : 'number';
}

/**
 * Keyset (cursor) pagination: one SELECT of first+1 rows after the cursor, so a bank syncing
 * thousands of rows never pays for an OFFSET; totalCount is a lazy COUNT.
 */
export function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  args: PageArgs,
  options: KeysetOptions<T>,
): Promise<Page<T>> {
  return keysetRead(em, entity, args, options, (filter, orderBy, limit) => em.find(entity, filter, { orderBy, limit }));
}

/**
 * keysetPage read as plain rows (src/db/plain-rows.ts), for lists whose resolvers only read
 * (the products of the financial supermarket): the same statement, no managed entities.
 */
export function keysetPlainPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  args: PageArgs,
  options: KeysetOptions<T>,
): Promise<Page<Plain<T>>> {
  return keysetRead<T, Plain<T>>(em, entity, args, options, async (filter, orderBy, limit) => {
    const qb = em.createQueryBuilder(entity).select('*').where(filter).orderBy(orderBy).limit(limit);
    return plainRows(em, entity, await qb.execute<Record<string, unknown>[]>('all', false));
  });
}

async function keysetRead<T extends { id: string }, N extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  args: PageArgs,
  { where, sortBy, sortKind = 'date', direction }: KeysetOptions<T>,
  read: (filter: FilterQuery<T>, orderBy: never, limit: number) => Promise<N[]>,
): Promise<Page<N>> {
  const op = direction === 'desc' ? '$lt' : '$gt';
  let filter: FilterQuery<T> = where;
  if (args.after) {
    const { value, id } = decodeCursor(args.after);
    // A `day` column (a calendar date) takes only a valid YYYY-MM-DD: anything else would fail its cast.
    const fits = sortKind === 'day' ? typeof value === 'string' && isValidIsoDate(value) : kindOf(value) === sortKind;
    if (!fits) throw new BadInputError('after 游标无效', 'after');
    const after = {
      $or: [{ [sortBy]: { [op]: value } }, { [sortBy]: value, id: { [op]: id } }],
    } as FilterQuery<T>;
    filter = { $and: [where, after] } as FilterQuery<T>;
  }
  const rows = await read(filter, { [sortBy]: direction, id: direction } as never, args.first + 1);
  const hasNextPage = rows.length > args.first;
  const nodes = hasNextPage ? rows.slice(0, args.first) : rows;
  return {
    edges: nodes.map((node) => {
      const row = node as Record<string, unknown> & { id: string };
      return { node, cursor: encodeCursor(row[sortBy] as SortValue, row.id) };
    }),
    hasNextPage,
    hasPreviousPage: Boolean(args.after),
    totalCount: new Lazy(() => em.count(entity, where)),
  };
}

/** A whole list that is small by nature (a bank's API keys), shaped as a page. */
export function listPage<T extends { id: string }>(nodes: T[]): Page<T> {
  return {
    edges: nodes.map((node) => ({ node, cursor: encodeCursor(0, node.id) })),
    hasNextPage: false,
    hasPreviousPage: false,
    totalCount: Promise.resolve(nodes.length),
  };
}

export interface ChildPagesOptions {
  /** The child table's column that names the parent, e.g. enterprise_id. */
  parentColumn: string;
  parentIds: readonly string[];
  /** The sort column (descending, id breaks ties), its entity property, and the cursor's kind. */
  sortColumn: string;
  sortProp: string;
  /** Further conditions on the child rows, e.g. "institution_id = ?". */
  where?: { sql: string; params: unknown[] };
  first: number;
}

/**
 * The first page of a nested list for many parents in one statement: rows numbered per parent
 * (row_number over a partition) with the parent's total alongside. This keeps a list of parents
 * with a nested connection at a fixed number of statements whatever the page size.
 */
export function firstPagesByParent<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  options: ChildPagesOptions,
): Promise<Map<string, Page<T>>> {
  return childPages(em, entity, options, (rows) => rows.map((row) => em.map(entity, row as never)));
}

/**
 * firstPagesByParent read as plain rows (src/db/plain-rows.ts) rather than managed entities, for
 * the nested lists of the hot read paths (a demand's offers, an enterprise's demands).
 */
export function firstPlainPagesByParent<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  options: ChildPagesOptions,
): Promise<Map<string, Page<Plain<T>>>> {
  return childPages<T, Plain<T>>(em, entity, options, (rows) => plainRows(em, entity, rows));
}

async function childPages<T extends { id: string }, N extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  { parentColumn, parentIds, sortColumn, sortProp, where, first }: ChildPagesOptions,
  toNodes: (rows: Record<string, unknown>[]) => N[],
): Promise<Map<string, Page<N>>> {
  const pages = new Map<string, Page<N>>();
  if (parentIds.length === 0) return pages;
  const table = em.getMetadata().get(entity).tableName;
  const rows = await sql<Record<string, unknown>>(
    em,
    `select * from (
       select t.*, row_number() over (partition by t.${parentColumn} order by t.${sortColumn} desc, t.id desc) as page_row__,
              count(*) over (partition by t.${parentColumn}) as page_total__
       from ${table} t where t.${parentColumn} = any(?::uuid[]) ${where ? `and ${where.sql}` : ''}
     ) x where page_row__ <= ? order by page_row__`,
    [pgArray(parentIds), ...(where?.params ?? []), first + 1],
  );
  const totals = new Map<string, number>();
  const data = rows.map(({ page_row__: _row, page_total__: total, ...row }) => {
    totals.set(String(row[parentColumn]), Number(total));
    return row;
  });
  const nodes = toNodes(data);
  const grouped = new Map<string, N[]>();
  data.forEach((row, i) => {
    const parent = String(row[parentColumn]);
    const group = grouped.get(parent);
    if (group) group.push(nodes[i]);
    else grouped.set(parent, [nodes[i]]);
  });
  for (const id of parentIds) {
    const children = grouped.get(id) ?? [];
    const shown = children.slice(0, first);
    pages.set(id, {
      edges: shown.map((node) => ({
        node,
        cursor: encodeCursor((node as Record<string, unknown>)[sortProp] as SortValue, (node as { id: string }).id),
      })),
      hasNextPage: children.length > first,
      hasPreviousPage: false,
      totalCount: Promise.resolve(totals.get(id) ?? 0),
    });
  }
  return pages;
}
