import type { FilterQuery } from '@mikro-orm/postgresql';
import { AuditEvent } from '../entities';
import { BadInputError } from './errors';
import { isUuid } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';

export interface AuditEventFilterInput {
  actorId?: string | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Reading the audit trail (regulators and admins, enforced by the access rules); writing is audit.ts. */
export class AuditQueryService {
  /**
   * Newest first (keyset pages on at, id). Filters match exactly; `from` is inclusive and `to`
   * exclusive, so consecutive windows neither overlap nor leave gaps.
   */
  list(
    ctx: RequestContext,
    filter: AuditEventFilterInput | null | undefined,
    page: PageArgs,
  ): Promise<Page<AuditEvent>> {
    const where: FilterQuery<AuditEvent>[] = [];
    const f = filter ?? {};
    if (f.actorId != null) {
      // A malformed id names no actor: an empty list, like an unknown one.
      where.push(isUuid(f.actorId) ? { actorId: f.actorId } : { id: { $in: [] } });
    }
    if (f.action != null) where.push({ action: f.action });
    if (f.targetType != null) where.push({ targetType: f.targetType });
    if (f.targetId != null) where.push({ targetId: f.targetId });
    if (f.from && f.to && f.from.getTime() > f.to.getTime()) {
      throw new BadInputError('from 不能晚于 to', 'filter.from');
    }
    if (f.from) where.push({ at: { $gte: f.from } });
    if (f.to) where.push({ at: { $lt: f.to } });
    return keysetPage(ctx.em, AuditEvent, page, {
      where: where.length ? { $and: where } : {},
      sortBy: 'at',
      direction: 'desc',
    });
  }
}
