import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../entities';
import type { Role } from '../entities/enums';
import type { RequestContext } from './request-context';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  detail?: Record<string, unknown>;
  /** Defaults to the viewer; login events name the user who signed in. */
  actor?: { id: string | null; role: Role | null };
}

/**
 * Appends an audit event in the caller's transaction (`em`), so the trail records exactly
 * the changes that committed.
 */
export function recordAudit(ctx: RequestContext, em: EntityManager, entry: AuditEntry): void {
  const event = new AuditEvent();
  event.actorId = entry.actor ? entry.actor.id : ctx.viewer.userId;
  event.actorRole = entry.actor ? entry.actor.role : ctx.viewer.role;
  event.action = entry.action;
  event.targetType = entry.targetType;
  event.targetId = entry.targetId ?? null;
  event.at = ctx.now();
  event.requestId = ctx.requestId;
  // A change made through an API key names the key, so a leaked key's uses can be traced.
  const apiKeyId = ctx.viewer.apiKeyId;
  event.detail = apiKeyId ? { ...entry.detail, apiKeyId } : (entry.detail ?? null);
  em.persist(event);
}
