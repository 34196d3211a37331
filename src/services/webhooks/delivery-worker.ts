import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { WebhookSettings } from '../../config';
import { beginScoped } from '../../db/row-security';
import { WebhookDeliveryStatus } from '../../entities/enums';
import { sql } from '../sql';
import { postWebhook, type PostOutcome, type WebhookPost } from './http-post';
import { retryDelayMs } from './retry-schedule';
import { signature, webhookBody } from './signature';

/** How long a claimed delivery is hidden from other workers beyond its timeout (a crash frees it then). */
const LEASE_MARGIN_MS = 30_000;

export interface DeliveryWorkerOptions {
  orm: MikroORM;
  logger: Logger;
  settings: WebhookSettings;
  /** The server's clock (tests move it): due times, backoff and the signed timestamp. */
  now: () => Date;
  /** [0, 1): the backoff's jitter; tests pass a constant. */
  random?: () => number;
  post?: WebhookPost;
}

interface Claimed {
  id: string;
  attempts: number;
  expires_at: Date;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * Sends what the outbox queued (docs/webhooks.md). Each round, in short transactions of its own
 * that state SYSTEM to row-level security (it serves no viewer): PENDING deliveries past their
 * 24 hours become FAILED; a batch of due ones of ACTIVE endpoints is claimed with
 * FOR UPDATE SKIP LOCKED, so instances never claim the same row, and leased (next_attempt_at
 * pushed past the timeout) before the transaction ends; they are POSTed outside any transaction;
 * the outcomes are recorded in one statement, fenced by the attempt number so a late answer
 * cannot overwrite a newer attempt. An instance that dies mid-send leaves the lease to expire,
 * and another retries: at least once.
 */
export class WebhookDeliveryWorker {
  private timer?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly random: () => number;
  private readonly post: WebhookPost;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.random = options.random ?? Math.random;
    this.post = options.post ?? postWebhook;
  }

  /** Polls every settings.pollMs (at once again after a full batch); pollMs 0: only runOnce(). */
  start(): void {
    if (this.options.settings.pollMs > 0) this.schedule(this.options.settings.pollMs);
  }

  /** Stops polling and waits for the round in flight (its outcomes are recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
  }

  /** One round; rounds never overlap within an instance. Resolves to the deliveries attempted. */
  runOnce(): Promise<number> {
    const round = this.queue.then(() => this.round());
    this.queue = round.catch(() => undefined);
    return round;
  }

  /** Rounds until nothing is due now (tests: everything the clock has made due is attempted once). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const attempted = await this.runOnce();
      total += attempted;
      if (attempted === 0) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      let attempted = 0;
      try {
        attempted = await this.runOnce();
      } catch (err) {
        this.options.logger.error({ err }, 'webhook delivery round failed');
      }
      this.schedule(attempted >= this.options.settings.batchSize ? 0 : this.options.settings.pollMs);
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<number> {
    const now = this.options.now();
    await this.asSystem((em) => expire(em, now));
    const claimed = await this.asSystem((em) => this.claim(em, now));
    if (claimed.length === 0) return 0;
    const outcomes = await Promise.all(claimed.map((delivery) => this.send(delivery)));
    await this.asSystem((em) => this.record(em, claimed, outcomes));
    return claimed.length;
  }

  private async claim(em: EntityManager, now: Date): Promise<Claimed[]> {
    const { batchSize, timeoutMs } = this.options.settings;
    const lease = new Date(now.getTime() + timeoutMs + LEASE_MARGIN_MS);
    return sql<Claimed>(
      em,
      `with due as (
         select d.id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
         where d.status = 'PENDING' and d.next_attempt_at <= ?::timestamptz and d.expires_at > ?::timestamptz
           and e.status = 'ACTIVE'
         order by d.next_attempt_at, d.id
         limit ? for update of d skip locked
       )
       update webhook_delivery d
          set attempts = d.attempts + 1, next_attempt_at = ?::timestamptz, last_attempt_at = ?::timestamptz
       from due, webhook_endpoint e, webhook_event ev
       where d.id = due.id and e.id = d.endpoint_id and ev.id = d.event_id
       returning d.id, d.attempts, d.expires_at, e.url, e.secret, ev.id as event_id, ev.type, ev.payload, ev.created_at`,
      [now.toISOString(), now.toISOString(), batchSize, lease.toISOString(), now.toISOString()],
    );
  }

  private async send(delivery: Claimed): Promise<PostOutcome> {
    const body = webhookBody({
      id: delivery.event_id,
      type: delivery.type,
      createdAt: delivery.created_at,
      payload: delivery.payload,
    });
    const timestamp = Math.floor(this.options.now().getTime() / 1000);
    const { timeoutMs, blockPrivateAddresses } = this.options.settings;
    try {
      return await this.post(
        delivery.url,
        body,
        {
          'x-webhook-id': delivery.event_id,
          'x-webhook-timestamp': String(timestamp),
          'x-webhook-signature': signature(delivery.secret, timestamp, body),
        },
        { timeoutMs, blockPrivateAddresses },
      );
    } catch (err) {
      // A URL that no longer parses, or a bug: recorded as this attempt's failure, retried like any.
      return { status: null, error: `发送失败：${(err as Error).message}`, latencyMs: 0 };
    }
  }

  private async record(em: EntityManager, claimed: Claimed[], outcomes: PostOutcome[]): Promise<void> {
    const now = this.options.now();
    const rows = claimed.map((delivery, i) => {
      const { status, error, latencyMs } = outcomes[i];
      const delivered = status !== null && status >= 200 && status < 300;
      const retryAt = new Date(now.getTime() + retryDelayMs(delivery.attempts, this.random));
      const giveUp = !delivered && retryAt.getTime() >= new Date(delivery.expires_at).getTime();
      if (!delivered) {
        this.options.logger.debug({ deliveryId: delivery.id, status, error }, 'webhook delivery attempt failed');
      }
      return {
        id: delivery.id,
        attempts: delivery.attempts,
        status: delivered
          ? WebhookDeliveryStatus.DELIVERED
          : giveUp
            ? WebhookDeliveryStatus.FAILED
            : WebhookDeliveryStatus.PENDING,
        next_attempt_at: delivered || giveUp ? null : retryAt.toISOString(),
        code: status,
        error: delivered ? null : (error ?? `HTTP ${status}`),
        latency_ms: latencyMs,
        delivered_at: delivered ? now.toISOString() : null,
      };
    });
    await sql(
      em,
      `update webhook_delivery d
          set status = x.status, next_attempt_at = x.next_attempt_at, last_response_code = x.code,
              last_error = x.error, last_latency_ms = x.latency_ms, delivered_at = coalesce(x.delivered_at, d.delivered_at)
       from jsonb_to_recordset(?::jsonb) as x(id uuid, attempts int, status text, next_attempt_at timestamptz,
                                               code int, error text, latency_ms int, delivered_at timestamptz)
       where d.id = x.id and d.attempts = x.attempts and d.status = 'PENDING'`,
      [JSON.stringify(rows)],
    );
  }

  /** A short transaction that tells row-level security SYSTEM: the worker acts for no viewer. */
  private async asSystem<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = this.options.orm.em.fork();
    const scope = await beginScoped(em, 'SYSTEM');
    try {
      const result = await work(em);
      await scope.end('commit');
      return result;
    } catch (err) {
      await scope.end('rollback').catch(() => undefined);
      throw err;
    }
  }
}

/**
 * PENDING deliveries whose 24 hours have run out become FAILED without another attempt: those of
 * a paused endpoint, or left behind by a stopped worker. One in flight (leased) is left to its
 * sender, which records its outcome.
 */
async function expire(em: EntityManager, now: Date): Promise<void> {
  await sql(
    em,
    `update webhook_delivery set status = 'FAILED', next_attempt_at = null,
            last_error = coalesce(last_error, '重试期限（24 小时）内未能发送')
     where status = 'PENDING' and expires_at <= ?::timestamptz and next_attempt_at <= ?::timestamptz`,
    [now.toISOString(), now.toISOString()],
  );
}
