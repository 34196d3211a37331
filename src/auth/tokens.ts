import { SignJWT, jwtVerify, errors } from 'jose';
import { Role } from '../entities/enums';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_DAYS = 30;

const ISSUER = 'credit-easy-loan';

/** The organisation travels in the token so a request needs no query to know who is asking. */
export interface AccessClaims {
  userId: string;
  role: Role;
  enterpriseId: string | null;
  institutionId: string | null;
  departmentId: string | null;
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: AccessClaims, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({
      role: claims.role,
      eid: claims.enterpriseId,
      iid: claims.institutionId,
      did: claims.departmentId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Null for any token that is malformed, forged or expired at `now`. */
  async verify(token: string, now: Date): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: now,
      });
      if (typeof payload.sub !== 'string' || !Object.values(Role).includes(payload.role as Role)) return null;
      const id = (v: unknown) => (typeof v === 'string' ? v : null);
      return {
        userId: payload.sub,
        role: payload.role as Role,
        enterpriseId: id(payload.eid),
        institutionId: id(payload.iid),
        departmentId: id(payload.did),
      };
    } catch (err) {
      if (err instanceof errors.JOSEError) return null;
      throw err;
    }
  }
}
