import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/knex';
import type { Viewer } from '../auth/viewer';
import { runUncounted } from './sql-counter';

/**
 * Row-level security's side in the application (docs/row-level-security.md): the role the server's
 * sessions run as, and the viewer each transaction states for the policies of migration
 * RowLevelSecurity.
 */
export const APP_ROLE = 'cel_app';

/**
 * Who the policies see: a request's viewer, or SYSTEM for work the rules do across every scope
 * (start-up, the command-line tools, the few services listed in the docs).
 */
export type RowScope = Viewer | 'SYSTEM';

const SCOPE_SQL = `select set_config('app.viewer_role', ?, true), set_config('app.enterprise_id', ?, true),
  set_config('app.institution_id', ?, true), set_config('app.department_id', ?, true), set_config('app.user_id', ?, true)`;

function scopeParams(scope: RowScope): string[] {
  if (scope === 'SYSTEM') return ['SYSTEM', '', '', '', ''];
  return [
    scope.role ?? '',
    scope.enterpriseId ?? '',
    scope.institutionId ?? '',
    scope.departmentId ?? '',
    scope.userId ?? '',
  ];
}

/** States `scope` for the rest of the transaction `trx` (set_config(…, true) ends with it). */
async function stateScope(em: EntityManager, trx: Knex.Transaction, scope: RowScope): Promise<void> {
  await em.getConnection().getKnex().raw(SCOPE_SQL, scopeParams(scope)).transacting(trx);
}

/** A transaction bound to an entity manager, with its viewer stated; `end` commits or rolls back. */
export interface ScopedTransaction {
  /** True when it reads from a replica, READ ONLY: writes go through RequestContext.writeFromRead. */
  onReplica: boolean;
  end(outcome: 'commit' | 'rollback'): Promise<void>;
}

/**
 * Opens a transaction on `em` and states the viewer in it: every statement `em` runs until `end`
 * goes through it, so the policies see who is asking. Transactions the services open inside
 * (transaction()) become savepoints of this one. Not counted as the request's statements.
 */
export async function beginScoped(
  em: EntityManager,
  scope: RowScope,
  { replica = false }: { replica?: boolean } = {},
): Promise<ScopedTransaction> {
  // On a replica (when one is configured) the transaction is READ ONLY: a write that slipped in
  // fails loudly instead of failing on the standby.
  const onReplica = replica && em.getConnection('read') !== em.getConnection('write');
  const connection = em.getConnection(onReplica ? 'read' : 'write');
  return runUncounted(async () => {
    const trx = (await connection.begin({ readOnly: onReplica })) as Knex.Transaction;
    try {
      await stateScope(em, trx, scope);
    } catch (err) {
      await connection.rollback(trx).catch(() => undefined);
      throw err;
    }
    em.setTransactionContext(trx);
    let ended = false;
    return {
      onReplica,
      end: (outcome) =>
        runUncounted(async () => {
          if (ended) return;
          ended = true;
          em.resetTransactionContext();
          if (outcome === 'commit') await connection.commit(trx);
          else await connection.rollback(trx);
        }),
    };
  });
}

/**
 * Runs `work` with the policies seeing SYSTEM, for what a rule does across scopes on a viewer's
 * behalf (e.g. an anonymous registration evaluating the new enterprise's report). In a savepoint
 * (or a transaction of its own), so the elevation cannot outlive `work`: on success the caller's
 * viewer is stated again, on failure the savepoint's rollback restores it.
 */
export async function asSystem<T>(
  em: EntityManager,
  restore: RowScope,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return em.transactional(async (inner) => {
    const trx = inner.getTransactionContext<Knex.Transaction>()!;
    await stateScope(inner, trx, 'SYSTEM');
    const result = await work(inner);
    await inner.flush();
    await stateScope(inner, trx, restore);
    return result;
  });
}
