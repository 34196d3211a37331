import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { QueryLimits } from '../config';

export type { QueryLimits } from '../config';

/**
 * The codes of the refusals below (docs/hardening.md). graphql-armor reports through
 * ValidationContext; Apollo then re-codes every validation error GRAPHQL_VALIDATION_FAILED,
 * so limitErrorFormat() restores the specific code from the original error.
 */
export const LIMIT_CODES = new Set([
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_COSTLY',
  'RATE_LIMITED',
]);

/** An HTTP request body, and a WebSocket message: more than any legitimate operation needs. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Leaf lists in arguments (filters, ids): no legitimate filter names a thousand values. */
export const MAX_LIST_ITEMS = 1_000;
/**
 * What no text column can hold: NUL (PostgreSQL refuses it in text) and a lone UTF-16 surrogate
 * (not Unicode at all; it would be stored as U+FFFD, and differ from what was sent).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Above every per-field cap of the services (the longest, a policy body, is 50,000 characters). */
export const MAX_STRING_CHARS = 100_000;

function armorReporter(code: string, what: string) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const [, limit, found] = /limit of (\d+) exceeded, found (\d+)/.exec(error.message) ?? [];
    ctx?.reportError(
      new GraphQLError(`${what}超过上限 ${limit}（实际 ${found}）`, {
        extensions: { code, limit: Number(limit), found: Number(found) },
      }),
    );
  };
}

/** graphql-armor's depth, alias and directive limits, as validation rules (cost and tokens are done elsewhere). */
export function limitValidationRules(limits: QueryLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return new ApolloArmor({
    blockFieldSuggestion: { enabled: false }, // limitErrorFormat() hides suggestions from every error kind
    costLimit: { enabled: false }, // query-cost.ts: armor's cost model does not multiply by `first`
    maxTokens: { enabled: false }, // graphql-js counts tokens while parsing: parseOptions()
    maxDepth: {
      ...common,
      n: limits.maxDepth,
      ignoreIntrospection: true,
      onReject: [armorReporter('QUERY_TOO_DEEP', '查询深度')],
    },
    maxAliases: { ...common, n: limits.maxAliases, onReject: [armorReporter('TOO_MANY_ALIASES', '别名数量')] },
    maxDirectives: {
      ...common,
      n: limits.maxDirectives,
      onReject: [armorReporter('TOO_MANY_DIRECTIVES', '指令数量')],
    },
  }).protect().validationRules;
}

/** The parser stops counting at the limit, so a huge document costs no more than a small one. */
export function parseOptions(limits: QueryLimits) {
  return { maxTokens: limits.maxTokens };
}

// graphql-js 16 spells it "more that"; accept the fixed spelling too.
const TOKENS = /Document contains more th(?:at|an) (\d+) tokens/;
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Runs before the general formatError: gives the limit refusals their own code and message, and
 * strips "Did you mean …?" from every message, so the schema cannot be mapped by guessing names.
 */
export function limitErrorFormat(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (LIMIT_CODES.has(String(formatted.extensions?.code))) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof GraphQLError && LIMIT_CODES.has(String(original.extensions.code))) {
    const { http: _http, ...extensions } = original.extensions;
    return { message: original.message, locations: formatted.locations, extensions };
  }
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' ? TOKENS.exec(formatted.message) : null;
  if (tokens) {
    return {
      message: `查询文档的词法单元超过上限 ${tokens[1]}`,
      extensions: { code: 'TOO_MANY_TOKENS', limit: Number(tokens[1]) },
    };
  }
  const message = formatted.message.replace(SUGGESTION, '');
  return message === formatted.message ? formatted : { ...formatted, message: message.trim() };
}

interface Cap {
  message: string;
  /** The number exceeded, when the refusal is about a size. */
  limit?: number;
}

/** The first value over a cap, walking the value with its input type. */
function overCap(value: unknown, type: GraphQLInputType, name: string): Cap | null {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (typeof value === 'string' && value.length > MAX_STRING_CHARS) {
    return { message: `参数 ${name} 不能超过 ${MAX_STRING_CHARS} 个字符`, limit: MAX_STRING_CHARS };
  }
  if (typeof value === 'string' && UNSTORABLE.test(value)) {
    return { message: `参数 ${name} 含有不允许的字符（NUL 或不成对的 UTF-16 代理项）` };
  }
  if (isListType(inner) && Array.isArray(value)) {
    if (isLeafType(getNamedType(inner)) && value.length > MAX_LIST_ITEMS) {
      return { message: `参数 ${name} 最多 ${MAX_LIST_ITEMS} 项`, limit: MAX_LIST_ITEMS };
    }
    for (const item of value) {
      const cap = overCap(item, inner.ofType as GraphQLInputType, name);
      if (cap) return cap;
    }
  } else if (isInputObjectType(inner) && value !== null && typeof value === 'object') {
    const fields = inner.getFields();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      const cap = field ? overCap(v, field.type, `${name}.${key}`) : null;
      if (cap) return cap;
    }
  }
  return null;
}

/**
 * Caps every argument value of the document (literals and variables alike), throwing
 * BAD_USER_INPUT naming the cap: leaf lists at MAX_LIST_ITEMS, strings at MAX_STRING_CHARS.
 * Lists of input objects (credit records, whitelist entries) are capped by their services,
 * which answer with a userError.
 */
export function checkInputCaps(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>) {
  const typeInfo = new TypeInfo(schema);
  let refusal: GraphQLError | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (!arg || refusal) return;
        const cap = overCap(valueFromAST(node.value, arg.type, variables), arg.type, arg.name);
        if (cap) {
          refusal = new GraphQLError(cap.message, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT', limit: cap.limit, http: { status: 400 } },
          });
        }
      },
    }),
  );
  if (refusal) throw refusal;
}
