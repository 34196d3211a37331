import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from '../entities';
import { API_KEY_PREFIX, sha256 } from './secrets';
import type { AccessTokens } from './tokens';
import { ANONYMOUS, type Viewer } from './viewer';

/** Write lastUsedAt at most this often per key: bank systems call many times a second. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class InvalidCredentialsError extends Error {}

/** The presented credential: `Authorization: Bearer <jwt | api key>` or `X-Api-Key: <key>`. */
export function credentialFrom(headers: Record<string, string | string[] | undefined>): string | null {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) {
    // X-Api-Key carries API keys only; a session token there is a client mistake worth saying so.
    if (!apiKey.startsWith(API_KEY_PREFIX)) throw new InvalidCredentialsError('X-Api-Key 应为 API 密钥');
    return apiKey;
  }
  const auth = header('authorization');
  if (!auth) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!match) throw new InvalidCredentialsError('Authorization 头应为 Bearer <令牌>');
  return match[1];
}

/**
 * Builds the Viewer from a credential. A credential that is present but invalid is an error
 * (UNAUTHENTICATED), never a silent fall-back to anonymous.
 */
export async function authenticate(
  credential: string | null,
  deps: { em: EntityManager; tokens: AccessTokens; now: Date },
): Promise<Viewer> {
  if (!credential) return ANONYMOUS;
  if (credential.startsWith(API_KEY_PREFIX)) return authenticateApiKey(credential, deps.em, deps.now);
  const claims = await deps.tokens.verify(credential, deps.now);
  if (!claims) throw new InvalidCredentialsError('访问令牌无效或已过期');
  return { ...claims, apiKeyId: null };
}

async function authenticateApiKey(secret: string, em: EntityManager, now: Date): Promise<Viewer> {
  const key = await em.findOne(ApiKey, { keyHash: sha256(secret), revokedAt: null }, { populate: ['user'] });
  if (!key) throw new InvalidCredentialsError('API 密钥无效或已撤销');
  await em.nativeUpdate(
    ApiKey,
    {
      id: key.id,
      $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
    },
    { lastUsedAt: now },
  );
  const user = key.user.getEntity();
  return {
    userId: user.id,
    role: user.role,
    enterpriseId: null,
    institutionId: key.institution.id,
    departmentId: null,
    apiKeyId: key.id,
  };
}
