import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { API_KEY_PREFIX, randomSecret, sha256 } from '../auth/secrets';
import { ApiKey, FinancialInstitution, User } from '../entities';
import { recordAudit } from './audit';
import { isUuid } from './ids';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { text } from './validation';

const MAX_ACTIVE_KEYS = 20;
/** Enough of the key to recognise it in a list, far too little to guess the rest. */
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

const createInput = z.object({ name: text('名称', 1, 100) });

/** API keys let a bank's own systems call the API as the bank user who created them. */
export class ApiKeyService {
  async create(ctx: RequestContext, input: unknown): Promise<Result<{ apiKey: ApiKey; secret: string }>> {
    const parsed = parseInput(createInput, input);
    if (!parsed.ok) return parsed;
    const { userId, institutionId } = ctx.viewer;
    return transaction(ctx, async (em) => {
      // Lock the user's row first: concurrent creations then count one after another, so they
      // cannot all see room for one more key and overshoot the limit together.
      await em.findOne(User, { id: userId! }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
      const active = await em.count(ApiKey, { user: userId, revokedAt: null });
      if (active >= MAX_ACTIVE_KEYS) {
        return fail(UserErrorCode.LIMIT_EXCEEDED, `每个用户最多 ${MAX_ACTIVE_KEYS} 个有效 API 密钥`);
      }
      const secret = randomSecret(API_KEY_PREFIX);
      const apiKey = em.create(ApiKey, {
        user: em.getReference(User, userId!),
        institution: em.getReference(FinancialInstitution, institutionId!),
        name: parsed.value.name,
        prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
        keyHash: sha256(secret),
        createdAt: ctx.now(),
      });
      recordAudit(ctx, em, { action: 'createApiKey', targetType: 'ApiKey', targetId: apiKey.id });
      return ok({ apiKey, secret });
    });
  }

  /** A user revokes their own keys; another user's key is NOT_FOUND, like a missing one. */
  async revoke(ctx: RequestContext, input: { id: string }): Promise<Result<ApiKey>> {
    return transaction(ctx, async (em) => {
      // Locked, so of two concurrent revocations exactly one succeeds and the other sees INVALID_STATE.
      const apiKey = isUuid(input.id)
        ? await em.findOne(ApiKey, { id: input.id, user: ctx.viewer.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
        : null;
      if (!apiKey) return fail(UserErrorCode.NOT_FOUND, 'API 密钥不存在', ['input', 'id']);
      if (apiKey.revokedAt) return fail(UserErrorCode.INVALID_STATE, 'API 密钥已撤销', ['input', 'id']);
      apiKey.revokedAt = ctx.now();
      recordAudit(ctx, em, { action: 'revokeApiKey', targetType: 'ApiKey', targetId: apiKey.id });
      return ok(apiKey);
    });
  }

  mine(ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.em.find(ApiKey, { user: ctx.viewer.userId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }
}
