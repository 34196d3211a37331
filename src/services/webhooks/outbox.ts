import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEventType } from '../../entities/enums';
import type { DomainEvent } from '../events';
import { sql } from '../sql';
import { formatDateTime } from '../time';
import { RETRY_WINDOW_MS } from './retry-schedule';

/**
 * An event as banks' webhooks receive it, with who may receive it: one institution named by the
 * event, or (DEMAND_PUBLISHED) every bank that may see the demand.
 */
export interface OutboxEvent {
  /** The X-Webhook-Id: the same for every delivery and retry of this event. */
  id: string;
  type: WebhookEventType;
  /** The body's `data`: ids, and only what the receiving bank may read through the API anyway. */
  payload: Record<string, unknown>;
  institution_id: string | null;
  demand_id: string | null;
}

const to = (institutionId: string, type: WebhookEventType, payload: Record<string, unknown>): OutboxEvent => ({
  id: randomUUID(),
  type,
  payload,
  institution_id: institutionId,
  demand_id: null,
});

/**
 * The webhook event a domain event makes, or null for those no bank receives (offerReceived goes
 * to the enterprise, fundClaimUpdated to the enterprise and its regulator). Each bank-bound event
 * names exactly one bank: the one that made the offer, lends, was dispatched to or authorised.
 */
export function toWebhookEvent(event: DomainEvent): OutboxEvent | null {
  switch (event.type) {
    case 'demandPublished':
      return {
        id: randomUUID(),
        type: WebhookEventType.DEMAND_PUBLISHED,
        payload: { demandId: event.demandId },
        institution_id: null,
        demand_id: event.demandId,
      };
    case 'offerAccepted':
      return to(event.institutionId, WebhookEventType.OFFER_ACCEPTED, {
        offerId: event.offerId,
        demandId: event.demandId,
        loanId: event.loanId,
      });
    case 'offerRejected':
      return to(event.institutionId, WebhookEventType.OFFER_REJECTED, {
        offerId: event.offerId,
        demandId: event.demandId,
      });
    case 'loanUpdated':
      return to(event.institutionId, WebhookEventType.LOAN_UPDATED, { loanId: event.loanId, status: event.status });
    case 'dispatchAssigned':
      return to(event.institutionId, WebhookEventType.DISPATCH_ASSIGNED, { dispatchId: event.dispatchId });
    case 'authorizationGranted':
      return to(event.institutionId, WebhookEventType.AUTHORIZATION_GRANTED, {
        authorizationId: event.authorizationId,
        enterpriseId: event.enterpriseId,
        scope: event.scope,
        expiresAt: formatDateTime(new Date(event.expiresAt)),
      });
    case 'authorizationRevoked':
      return to(event.institutionId, WebhookEventType.AUTHORIZATION_REVOKED, {
        authorizationId: event.authorizationId,
        enterpriseId: event.enterpriseId,
      });
    default:
      return null;
  }
}

/** Whether any bank's webhooks may receive the event. */
export const concernsBanks = (event: DomainEvent): boolean => toWebhookEvent(event) !== null;

/**
 * The outbox: called in the request's transaction just before it commits, so the webhook rows
 * commit or roll back with the change itself (at least once, never for a change that did not
 * happen). One statement for all of a request's events: an event is stored only when some
 * endpoint subscribed to its type may receive it, with one PENDING delivery per such endpoint,
 * paused ones included (their deliveries wait). DEMAND_PUBLISHED goes to the banks the demand
 * scope admits (DemandService.scope): the demand OPEN and unexpired, and a PUBLISHED product of
 * the bank of a type the demand accepts. Nothing runs when no event concerns banks.
 */
export async function writeOutbox(em: EntityManager, events: readonly DomainEvent[], now: Date): Promise<void> {
  const outbox = events.map(toWebhookEvent).filter((e): e is OutboxEvent => e !== null);
  if (outbox.length === 0) return;
  const at = now.toISOString();
  await sql(
    em,
    `with ev as (
       select * from jsonb_to_recordset(?::jsonb)
         as x(id uuid, type text, payload jsonb, institution_id uuid, demand_id uuid)
     ), targets as (
       select ev.id as event_id, w.id as endpoint_id
       from ev join webhook_endpoint w on w.event_types @> array[ev.type]
       where w.institution_id = ev.institution_id
          or exists (select 1 from financing_demand d
                     join loan_product p on p.type = any(d.accepted_types)
                     where d.id = ev.demand_id and d.status = 'OPEN' and d.expires_at > ?::timestamptz
                       and p.institution_id = w.institution_id and p.status = 'PUBLISHED')
     ), stored as (
       insert into webhook_event (id, created_at, type, payload)
       select ev.id, ?::timestamptz, ev.type, ev.payload from ev where ev.id in (select event_id from targets)
     )
     -- Fanned out in SQL, so the delivery ids are the database's (the event id is the one receivers see).
     insert into webhook_delivery (id, created_at, endpoint_id, event_id, status, attempts, next_attempt_at, expires_at)
     select gen_random_uuid(), ?::timestamptz, t.endpoint_id, t.event_id, 'PENDING', 0, ?::timestamptz, ?::timestamptz
     from targets t`,
    [JSON.stringify(outbox), at, at, at, at, new Date(now.getTime() + RETRY_WINDOW_MS).toISOString()],
  );
}
