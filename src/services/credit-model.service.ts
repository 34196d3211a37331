import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { CreditModel } from '../entities';
import { CreditGrade, CreditModelStatus } from '../entities/enums';
import { recordAudit } from './audit';
import { activeModel, evaluateEnterprises } from './credit/evaluator';
import { indicatorByCode } from './credit/indicators';
import { DEFAULT_GRADE_BANDS, defaultWeights, modelProblems } from './credit/scorecard';
import { isUuid } from './ids';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result } from './user-error';
import { text } from './validation';

export const DEFAULT_MODEL_VERSION = 'v1';

// Caps far above the catalogue (about 20 indicators, 4 grades): they only stop absurd payloads early.
const MAX_WEIGHTS = 100;
const MAX_GRADE_BANDS = 10;

const createInput = z.object({
  version: text('版本号', 1, 50),
  weights: z
    .array(z.object({ code: z.string(), weight: z.number() }))
    .max(MAX_WEIGHTS, `指标权重最多 ${MAX_WEIGHTS} 项`)
    .nullish(),
  gradeBands: z
    .array(z.object({ grade: z.enum(CreditGrade), minScore: z.number() }))
    .max(MAX_GRADE_BANDS, `等级区间最多 ${MAX_GRADE_BANDS} 项`)
    .nullish(),
});

/** The first start (and every test database) gets model v1 with the catalogue's default weights. */
export async function ensureDefaultCreditModel(em: EntityManager, now = new Date()): Promise<void> {
  if (await em.count(CreditModel, {})) return;
  em.create(CreditModel, {
    version: DEFAULT_MODEL_VERSION,
    status: CreditModelStatus.ACTIVE,
    weights: defaultWeights(),
    gradeBands: DEFAULT_GRADE_BANDS,
    createdAt: now,
    activatedAt: now,
  });
  await em.flush();
}

/**
 * modelProblems names a weight by its code (['weights', code]); the input lists weights, so the
 * userError points at the entry that set it (the last one, which won): ['weights', index, field],
 * field `code` for an unknown indicator and `weight` for a bad value.
 */
function inputPath(path: string[], changes: readonly { code: string }[]): string[] {
  if (path[0] !== 'weights' || path.length !== 2) return path;
  const code = path[1];
  const index = changes.map((c) => c.code).lastIndexOf(code);
  if (index < 0) return path;
  return ['weights', String(index), indicatorByCode(code) ? 'weight' : 'code'];
}

/** Regulators tune the model: drafts copy the active one; activation re-evaluates everyone. */
export class CreditModelService {
  async create(ctx: RequestContext, input: unknown): Promise<Result<CreditModel>> {
    const parsed = parseInput(createInput, input);
    if (!parsed.ok) return parsed;
    const { version, weights: changes, gradeBands } = parsed.value;
    const versionTaken = () => fail(UserErrorCode.ALREADY_EXISTS, '该版本号已存在', ['input', 'version']);
    try {
      return await transaction(ctx, async (em) => {
        const base = await activeModel(em);
        const weights = { ...base.weights };
        for (const { code, weight } of changes ?? []) weights[code] = weight;
        const spec = { weights, gradeBands: gradeBands ?? base.gradeBands };
        const problems = modelProblems(spec);
        if (problems.length) {
          return failMany(
            problems.map((p) => ({
              code: UserErrorCode.INVALID,
              message: p.message,
              field: ['input', ...inputPath(p.path, changes ?? [])],
            })),
          );
        }
        if (await em.count(CreditModel, { version })) return versionTaken();
        const model = em.create(CreditModel, {
          version,
          status: CreditModelStatus.DRAFT,
          weights,
          gradeBands: [...spec.gradeBands].sort((a, b) => b.minScore - a.minScore),
          createdAt: ctx.now(),
        });
        recordAudit(ctx, em, { action: 'createCreditModel', targetType: 'CreditModel', targetId: model.id });
        return ok(model);
      });
    } catch (err) {
      // Two regulators creating the same version at once: the unique index lets exactly one through.
      if (err instanceof UniqueConstraintViolationException) return versionTaken();
      throw err;
    }
  }

  /**
   * Retires the active model, activates this one and re-evaluates every enterprise, all in one
   * transaction: readers see the old grades until the new ones are all there.
   */
  async activate(
    ctx: RequestContext,
    input: { id: string },
  ): Promise<Result<{ model: CreditModel; reevaluated: number }>> {
    try {
      return await transaction(ctx, async (em) => {
        const model = isUuid(input.id) ? await em.findOne(CreditModel, { id: input.id }) : null;
        if (!model) return fail(UserErrorCode.NOT_FOUND, '评价模型不存在', ['input', 'id']);
        if (model.status === CreditModelStatus.ACTIVE) {
          return fail(UserErrorCode.INVALID_STATE, '该模型已在使用中', ['input', 'id']);
        }
        await em.nativeUpdate(CreditModel, { status: CreditModelStatus.ACTIVE }, { status: CreditModelStatus.RETIRED });
        model.status = CreditModelStatus.ACTIVE;
        model.activatedAt = ctx.now();
        await em.flush();
        const reports = await evaluateEnterprises(em, 'all', ctx.now(), model);
        recordAudit(ctx, em, {
          action: 'activateCreditModel',
          targetType: 'CreditModel',
          targetId: model.id,
          detail: { reevaluated: reports.size },
        });
        return ok({ model, reevaluated: reports.size });
      });
    } catch (err) {
      // Two activations at once: the one-active index lets exactly one through.
      if (err instanceof UniqueConstraintViolationException) {
        return fail(UserErrorCode.CONFLICT, '另一个模型正在启用，请刷新后重试', ['input', 'id']);
      }
      throw err;
    }
  }

  list(ctx: RequestContext): Promise<CreditModel[]> {
    return ctx.em.find(CreditModel, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  active(ctx: RequestContext): Promise<CreditModel> {
    return activeModel(ctx.em);
  }
}
