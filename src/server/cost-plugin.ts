import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLContext } from './context';
import { operationCost } from './query-cost';
import { REPLAYED_HEADER } from './idempotency';
import { checkInputCaps } from './query-limits';
import { principalOf, type CostLimiter, type Principal } from './rate-limit';

/** `extensions.cost` of every GraphQL response (docs/hardening.md). */
export interface CostExtension {
  requested: number | null;
  actual: number | null;
  /** remaining is null only when the bucket's store could not be read. */
  limit: { bucketSize: number; remaining: number | null; restoreRate: number };
}

/**
 * Guards each operation once it is resolved and before any resolver runs, in this order: input
 * caps (BAD_USER_INPUT), cost over the maximum (QUERY_TOO_COSTLY), then the principal's bucket
 * (RATE_LIMITED). One plugin, so a refused operation is never charged.
 */
export function costPlugin(limiter: CostLimiter, maxCost: number): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart: async ({ contextValue }) => {
      const principal: Principal = principalOf(contextValue.viewer, contextValue.ip);
      const bucket = limiter.bucket(principal);
      let requested: number | null = null;
      let charged = 0;
      let remaining: number | null = null;
      return {
        didResolveOperation: async ({ schema, document, operation, request }) => {
          requested = priceOperation({ schema, document, operation, variables: request.variables ?? {} });
          if (requested === null) return;
          ({ charged, remaining } = await takeFromBucket(limiter, maxCost, principal, contextValue.logger, requested));
        },
        willSendResponse: async ({ response, operation }) => {
          if (response.body.kind !== 'single') return;
          if (response.http.headers.get(REPLAYED_HEADER) === 'true') {
            // An idempotent replay is the first answer, byte for byte (its cost included); it ran nothing, so it costs 1.
            if (charged > 1) await limiter.refund(principal, charged - 1).catch(() => undefined);
            return;
          }
          const result = response.body.singleResult;
          let actual: number | null = null;
          try {
            if (charged) {
              // Writes keep their price; a read pays for the objects it really returned (Shopify refunds alike).
              actual =
                operation?.operation === 'mutation'
                  ? charged
                  : Math.min(charged, Math.max(1, countObjects(result.data) - 1));
              if (actual < charged) remaining = await limiter.refund(principal, charged - actual);
            }
            remaining ??= await limiter.remaining(principal);
          } catch (err) {
            contextValue.logger.error({ err }, 'rate limiter unavailable');
          }
          const cost: CostExtension = {
            requested,
            actual,
            limit: { bucketSize: bucket.bucketSize, remaining, restoreRate: bucket.restoreRate },
          };
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

/**
 * An operation's price, once it is resolved and before any resolver runs (HTTP and WebSocket
 * alike): input caps first (BAD_USER_INPUT, thrown), then the cost; null without an operation
 * (execution answers OPERATION_RESOLUTION_FAILURE).
 */
export function priceOperation({
  schema,
  document,
  operation,
  variables,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode | undefined | null;
  variables: Record<string, unknown>;
}): number | null {
  checkInputCaps(schema, document, variables);
  if (!operation) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return Math.max(1, operationCost({ schema, operation, fragments, variables }));
}

/**
 * Takes `requested` points from the principal's bucket: over the maximum is QUERY_TOO_COSTLY, an
 * empty bucket RATE_LIMITED (both thrown). A bucket store that fails lets the operation through.
 */
export async function takeFromBucket(
  limiter: CostLimiter,
  maxCost: number,
  principal: Principal,
  logger: { error(obj: object, msg: string): void },
  requested: number,
): Promise<{ charged: number; remaining: number | null }> {
  // A cost no bucket of this principal can ever hold is refused as too costly, not as "wait".
  const ceiling = Math.min(maxCost, limiter.bucket(principal).bucketSize);
  if (requested > ceiling) {
    throw new GraphQLError(`查询成本 ${requested} 超过上限 ${ceiling}，请减少 first 或所选字段`, {
      extensions: { code: 'QUERY_TOO_COSTLY', cost: requested, maxCost: ceiling, http: { status: 400 } },
    });
  }
  const taken = await limiter.consume(principal, requested).catch((err: unknown) => {
    // The limiter's store failing must not take the API down with it: let the operation through.
    logger.error({ err }, 'rate limiter unavailable');
    return null;
  });
  if (!taken) return { charged: 0, remaining: null };
  if (!taken.ok) {
    const seconds = String(taken.retryAfterSeconds);
    throw new GraphQLError(`请求过于频繁，请在 ${seconds} 秒后重试`, {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds: taken.retryAfterSeconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', seconds]]) },
      },
    });
  }
  return { charged: requested, remaining: taken.remaining };
}

/** Objects in a value, itself included (each list element counts): data minus its root is a read's actual cost. */
export function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countObjects(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce((n: number, v) => n + countObjects(v), 1);
}
