import { CreditReport, Enterprise } from '../entities';
import { recordAudit } from './audit';
import { evaluateEnterprises } from './credit/evaluator';
import { logReportReads, regulatorRead } from './credit/report-access';
import { isUuid } from './ids';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, type Result } from './user-error';

export class CreditReportService {
  /** A regulator re-evaluates one enterprise now, under the active model. */
  async evaluate(ctx: RequestContext, input: { enterpriseId: string }): Promise<Result<CreditReport>> {
    return transaction(ctx, async (em) => {
      const enterprise = isUuid(input.enterpriseId) ? await em.findOne(Enterprise, { id: input.enterpriseId }) : null;
      if (!enterprise) return fail(UserErrorCode.NOT_FOUND, '企业不存在', ['input', 'enterpriseId']);
      const reports = await evaluateEnterprises(em, { ids: [enterprise.id] }, ctx.now());
      const report = await em.findOneOrFail(CreditReport, { id: reports.get(enterprise.id)! });
      recordAudit(ctx, em, { action: 'evaluateEnterprise', targetType: 'Enterprise', targetId: enterprise.id });
      // The regulator is handed the full report: that is a read, logged for the enterprise to see.
      await logReportReads(ctx, em, [regulatorRead(ctx, report)]);
      return ok(report);
    });
  }
}
