import type { Knex } from '@mikro-orm/postgresql';
import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type Redis from 'ioredis';

const WINDOW_SECONDS = 15 * 60;

export interface LoginThrottleOptions {
  /** Failures allowed per login within the window. */
  perLogin: number;
  /** Failures allowed per client address (higher: offices share one NAT address). */
  perIp: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = { perLogin: 5, perIp: 20 };

/**
 * Counts failed sign-ins per login and per address in a store every instance shares
 * (PostgreSQL, or Redis when configured), so a guesser cannot spread attempts over instances.
 * Unknown logins are counted like known ones: the answer never reveals whether a login exists.
 */
export class LoginThrottle {
  private readonly byLogin: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(store: { knex: Knex } | { redis: Redis }, options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    const make = (keyPrefix: string, points: number) =>
      'redis' in store
        ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix, points, duration: WINDOW_SECONDS })
        : new RateLimiterPostgres({
            storeClient: store.knex,
            storeType: 'knex',
            tableName: 'rate_limit',
            tableCreated: true, // the migration owns the table
            keyPrefix,
            points,
            duration: WINDOW_SECONDS,
          });
    this.byLogin = make('login-fail', options.perLogin);
    this.byIp = make('login-fail-ip', options.perIp);
  }

  async isBlocked(login: string, ip: string): Promise<boolean> {
    const [l, i] = await Promise.all([this.byLogin.get(login), this.byIp.get(ip)]);
    return (l?.consumedPoints ?? 0) >= this.byLogin.points || (i?.consumedPoints ?? 0) >= this.byIp.points;
  }

  async recordFailure(login: string, ip: string): Promise<void> {
    // penalty() adds points without rejecting, so the count keeps the full story.
    await Promise.all([this.byLogin.penalty(login), this.byIp.penalty(ip)]);
  }

  async recordSuccess(login: string): Promise<void> {
    await this.byLogin.delete(login);
  }
}
