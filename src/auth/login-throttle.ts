import type { Knex } from '@mikro-orm/postgresql';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import { sha256 } from './secrets';

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

  constructor(
    store: { knex: Knex } | { redis: Redis; prefix: string },
    options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE,
  ) {
    const make = (keyPrefix: string, points: number) =>
      'redis' in store
        ? new RateLimiterRedis({
            storeClient: store.redis,
            keyPrefix: `${store.prefix}${keyPrefix}`,
            points,
            duration: WINDOW_SECONDS,
            // While Redis is away each instance counts on its own: weaker, but sign-in keeps working.
            insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_SECONDS }),
          })
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

  /**
   * Reserves one attempt for this login and address before the password is checked. The
   * reservation is an atomic increment in the shared store, so parallel guesses cannot all slip
   * past a check made before any of them was counted. False (nothing stays counted) when either
   * the login or the address has used up its failures.
   */
  async reserve(login: string, ip: string): Promise<boolean> {
    const [loginKey, ipKey] = [storeKey(login), storeKey(ip)];
    const [l, i] = await Promise.all([this.byLogin.penalty(loginKey), this.byIp.penalty(ipKey)]);
    if (l.consumedPoints <= this.byLogin.points && i.consumedPoints <= this.byIp.points) return true;
    await Promise.all([this.byLogin.reward(loginKey), this.byIp.reward(ipKey)]);
    return false;
  }

  /** The reserved attempt signed in: the login's failures are forgiven, the address gets its attempt back. */
  async recordSuccess(login: string, ip: string): Promise<void> {
    await Promise.all([this.byLogin.delete(storeKey(login)), this.byIp.reward(storeKey(ip))]);
  }
}

/**
 * Logins are client-chosen text of any length; the store's key column is varchar(255). Hashing
 * gives every key a fixed length (and keeps login names out of the counter table).
 */
function storeKey(value: string): string {
  return sha256(value);
}
