import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/passwords';
import { User } from '../entities';
import { Role } from '../entities/enums';

/** Creates the first ADMIN from ADMIN_LOGIN / ADMIN_PASSWORD when no admin exists yet. */
export async function ensureAdmin(em: EntityManager, admin: { login: string; password: string }, logger: Logger) {
  if (await em.count(User, { role: Role.ADMIN })) return;
  const login = admin.login.trim().toLowerCase();
  if (await em.count(User, { login })) {
    logger.warn({ login }, 'ADMIN_LOGIN is taken by a non-admin user; no admin created');
    return;
  }
  em.create(User, {
    login,
    passwordHash: await hashPassword(admin.password),
    displayName: '平台管理员',
    role: Role.ADMIN,
    createdAt: new Date(),
  });
  await em.flush();
  logger.info({ login }, 'first admin created');
}
