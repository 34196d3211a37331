import Redis from 'ioredis';
import type { Logger } from 'pino';

/** The longest a command waits for Redis before the caller falls back (to per-instance counting). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * The Redis connection shared by the features that span instances (login throttle, rate limits,
 * events). Commands fail fast while Redis is away — no offline queue, a bounded wait on a
 * connection that stopped answering — so every caller can fall back at once; ioredis keeps
 * reconnecting by itself. Losing and regaining Redis are logged loudly, once each.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    keepAlive: 10_000,
    // Closing must not linger when Redis is unreachable (tests and shutdown).
    disconnectTimeout: 100,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  watchRedis(redis, logger, {
    lost: 'Redis unavailable: rate limits and sign-in throttling count per instance, other instances’ events are missed, until it returns',
    back: 'Redis is back: shared rate limits and events resume',
  });
  return redis;
}

/**
 * Logs a connection's loss (an error, or a dropped connection that ioredis is re-establishing)
 * and its return, once per outage. A deliberate disconnect is neither.
 */
export function watchRedis(redis: Redis, logger: Logger, messages: { lost: string; back: string }): void {
  let down = false;
  const lost = (reason: string) => {
    if (!down) logger.error({ reason }, messages.lost);
    down = true;
  };
  redis.on('error', (err: Error) => lost(err.message));
  // A connection closed by the peer reconnects without an 'error' event.
  redis.on('reconnecting', () => lost('connection lost'));
  redis.on('ready', () => {
    if (down) logger.warn(messages.back);
    down = false;
  });
}
