import Decimal from 'decimal.js';
import { isValidIndustryFilterCode } from '../reference/industries';
import { isValidRegionCode, regionScopePrefix } from '../reference/regions';
import { BadInputError } from './errors';
import { isUuid, pgArray } from './ids';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bind, type StatisticsParams, type StatisticsQueries } from './statistics/params';
import { PUBLIC_SQL, ROLLUP_QUERIES } from './statistics/rollup-queries';
import { windowParts } from './statistics/window';
import { TtlCache } from './statistics/ttl-cache';
import { isValidIsoDate, shanghaiDate } from './time';

export interface StatisticsFilter {
  from?: string | null;
  to?: string | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
  institutionIds?: string[] | null;
}

export interface AmountStat {
  count: number;
  /** Yuan, two decimals. */
  amount: string;
}

export interface GroupStat {
  key: string;
  granted: AmountStat;
  disbursed: AmountStat;
  outstandingBalance: string;
  nplRatio: number;
}

export interface InstitutionStat extends Omit<GroupStat, 'key'> {
  institutionId: string;
  offers: number;
  averageRate: string | null;
  rank: number;
}

export interface PlatformStatistics {
  enterprises: number;
  verifiedEnterprises: number;
  institutions: number;
  publishedProducts: number;
  demands: AmountStat;
  matchRate: number;
  granted: AmountStat;
  disbursed: AmountStat;
  outstandingBalance: string;
  averageRate: string | null;
  nplRatio: number;
  creditLoanShare: number;
  averageDaysToCredit: number | null;
  byInstitution: InstitutionStat[];
  byRegion: GroupStat[];
  byIndustry: GroupStat[];
  byMonth: GroupStat[];
}

export interface PublicStatistics {
  enterprises: number;
  institutions: number;
  publishedProducts: number;
  grantedAmount: string;
  grantedCount: number;
}

/** How long the front-page figures are served from memory (per process). */
export const PUBLIC_STATISTICS_TTL_MS = 60_000;

type Row = Record<string, string | number | null>;

const int = (value: unknown): number => Number(value ?? 0);
const money = (value: unknown): string => new Decimal(String(value ?? 0)).toFixed(2);
const ratio = (value: unknown): number => Number(new Decimal(String(value ?? 0)).toFixed(4));
const rate2 = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Decimal(String(value)).toFixed(2);

function loanFigures(row: Row): Omit<GroupStat, 'key'> {
  return {
    granted: { count: int(row.granted_count), amount: money(row.granted_amount) },
    disbursed: { count: int(row.disbursed_count), amount: money(row.disbursed_amount) },
    outstandingBalance: money(row.outstanding_balance),
    nplRatio: ratio(row.npl_ratio),
  };
}

/** The filter as SQL parameters; malformed values are BAD_USER_INPUT naming the argument. */
export function statisticsParams(filter: StatisticsFilter, now: Date): StatisticsParams {
  const from = filter.from ?? null;
  const to = filter.to ?? null;
  if (from !== null && !isValidIsoDate(from)) throw new BadInputError(`日期无效：${from}`, 'filter.from');
  if (to !== null && !isValidIsoDate(to)) throw new BadInputError(`日期无效：${to}`, 'filter.to');
  if (from !== null && to !== null && from > to) throw new BadInputError('起始日期不能晚于截止日期', 'filter.from');
  const regions = filter.regionCodes?.map((code) => {
    if (!isValidRegionCode(code)) throw new BadInputError(`行政区划代码无效：${code}`, 'filter.regionCodes');
    return `${regionScopePrefix(code)}%`;
  });
  const industries = filter.industryCodes?.map((code) => {
    if (!isValidIndustryFilterCode(code)) throw new BadInputError(`行业代码无效：${code}`, 'filter.industryCodes');
    return `${code}%`;
  });
  const institutions = filter.institutionIds?.map((id) => {
    if (!isUuid(id)) throw new BadInputError(`机构 ID 无效：${id}`, 'filter.institutionIds');
    return id.toLowerCase();
  });
  // An empty list means "no restriction", like the other list filters.
  return {
    from,
    to,
    ...windowParts(from, to, shanghaiDate(now)),
    regions: regions?.length ? pgArray(regions) : null,
    industries: industries?.length ? pgArray(industries) : null,
    institutions: institutions?.length ? pgArray(institutions) : null,
    now,
  };
}

/**
 * Runs the statements of one source (the rollup, or the base tables for verification) and
 * shapes the result; both sources give the same columns.
 */
export async function computeStatistics(
  em: EntityManager,
  params: StatisticsParams,
  queries: StatisticsQueries,
): Promise<PlatformStatistics> {
  const run = (text: string) => sql<Row>(em, ...bind(text, params));
  // Inside a transaction there is one connection: run the statements one after the other.
  const results = em.isInTransaction()
    ? await queries.reduce<Promise<Row[][]>>(
        async (done, text) => [...(await done), await run(text)],
        Promise.resolve([]),
      )
    : await Promise.all(queries.map(run));
  const rows = (list: string) => results.flat().filter((row) => row.list === list);
  const [totals] = rows('TOTALS');
  const institutions = rows('INSTITUTION');
  const group = (list: string) => rows(list).map((g) => ({ key: String(g.key), ...loanFigures(g) }));
  return {
    enterprises: int(totals.enterprises),
    verifiedEnterprises: int(totals.verified_enterprises),
    institutions: int(totals.institutions),
    publishedProducts: int(totals.published_products),
    demands: { count: int(totals.demand_count), amount: money(totals.demand_amount) },
    matchRate: ratio(totals.match_rate),
    ...loanFigures(totals),
    averageRate: rate2(totals.average_rate),
    creditLoanShare: ratio(totals.credit_loan_share),
    averageDaysToCredit: totals.average_days_to_credit === null ? null : Number(totals.average_days_to_credit),
    byInstitution: institutions.map((row) => ({
      institutionId: String(row.institution_id),
      offers: int(row.offers),
      ...loanFigures(row),
      averageRate: rate2(row.average_rate),
      rank: int(row.rank),
    })),
    byRegion: group('REGION'),
    byIndustry: group('INDUSTRY'),
    byMonth: group('MONTH'),
  };
}

/** Platform statistics for regulators, and the public headline figures (docs/statistics.md). */
export class StatisticsService {
  private readonly publicCache = new TtlCache<PublicStatistics>(PUBLIC_STATISTICS_TTL_MS);

  /** One statement whatever the filter (docs/statistics.md, "Cost"). */
  platformStatistics(ctx: RequestContext, filter: StatisticsFilter): Promise<PlatformStatistics> {
    return computeStatistics(ctx.em, statisticsParams(filter, ctx.now()), ROLLUP_QUERIES);
  }

  /** The same for everyone, so kept in memory for PUBLIC_STATISTICS_TTL_MS (on the injected clock). */
  publicStatistics(ctx: RequestContext): Promise<PublicStatistics> {
    return this.publicCache.get(ctx.now(), async () => {
      const [row] = await sql<Row>(ctx.em, PUBLIC_SQL);
      return {
        enterprises: int(row.enterprises),
        institutions: int(row.institutions),
        publishedProducts: int(row.published_products),
        grantedAmount: money(row.granted_amount),
        grantedCount: int(row.granted_count),
      };
    });
  }
}
