import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';
import type { EventBus } from './events';

/**
 * What every service method receives first: who is asking, the request's own entity manager,
 * and the clock (injectable, so tests can move time).
 */
export interface RequestContext {
  viewer: Viewer;
  em: EntityManager;
  now(): Date;
  requestId: string;
  ip: string;
  /** Announces committed changes to subscribers (this instance, or all through Redis). */
  events: EventBus;
  /**
   * Set for a mutation sent with an Idempotency-Key (src/server/idempotency.ts): transaction()
   * marks the key's claim in the mutation's own transaction, so the key and the effect commit or
   * roll back together.
   */
  idempotency?: IdempotencyFence;
  /**
   * Runs a write that a read has to make (the report-access log of a credit report read): in the
   * operation's transaction, or, when the operation reads from a read replica, in a short
   * transaction of its own on the primary with the same viewer (docs/row-level-security.md).
   */
  writeFromRead<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
}

export interface IdempotencyFence {
  /**
   * Marks the claim COMMITTED inside `em`'s transaction (and keeps its row locked until the
   * transaction ends); throws when another attempt has taken the key over, which rolls back.
   */
  markCommitted(em: EntityManager): Promise<void>;
}
