import { ArrayType, Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from './enums';
import { FinancialInstitution } from './institution.entity';

/**
 * A bank's HTTPS callback (docs/webhooks.md). It belongs to the institution, not to the user who
 * registered it, so it outlives staff changes like the bank's products do.
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ properties: ['institution'] })
export class WebhookEndpoint extends BaseEntity {
  @ManyToOne(() => FinancialInstitution, { ref: true, deleteRule: 'cascade' })
  institution!: Ref<FinancialInstitution>;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** text[]: the outbox matches an event's type against it with @> (contains). */
  @Property({ type: ArrayType, columnType: 'text[]' })
  eventTypes!: WebhookEventType[];

  @Enum({ items: () => WebhookEndpointStatus, type: 'text' })
  status: WebhookEndpointStatus = WebhookEndpointStatus.ACTIVE;

  /**
   * The HMAC key, as issued: unlike an API key it cannot be kept as a hash, since the server signs
   * with it. Hidden from serialisation, and no GraphQL type has a field for it.
   */
  @Property({ type: 'text', hidden: true, lazy: true })
  secret!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One thing that happened, as receivers see it: its id is the X-Webhook-Id every delivery and
 * retry of it carries, so a receiver can drop duplicates.
 */
@Entity({ tableName: 'webhook_event' })
export class WebhookEvent extends BaseEntity {
  @Enum({ items: () => WebhookEventType, type: 'text' })
  type!: WebhookEventType;

  /** The body's `data`: ids and the little the receiving banks may see. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;
}

/** One event to one endpoint: the queue row the worker claims, and the record a bank reads. */
@Entity({ tableName: 'webhook_delivery' })
@Index({ properties: ['endpoint', 'createdAt', 'id'] })
export class WebhookDelivery extends BaseEntity {
  @ManyToOne(() => WebhookEndpoint, { ref: true, deleteRule: 'cascade' })
  endpoint!: Ref<WebhookEndpoint>;

  @ManyToOne(() => WebhookEvent, { ref: true, deleteRule: 'cascade' })
  event!: Ref<WebhookEvent>;

  @Enum({ items: () => WebhookDeliveryStatus, type: 'text' })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Property({ type: 'integer' })
  attempts = 0;

  /** PENDING: when it is due (or, while an attempt is in flight, when that attempt's lease ends). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  /** No attempt starts after this: 24 hours after the event, or after the last redelivery. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastAttemptAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastResponseCode?: number | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'integer', nullable: true })
  lastLatencyMs?: number | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}
