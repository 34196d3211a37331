import { CreditRecord, Enterprise } from '../entities';
import { VerificationStatus } from '../entities/enums';
import { recordAudit } from './audit';
import { isUuid } from './ids';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, type Result, type UserError } from './user-error';

/** Full-width brackets and spaces differ between registries and forms without meaning anything. */
function normalise(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').replace(/[（]/g, '(').replace(/[）]/g, ')');
}

/**
 * Real-name verification (实名认证): the enterprise's name and legal representative against the
 * newest business-registration record for its USCC. A mismatch REJECTS the enterprise (kept,
 * with the reason as a userError); no registry record leaves it unchanged (NOT_FOUND).
 */
export class VerificationService {
  async verify(
    ctx: RequestContext,
    input: { enterpriseId: string },
  ): Promise<Result<{ enterprise: Enterprise; problems: UserError[] }>> {
    return transaction(ctx, async (em) => {
      const enterprise = isUuid(input.enterpriseId) ? await em.findOne(Enterprise, { id: input.enterpriseId }) : null;
      if (!enterprise) return fail(UserErrorCode.NOT_FOUND, '企业不存在', ['input', 'enterpriseId']);
      const registry = await em.findOne(
        CreditRecord,
        { uscc: enterprise.uscc, kind: 'BUSINESS_REGISTRATION' },
        { orderBy: { occurredOn: 'desc', recordedAt: 'desc' } },
      );
      if (!registry) {
        return fail(UserErrorCode.NOT_FOUND, '未找到该统一社会信用代码的工商登记记录，请先导入登记数据', [
          'input',
          'enterpriseId',
        ]);
      }
      const problems: UserError[] = [];
      if (normalise(registry.subjectName ?? '') !== normalise(enterprise.name)) {
        problems.push({
          code: UserErrorCode.NOT_ELIGIBLE,
          message: `企业名称与登记不符：登记为“${registry.subjectName}”，填报为“${enterprise.name}”`,
          field: ['input', 'enterpriseId'],
        });
      }
      if (normalise(registry.legalRepresentative ?? '') !== normalise(enterprise.legalRepresentative)) {
        problems.push({
          code: UserErrorCode.NOT_ELIGIBLE,
          message: '法定代表人与登记不符',
          field: ['input', 'enterpriseId'],
        });
      }
      enterprise.verificationStatus = problems.length ? VerificationStatus.REJECTED : VerificationStatus.VERIFIED;
      enterprise.updatedAt = ctx.now();
      recordAudit(ctx, em, {
        action: 'verifyEnterprise',
        targetType: 'Enterprise',
        targetId: enterprise.id,
        detail: { result: enterprise.verificationStatus },
      });
      return ok({ enterprise, problems });
    });
  }
}
