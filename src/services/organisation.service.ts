import { z } from 'zod';
import { Department, FinancialInstitution } from '../entities';
import { InstitutionType } from '../entities/enums';
import { isValidRegionCode } from '../reference/regions';
import { recordAudit } from './audit';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, parseInput, type Result } from './user-error';
import { text } from './validation';

const regionCode = () => z.string().refine(isValidRegionCode, '行政区划代码无效（应为 6 位 GB/T 2260 代码）');

const institutionInput = z.object({
  name: text('机构名称', 2, 100),
  type: z.enum(InstitutionType),
  regionCode: regionCode(),
});

const departmentInput = z.object({
  name: text('部门名称', 2, 100),
  regionCode: regionCode(),
});

/** Banks and government departments: created by the platform operator, listed publicly. */
export class OrganisationService {
  async createInstitution(ctx: RequestContext, input: unknown): Promise<Result<FinancialInstitution>> {
    const parsed = parseInput(institutionInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return transaction(ctx, async (em) => {
      if (await em.count(FinancialInstitution, { name: data.name })) {
        return fail(UserErrorCode.ALREADY_EXISTS, '同名金融机构已存在', ['input', 'name']);
      }
      const institution = em.create(FinancialInstitution, { ...data, createdAt: ctx.now() });
      recordAudit(ctx, em, {
        action: 'createInstitution',
        targetType: 'FinancialInstitution',
        targetId: institution.id,
      });
      return ok(institution);
    });
  }

  async createDepartment(ctx: RequestContext, input: unknown): Promise<Result<Department>> {
    const parsed = parseInput(departmentInput, input);
    if (!parsed.ok) return parsed;
    return transaction(ctx, async (em) => {
      const department = em.create(Department, { ...parsed.value, createdAt: ctx.now() });
      recordAudit(ctx, em, { action: 'createDepartment', targetType: 'Department', targetId: department.id });
      return ok(department);
    });
  }

  institutions(ctx: RequestContext, page: PageArgs): Promise<Page<FinancialInstitution>> {
    return keysetPage(ctx.em, FinancialInstitution, page, { where: {}, sortBy: 'createdAt', direction: 'desc' });
  }

  /** Few by nature (a city's departments), so a plain list ordered by name. */
  departments(ctx: RequestContext): Promise<Department[]> {
    return ctx.em.find(Department, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }
}
