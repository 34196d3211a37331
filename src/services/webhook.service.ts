import { LockMode } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { FinancialInstitution, WebhookDelivery, WebhookEndpoint, WebhookEvent } from '../entities';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from '../entities/enums';
import { recordAudit } from './audit';
import { NotFoundError } from './errors';
import { isUuid } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { text } from './validation';
import { RETRY_WINDOW_MS } from './webhooks/retry-schedule';
import { newWebhookSecret } from './webhooks/signature';
import { checkWebhookUrl, type UrlPolicy } from './webhooks/url-policy';

/** Enough for a core system, a standby and a test receiver; not a fan-out service. */
export const MAX_ENDPOINTS = 10;

/** PING is what sendTestWebhook sends; an endpoint does not subscribe to it. */
const SUBSCRIBABLE = Object.values(WebhookEventType).filter((t) => t !== WebhookEventType.PING) as [
  WebhookEventType,
  ...WebhookEventType[],
];

export interface DeliveryFilter {
  endpointId?: string | null;
  status?: WebhookDeliveryStatus | null;
}

const notFound = <T>(field: string) => fail<T>(UserErrorCode.NOT_FOUND, 'Webhook 端点不存在', ['input', field]);

/**
 * Banks' webhook endpoints and their deliveries (docs/webhooks.md). Every row belongs to the
 * viewer's institution: another bank's endpoint or delivery is NOT_FOUND, like a missing one.
 * The access registry admits BANK only (sessions and API keys).
 */
export class WebhookService {
  private readonly url: z.ZodType<string>;
  private readonly createInput;
  private readonly updateInput;

  constructor(policy: UrlPolicy) {
    this.url = z.string().transform((raw, zctx) => {
      const checked = checkWebhookUrl(raw, policy);
      if ('url' in checked) return checked.url;
      zctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    });
    const eventTypes = z
      .array(z.enum(SUBSCRIBABLE, { message: 'PING 不需订阅：用 sendTestWebhook 发送测试事件' }))
      .min(1, '至少订阅一种事件')
      .refine((t) => new Set(t).size === t.length, '事件类型重复');
    const description = text('说明', 0, 200).nullish();
    this.createInput = z.object({ url: this.url, eventTypes, description });
    this.updateInput = z.object({
      id: z.string(),
      url: this.url.nullish(),
      eventTypes: eventTypes.nullish(),
      description,
    });
  }

  /** The institution's endpoints, newest first (at most MAX_ENDPOINTS: no pages needed). */
  list(ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return ctx.em.find(
      WebhookEndpoint,
      { institution: ctx.viewer.institutionId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  /** The secret comes back here and from rotateSecret only; it is never readable again. */
  async create(ctx: RequestContext, input: unknown): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
    const parsed = parseInput(this.createInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return transaction(ctx, async (em) => {
      // The institution's row is locked while counting: concurrent registrations count one after
      // another and cannot overshoot the limit together.
      const institution = await em.findOneOrFail(
        FinancialInstitution,
        { id: ctx.viewer.institutionId! },
        { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] },
      );
      const existing = await em.count(WebhookEndpoint, { institution: institution.id });
      if (existing >= MAX_ENDPOINTS) {
        return fail(UserErrorCode.LIMIT_EXCEEDED, `每家机构最多 ${MAX_ENDPOINTS} 个 Webhook 端点`);
      }
      const now = ctx.now();
      const secret = newWebhookSecret();
      const endpoint = em.create(WebhookEndpoint, {
        institution: em.getReference(FinancialInstitution, institution.id),
        url: data.url,
        description: data.description || null,
        eventTypes: data.eventTypes,
        status: WebhookEndpointStatus.ACTIVE,
        secret,
        createdAt: now,
        updatedAt: now,
      });
      recordAudit(ctx, em, { action: 'createWebhookEndpoint', targetType: 'WebhookEndpoint', targetId: endpoint.id });
      return ok({ endpoint, secret });
    });
  }

  /** Changes what is given; queued deliveries go to the new URL from their next attempt on. */
  async update(ctx: RequestContext, input: unknown): Promise<Result<WebhookEndpoint>> {
    const parsed = parseInput(this.updateInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return this.change(ctx, data.id, 'updateWebhookEndpoint', (endpoint) => {
      if (data.url) endpoint.url = data.url;
      if (data.eventTypes) endpoint.eventTypes = data.eventTypes;
      if (data.description !== undefined) endpoint.description = data.description || null;
      return ok(endpoint);
    });
  }

  /** Paused: events are still queued, and wait (up to their 24 hours) until it is resumed. */
  async pause(ctx: RequestContext, input: { id: string }): Promise<Result<WebhookEndpoint>> {
    return this.setStatus(ctx, input.id, WebhookEndpointStatus.PAUSED, 'pauseWebhookEndpoint');
  }

  async resume(ctx: RequestContext, input: { id: string }): Promise<Result<WebhookEndpoint>> {
    return this.setStatus(ctx, input.id, WebhookEndpointStatus.ACTIVE, 'resumeWebhookEndpoint');
  }

  /** A new secret at once: every attempt from now on, retries of older events too, is signed with it. */
  async rotateSecret(
    ctx: RequestContext,
    input: { id: string },
  ): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
    const secret = newWebhookSecret();
    const result = await this.change(ctx, input.id, 'rotateWebhookSecret', (endpoint) => {
      endpoint.secret = secret;
      return ok(endpoint);
    });
    return result.ok ? ok({ endpoint: result.value, secret }) : result;
  }

  /** The endpoint and its deliveries (queued ones included) are removed. */
  async delete(ctx: RequestContext, input: { id: string }): Promise<Result<string>> {
    return transaction(ctx, async (em) => {
      const endpoint = await this.own(ctx, em, input.id);
      if (!endpoint) return notFound('id');
      em.remove(endpoint);
      recordAudit(ctx, em, { action: 'deleteWebhookEndpoint', targetType: 'WebhookEndpoint', targetId: endpoint.id });
      return ok(endpoint.id);
    });
  }

  /** Deliveries of the institution's endpoints (or of one), newest first, keyset-paginated. */
  async deliveries(ctx: RequestContext, filter: DeliveryFilter, page: PageArgs): Promise<Page<WebhookDelivery>> {
    const where: FilterQuery<WebhookDelivery>[] = [{ endpoint: { institution: ctx.viewer.institutionId } }];
    if (filter.endpointId) {
      const endpoint = await this.own(ctx, ctx.em, filter.endpointId);
      if (!endpoint) throw new NotFoundError('Webhook 端点');
      where.push({ endpoint: endpoint.id });
    }
    if (filter.status) where.push({ status: filter.status });
    const result = await keysetPage(ctx.em, WebhookDelivery, page, {
      where: { $and: where },
      sortBy: 'createdAt',
      direction: 'desc',
    });
    // The events of the page in one statement (each delivery shows its event's type and body).
    await ctx.em.populate(
      result.edges.map((e) => e.node),
      ['event'],
    );
    return result;
  }

  /**
   * Sends a delivery again as soon as the worker is next round (within a second by default),
   * whatever its status, with the same event id, and another 24 hours of retries.
   */
  async redeliver(ctx: RequestContext, input: { deliveryId: string }): Promise<Result<WebhookDelivery>> {
    return transaction(ctx, async (em) => {
      const delivery = isUuid(input.deliveryId)
        ? await em.findOne(WebhookDelivery, {
            id: input.deliveryId,
            endpoint: { institution: ctx.viewer.institutionId },
          })
        : null;
      if (!delivery) return fail(UserErrorCode.NOT_FOUND, '投递记录不存在', ['input', 'deliveryId']);
      await em.populate(delivery, ['event']);
      const now = ctx.now();
      delivery.status = WebhookDeliveryStatus.PENDING;
      delivery.nextAttemptAt = now;
      const window = new Date(now.getTime() + RETRY_WINDOW_MS);
      if (delivery.expiresAt < window) delivery.expiresAt = window;
      recordAudit(ctx, em, { action: 'redeliverWebhook', targetType: 'WebhookDelivery', targetId: delivery.id });
      return ok(delivery);
    });
  }

  /** Queues a PING event to one ACTIVE endpoint, to check the receiver and its verification. */
  async sendTest(ctx: RequestContext, input: { endpointId: string }): Promise<Result<WebhookDelivery>> {
    return transaction(ctx, async (em) => {
      const endpoint = await this.own(ctx, em, input.endpointId);
      if (!endpoint) return notFound('endpointId');
      if (endpoint.status !== WebhookEndpointStatus.ACTIVE) {
        return fail(UserErrorCode.INVALID_STATE, 'Webhook 端点已暂停，恢复后再发送测试事件', ['input', 'endpointId']);
      }
      const now = ctx.now();
      const event = em.create(WebhookEvent, {
        type: WebhookEventType.PING,
        payload: { endpointId: endpoint.id },
        createdAt: now,
      });
      const delivery = em.create(WebhookDelivery, {
        endpoint,
        event,
        status: WebhookDeliveryStatus.PENDING,
        attempts: 0,
        nextAttemptAt: now,
        expiresAt: new Date(now.getTime() + RETRY_WINDOW_MS),
        createdAt: now,
      });
      recordAudit(ctx, em, { action: 'sendTestWebhook', targetType: 'WebhookEndpoint', targetId: endpoint.id });
      return ok(delivery);
    });
  }

  private setStatus(ctx: RequestContext, id: string, status: WebhookEndpointStatus, action: string) {
    return this.change(ctx, id, action, (endpoint) => {
      if (endpoint.status === status) {
        const why = status === WebhookEndpointStatus.PAUSED ? 'Webhook 端点已暂停' : 'Webhook 端点未暂停';
        return fail<WebhookEndpoint>(UserErrorCode.INVALID_STATE, why, ['input', 'id']);
      }
      endpoint.status = status;
      return ok(endpoint);
    });
  }

  /** Loads the viewer's endpoint locked, applies `edit`, stamps and audits it. */
  private change(
    ctx: RequestContext,
    id: string,
    action: string,
    edit: (endpoint: WebhookEndpoint) => Result<WebhookEndpoint>,
  ): Promise<Result<WebhookEndpoint>> {
    return transaction(ctx, async (em) => {
      const endpoint = await this.own(ctx, em, id, true);
      if (!endpoint) return notFound('id');
      const result = edit(endpoint);
      if (!result.ok) return result;
      endpoint.updatedAt = ctx.now();
      recordAudit(ctx, em, { action, targetType: 'WebhookEndpoint', targetId: endpoint.id });
      return result;
    });
  }

  private async own(
    ctx: RequestContext,
    em: RequestContext['em'],
    id: string,
    lock = false,
  ): Promise<WebhookEndpoint | null> {
    if (!isUuid(id)) return null;
    return em.findOne(
      WebhookEndpoint,
      { id, institution: ctx.viewer.institutionId },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
  }
}
