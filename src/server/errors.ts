import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { PUBLIC_ERROR_CODES } from '../auth/errors';
import { BadInputError, ForbiddenError, NotFoundError } from '../services/errors';

/** Domain exceptions the services may throw, and the public code each becomes. */
function codeOf(error: unknown): string | undefined {
  if (error instanceof BadInputError) return 'BAD_USER_INPUT';
  if (error instanceof NotFoundError) return 'NOT_FOUND';
  if (error instanceof ForbiddenError) return 'FORBIDDEN';
  return undefined;
}

/** True when an error is a bug or an outage rather than something the client did. */
export function isInternal(formatted: GraphQLFormattedError, error: unknown): boolean {
  const code = formatted.extensions?.code;
  return !codeOf(unwrapResolverError(error)) && !(typeof code === 'string' && PUBLIC_ERROR_CODES.has(code));
}

/**
 * Client errors keep their message and code; everything else becomes a bare
 * INTERNAL_SERVER_ERROR with no stack, SQL or message (it is logged with the request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const domainCode = codeOf(original);
  if (domainCode) {
    const argument = original instanceof BadInputError ? original.argument : undefined;
    return {
      message: (original as Error).message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: domainCode, ...(argument ? { argument } : {}) },
    };
  }
  if (!isInternal(formatted, error)) {
    const { stacktrace: _drop, exception: _also, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: '服务器内部错误，请稍后重试',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
