import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 suits secrets with 256 bits of entropy (refresh tokens, API keys): no salt or stretching needed. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function randomSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** API keys carry a recognisable prefix so they can be told from JWTs and found by secret scanners. */
export const API_KEY_PREFIX = 'cel_';
export const REFRESH_TOKEN_PREFIX = 'celr_';
/** Webhook signing secrets (docs/webhooks.md): shown to the bank once, kept to sign with. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
