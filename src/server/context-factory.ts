import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { InvalidCredentialsError, authenticate } from '../auth/authenticate';
import type { AccessTokens } from '../auth/tokens';
import { beginScoped } from '../db/row-security';
import { createLoaders } from '../loaders';
import type { Services } from '../services';
import type { EventBus } from '../services/events';
import type { GraphQLContext } from './context';
import { DeferredEvents } from './request-transaction';

export interface ContextDeps {
  orm: MikroORM;
  services: Services;
  tokens: AccessTokens;
  logger: Logger;
  now: () => Date;
  events: EventBus;
  /** config.rowSecurity: operations run in a transaction that states their viewer. */
  rowSecurity: boolean;
}

export interface RequestInfo {
  credential: string | null;
  requestId: string;
  ip: string;
  sql: { statements: number };
}

/** Builds the per-request context for HTTP and WebSocket alike: viewer, entity manager, loaders. */
export async function createContext(deps: ContextDeps, request: RequestInfo): Promise<GraphQLContext> {
  const em = deps.orm.em.fork();
  const now = deps.now;
  let viewer;
  try {
    viewer = await authenticate(request.credential, { em, tokens: deps.tokens, now: now() });
  } catch (err) {
    if (err instanceof InvalidCredentialsError) {
      throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    throw err;
  }
  const transaction: GraphQLContext['transaction'] = {};
  const ctx = {
    viewer,
    em,
    now,
    requestId: request.requestId,
    ip: request.ip,
    events: new DeferredEvents(deps.events),
    services: deps.services,
    logger: deps.logger.child({ requestId: request.requestId, userId: viewer.userId ?? undefined }),
    sql: request.sql,
    rowSecurity: deps.rowSecurity,
    transaction,
    writeFromRead: async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
      if (!transaction.scope?.onReplica) return ctx.em.transactional(work);
      const primary = deps.orm.em.fork();
      const scope = await beginScoped(primary, viewer);
      try {
        const result = await work(primary);
        await primary.flush();
        await scope.end('commit');
        return result;
      } catch (err) {
        await scope.end('rollback');
        throw err;
      }
    },
  } as Omit<GraphQLContext, 'loaders'> as GraphQLContext;
  ctx.loaders = createLoaders(ctx);
  return ctx;
}
