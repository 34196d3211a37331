import { z } from 'zod';
import { CreditCommitment } from '../entities';
import { CommitmentStatus } from '../entities/enums';
import { recordAudit } from './audit';
import { asSystem } from '../db/row-security';
import { evaluateEnterprises } from './credit/evaluator';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { ok, parseInput, type Result } from './user-error';
import { text } from './validation';

const signInput = z.object({
  title: text('标题', 2, 100),
  content: text('承诺内容', 10, 5000),
});

/** Credit commitment letters (信用承诺书): signed by enterprises, public, and scored. */
export class CommitmentService {
  /** Signing re-evaluates the enterprise in the same transaction: the commitment indicator counts at once. */
  async sign(ctx: RequestContext, input: unknown): Promise<Result<CreditCommitment>> {
    const parsed = parseInput(signInput, input);
    if (!parsed.ok) return parsed;
    return transaction(ctx, async (em) => {
      const commitment = em.create(CreditCommitment, {
        enterpriseId: ctx.viewer.enterpriseId!,
        ...parsed.value,
        status: CommitmentStatus.SIGNED,
        signedAt: ctx.now(),
        createdAt: ctx.now(),
      });
      await em.flush();
      // The evaluation is the platform's, not the enterprise's: only SYSTEM and regulators write reports.
      await asSystem(em, ctx.viewer, (sys) => evaluateEnterprises(sys, { ids: [commitment.enterpriseId] }, ctx.now()));
      recordAudit(ctx, em, { action: 'signCreditCommitment', targetType: 'CreditCommitment', targetId: commitment.id });
      return ok(commitment);
    });
  }

  /** The public list: signed letters, newest first. */
  list(ctx: RequestContext, page: PageArgs): Promise<Page<CreditCommitment>> {
    return keysetPage(ctx.em, CreditCommitment, page, {
      where: { status: CommitmentStatus.SIGNED },
      sortBy: 'signedAt',
      direction: 'desc',
    });
  }
}
