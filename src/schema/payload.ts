import type { Result, UserError } from '../services/user-error';

/**
 * Shapes a service result as a mutation payload: the value's fields on success, userErrors
 * (and nulls) on failure. `onFailure` supplies the payload's non-null fields when there are any.
 */
export function toPayload<T, P extends object>(
  result: Result<T>,
  onSuccess: (value: T) => P,
  onFailure: Partial<P> = {},
): Partial<P> & { userErrors: UserError[] } {
  return result.ok ? { ...onSuccess(result.value), userErrors: [] } : { ...onFailure, userErrors: result.errors };
}
