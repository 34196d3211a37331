import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { LoginThrottle } from '../auth/login-throttle';
import { verifyPassword } from '../auth/passwords';
import { REFRESH_TOKEN_PREFIX, randomSecret, sha256 } from '../auth/secrets';
import { REFRESH_TOKEN_TTL_DAYS, type AccessTokens } from '../auth/tokens';
import { RefreshToken, User } from '../entities';
import { recordAudit } from './audit';
import type { RequestContext } from './request-context';
import { UserErrorCode, fail, ok, type Result } from './user-error';

export interface Session {
  accessToken: string;
  expiresAt: Date;
  refreshToken: string;
  user: User;
}

const BAD_CREDENTIALS = '登录名或密码错误';
const BAD_REFRESH = '刷新令牌无效或已过期，请重新登录';

/** Sign-in, refresh-token rotation with reuse detection, and sign-out. */
export class AuthService {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(ctx: RequestContext, input: { login: string; password: string }): Promise<Result<Session>> {
    const login = input.login.trim().toLowerCase();
    // A failure stays counted; a success gives the reserved attempt back.
    if (!(await this.throttle.reserve(login, ctx.ip))) {
      await ctx.em.transactional(async (em) =>
        recordAudit(ctx, em, {
          action: 'login.throttled',
          targetType: 'User',
          detail: { login: login.slice(0, 64) },
          actor: { id: null, role: null },
        }),
      );
      return fail(UserErrorCode.LIMIT_EXCEEDED, '登录失败次数过多，请 15 分钟后再试');
    }
    const user = await ctx.em.findOne(User, { login }, { populate: ['passwordHash'] });
    const valid = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !valid) {
      await ctx.em.transactional(async (em) =>
        recordAudit(ctx, em, {
          action: 'login.failed',
          targetType: 'User',
          targetId: user?.id ?? null,
          // What was typed as a login can be a mistyped password: keep only its start.
          detail: { login: login.slice(0, 64) },
          actor: { id: null, role: null },
        }),
      );
      return fail(UserErrorCode.INVALID, BAD_CREDENTIALS, ['input', 'login']);
    }
    await this.throttle.recordSuccess(login, ctx.ip);
    const session = await ctx.em.transactional(async (em) => {
      const refreshToken = this.issueRefreshToken(ctx, em, user, randomUUID());
      recordAudit(ctx, em, { action: 'login', targetType: 'User', targetId: user.id, actor: user });
      return refreshToken;
    });
    return ok(await this.session(ctx, user, session));
  }

  /**
   * Rotates a refresh token. The conditional UPDATE makes rotation single-use even under
   * concurrent refreshes; presenting an already-rotated token revokes its whole family,
   * since only a thief or a replay would hold it.
   */
  async refresh(ctx: RequestContext, input: { refreshToken: string }): Promise<Result<Session>> {
    const now = ctx.now();
    const hash = sha256(input.refreshToken);
    const outcome = await ctx.em.transactional(async (em) => {
      const rotated = await em.nativeUpdate(
        RefreshToken,
        { tokenHash: hash, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { rotatedAt: now },
      );
      const token = await em.findOne(RefreshToken, { tokenHash: hash }, { populate: ['user'] });
      if (!token) return null;
      if (rotated === 0) {
        if (token.rotatedAt) {
          await em.nativeUpdate(RefreshToken, { family: token.family, revokedAt: null }, { revokedAt: now });
          recordAudit(ctx, em, {
            action: 'refreshToken.reused',
            targetType: 'User',
            targetId: token.user.id,
            actor: { id: null, role: null },
          });
        }
        return null;
      }
      const user = token.user.getEntity();
      recordAudit(ctx, em, { action: 'refreshToken', targetType: 'User', targetId: user.id, actor: user });
      return { user, refreshToken: this.issueRefreshToken(ctx, em, user, token.family) };
    });
    if (!outcome) return fail(UserErrorCode.INVALID, BAD_REFRESH, ['input', 'refreshToken']);
    return ok(await this.session(ctx, outcome.user, outcome.refreshToken));
  }

  /**
   * Revokes the presented refresh token with the rest of its family: the sign-in session ends even
   * when the token presented is an older, already-rotated one. The access token lapses on its own
   * within 15 minutes.
   */
  async logout(ctx: RequestContext, input: { refreshToken: string }): Promise<Result<true>> {
    const revoked = await ctx.em.transactional(async (em) => {
      const token = await em.findOne(RefreshToken, { tokenHash: sha256(input.refreshToken), revokedAt: null });
      if (!token) return false;
      await em.nativeUpdate(RefreshToken, { family: token.family, revokedAt: null }, { revokedAt: ctx.now() });
      recordAudit(ctx, em, { action: 'logout', targetType: 'User', targetId: token.user.id });
      return true;
    });
    if (!revoked) return fail(UserErrorCode.INVALID, BAD_REFRESH, ['input', 'refreshToken']);
    return ok(true);
  }

  private issueRefreshToken(ctx: RequestContext, em: EntityManager, user: User, family: string): string {
    const secret = randomSecret(REFRESH_TOKEN_PREFIX);
    const token = new RefreshToken();
    token.user = em.getReference(User, user.id) as never;
    token.family = family;
    token.tokenHash = sha256(secret);
    token.expiresAt = new Date(ctx.now().getTime() + REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    em.persist(token);
    return secret;
  }

  private async session(ctx: RequestContext, user: User, refreshToken: string): Promise<Session> {
    const { token, expiresAt } = await this.tokens.sign(
      {
        userId: user.id,
        role: user.role,
        enterpriseId: user.enterprise?.id ?? null,
        institutionId: user.institution?.id ?? null,
        departmentId: user.department?.id ?? null,
      },
      ctx.now(),
    );
    return { accessToken: token, expiresAt, refreshToken, user };
  }
}
