import { createHmac } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX, randomSecret } from '../../auth/secrets';
import { formatDateTime } from '../time';

/**
 * How receivers authenticate a delivery (docs/webhooks.md, "Verifying a delivery"): HMAC-SHA256
 * with the endpoint's secret over `${timestamp}.${body}`, hex, as `X-Webhook-Signature: v1=<hex>`.
 * The timestamp is signed too, so a captured request cannot be replayed later with a new one.
 */
export const SIGNATURE_VERSION = 'v1';

export function newWebhookSecret(): string {
  return randomSecret(WEBHOOK_SECRET_PREFIX);
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The JSON body of every delivery of an event, `{id, type, createdAt, data}`: built from the stored
 * event each time, so each retry sends the same bytes (only the timestamp and signature change).
 */
export function webhookBody(event: {
  id: string;
  type: string;
  createdAt: Date;
  payload: Record<string, unknown>;
}): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: formatDateTime(new Date(event.createdAt)),
    data: event.payload,
  });
}
