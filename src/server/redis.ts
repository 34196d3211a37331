import Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * The Redis connection shared by the features that span instances. Commands fail fast while
 * Redis is away (no unbounded offline queue), and the loss is logged loudly.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    // Closing must not linger when Redis is unreachable (tests and shutdown).
    disconnectTimeout: 100,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.error({ err: err.message }, 'Redis unavailable: falling back where possible');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.warn('Redis is back');
    down = false;
  });
  return redis;
}
