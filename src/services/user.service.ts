import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { Department, Enterprise, FinancialInstitution, User } from '../entities';
import { Role } from '../entities/enums';
import { recordAudit } from './audit';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { login, password, text } from './validation';

const createUserInput = z.object({
  login: login(),
  password: password(),
  displayName: text('显示名称', 1, 50),
  role: z.enum(Role),
  institutionId: z.uuid('机构 ID 无效').nullish(),
  departmentId: z.uuid('部门 ID 无效').nullish(),
  enterpriseId: z.uuid('企业 ID 无效').nullish(),
});

/** Which organisation field each role needs; the others must be empty. */
const ORGANISATION_OF: Record<Role, 'enterpriseId' | 'institutionId' | 'departmentId' | null> = {
  [Role.ENTERPRISE]: 'enterpriseId',
  [Role.BANK]: 'institutionId',
  [Role.REGULATOR]: 'departmentId',
  [Role.ADMIN]: null,
};

const ORGANISATION_LABEL = { enterpriseId: '企业', institutionId: '金融机构', departmentId: '政府部门' } as const;

export class UserService {
  /** ADMIN creates users of any role, each tied to the organisation its role needs. */
  async createUser(ctx: RequestContext, input: unknown): Promise<Result<User>> {
    const parsed = parseInput(createUserInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    const needed = ORGANISATION_OF[data.role];
    for (const key of ['enterpriseId', 'institutionId', 'departmentId'] as const) {
      if (key === needed && !data[key]) {
        return fail(UserErrorCode.INVALID, `${data.role} 用户必须指定所属${ORGANISATION_LABEL[key]}`, ['input', key]);
      }
      if (key !== needed && data[key]) {
        return fail(UserErrorCode.INVALID, `${data.role} 用户不能关联${ORGANISATION_LABEL[key]}`, ['input', key]);
      }
    }
    const passwordHash = await hashPassword(data.password);
    return transaction(ctx, async (em) => {
      const organisation = needed ? await findOrganisation(em, needed, data[needed]!) : null;
      if (needed && !organisation) {
        return fail(UserErrorCode.NOT_FOUND, `${ORGANISATION_LABEL[needed]}不存在`, ['input', needed]);
      }
      const result = await insertUser(ctx, em, {
        login: data.login,
        passwordHash,
        displayName: data.displayName,
        role: data.role,
        [needed === 'enterpriseId' ? 'enterprise' : needed === 'institutionId' ? 'institution' : 'department']:
          organisation ?? undefined,
      });
      if (result.ok) recordAudit(ctx, em, { action: 'createUser', targetType: 'User', targetId: result.value.id });
      return result;
    });
  }

  findById(ctx: RequestContext, id: string): Promise<User | null> {
    return ctx.em.findOne(User, { id });
  }
}

function findOrganisation(em: EntityManager, key: 'enterpriseId' | 'institutionId' | 'departmentId', id: string) {
  const entity = { enterpriseId: Enterprise, institutionId: FinancialInstitution, departmentId: Department }[key];
  return em.findOne(entity as typeof Enterprise, { id });
}

/**
 * Inserts a user inside the caller's transaction; a taken login is ALREADY_EXISTS. The unique
 * index decides (a concurrent registration with the same login cannot slip through).
 */
const LOGIN_UNIQUE = 'app_user_login_unique';

export async function insertUser(
  ctx: RequestContext,
  em: EntityManager,
  data: Partial<User> & Pick<User, 'login' | 'passwordHash' | 'displayName' | 'role'>,
): Promise<Result<User>> {
  const loginTaken = () => fail<User>(UserErrorCode.ALREADY_EXISTS, '登录名已被使用', ['input', 'login']);
  const normalised = data.login.toLowerCase();
  if (await em.count(User, { login: normalised })) return loginTaken();
  const user = em.create(User, { ...data, login: normalised, createdAt: ctx.now() });
  try {
    await em.flush();
  } catch (err) {
    // Only the login's own index means "taken"; any other unique violation is the caller's to explain.
    if (
      err instanceof UniqueConstraintViolationException &&
      (err as { constraint?: string }).constraint === LOGIN_UNIQUE
    ) {
      return loginTaken();
    }
    throw err;
  }
  return ok(user);
}
