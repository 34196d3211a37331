import { Field, ObjectType, type ClassType } from 'type-graphql';
import type { Result, UserError } from '../services/user-error';
import { UserErrorType } from './user-error.type';

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

/**
 * The contract's most common payload: one nullable object and userErrors, e.g.
 * `CreateUserPayload { user: User, userErrors: [UserError!]! }`.
 */
export function SingleResultPayload(name: string, field: string, type: ClassType) {
  @ObjectType(name)
  class Payload {
    @Field(() => [UserErrorType])
    userErrors!: UserErrorType[];
  }
  Field(() => type, { nullable: true })(Payload.prototype, field);
  return Payload;
}
