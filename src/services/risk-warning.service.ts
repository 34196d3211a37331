import type { FilterQuery } from '@mikro-orm/postgresql';
import { RiskWarning } from '../entities';
import { LoanStatus, RiskLevel, Role } from '../entities/enums';
import { riskSignals } from './credit/risk';
import { enterpriseFilterConditions } from './enterprise-filter';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';

export interface RiskWarningFilter {
  levels?: RiskLevel[] | null;
  regionCodes?: string[] | null;
  industryCodes?: string[] | null;
}

/** Traffic-light risk: the level now, and the warnings raised over time. */
export class RiskWarningService {
  /** Regulators see every warning; a bank those of enterprises it has a loan with. */
  list(ctx: RequestContext, filter: RiskWarningFilter, page: PageArgs): Promise<Page<RiskWarning>> {
    const where: FilterQuery<RiskWarning>[] = [];
    if (ctx.viewer.role === Role.BANK) {
      // Its borrowers: any loan with it that it has not declined.
      where.push({
        enterprise: {
          loans: { $some: { institution: ctx.viewer.institutionId, status: { $ne: LoanStatus.DECLINED } } },
        },
      });
    } else if (ctx.viewer.role !== Role.REGULATOR) where.push({ id: { $in: [] } });
    if (filter.levels?.length) where.push({ level: { $in: filter.levels } });
    for (const condition of enterpriseFilterConditions(filter)) where.push({ enterprise: condition });
    return keysetPage(ctx.em, RiskWarning, page, { where: { $and: where }, sortBy: 'raisedAt', direction: 'desc' });
  }

  /** The current level of each enterprise, computed now from its signals (one statement per batch). */
  async levels(ctx: RequestContext, enterpriseIds: readonly string[]): Promise<RiskLevel[]> {
    const assessments = await riskSignals(ctx.em, [...enterpriseIds], shanghaiDate(ctx.now()));
    return enterpriseIds.map((id) => assessments.get(id)?.level ?? RiskLevel.GREEN);
  }
}
