import { RATE_LIMIT_ROLES, type Config } from '../../src/config';

/**
 * The application's configuration in the benchmarks: production settings, no compactor, and the
 * cost-based rate limit lifted (one client sending thousands of requests a second is the point;
 * bench/README.md says what the default limits would allow).
 */
export function benchConfig(poolMax: number): Config {
  return {
    env: 'production',
    port: 0,
    host: '127.0.0.1',
    databasePoolMax: poolMax,
    jwtSecret: 'bench-secret-that-is-at-least-32-characters-long',
    seedDemo: false,
    logLevel: 'warn',
    introspection: false,
    corsOrigins: [],
    trustProxy: false,
    redisPrefix: 'cel-bench:',
    dataDir: '.tmp/bench-data',
    statisticsCompactMs: 0,
    // As deployed, graphql-jit executes; BENCH_GRAPHQL_JIT=0 measures graphql-js's executor instead.
    graphqlJit: process.env.BENCH_GRAPHQL_JIT !== '0',
    databaseAcquireTimeoutMs: 10_000,
    shutdownTimeoutMs: 5_000,
    rateLimits: Object.fromEntries(
      RATE_LIMIT_ROLES.map((role) => [role, { bucketSize: 1e12, restoreRate: 1e12 }]),
    ) as Config['rateLimits'],
  };
}
