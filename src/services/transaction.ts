import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from './request-context';
import type { Result } from './user-error';

class Rollback<T> extends Error {
  constructor(readonly result: Result<T>) {
    super('rollback');
  }
}

/**
 * One transaction per mutation: a failed Result rolls everything back (nothing half-written),
 * a successful one commits with its audit event, and with the Idempotency-Key's COMMITTED mark
 * when the request carries one (docs/idempotency.md).
 */
export async function transaction<T>(
  ctx: RequestContext,
  work: (em: EntityManager) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await ctx.em.transactional(async (em) => {
      // First, so the key's row stays locked while the effect is written: a retry cannot take
      // the key over until this transaction has committed (then it never can) or rolled back.
      await ctx.idempotency?.markCommitted(em);
      const result = await work(em);
      if (!result.ok) throw new Rollback(result);
      return result;
    });
  } catch (err) {
    if (err instanceof Rollback) return err.result as Result<T>;
    throw err;
  }
}
