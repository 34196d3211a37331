import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import { knex, type Knex } from '@mikro-orm/knex';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { credentialFrom, InvalidCredentialsError } from '../auth/authenticate';
import { LoginThrottle } from '../auth/login-throttle';
import { AccessTokens } from '../auth/tokens';
import { DEFAULT_BUCKETS, DEFAULT_QUERY_LIMITS, defaultWebhookSettings, type Config } from '../config';
import { runWithSqlCounter } from '../db/sql-counter';
import { buildAppSchema } from '../schema/build-schema';
import { createServices } from '../services';
import { createContext, type ContextDeps } from './context-factory';
import type { GraphQLContext } from './context';
import { costPlugin } from './cost-plugin';
import { formatError, isInternal } from './errors';
import { GRAPHIQL_CSP, graphiqlPage, registerGraphiqlAssets } from './graphiql';
import { registerHealthRoutes } from './health';
import { Metrics } from './metrics';
import { LIMIT_CODES, MAX_BODY_BYTES, limitErrorFormat, limitValidationRules, parseOptions } from './query-limits';
import { CostLimiter } from './rate-limit';
import { createRedis } from './redis';
import { attachSubscriptions } from './subscriptions';
import { LocalEventBus, type EventBus } from '../services/events';
import { startStatisticsCompactor } from '../services/statistics/compaction';
import { WebhookDeliveryWorker } from '../services/webhooks/delivery-worker';
import { idempotencyPlugin } from './idempotency';
import { RedisEventBus } from './redis-event-bus';
import { jitGateway } from './jit-gateway';
import { endRequestTransaction, requestTransactionPlugin } from './request-transaction';

export interface AppOptions {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  /** The clock every service reads; tests pass one they can move. */
  now?: () => Date;
}

export interface App {
  fastify: FastifyInstance;
  /** Committed changes, fanned out to subscribers (through Redis across instances when configured). */
  events: EventBus;
  /** Sends queued webhook deliveries (docs/webhooks.md); tests drive it with runOnce()/drain(). */
  webhooks: WebhookDeliveryWorker;
  listen(): Promise<string>;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    sql: { statements: number };
    /** The GraphQL context built for this request, so the handler can end its transaction. */
    graphql?: GraphQLContext;
  }
}

/** What a client gets when the request's transaction failed to commit after the response was built. */
const NOT_COMMITTED = JSON.stringify({
  errors: [{ message: '服务器内部错误，请稍后重试', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
});

/** Logs the errors that will reach the client masked, with the request id to find them by. */
function errorLogger(): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart: async () => ({
      didEncounterErrors: async ({ errors, contextValue }) => {
        for (const error of errors) {
          if (isInternal(error.toJSON(), error) && !LIMIT_CODES.has(String(error.extensions.code))) {
            contextValue?.logger?.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
          }
        }
      },
      willSendResponse: async ({ response, contextValue }) => {
        if (contextValue?.sql) response.http.headers.set('x-sql-statements', String(contextValue.sql.statements));
      },
    }),
  };
}

/** Two connections like the ORM's (same database, role and session settings), outside its pool. */
function sidePool(orm: MikroORM): Knex {
  const { afterCreate } = orm.config.get('pool') as { afterCreate?: unknown };
  return knex({
    client: 'pg',
    connection: orm.config.get('clientUrl'),
    pool: { min: 0, max: 2, afterCreate } as Knex.PoolConfig,
    acquireConnectionTimeout: orm.config.get('pool')?.acquireTimeoutMillis,
  });
}

export async function createApp({ config, orm, logger, now = () => new Date() }: AppOptions): Promise<App> {
  const fastify = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: config.env === 'test' }),
    genReqId: () => randomUUID(),
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: config.trustProxy,
  });
  fastify.decorateRequest('sql', null as never);
  fastify.addHook('onRequest', async (req, reply) => {
    // An arbitrary client-sent id is fine for correlation, but not as a log-injection vector.
    if (!/^[\w.:-]{1,128}$/.test(req.id)) req.id = randomUUID();
    reply.header('x-request-id', req.id);
  });

  await fastify.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: false,
    allowedHeaders: [
      'content-type',
      'authorization',
      'x-api-key',
      'x-request-id',
      'idempotency-key',
      'apollo-require-preflight',
    ],
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  // Responses are JSON: nothing in them may load, frame or submit anything. The IDE route sends its own CSP.
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });

  const metrics = new Metrics(orm);
  const tokens = new AccessTokens(config.jwtSecret);
  // Shared by every instance: Redis when configured, else the database everyone already shares.
  const redis = config.redisUrl ? createRedis(config.redisUrl, logger) : undefined;
  // Without Redis the login throttle counts in PostgreSQL, beside the request's transaction, not in
  // it (a failed login must count even though nothing else of the request commits): on a small
  // pool of its own, or a burst of logins would each hold a connection while waiting for another.
  const throttleKnex = redis ? undefined : sidePool(orm);
  const throttle = new LoginThrottle(redis ? { redis, prefix: config.redisPrefix } : { knex: throttleKnex! });
  const webhookSettings = config.webhooks ?? defaultWebhookSettings(config.env);
  const services = createServices({ tokens, throttle, webhookUrls: webhookSettings });
  const events: EventBus = redis ? new RedisEventBus(redis, config.redisPrefix, logger) : new LocalEventBus(logger);
  const limits = config.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const costLimiter = new CostLimiter(
    config.rateLimits ?? DEFAULT_BUCKETS,
    redis ? { redis, prefix: config.redisPrefix } : undefined,
  );
  const deps: ContextDeps = { orm, services, tokens, logger, now, events, rowSecurity: config.rowSecurity !== false };
  const schema = await buildAppSchema();

  const apollo = new ApolloServer<GraphQLContext>({
    ...(config.graphqlJit ? { gateway: jitGateway(schema) } : { schema }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM: Apollo's own handler would drain through Fastify and cut requests after 10 s.
    stopOnTerminationSignals: false,
    // Apollo's default, stated: one operation per request, so the cost and rate limits see each one.
    allowBatchedHttpRequests: false,
    validationRules: limitValidationRules(limits),
    parseOptions: parseOptions(limits),
    formatError: (formatted, error) => {
      const limited = limitErrorFormat(formatted, error);
      return LIMIT_CODES.has(String(limited.extensions?.code)) ? limited : formatError(limited, error);
    },
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL responses here; the default plugin would hook every field.
      ApolloServerPluginCacheControlDisabled(),
      metrics.plugin(),
      // Refuses in didResolveOperation, before idempotency claims a key (responseForOperation); listed
      // first so extensions.cost is in place when the idempotency plugin stores the answer.
      costPlugin(costLimiter, limits.maxCost),
      idempotencyPlugin(),
      ...(config.rowSecurity === false ? [] : [requestTransactionPlugin()]),
      errorLogger(),
    ],
  });
  await apollo.start();

  const apolloHandler = fastifyApolloHandler(apollo, {
    context: async (req: FastifyRequest) => {
      req.graphql = await createContext(deps, {
        credential: safeCredential(req),
        requestId: req.id,
        ip: req.ip,
        sql: req.sql,
      });
      return req.graphql;
    },
  });

  /** Apollo's answer, sent only once the operation's transaction has committed (request-transaction.ts). */
  async function handleGraphQL(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
    let body: unknown;
    try {
      body = await apolloHandler.call(this, req as never, reply as never);
    } catch (err) {
      await endRequestTransaction(req.graphql, true);
      throw err;
    }
    if (await endRequestTransaction(req.graphql, false)) return body;
    return reply.code(500).type('application/json; charset=utf-8').send(NOT_COMMITTED);
  }

  registerGraphiqlAssets(fastify);
  registerHealthRoutes(fastify, orm, metrics);

  fastify.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    handler(req, reply) {
      if (req.method === 'GET' && wantsIde(req)) {
        return reply
          .header('content-security-policy', GRAPHIQL_CSP)
          .type('text/html; charset=utf-8')
          .send(graphiqlPage({ endpoint: '/graphql', title: '信易贷 GraphQL API' }));
      }
      req.sql = { statements: 0 };
      return runWithSqlCounter(req.sql, () => handleGraphQL.call(this, req, reply));
    },
  });

  const subscriptions = attachSubscriptions(fastify.server, schema, deps, limits, costLimiter);
  const stopCompactor =
    config.statisticsCompactMs > 0
      ? startStatisticsCompactor(orm.em.fork(), logger, config.statisticsCompactMs)
      : async () => undefined;

  // The worker sends as SYSTEM on the server's own pool; it polls only while the server listens.
  const webhooks = new WebhookDeliveryWorker({ orm, logger, settings: webhookSettings, now });

  return {
    fastify,
    events,
    webhooks,
    async listen() {
      webhooks.start();
      return fastify.listen({ port: config.port, host: config.host });
    },
    async close() {
      await webhooks.stop();
      await stopCompactor();
      await subscriptions.close();
      await events.close();
      await fastify.close(); // stops accepting, waits for in-flight requests, then drains Apollo
      await throttleKnex?.destroy();
      redis?.disconnect();
    },
  };
}

/** Browsers navigating to /graphql get the IDE; API clients (and GET queries) get GraphQL. */
function wantsIde(req: FastifyRequest): boolean {
  const query = req.query as Record<string, unknown> | undefined;
  return !query?.query && (req.headers.accept ?? '').includes('text/html');
}

/** A malformed Authorization header is reported by the context builder as UNAUTHENTICATED. */
function safeCredential(req: FastifyRequest): string | null {
  try {
    return credentialFrom(req.headers);
  } catch (err) {
    if (err instanceof InvalidCredentialsError) return 'malformed-credential';
    throw err;
  }
}
