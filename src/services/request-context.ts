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
}
