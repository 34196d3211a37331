import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { InvalidCredentialsError, authenticate } from '../auth/authenticate';
import { isSignedIn } from '../auth/viewer';
import { beginScoped } from '../db/row-security';
import { createLoaders } from '../loaders';
import type { DomainEventOf, DomainEventType } from '../services/events';
import { createContext, type ContextDeps } from './context-factory';
import type { GraphQLContext } from './context';
import { formatError, isInternal } from './errors';
import { endRequestTransaction } from './request-transaction';
import { priceOperation, takeFromBucket } from './cost-plugin';
import { MAX_BODY_BYTES, limitErrorFormat, limitValidationRules, parseOptions, type QueryLimits } from './query-limits';
import { principalOf, type CostLimiter, type Principal } from './rate-limit';

/** Reads `authorization` from connectionParams, whatever its case (GraphiQL sends `Authorization`). */
function credentialOf(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  const entry = Object.entries(params).find(
    ([k]) => k.toLowerCase() === 'authorization' || k.toLowerCase() === 'x-api-key',
  );
  if (!entry || typeof entry[1] !== 'string') return null;
  const value = entry[1].trim();
  return /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : value;
}

/**
 * graphql-ws on the same path as HTTP. A connection must authenticate in its connectionParams;
 * without valid credentials it is closed with 4401 before any subscription starts. Operations pass
 * the same limits as over HTTP, and are charged to the same bucket (docs/hardening.md).
 */
export function attachSubscriptions(
  server: Server,
  schema: GraphQLSchema,
  deps: ContextDeps,
  limits: QueryLimits,
  limiter: CostLimiter,
) {
  // The same 1 MiB as an HTTP body (ws would take 100 MiB): a larger message closes the socket (1009).
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_BODY_BYTES });
  const rules = [...specifiedRules, ...limitValidationRules(limits)];
  /** Who each open socket authenticated as, for the rate limit of its operations. */
  const principals = new WeakMap<object, Principal>();
  const disposable = useServer(
    {
      schema,
      // Each operation passes what an HTTP one does, before anything runs: the token limit while
      // parsing, depth/alias/directive validation, input caps, the cost limit, and the principal's
      // bucket (a subscription is charged once, when it starts).
      onSubscribe: async (ctx, _id, payload) => {
        try {
          // Coded as Apollo codes them over HTTP, so the same formatting applies.
          const document = coded(() => parse(payload.query, parseOptions(limits)), 'GRAPHQL_PARSE_FAILED');
          const errors = validate(schema, document, rules).map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
          if (errors.length) return errors;
          const operation = getOperationAST(document, payload.operationName);
          const variables = payload.variables ?? {};
          const requested = priceOperation({ schema, document, operation, variables });
          const principal = principals.get(ctx.extra.socket);
          if (requested !== null && principal) {
            await takeFromBucket(limiter, limits.maxCost, principal, deps.logger, requested);
          }
          return { schema, document, operationName: payload.operationName, variableValues: variables };
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
      },
      onConnect: async (ctx) => {
        try {
          const em = deps.orm.em.fork();
          const viewer = await authenticate(credentialOf(ctx.connectionParams), {
            em,
            tokens: deps.tokens,
            now: deps.now(),
          });
          if (isSignedIn(viewer)) {
            principals.set(ctx.extra.socket, principalOf(viewer, ctx.extra.request.socket.remoteAddress ?? 'unknown'));
            return true;
          }
        } catch (err) {
          if (!(err instanceof InvalidCredentialsError)) throw err;
        }
        ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        return false;
      },
      context: async (ctx) => {
        const request = {
          credential: credentialOf(ctx.connectionParams),
          requestId: randomUUID(),
          ip: ctx.extra.request.socket.remoteAddress ?? 'unknown',
          sql: { statements: 0 },
        };
        try {
          const ctx = await createContext(deps, request);
          ctx.credentialStillValid = () =>
            authenticate(request.credential, { em: deps.orm.em.fork(), tokens: deps.tokens, now: deps.now() }).then(
              () => true,
              (err: unknown) => {
                if (err instanceof InvalidCredentialsError) return false;
                // The check could not be made (a database error): the event's own load decides.
                ctx.logger.warn({ err }, 'subscription credential not re-checked');
                return true;
              },
            );
          return ctx;
        } catch (err) {
          // The credential lapsed after the connection opened (access tokens last 15 minutes). The
          // operation runs anonymous, so the access guard answers it UNAUTHENTICATED, instead of
          // the whole socket closing with 4500.
          if (!(err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED')) throw err;
          return createContext(deps, { ...request, credential: null });
        }
      },
      // The same masking as over HTTP: client errors keep their code, anything else says nothing.
      onNext: (_ctx, _id, _payload, args, result) =>
        result.errors ? { ...result, errors: format(result.errors, args.contextValue as GraphQLContext) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors, undefined),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code },
  });
}

function coded<T>(work: () => T, code: string): T {
  try {
    return work();
  } catch (err) {
    throw err instanceof GraphQLError ? withCode(err, code) : err;
  }
}

function format(errors: readonly GraphQLError[], ctx: GraphQLContext | undefined): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = limitErrorFormat(error.toJSON(), error);
    if (isInternal(formatted, error)) {
      ctx?.logger.error({ err: error.originalError ?? error, path: error.path }, 'internal error in a subscription');
    }
    return formatError(formatted, error);
  });
}

/** Events queued for one slow subscriber before the oldest are dropped. */
const MAX_QUEUED_EVENTS = 1_000;

export interface EventStreamOptions<T extends DomainEventType, R> {
  /** Cheap test on the event alone (its parties), before any query: false drops it. */
  admits(event: DomainEventOf<T>): boolean;
  /** The row as this subscriber may see it, or null to deliver nothing. */
  load(ctx: GraphQLContext, event: DomainEventOf<T>): Promise<R | null>;
}

/**
 * One subscription's events as an async iterator, for type-graphql's `subscribe`.
 *
 * graphql-ws builds a context per operation and executes every event with it, so before each
 * event the context gets a fresh entity manager and loaders: nothing read for an earlier event
 * (an identity map, a DataLoader cache) can answer for this one. Events are loaded one at a time,
 * when the consumer asks for the next one, so the context is never shared by two events.
 * `return()` (client unsubscribe, socket closed, server shutdown) removes the bus listener.
 */
export function eventStream<T extends DomainEventType, R>(
  ctx: GraphQLContext,
  type: T,
  options: EventStreamOptions<T, R>,
): AsyncIterableIterator<R> {
  const scoped = ctx.rowSecurity;
  const queue: DomainEventOf<T>[] = [];
  let wake: (() => void) | undefined;
  let finished = false;

  const unsubscribe = ctx.events.subscribe(type, (event) => {
    if (finished || !options.admits(event)) return;
    if (queue.length >= MAX_QUEUED_EVENTS) {
      queue.shift();
      ctx.logger.warn({ event: type }, 'slow subscriber: oldest queued event dropped');
    }
    queue.push(event);
    wake?.();
  });

  const finish = () => {
    if (finished) return;
    finished = true;
    unsubscribe();
    queue.length = 0;
    wake?.();
  };

  const done = (): IteratorResult<R> => ({ value: undefined, done: true });

  const endEvent = () => endRequestTransaction(ctx, false);

  return {
    async next() {
      while (!finished) {
        await endEvent();
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        // A token that expired or an API key revoked since the subscription started ends it: the
        // client reconnects with a fresh credential (tokens last 15 minutes).
        if (ctx.credentialStillValid && !(await ctx.credentialStillValid())) {
          finish();
          throw new GraphQLError('凭证已过期或已撤销，请使用新的凭证重新订阅', {
            extensions: { code: 'UNAUTHENTICATED' },
          });
        }
        ctx.em = ctx.em.fork({ clear: true });
        ctx.loaders = createLoaders(ctx);
        let row: R | null;
        try {
          // The event's reads (its load, then graphql-ws executing the selection) run in one
          // transaction with the subscriber's viewer stated; the next call to next() ends it.
          if (scoped) ctx.transaction.scope = await beginScoped(ctx.em, ctx.viewer);
          row = await options.load(ctx, event);
        } catch (err) {
          // One event lost is better than a subscription torn down by a passing database error.
          ctx.logger.error({ err, event: type }, 'subscription event skipped');
          continue;
        }
        if (row !== null && !finished) return { value: row, done: false };
      }
      await endEvent();
      return done();
    },
    async return() {
      finish();
      await endEvent();
      return done();
    },
    async throw(err: unknown) {
      finish();
      await endEvent();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
