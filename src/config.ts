import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** Bucket size (points) and restore rate (points per second) of each kind of principal. */
export const RATE_LIMIT_ROLES = ['ANONYMOUS', 'ENTERPRISE', 'BANK', 'REGULATOR', 'ADMIN'] as const;
export type RateLimitRole = (typeof RATE_LIMIT_ROLES)[number];
export interface Bucket {
  bucketSize: number;
  restoreRate: number;
}

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 5_000,
  maxCost: 1_000,
};

/** The webhook delivery worker and the URLs banks may register (docs/webhooks.md). */
export interface WebhookSettings {
  /** How often the worker looks for due deliveries; 0: never by itself (tests call runOnce()). */
  pollMs: number;
  /** Deliveries claimed (and sent in parallel) per round. */
  batchSize: number;
  /** How long one POST may take before it counts as failed. */
  timeoutMs: number;
  /** http:// to 127.0.0.1, ::1 or localhost (development and tests); refused in production. */
  allowHttpLoopback: boolean;
  /** Refuse https:// to a literal private, loopback or link-local address (SSRF); on in production. */
  blockPrivateAddresses: boolean;
}

/** What a config built by hand (bench/) gets: the settings of its environment. */
export function defaultWebhookSettings(env: 'development' | 'test' | 'production'): WebhookSettings {
  const production = env === 'production';
  return {
    pollMs: 1_000,
    batchSize: 10,
    timeoutMs: 10_000,
    allowHttpLoopback: !production,
    blockPrivateAddresses: production,
  };
}

export const DEFAULT_BUCKETS: Record<RateLimitRole, Bucket> = {
  ANONYMOUS: { bucketSize: 1_000, restoreRate: 25 },
  ENTERPRISE: { bucketSize: 1_000, restoreRate: 50 },
  BANK: { bucketSize: 2_000, restoreRate: 100 },
  REGULATOR: { bucketSize: 2_000, restoreRate: 100 },
  ADMIN: { bucketSize: 1_000, restoreRate: 50 },
};

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{0,64}$/, 'letters, digits and : . - _ only')
    .default('cel:'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_LOGIN: z.string().min(3).optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  SEED_DEMO: flag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ENABLE_INTROSPECTION: flag.optional(),
  CORS_ORIGINS: z.string().default(''),
  /** Proxies in front of the server: a hop count, or comma-separated addresses/CIDRs. Unset: none. */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d+|[\d.:a-fA-F/, ]+)$/, 'a hop count or addresses/CIDRs')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  /** How long a request waits for a pooled database connection before failing (no hang when the pool is exhausted). */
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** Read replicas (comma-separated postgres:// URLs) for reads outside transactions; docs/deployment.md. */
  DATABASE_REPLICA_URLS: z
    .string()
    .regex(/^(postgres(ql)?:\/\/[^,\s]+)(\s*,\s*postgres(ql)?:\/\/[^,\s]+)*$/, 'comma-separated postgres:// URLs')
    .optional(),
  /** How long a SIGTERM waits for in-flight requests before the process gives up and exits. */
  ROW_SECURITY: flag.optional(),
  GRAPHQL_JIT: flag.optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(25_000),
  /** How often the statistics deltas are folded into the rollup; 0 = never (tests compact by hand). */
  STATISTICS_COMPACT_MS: z.coerce.number().int().min(0).default(60_000),
  // Hostile-query limits and the cost-based rate limit: docs/hardening.md.
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).max(1_000).default(DEFAULT_QUERY_LIMITS.maxAliases),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1_000).default(DEFAULT_QUERY_LIMITS.maxDirectives),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_QUERY_LIMITS.maxTokens),
  QUERY_MAX_COST: z.coerce.number().int().min(1).default(DEFAULT_QUERY_LIMITS.maxCost),
  // Webhooks for bank systems: docs/webhooks.md.
  WEBHOOK_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_ALLOW_HTTP_LOOPBACK: flag.optional(),
  ...rateLimitSettings(),
});

function rateLimitSettings() {
  return Object.fromEntries(
    RATE_LIMIT_ROLES.flatMap((role) => [
      [`RATE_LIMIT_${role}_BUCKET`, z.coerce.number().int().min(1).default(DEFAULT_BUCKETS[role].bucketSize)],
      [`RATE_LIMIT_${role}_RESTORE`, z.coerce.number().positive().default(DEFAULT_BUCKETS[role].restoreRate)],
    ]),
  ) as Record<`RATE_LIMIT_${RateLimitRole}_${'BUCKET' | 'RESTORE'}`, z.ZodDefault<z.ZodCoercedNumber>>;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** Unset: the server starts an embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  databasePoolMax: number;
  redisUrl?: string;
  /** Namespace of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  jwtSecret: string;
  admin?: { login: string; password: string };
  seedDemo: boolean;
  logLevel: string;
  introspection: boolean;
  corsOrigins: string[];
  /** What Fastify may believe of X-Forwarded-For (the client address drives login throttling). */
  trustProxy: string[] | false;
  dataDir: string;
  databaseAcquireTimeoutMs: number;
  databaseReplicaUrls?: string[];
  shutdownTimeoutMs: number;
  /**
   * Row-level security on the serving sessions (docs/row-level-security.md). Only bench/ turns it
   * off, to measure what it costs; production refuses that. Absent: on.
   */
  rowSecurity?: boolean;
  /** Execute with graphql-jit (src/server/jit-gateway.ts); on unless GRAPHQL_JIT=off. */
  graphqlJit?: boolean;
  /** Period of statistics_compact() (docs/statistics.md, "The rollup"); 0 turns it off. */
  statisticsCompactMs: number;
  /** Absent (a config built by hand, e.g. in bench/): DEFAULT_QUERY_LIMITS. */
  queryLimits?: QueryLimits;
  /** Per kind of principal; absent: DEFAULT_BUCKETS. In Redis when redisUrl is set, else in this process. */
  rateLimits?: Record<RateLimitRole, Bucket>;
  /** Absent (a config built by hand): defaultWebhookSettings(env). */
  webhooks?: WebhookSettings;
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  if (e.NODE_ENV === 'production' && e.ROW_SECURITY === false) {
    throw new ConfigError(
      'Invalid configuration:\n  ROW_SECURITY: row-level security cannot be turned off in production',
    );
  }
  if (e.NODE_ENV === 'production' && e.SEED_DEMO) {
    throw new ConfigError(
      'Invalid configuration:\n  SEED_DEMO: demo logins with a published password are refused in production',
    );
  }
  if (e.NODE_ENV === 'production' && e.WEBHOOK_ALLOW_HTTP_LOOPBACK) {
    throw new ConfigError(
      'Invalid configuration:\n  WEBHOOK_ALLOW_HTTP_LOOPBACK: plain-HTTP webhooks are refused in production',
    );
  }
  if (Boolean(e.ADMIN_LOGIN) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_LOGIN and ADMIN_PASSWORD go together');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    jwtSecret: e.JWT_SECRET ?? developmentSecret(e.DATA_DIR),
    admin: e.ADMIN_LOGIN && e.ADMIN_PASSWORD ? { login: e.ADMIN_LOGIN, password: e.ADMIN_PASSWORD } : undefined,
    // Demo data goes only where nobody's real data can be: the embedded database, unless asked.
    seedDemo: e.SEED_DEMO ?? (!e.DATABASE_URL && e.NODE_ENV !== 'production'),
    logLevel: e.LOG_LEVEL,
    introspection: e.NODE_ENV !== 'production' || e.ENABLE_INTROSPECTION === true,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: e.TRUST_PROXY
      ? e.TRUST_PROXY.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : false,
    dataDir: e.DATA_DIR,
    statisticsCompactMs: e.STATISTICS_COMPACT_MS,
    databaseAcquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    databaseReplicaUrls: e.DATABASE_REPLICA_URLS?.split(',').map((url) => url.trim()),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    rowSecurity: e.ROW_SECURITY ?? true,
    graphqlJit: e.GRAPHQL_JIT ?? true,
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxCost: e.QUERY_MAX_COST,
    },
    webhooks: {
      ...defaultWebhookSettings(e.NODE_ENV),
      pollMs: e.WEBHOOK_POLL_MS,
      batchSize: e.WEBHOOK_BATCH_SIZE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      allowHttpLoopback: e.WEBHOOK_ALLOW_HTTP_LOOPBACK ?? e.NODE_ENV !== 'production',
    },
    rateLimits: Object.fromEntries(
      RATE_LIMIT_ROLES.map((role) => [
        role,
        { bucketSize: e[`RATE_LIMIT_${role}_BUCKET`], restoreRate: e[`RATE_LIMIT_${role}_RESTORE`] },
      ]),
    ) as Record<RateLimitRole, Bucket>,
  };
}

/** Outside production a missing JWT_SECRET is generated once and kept, so restarts keep sessions valid. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
