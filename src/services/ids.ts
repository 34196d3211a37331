const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs; anything else cannot name a row. Checking first turns a malformed id into the
 * usual NOT_FOUND instead of a database cast error.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A PostgreSQL array literal for one `?::type[]` parameter. The query builder would otherwise
 * spread a JS array into a list of parameters; one literal keeps the statement the same
 * whatever the number of values.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
