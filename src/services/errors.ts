/**
 * Malformed arguments a service cannot act on (a cursor that is not ours, a page too large).
 * The GraphQL layer answers these as BAD_USER_INPUT; business-rule failures are userErrors instead.
 */
export class BadInputError extends Error {
  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** The object does not exist or the viewer may not see it: the same answer for both. */
export class NotFoundError extends Error {
  constructor(readonly type: string) {
    super(`${type} 不存在`);
    this.name = 'NotFoundError';
  }
}

/** The viewer may not do this (a row-level refusal the coarse role gate could not see). */
export class ForbiddenError extends Error {
  constructor(message = '无权访问') {
    super(message);
    this.name = 'ForbiddenError';
  }
}
