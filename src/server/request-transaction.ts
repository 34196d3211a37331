import type { ApolloServerPlugin } from '@apollo/server';
import { beginScoped } from '../db/row-security';
import type { DomainEvent, DomainEventOf, DomainEventType, EventBus } from '../services/events';
import type { GraphQLContext } from './context';
import { concernsBanks, writeOutbox } from '../services/webhooks/outbox';
import { errorResponse } from './idempotency';

const UNAVAILABLE_MESSAGE = '服务器内部错误，请稍后重试';

/**
 * Every operation runs in one transaction that states its viewer, so row-level security sees who
 * is asking (docs/row-level-security.md). It opens just before execution: the credential check and
 * the Idempotency-Key claim before it commit on their own, as they must. The HTTP handler ends it
 * (endRequestTransaction) once Apollo has the response and before a byte is sent, so a client
 * never reads an answer whose effect then failed to commit.
 */
export function requestTransactionPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // The last plugin to be asked: after the Idempotency-Key's claim (a replay needs no
        // transaction), and a hook whose answer is a response, so a failure is a clean 503.
        async responseForOperation({ contextValue: ctx, operation }) {
          try {
            // A query reads from a replica when one is configured; a mutation from the primary.
            const replica = operation?.operation === 'query';
            ctx.transaction.scope = await beginScoped(ctx.em, ctx.viewer, { replica });
            return null;
          } catch (err) {
            // No connection (an exhausted pool, a database away): nothing ran, the client may retry.
            ctx.logger.error({ err }, 'request transaction could not start');
            return errorResponse(503, 'INTERNAL_SERVER_ERROR', UNAVAILABLE_MESSAGE);
          }
        },
      };
    },
  };
}

/**
 * Commits the request's transaction (rolls it back when the request failed outright) and then
 * announces its events. Before the commit, the events banks' webhooks receive are written to the
 * outbox in the same transaction (docs/webhooks.md), so they commit with the change or not at
 * all. Returns false when the commit failed: what the response says did not happen, and the
 * caller must not send it.
 */
export async function endRequestTransaction(ctx: GraphQLContext | undefined, failed: boolean): Promise<boolean> {
  if (!ctx) return true;
  const { scope } = ctx.transaction;
  ctx.transaction.scope = undefined;
  const events = ctx.events as DeferredEvents;
  try {
    if (scope && !failed && !scope.onReplica) await writeOutbox(ctx.em, events.pendingEvents(), ctx.now());
    await scope?.end(failed ? 'rollback' : 'commit');
  } catch (err) {
    ctx.logger.error({ err }, 'request transaction failed to commit');
    await scope?.end('rollback').catch(() => undefined);
    events.discard();
    return false;
  }
  if (failed) {
    events.discard();
    return true;
  }
  // ROW_SECURITY=off (bench only, refused in production) has no request transaction: the changes
  // have committed on their own, and the outbox follows in a transaction of its own.
  if (!scope) await writeOutboxAfter(ctx, events.pendingEvents());
  events.flush();
  return true;
}

async function writeOutboxAfter(ctx: GraphQLContext, events: readonly DomainEvent[]): Promise<void> {
  if (!events.some(concernsBanks)) return;
  try {
    await ctx.em.transactional((em) => writeOutbox(em, events, ctx.now()));
  } catch (err) {
    ctx.logger.error({ err }, 'webhook outbox not written');
  }
}

/**
 * The request's view of the event bus: what the services publish is held until the request's
 * transaction commits (subscribers reload the rows, and must find them), and dropped if it rolls
 * back. Subscribing goes straight to the bus.
 */
export class DeferredEvents implements EventBus {
  private pending: DomainEvent[] = [];

  constructor(private readonly bus: EventBus) {}

  publish(event: DomainEvent): void {
    this.pending.push(event);
  }

  /** What has been published and not yet flushed (the webhook outbox reads it before the commit). */
  pendingEvents(): readonly DomainEvent[] {
    return this.pending;
  }

  flush(): void {
    const events = this.pending;
    this.pending = [];
    for (const event of events) this.bus.publish(event);
  }

  discard(): void {
    this.pending = [];
  }

  subscribe<T extends DomainEventType>(type: T, listener: (event: DomainEventOf<T>) => void) {
    return this.bus.subscribe(type, listener);
  }

  listenerCount(type: DomainEventType): number {
    return this.bus.listenerCount(type);
  }

  async close(): Promise<void> {
    this.discard();
  }
}
