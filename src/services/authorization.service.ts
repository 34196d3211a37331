import { z } from 'zod';
import { CreditAuthorization, FinancialInstitution, FinancingDemand, ReportAccess } from '../entities';
import { AuthorizationScope, AuthorizationStatus, Role } from '../entities/enums';
import { recordAudit } from './audit';
import { ForbiddenError } from './errors';
import { authorizationGranted } from './events';
import { isUuid } from './ids';
import { firstPagesByParent, keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { DAY_MS } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { count, text } from './validation';

const grantInput = z.object({
  institutionId: z.string(),
  scope: z.enum(AuthorizationScope),
  purpose: text('授权用途', 2, 200),
  validDays: count('有效天数', 1, 365),
  demandId: z.string().nullish(),
});

/** An enterprise's consent for a bank to read its credit report, and the log of who read it. */
export class AuthorizationService {
  async grant(ctx: RequestContext, input: unknown): Promise<Result<CreditAuthorization>> {
    const parsed = parseInput(grantInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    const result = await transaction(ctx, async (em) => {
      const institution = isUuid(data.institutionId)
        ? await em.findOne(FinancialInstitution, { id: data.institutionId })
        : null;
      if (!institution) return fail(UserErrorCode.NOT_FOUND, '金融机构不存在', ['input', 'institutionId']);
      // Consent may name one of the enterprise's own demands (what the bank is to assess).
      const demand =
        data.demandId && isUuid(data.demandId)
          ? await em.findOne(FinancingDemand, { id: data.demandId, enterprise: ctx.viewer.enterpriseId })
          : null;
      if (data.demandId && !demand) return fail(UserErrorCode.NOT_FOUND, '融资需求不存在', ['input', 'demandId']);
      const now = ctx.now();
      const authorization = em.create(CreditAuthorization, {
        enterpriseId: ctx.viewer.enterpriseId!,
        institutionId: institution.id,
        scope: data.scope,
        purpose: data.purpose,
        demandId: demand?.id ?? null,
        grantedAt: now,
        expiresAt: new Date(now.getTime() + data.validDays * DAY_MS),
        createdAt: now,
      });
      recordAudit(ctx, em, {
        action: 'grantCreditAuthorization',
        targetType: 'CreditAuthorization',
        targetId: authorization.id,
      });
      return ok(authorization);
    });
    if (result.ok) ctx.events.publish(authorizationGranted(result.value));
    return result;
  }

  /** Only an ACTIVE consent can be revoked; the conditional update makes a double revoke impossible. */
  async revoke(ctx: RequestContext, input: { id: string }): Promise<Result<CreditAuthorization>> {
    const result = await transaction(ctx, async (em) => {
      const authorization = isUuid(input.id)
        ? await em.findOne(CreditAuthorization, { id: input.id, enterpriseId: ctx.viewer.enterpriseId! })
        : null;
      if (!authorization) return fail(UserErrorCode.NOT_FOUND, '授权不存在', ['input', 'id']);
      const now = ctx.now();
      const status = authorization.statusAt(now);
      if (status !== AuthorizationStatus.ACTIVE) {
        const why = status === AuthorizationStatus.REVOKED ? '授权已撤销' : '授权已过期';
        return fail(UserErrorCode.INVALID_STATE, why, ['input', 'id']);
      }
      const changed = await em.nativeUpdate(
        CreditAuthorization,
        { id: authorization.id, revokedAt: null, expiresAt: { $gt: now } },
        { revokedAt: now },
      );
      if (changed === 0) return fail(UserErrorCode.INVALID_STATE, '授权已撤销', ['input', 'id']);
      authorization.revokedAt = now;
      recordAudit(ctx, em, {
        action: 'revokeCreditAuthorization',
        targetType: 'CreditAuthorization',
        targetId: authorization.id,
      });
      return ok(authorization);
    });
    if (result.ok) {
      const { id, enterpriseId, institutionId } = result.value;
      ctx.events.publish({ type: 'authorizationRevoked', authorizationId: id, enterpriseId, institutionId });
    }
    return result;
  }

  /**
   * The enterprise and regulators see all of an enterprise's consents; a bank those given to it.
   * Returns the bank's institution to filter by (null: all), or throws for anyone else.
   */
  authorizationScope(ctx: RequestContext, enterpriseId: string): { institutionId: string | null } {
    const { viewer } = ctx;
    if (viewer.role === Role.REGULATOR || (viewer.role === Role.ENTERPRISE && viewer.enterpriseId === enterpriseId)) {
      return { institutionId: null };
    }
    if (viewer.role === Role.BANK) return { institutionId: viewer.institutionId };
    throw new ForbiddenError('无权查看该企业的授权记录');
  }

  listForEnterprise(ctx: RequestContext, enterpriseId: string, page: PageArgs): Promise<Page<CreditAuthorization>> {
    const { institutionId } = this.authorizationScope(ctx, enterpriseId);
    const where = institutionId ? { enterpriseId, institutionId } : { enterpriseId };
    return keysetPage(ctx.em, CreditAuthorization, page, { where, sortBy: 'grantedAt', direction: 'desc' });
  }

  /** The first page for many enterprises at once (a list of enterprises with their consents). */
  firstAuthorizationPages(ctx: RequestContext, enterpriseIds: readonly string[], first: number) {
    const institutionId = ctx.viewer.role === Role.BANK ? ctx.viewer.institutionId : null;
    return firstPagesByParent(ctx.em, CreditAuthorization, {
      parentColumn: 'enterprise_id',
      parentIds: enterpriseIds,
      sortColumn: 'granted_at',
      sortProp: 'grantedAt',
      where: institutionId ? { sql: 't.institution_id = ?', params: [institutionId] } : undefined,
      first,
    });
  }

  /** 征信查询记录: the enterprise itself and regulators only. */
  checkAccessLogReader(ctx: RequestContext, enterpriseId: string): void {
    const { viewer } = ctx;
    const allowed =
      viewer.role === Role.REGULATOR || (viewer.role === Role.ENTERPRISE && viewer.enterpriseId === enterpriseId);
    if (!allowed) throw new ForbiddenError('无权查看该企业的查询记录');
  }

  accessesForEnterprise(ctx: RequestContext, enterpriseId: string, page: PageArgs): Promise<Page<ReportAccess>> {
    this.checkAccessLogReader(ctx, enterpriseId);
    return keysetPage(ctx.em, ReportAccess, page, { where: { enterpriseId }, sortBy: 'accessedAt', direction: 'desc' });
  }

  firstAccessPages(ctx: RequestContext, enterpriseIds: readonly string[], first: number) {
    return firstPagesByParent(ctx.em, ReportAccess, {
      parentColumn: 'enterprise_id',
      parentIds: enterpriseIds,
      sortColumn: 'accessed_at',
      sortProp: 'accessedAt',
      first,
    });
  }
}
