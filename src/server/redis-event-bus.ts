import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { LocalEventBus, type DomainEvent } from '../services/events';

interface Envelope {
  /** The instance that published: it has already delivered the event to its own listeners. */
  origin: string;
  event: DomainEvent;
}

/**
 * Domain events shared by every instance through Redis pub/sub, one channel per event type
 * (`<prefix>events:<type>`), JSON payloads.
 *
 * The publishing instance delivers to its own listeners at once and ignores its echo from Redis,
 * so each listener gets each event exactly once, and an instance's own subscribers keep working
 * while Redis is away. Publishing never throws: a failure is logged and the mutation stands.
 *
 * `publisher` is the app's shared connection (not owned here); the subscriber is a duplicate of
 * it, since a connection in subscriber mode can send nothing else.
 */
export class RedisEventBus extends LocalEventBus {
  private readonly origin = randomUUID();
  private readonly subscriber: Redis;
  private readonly subscribed: Promise<void>;
  private readonly channelPrefix: string;

  constructor(
    private readonly publisher: Redis,
    prefix: string,
    protected override readonly logger: Logger,
  ) {
    super(logger);
    this.channelPrefix = `${prefix}events:`;
    // The shared connection fails fast while Redis is away; a subscription should instead wait,
    // and ioredis re-subscribes by itself after a reconnect.
    this.subscriber = publisher.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
    });
    const pattern = `${this.channelPrefix}*`;
    let down = false;
    const lost = (reason: string) => {
      if (!down) {
        logger.error(
          { reason },
          'Redis event subscriber unavailable: other instances’ events are missed until it returns',
        );
      }
      down = true;
    };
    this.subscriber.on('error', (err: Error) => lost(err.message));
    this.subscriber.on('reconnecting', () => lost('connection lost'));
    this.subscriber.on('ready', () => {
      if (!down) return;
      down = false;
      // ioredis has already re-sent the PSUBSCRIBE; Redis answers in order, so once this one is
      // confirmed, the subscription is live again, and the log says so truthfully.
      this.subscriber.psubscribe(pattern).then(
        () => logger.warn('Redis event subscription restored: other instances’ events arrive again'),
        (err: Error) => logger.error({ err: err.message }, 'Redis event subscription failed'),
      );
    });
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) =>
      this.receive(channel, message),
    );
    this.subscribed = this.subscriber.psubscribe(pattern).then(
      () => undefined,
      (err: Error) => logger.error({ err: err.message }, 'Redis event subscription failed'),
    );
  }

  /** Resolves once Redis confirmed the subscription: from then on, other instances' events arrive. */
  ready(): Promise<void> {
    return this.subscribed;
  }

  override publish(event: DomainEvent): void {
    this.deliver(event);
    const envelope: Envelope = { origin: this.origin, event };
    try {
      this.publisher
        .publish(this.channelPrefix + event.type, JSON.stringify(envelope))
        .catch((err: Error) => this.publishFailed(event, err));
    } catch (err) {
      this.publishFailed(event, err as Error);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
  }

  private publishFailed(event: DomainEvent, err: Error) {
    this.logger.warn({ err: err.message, event: event.type }, 'event not shared with other instances');
  }

  private receive(channel: string, message: string) {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      this.logger.warn({ channel }, 'ignored a malformed event');
      return;
    }
    if (envelope?.origin === this.origin) return;
    const event = envelope?.event;
    if (!event || typeof event !== 'object' || channel !== this.channelPrefix + event.type) {
      this.logger.warn({ channel }, 'ignored a malformed event');
      return;
    }
    this.deliver(event);
  }
}
