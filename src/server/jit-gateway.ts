import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/**
 * Apollo Server's gateway hook used for one thing: executing operations with graphql-jit, which
 * compiles each distinct document once into a function per operation instead of interpreting
 * the selection set field by field on every request. Parsing, validation, the limits and every
 * plugin stay Apollo's; only execution changes (subscriptions keep graphql-js's executor).
 * GRAPHQL_JIT=off turns it off; bench/README.md has what it measured.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  // Keyed by the document's text and operation: a client's persisted operations compile once.
  const compiled = new LRUCache<string, CompiledQuery>({ max: 500 });
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async load() {
      return {
        executor: async (request) => {
          const key = `${request.operationName ?? ''}\u0000${request.source}`;
          let query = compiled.get(key);
          if (!query) {
            const result = compileQuery(schema, request.document, request.operationName ?? undefined);
            if (!isCompiledQuery(result)) return result;
            query = result;
            compiled.set(key, query);
          }
          // Variables are checked by graphql-js first: its errors name the variable's definition,
          // which is how Apollo tells a client's bad variable (BAD_USER_INPUT, 400) from a bug.
          const variables = request.request.variables ?? {};
          const checked = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables);
          if (checked.errors) return { errors: checked.errors };
          const result = await query.query(undefined, request.context, variables);
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
        },
      };
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors only look like graphql-js's GraphQLError (they share its prototype) and
 * leave `extensions` undefined where graphql-js always has an object: Apollo's error formatting
 * reads `extensions.code` and fails, answering a bare "Internal server error" instead of the
 * service's code. Rebuilt as graphql-js errors with the same message, path, locations and cause.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  // The declared type is graphql-js's; at run time it is graphql-jit's look-alike.
  const jit = error as Pick<GraphQLError, 'message' | 'path' | 'originalError' | 'extensions' | 'locations'>;
  const rebuilt = new GraphQLError(jit.message, {
    path: jit.path,
    originalError: jit.originalError ?? undefined,
    extensions: jit.extensions,
  });
  Object.defineProperty(rebuilt, 'locations', { value: jit.locations, enumerable: Boolean(jit.locations) });
  return rebuilt;
}
