import type Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { RATE_LIMIT_ROLES, type Bucket, type RateLimitRole } from '../config';
import type { Viewer } from '../auth/viewer';

export interface Principal {
  /** `user:<id>`, `apikey:<id>` or `ip:<address>`. */
  key: string;
  role: RateLimitRole;
}

export type Consumed = { ok: true; remaining: number } | { ok: false; remaining: number; retryAfterSeconds: number };

/** An API key speaks for its institution's systems, not for the person who created it: its own bucket. */
export function principalOf(viewer: Viewer, ip: string): Principal {
  if (viewer.apiKeyId) return { key: `apikey:${viewer.apiKeyId}`, role: viewer.role ?? 'ANONYMOUS' };
  if (viewer.userId && viewer.role) return { key: `user:${viewer.userId}`, role: viewer.role };
  return { key: `ip:${ip}`, role: 'ANONYMOUS' };
}

/**
 * Cost buckets per principal (docs/hardening.md, "Rate limits"), kept by rate-limiter-flexible:
 * `points` is the bucket size and `duration` the time the restore rate takes to fill it, so the
 * bucket empties by each operation's cost and is full again when its window ends. In Redis every
 * instance draws on the same bucket; without Redis each process keeps its own.
 */
export class CostLimiter {
  private readonly limiters: Record<RateLimitRole, RateLimiterAbstract>;

  constructor(
    readonly buckets: Record<RateLimitRole, Bucket>,
    store?: { redis: Redis; prefix: string },
  ) {
    const make = (role: RateLimitRole): RateLimiterAbstract => {
      const options: IRateLimiterOptions = {
        keyPrefix: `cost:${role}`,
        points: buckets[role].bucketSize,
        duration: windowSeconds(buckets[role]),
      };
      return store
        ? new RateLimiterRedis({
            ...options,
            storeClient: store.redis,
            keyPrefix: `${store.prefix}${options.keyPrefix}`,
            // While Redis is away each instance limits on its own rather than refusing everyone.
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
    };
    this.limiters = Object.fromEntries(RATE_LIMIT_ROLES.map((r) => [r, make(r)])) as typeof this.limiters;
  }

  bucket(principal: Principal): Bucket {
    return this.buckets[principal.role];
  }

  /** Takes `cost` points, or none at all when the bucket holds fewer (a refusal does not drain it further). */
  async consume(principal: Principal, cost: number): Promise<Consumed> {
    const limiter = this.limiters[principal.role];
    try {
      const res = await limiter.consume(principal.key, cost);
      return { ok: true, remaining: res.remainingPoints };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const back = await limiter.reward(principal.key, cost);
      return {
        ok: false,
        remaining: this.clamp(principal, back.remainingPoints),
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      };
    }
  }

  /** Gives back what an operation was charged beyond its actual cost; the bucket's remaining points. */
  async refund(principal: Principal, points: number): Promise<number> {
    const res = await this.limiters[principal.role].reward(principal.key, points);
    return this.clamp(principal, res.remainingPoints);
  }

  async remaining(principal: Principal): Promise<number> {
    const res = await this.limiters[principal.role].get(principal.key);
    return res ? this.clamp(principal, res.remainingPoints) : this.bucket(principal).bucketSize;
  }

  /** A refund landing just after the window turned can push the count below zero: never report more than the bucket. */
  private clamp(principal: Principal, remaining: number): number {
    return Math.min(this.bucket(principal).bucketSize, Math.max(0, remaining));
  }
}

/** Whole seconds (the stores expire keys by the second); the effective rate is bucketSize ÷ window. */
export function windowSeconds({ bucketSize, restoreRate }: Bucket): number {
  return Math.max(1, Math.round(bucketSize / restoreRate));
}
