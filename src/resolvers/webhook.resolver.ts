import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { WebhookDelivery } from '../entities';
import { WebhookDeliveryStatus, type WebhookEventType } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import {
  CreateWebhookEndpointInput,
  DeleteWebhookEndpointPayload,
  RedeliverWebhookInput,
  SendTestWebhookInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookDeliveryType,
  WebhookEndpointIdInput,
  WebhookEndpointPayload,
  WebhookEndpointType,
  WebhookSecretPayload,
} from '../schema/types/webhook.type';
import { checkPageArgs } from '../services/pagination';
import { webhookBody } from '../services/webhooks/signature';

/** Webhooks for bank systems (docs/webhooks.md): BANK only, every row the viewer's institution's. */
@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpointType], { description: "The bank's webhook endpoints, newest first." })
  webhookEndpoints(@Ctx() ctx: GraphQLContext) {
    return ctx.services.webhooks.list(ctx);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: "Deliveries to the bank's endpoints (or to one), newest first; another bank's endpoint is NOT_FOUND.",
  })
  async webhookDeliveries(
    @Ctx() ctx: GraphQLContext,
    @Arg('endpointId', () => ID, { nullable: true, description: 'Only this endpoint.' }) endpointId: string | null,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' })
    status: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' })
    after?: string | null,
  ) {
    const page = checkPageArgs({ first, after });
    return toConnection(await ctx.services.webhooks.deliveries(ctx, { endpointId, status }, page));
  }

  @Mutation(() => WebhookSecretPayload, {
    description: 'Registers an endpoint and returns its signing secret, this once.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput, { description: 'The URL, event types and a note.' })
    input: CreateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.create(ctx, input), (created) => created);
  }

  @Mutation(() => WebhookEndpointPayload, { description: "Changes an endpoint's URL, event types or note." })
  async updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput, { description: 'The endpoint and what changes.' })
    input: UpdateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.update(ctx, input), (endpoint) => ({ endpoint }));
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: 'Stops sending to an endpoint; its events are queued and wait for resumeWebhookEndpoint.',
  })
  async pauseWebhookEndpoint(
    @Arg('input', () => WebhookEndpointIdInput, { description: 'The endpoint.' }) input: WebhookEndpointIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.pause(ctx, input), (endpoint) => ({ endpoint }));
  }

  @Mutation(() => WebhookEndpointPayload, { description: 'Sends to a paused endpoint again, queued events first.' })
  async resumeWebhookEndpoint(
    @Arg('input', () => WebhookEndpointIdInput, { description: 'The endpoint.' }) input: WebhookEndpointIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.resume(ctx, input), (endpoint) => ({ endpoint }));
  }

  @Mutation(() => DeleteWebhookEndpointPayload, { description: 'Removes an endpoint and its queued deliveries.' })
  async deleteWebhookEndpoint(
    @Arg('input', () => WebhookEndpointIdInput, { description: 'The endpoint.' }) input: WebhookEndpointIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.delete(ctx, input), (deletedId) => ({ deletedId }));
  }

  @Mutation(() => WebhookSecretPayload, {
    description: 'Replaces the signing secret at once and returns the new one, this once.',
  })
  async rotateWebhookSecret(
    @Arg('input', () => WebhookEndpointIdInput, { description: 'The endpoint.' }) input: WebhookEndpointIdInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.rotateSecret(ctx, input), (rotated) => rotated);
  }

  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Sends a delivery again, now, with the same event id and another 24 hours of retries.',
  })
  async redeliverWebhook(
    @Arg('input', () => RedeliverWebhookInput, { description: 'The delivery.' }) input: RedeliverWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.redeliver(ctx, input), (delivery) => ({ delivery }));
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Queues a PING event to an active endpoint.' })
  async sendTestWebhook(
    @Arg('input', () => SendTestWebhookInput, { description: 'The endpoint.' }) input: SendTestWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.webhooks.sendTest(ctx, input), (delivery) => ({ delivery }));
  }
}

/** A delivery shows its event (loaded with the page by the service). */
@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  @FieldResolver()
  endpointId(@Root() delivery: WebhookDelivery): string {
    return delivery.endpoint.id;
  }

  @FieldResolver()
  eventId(@Root() delivery: WebhookDelivery): string {
    return delivery.event.id;
  }

  @FieldResolver()
  eventType(@Root() delivery: WebhookDelivery): WebhookEventType {
    return delivery.event.getEntity().type;
  }

  @FieldResolver()
  body(@Root() delivery: WebhookDelivery): string {
    return webhookBody(delivery.event.getEntity());
  }
}
