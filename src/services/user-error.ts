import type { z } from 'zod';

/** Business-rule failures travel as data (the payload's userErrors), never as exceptions. */
export enum UserErrorCode {
  INVALID = 'INVALID',
  NOT_FOUND = 'NOT_FOUND',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  INVALID_STATE = 'INVALID_STATE',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  EXPIRED = 'EXPIRED',
  CONFLICT = 'CONFLICT',
}

export interface UserError {
  /** Path from the argument, e.g. ['input', 'uscc']. */
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail<T = never>(code: UserErrorCode, message: string, field?: string[] | null): Result<T> {
  return { ok: false, errors: [{ code, message, field: field ?? null }] };
}

export function failMany<T = never>(errors: UserError[]): Result<T> {
  return { ok: false, errors };
}

/** Validates a mutation input with a zod schema; each issue becomes an INVALID userError at ['input', …path]. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return failMany(
    parsed.error.issues.map((issue) => ({
      code: UserErrorCode.INVALID,
      message: issue.message,
      field: ['input', ...issue.path.map(String)],
    })),
  );
}
