import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type OperationDefinitionNode } from 'graphql';

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://xinyidai.example.cn/graphql`. */
  url: string;
  /** An access token from `login`, or a bank's API key; sent as `Authorization: Bearer …`. */
  token?: string;
  /** Another fetch (a proxy agent, a test double); the global one by default. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /**
   * For a mutation: the key that makes retries safe (docs/idempotency.md). Make one per business
   * operation and send it with every retry of that operation; a new key would run the mutation again.
   * When omitted, a fresh UUID is used, which protects nothing across retries.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The server answered with errors (authentication, permission, not found, bad input, a retryable conflict). */
// Plain fields rather than constructor parameter properties, so the file also runs under type stripping
// (Node's --experimental-strip-types, `erasableSyntaxOnly`) in an integrator's project.
export class GraphQLRequestError extends Error {
  /** The HTTP status: 200 for most GraphQL errors, 4xx/5xx for refused requests and outages. */
  readonly status: number;
  readonly errors: GraphQLErrorBody[];
  /** Whatever data came with the errors (fields that did resolve). */
  readonly data: unknown;

  constructor(status: number, errors: GraphQLErrorBody[], data: unknown) {
    super(errors.map((e) => (e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message)).join('; '));
    this.name = 'GraphQLRequestError';
    this.status = status;
    this.errors = errors;
    this.data = data;
  }

  /** The first error's `extensions.code`, e.g. UNAUTHENTICATED, FORBIDDEN, CONFLICT. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** Operations without variables (or with only optional ones) may leave them out. */
type VariablesArgument<TVariables> =
  Record<string, never> extends TVariables
    ? [variables?: TVariables, options?: RequestOptions]
    : [variables: TVariables, options?: RequestOptions];

/**
 * Sends one operation and returns its data, typed by the document (client/src/graphql.ts). Throws
 * GraphQLRequestError when the answer carries errors, and the fetch error when the network fails.
 */
export async function request<TData, TVariables>(
  client: ClientOptions,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables, options = {}]: VariablesArgument<TVariables>
): Promise<TData> {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  };
  if (client.token) headers.Authorization = `Bearer ${client.token}`;
  if (operation?.operation === 'mutation') headers['Idempotency-Key'] = options.idempotencyKey ?? crypto.randomUUID();

  const response = await (client.fetch ?? fetch)(client.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: print(document), operationName: operation?.name?.value, variables }),
    signal: options.signal,
  });
  const body = (await response.json().catch(() => null)) as { data?: TData | null; errors?: GraphQLErrorBody[] } | null;
  if (!body) {
    throw new GraphQLRequestError(
      response.status,
      [{ message: `HTTP ${response.status} without a GraphQL body` }],
      null,
    );
  }
  if (body.errors?.length || body.data == null) {
    throw new GraphQLRequestError(response.status, body.errors ?? [{ message: 'no data' }], body.data ?? null);
  }
  return body.data;
}
