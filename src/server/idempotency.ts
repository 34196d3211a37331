import { createHash, randomUUID } from 'node:crypto';
import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequestContextResponseForOperation,
  type GraphQLRequestContextWillSendResponse,
  type GraphQLResponse,
} from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FormattedExecutionResult,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { IdempotencyFence } from '../services/request-context';
import { sql } from '../services/sql';
import type { GraphQLContext } from './context';

/**
 * Idempotency-Key on mutations (docs/idempotency.md): banks retry, and a retry must not record a
 * repayment twice. A key is claimed in its own short statement before the mutation runs; the
 * mutation's transaction() marks it COMMITTED in the same transaction as the effect; the response
 * is stored once it is known, and a retry with the same key and the same request replays it.
 */

/** How long a key and its response are kept. Constants here, not config: src/config.ts is not ours to change. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * How long a claim blocks retries while its first attempt has not finished. After that a retry
 * may take over a claim whose effect never committed (its attempt died); a slow first attempt
 * that is taken over is then refused when it tries to commit, so the effect still runs once.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** 1–255 visible ASCII characters (a UUID, a bank's own serial number…). */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Expired rows of the same user deleted per claim: bounded work, and the table cannot grow without end. */
const PURGE_BATCH = 100;
/**
 * Mutations that ignore the key: their responses carry bearer secrets (access and refresh
 * tokens, an API key's secret), which must not be kept in plain text for 24 hours, and the
 * session mutations commit outside transaction(), so nothing could tie the key to their effect.
 */
const KEY_IGNORED = new Set(['login', 'refreshToken', 'logout', 'createApiKey']);

type Status = 'IN_PROGRESS' | 'COMMITTED' | 'COMPLETED';

interface KeyRow {
  fingerprint: string;
  status: Status;
  /** Compared in SQL: the driver returns timestamptz as text. */
  expired: boolean;
  leased: boolean;
  http_status: number | null;
  response: FormattedExecutionResult | null;
}

/**
 * The claim one attempt holds on (user, key): `owner` fences it against a retry that took it over.
 * Exported for the fence's own test.
 */
export class IdempotencyClaim implements IdempotencyFence {
  readonly owner = randomUUID();
  /** Set when transaction() found the key taken over by a retry: this attempt's effect rolled back. */
  lost = false;

  constructor(
    readonly userId: string,
    readonly key: string,
    readonly fingerprint: string,
    readonly operationName: string | null,
    private readonly now: () => Date,
  ) {}

  async markCommitted(em: EntityManager): Promise<void> {
    const marked = await sql(
      em,
      `UPDATE idempotency_key SET status = 'COMMITTED', lease_until = ?
        WHERE user_id = ? AND key = ? AND owner = ? AND status IN ('IN_PROGRESS', 'COMMITTED') RETURNING 1`,
      [leaseEnd(this.now()), this.userId, this.key, this.owner],
    );
    if (!marked.length) {
      this.lost = true;
      throw new Error('Idempotency-Key claim taken over by another attempt');
    }
  }
}

const leaseEnd = (now: Date) => new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);

type Outcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; row: KeyRow }
  | { kind: 'in-progress' }
  | { kind: 'reused' }
  | { kind: 'unavailable' };

export function idempotencyPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let claim: IdempotencyClaim | undefined;
      return {
        async responseForOperation(rc) {
          const request = keyedRequest(rc);
          if (!request || 'http' in request) return request;
          const ctx = rc.contextValue;
          const candidate = new IdempotencyClaim(
            request.userId,
            request.key,
            request.fingerprint,
            rc.operationName ?? null,
            ctx.now,
          );
          let outcome: Outcome;
          try {
            outcome = await claimKey(ctx, candidate);
          } catch (err) {
            // Running without the claim could run the effect twice: refuse instead.
            ctx.logger.error({ err }, 'idempotency key claim failed');
            return errorResponse(500, 'INTERNAL_SERVER_ERROR', '服务器内部错误，请稍后重试');
          }
          switch (outcome.kind) {
            case 'claimed':
              claim = candidate;
              ctx.idempotency = candidate;
              return null;
            case 'replay':
              return replay(outcome.row);
            case 'reused':
              return errorResponse(
                422,
                'IDEMPOTENCY_KEY_REUSED',
                '该 Idempotency-Key 已用于另一个请求（操作或变量不同），新的请求请使用新的键',
              );
            case 'in-progress':
              return errorResponse(409, 'CONFLICT', '使用该 Idempotency-Key 的请求正在处理中，请稍后重试');
            case 'unavailable':
              return errorResponse(
                409,
                'IDEMPOTENCY_RESPONSE_UNAVAILABLE',
                '使用该 Idempotency-Key 的请求已执行，但其响应未能保存；请查询最新状态，不要换用新的键重试',
              );
          }
        },
        async willSendResponse(rc) {
          if (!claim) return;
          try {
            await settle(rc, claim);
          } catch (err) {
            // The claim's lease and COMMITTED mark still answer retries correctly (docs/idempotency.md).
            rc.contextValue.logger.error({ err }, 'idempotency response not stored');
          }
        },
      };
    },
  };
}

/** The key, its owner and the request's fingerprint; null when the key does not apply; a response when it is refused. */
function keyedRequest(
  rc: GraphQLRequestContextResponseForOperation<GraphQLContext>,
): { userId: string; key: string; fingerprint: string } | GraphQLResponse | null {
  if (rc.operation.operation !== OperationTypeNode.MUTATION) return null;
  const key = rc.request.http?.headers.get(IDEMPOTENCY_HEADER.toLowerCase());
  if (key === undefined) return null;
  // Anonymous requests have no principal to scope a key to (see docs/idempotency.md).
  const userId = rc.contextValue.viewer.userId;
  if (!userId) return null;
  const fields = rootFields(rc.document, rc.operation);
  const ignored = fields.filter((name) => KEY_IGNORED.has(name));
  if (ignored.length === fields.length) return null;
  if (ignored.length) {
    return badKey(`请求头 ${IDEMPOTENCY_HEADER} 不能用于同时包含 ${ignored.join('、')} 的操作，请分开发送`);
  }
  if (!KEY_FORMAT.test(key)) return badKey(`请求头 ${IDEMPOTENCY_HEADER} 须为 1 至 255 个可见 ASCII 字符`);
  return { userId, key, fingerprint: fingerprint(rc) };
}

function badKey(message: string): GraphQLResponse {
  return errorResponse(400, 'BAD_USER_INPUT', message, { header: IDEMPOTENCY_HEADER });
}

/** The names of the operation's root fields, through fragments. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const names = new Set<string>();
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...names];
}

/** SHA-256 of the document text, the operation name and the variables with their keys sorted. */
function fingerprint(rc: GraphQLRequestContextResponseForOperation<GraphQLContext>): string {
  const text = JSON.stringify([rc.source, rc.request.operationName ?? null, canonicalJson(rc.request.variables ?? {})]);
  return createHash('sha256').update(text).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Claims (user, key) for this attempt, or says what to answer instead. Every decision that gives
 * an attempt the claim is one conditional statement; the SELECT only chooses which to try.
 */
async function claimKey(ctx: GraphQLContext, claim: IdempotencyClaim): Promise<Outcome> {
  const now = ctx.now();
  for (let attempt = 0; attempt < 3; attempt++) {
    const [row] = await sql<KeyRow>(
      ctx.em,
      `SELECT fingerprint, status, expires_at <= ? AS expired, lease_until > ? AS leased, http_status, response
         FROM idempotency_key WHERE user_id = ? AND key = ?`,
      [now, now, claim.userId, claim.key],
    );
    if (!row) {
      if (await insertClaim(ctx.em, claim, now)) return { kind: 'claimed' };
      continue; // a concurrent first attempt inserted it: read what it wrote
    }
    if (!row.expired) {
      if (row.fingerprint !== claim.fingerprint) return { kind: 'reused' };
      if (row.status === 'COMPLETED') return { kind: 'replay', row };
      if (row.leased) return { kind: 'in-progress' };
      // The effect committed but its response was never stored (the process died in between).
      if (row.status === 'COMMITTED') return { kind: 'unavailable' };
    }
    // Expired, or an IN_PROGRESS claim whose attempt died before committing anything.
    if (await takeOver(ctx.em, claim, now)) return { kind: 'claimed' };
  }
  return { kind: 'in-progress' };
}

async function insertClaim(em: EntityManager, claim: IdempotencyClaim, now: Date): Promise<boolean> {
  const inserted = await sql(
    em,
    `WITH purge AS (
       DELETE FROM idempotency_key WHERE (user_id, key) IN (
         SELECT user_id, key FROM idempotency_key
          WHERE user_id = ? AND expires_at <= ? AND key <> ?
          LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED))
     INSERT INTO idempotency_key
       (user_id, key, fingerprint, operation_name, status, owner, lease_until, expires_at, created_at)
     VALUES (?, ?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?)
     ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`,
    [claim.userId, now, claim.key, ...claimValues(claim, now)],
  );
  return inserted.length > 0;
}

/**
 * Takes over an expired key, or a claim whose lease ran out before its effect committed. SKIP
 * LOCKED: a row locked by a mutation's transaction is being committed right now, so this attempt
 * answers "in progress" instead of waiting for it.
 */
async function takeOver(em: EntityManager, claim: IdempotencyClaim, now: Date): Promise<boolean> {
  const [userId, key, fingerprint, operationName, owner, leaseUntil, expiresAt, createdAt] = claimValues(claim, now);
  const taken = await sql(
    em,
    `UPDATE idempotency_key
        SET fingerprint = ?, operation_name = ?, status = 'IN_PROGRESS', owner = ?, lease_until = ?,
            expires_at = ?, created_at = ?, completed_at = NULL, http_status = NULL, response = NULL
      WHERE (user_id, key) IN (
        SELECT user_id, key FROM idempotency_key
         WHERE user_id = ? AND key = ?
           AND (expires_at <= ? OR (status = 'IN_PROGRESS' AND lease_until <= ? AND fingerprint = ?))
         FOR UPDATE SKIP LOCKED)
      RETURNING 1`,
    [fingerprint, operationName, owner, leaseUntil, expiresAt, createdAt, userId, key, now, now, fingerprint],
  );
  return taken.length > 0;
}

function claimValues(claim: IdempotencyClaim, now: Date) {
  return [
    claim.userId,
    claim.key,
    claim.fingerprint,
    claim.operationName,
    claim.owner,
    leaseEnd(now),
    new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    now,
  ] as const;
}

/**
 * After the attempt that holds the claim: store its response for replays, or give the key back.
 * - an effect committed (COMMITTED): the response is stored, whatever it holds;
 * - nothing committed and no GraphQL errors (a payload with userErrors): stored too, the request
 *   completed and a retry gets the same answer;
 * - nothing committed and GraphQL errors (FORBIDDEN, NOT_FOUND, an outage…): the row is deleted,
 *   so the key is free and a retry runs afresh.
 */
async function settle(
  rc: GraphQLRequestContextWillSendResponse<GraphQLContext>,
  claim: IdempotencyClaim,
): Promise<void> {
  const { response, contextValue: ctx } = rc;
  if (claim.lost) {
    // The mutation threw (masked as an internal error) and rolled back: say what happened.
    const conflict = errorResponse(409, 'CONFLICT', '该 Idempotency-Key 的请求已由另一次重试接手，本次请求未生效');
    response.body = conflict.body;
    response.http.status = conflict.http.status;
    return;
  }
  const owner = [claim.userId, claim.key, claim.owner];
  if (response.body.kind === 'single') {
    const { data, errors, extensions } = response.body.singleResult;
    // Apollo sends the top level in this order; json (not jsonb) keeps the order inside `data`.
    const stored = JSON.stringify({ errors, data, extensions });
    const completed = await sql(
      ctx.em,
      `UPDATE idempotency_key SET status = 'COMPLETED', response = ?::json, http_status = ?, completed_at = ?
        WHERE user_id = ? AND key = ? AND owner = ? AND status IN (${errors?.length ? `'COMMITTED'` : `'IN_PROGRESS', 'COMMITTED'`})
        RETURNING 1`,
      [stored, response.http.status ?? 200, ctx.now(), ...owner],
    );
    if (completed.length) return;
  }
  await sql(
    ctx.em,
    `DELETE FROM idempotency_key WHERE user_id = ? AND key = ? AND owner = ? AND status = 'IN_PROGRESS'`,
    owner,
  );
}

function replay(row: KeyRow): GraphQLResponse {
  return {
    http: { status: row.http_status ?? 200, headers: new HeaderMap([[REPLAYED_HEADER, 'true']]) },
    body: { kind: 'single', singleResult: row.response ?? {} },
  };
}

/** A response made before execution (a plugin's responseForOperation): one error, its code and HTTP status. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLResponse {
  return {
    http: { status, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code, ...extensions } }] } },
  };
}
