import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from '../../entities/enums';
import { Connection } from '../connection';
import { UserErrorType } from '../user-error.type';

/** Webhooks for bank systems (docs/webhooks.md). The signing secret has no field here, by design. */

@ObjectType('WebhookEndpoint', {
  description: "A bank system's HTTPS callback for platform events, owned by the institution.",
})
export class WebhookEndpointType {
  @Field(() => ID, { description: 'The endpoint id.' })
  id!: string;

  @Field({ description: 'Where deliveries are POSTed (https; http to loopback only outside production).' })
  url!: string;

  @Field(() => String, { nullable: true, description: "The bank's own note on what the endpoint is for." })
  description!: string | null;

  @Field(() => [WebhookEventType], { description: 'The events this endpoint receives.' })
  eventTypes!: WebhookEventType[];

  @Field(() => WebhookEndpointStatus, {
    description: 'PAUSED: events are still queued and wait (up to 24 hours) until the endpoint is resumed.',
  })
  status!: WebhookEndpointStatus;

  @Field(() => Date, { description: 'When the endpoint was registered.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the endpoint (or its secret) last changed.' })
  updatedAt!: Date;
}

@ObjectType('WebhookDelivery', {
  description: 'One event sent (or to be sent) to one endpoint, with its latest attempt.',
})
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'The delivery id (redeliverWebhook takes it).' })
  id!: string;

  @Field(() => ID, { description: 'The endpoint it goes to.' })
  endpointId!: string;

  @Field(() => ID, {
    description: 'The event id, sent as X-Webhook-Id and as the body\'s "id": the same on every retry and redelivery.',
  })
  eventId!: string;

  @Field(() => WebhookEventType, { description: 'The event type, the body\'s "type".' })
  eventType!: WebhookEventType;

  @Field(() => String, { description: 'The JSON body POSTed (its signature is made per attempt).' })
  body!: string;

  @Field(() => WebhookDeliveryStatus, {
    description: 'PENDING until a 2xx answer (DELIVERED) or 24 hours of retries (FAILED).',
  })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: 'When the last attempt started.' })
  lastAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer; null when there was none.' })
  lastResponseCode!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed (status, timeout, connection error).',
  })
  lastError!: string | null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' })
  lastLatencyMs!: number | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a 2xx answer was received.' })
  deliveredAt!: Date | null;

  @Field(() => Date, { description: 'When the delivery was queued.' })
  createdAt!: Date;
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, 'WebhookDelivery');

@InputType('CreateWebhookEndpointInput', { description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'https:// URL (no credentials, no fragment); http:// to loopback only outside production.' })
  url!: string;

  @Field(() => [WebhookEventType], { description: 'At least one event type (PING is never subscribed to).' })
  eventTypes!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'A note, up to 200 characters.' })
  description?: string | null;
}

@InputType('UpdateWebhookEndpointInput', { description: 'Changes to an endpoint; absent fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint to change.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new URL, under the same rules as at registration.' })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true, description: 'The new set of event types.' })
  eventTypes?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: 'A new note; an empty string clears it.' })
  description?: string | null;
}

@InputType('WebhookEndpointIdInput', { description: "Names one of the institution's webhook endpoints." })
export class WebhookEndpointIdInput {
  @Field(() => ID, { description: 'The endpoint id.' })
  id!: string;
}

@InputType('RedeliverWebhookInput', { description: 'A delivery to send again.' })
export class RedeliverWebhookInput {
  @Field(() => ID, { description: 'The delivery id (from webhookDeliveries).' })
  deliveryId!: string;
}

@InputType('SendTestWebhookInput', { description: 'An endpoint to send a PING event to.' })
export class SendTestWebhookInput {
  @Field(() => ID, { description: 'The endpoint id.' })
  endpointId!: string;
}

@ObjectType('WebhookEndpointPayload', { description: 'The endpoint after the change, or why nothing changed.' })
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpointType, { nullable: true, description: 'The endpoint; null when userErrors is not empty.' })
  endpoint?: WebhookEndpointType | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorType[];
}

@ObjectType('WebhookSecretPayload', {
  description: 'An endpoint with its new signing secret: the only time the secret is shown.',
})
export class WebhookSecretPayload {
  @Field(() => WebhookEndpointType, { nullable: true, description: 'The endpoint; null when userErrors is not empty.' })
  endpoint?: WebhookEndpointType | null;

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret (whsec_…), returned only here: store it, it cannot be read again.',
  })
  secret?: string | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorType[];
}

@ObjectType('DeleteWebhookEndpointPayload', { description: 'The id of the endpoint removed, or why it was not.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { nullable: true, description: 'The removed endpoint; its queued deliveries went with it.' })
  deletedId?: string | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserErrorType[];
}

@ObjectType('WebhookDeliveryPayload', { description: 'The delivery queued, or why it was not.' })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDeliveryType, { nullable: true, description: 'The delivery, PENDING and due now.' })
  delivery?: WebhookDeliveryType | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was queued; empty on success.' })
  userErrors!: UserErrorType[];
}
