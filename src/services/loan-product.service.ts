import Decimal from 'decimal.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { FinancialInstitution, LoanProduct } from '../entities';
import { type CreditGrade, LoanProductType, ProductStatus, RepaymentMethod, Role } from '../entities/enums';
import type { Plain } from '../db/plain-rows';
import { recordAudit } from './audit';
import { isUuid } from './ids';
import { recommendationCandidates } from './loan/recommendation-candidates';
import { firstPagesByParent, keysetPlainPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from './user-error';
import { count, eligibilityRules, likeContains, money, rate, text } from './validation';
import { percent } from './format';
import { viewerEnterpriseOrFail } from './viewer-enterprise';

const eligibilityInput = eligibilityRules();

/** Answer with the places the numeric columns hold (18,2 and 9,4), as every later read does. */
const places = (n: number) => (value: string) => new Decimal(value).toFixed(n);

const fields = {
  name: text('产品名称', 2, 100),
  description: text('产品介绍', 1, 5000),
  minAmount: money().transform(places(2)),
  maxAmount: money().transform(places(2)),
  minRate: rate().transform(places(4)),
  maxRate: rate().transform(places(4)),
  minTermMonths: count('最短期限', 1, 360),
  maxTermMonths: count('最长期限', 1, 360),
  repaymentMethods: z
    .array(z.enum(RepaymentMethod))
    .min(1, '至少选择一种还款方式')
    .refine((m) => new Set(m).size === m.length, '还款方式重复'),
  eligibility: eligibilityInput.nullish(),
  guaranteeFundEligible: z.boolean().nullish(),
};

const createInput = z.object({ ...fields, type: z.enum(LoanProductType) });
const updateInput = z.object({ id: z.string() }).extend(
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional().nullable()])) as {
    [K in keyof typeof fields]: z.ZodNullable<z.ZodOptional<(typeof fields)[K]>>;
  },
);

export interface LoanProductFilter {
  search?: string | null;
  types?: LoanProductType[] | null;
  institutionIds?: string[] | null;
  amount?: string | null;
  termMonths?: number | null;
  maxRate?: string | null;
  grade?: CreditGrade | null;
  status?: ProductStatus | null;
}

export type ProductSort = { field: 'MIN_RATE' | 'MAX_AMOUNT' | 'PUBLISHED_AT'; direction: 'ASC' | 'DESC' };

const SORT_COLUMNS = { MIN_RATE: 'minRate', MAX_AMOUNT: 'maxAmount', PUBLISHED_AT: 'publishedAt' } as const;

const RANGES = [
  ['minAmount', 'maxAmount', '最高额度不能低于最低额度'],
  ['minRate', 'maxRate', '最高利率不能低于最低利率'],
  ['minTermMonths', 'maxTermMonths', '最长期限不能短于最短期限'],
] as const;

type RangeField = (typeof RANGES)[number][0 | 1];
type RangeValues = Partial<Record<RangeField, string | number>>;

/**
 * The range ends in the raw input that pass their own field rule (the others already carry an
 * error), so min ≤ max is checked alongside the field errors: every problem at once.
 */
function validRangeEnds(input: unknown): RangeValues {
  const raw = (input ?? {}) as Record<string, unknown>;
  const ends: RangeValues = {};
  for (const [min, max] of RANGES) {
    for (const key of [min, max]) {
      if (raw[key] === undefined || raw[key] === null) continue;
      const parsed = fields[key].safeParse(raw[key]);
      if (parsed.success) ends[key] = parsed.data;
    }
  }
  return ends;
}

/**
 * Min ≤ max for amount, rate and term, checked on the product as it will be saved. The error
 * goes on the maximum unless only the minimum was sent (an update raising it past the saved max).
 */
function rangeErrors(p: RangeValues, sent?: RangeValues) {
  const errors: UserError[] = [];
  for (const [min, max, message] of RANGES) {
    const low = p[min];
    const high = p[max];
    if (low === undefined || high === undefined || !new Decimal(low).gt(high)) continue;
    const field = sent && sent[max] === undefined && sent[min] !== undefined ? min : max;
    errors.push({ code: UserErrorCode.INVALID, message, field: ['input', field] });
  }
  return errors;
}

const errorsOf = <T>(parsed: Result<T>) => (parsed.ok ? [] : parsed.errors);

function applyEligibility(product: LoanProduct, e: z.infer<typeof eligibilityInput> | null | undefined) {
  if (!e) return;
  product.minGrade = e.minGrade ?? null;
  product.industryCodes = e.industryCodes ?? [];
  product.regionCodes = e.regionCodes ?? [];
  product.sizes = e.sizes ?? [];
  product.minYearsEstablished = e.minYearsEstablished ?? null;
}

/** The financial supermarket: banks manage their own products; everyone browses the published ones. */
export class LoanProductService {
  async create(ctx: RequestContext, input: unknown): Promise<Result<LoanProduct>> {
    const parsed = parseInput(createInput, input);
    const ranges = rangeErrors(validRangeEnds(input));
    if (!parsed.ok || ranges.length) return failMany([...errorsOf(parsed), ...ranges]);
    const { eligibility, guaranteeFundEligible, ...data } = parsed.value;
    return transaction(ctx, async (em) => {
      const product = em.create(LoanProduct, {
        ...data,
        institution: em.getReference(FinancialInstitution, ctx.viewer.institutionId!),
        guaranteeFundEligible: guaranteeFundEligible ?? false,
        industryCodes: [],
        regionCodes: [],
        sizes: [],
        status: ProductStatus.DRAFT,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      });
      applyEligibility(product, eligibility);
      recordAudit(ctx, em, { action: 'createLoanProduct', targetType: 'LoanProduct', targetId: product.id });
      return ok(product);
    });
  }

  async update(ctx: RequestContext, input: unknown): Promise<Result<LoanProduct>> {
    const parsed = parseInput(updateInput, input);
    const id = (input as { id?: unknown } | null)?.id;
    return transaction(ctx, async (em) => {
      // Loaded in the transaction (and locked), so the changes below are the ones committed.
      const product = typeof id === 'string' ? await this.own(em, ctx, id, true) : null;
      if (!product) return fail(UserErrorCode.NOT_FOUND, '产品不存在', ['input', 'id']);
      // Min ≤ max on the product as it would be saved, reported with the field errors.
      const sent = validRangeEnds(input);
      const saved = Object.fromEntries(RANGES.flatMap(([min, max]) => [min, max].map((k) => [k, product[k]])));
      const ranges = rangeErrors({ ...saved, ...sent }, sent);
      if (!parsed.ok || ranges.length) return failMany([...errorsOf(parsed), ...ranges]);
      const { id: _id, eligibility, ...changes } = parsed.value;
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined && value !== null) Object.assign(product, { [key]: value });
      }
      applyEligibility(product, eligibility);
      product.updatedAt = ctx.now();
      recordAudit(ctx, em, { action: 'updateLoanProduct', targetType: 'LoanProduct', targetId: product.id });
      return ok(product);
    });
  }

  publish(ctx: RequestContext, input: { id: string }): Promise<Result<LoanProduct>> {
    return this.transition(
      ctx,
      input.id,
      'publishLoanProduct',
      [ProductStatus.DRAFT, ProductStatus.OFFLINE],
      ProductStatus.PUBLISHED,
    );
  }

  unpublish(ctx: RequestContext, input: { id: string }): Promise<Result<LoanProduct>> {
    return this.transition(ctx, input.id, 'unpublishLoanProduct', [ProductStatus.PUBLISHED], ProductStatus.OFFLINE);
  }

  /** Published products for everyone; a bank also sees its own in any status; regulators all. */
  async get(ctx: RequestContext, id: string): Promise<LoanProduct | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(LoanProduct, { $and: [{ id }, this.visibility(ctx)] });
  }

  list(
    ctx: RequestContext,
    filter: LoanProductFilter,
    sort: ProductSort | null,
    page: PageArgs,
  ): Promise<Page<Plain<LoanProduct>>> {
    const where: FilterQuery<LoanProduct>[] = [this.visibility(ctx), ...filterConditions(filter)];
    let field: keyof LoanProduct & string = SORT_COLUMNS[sort?.field ?? 'PUBLISHED_AT'];
    // Drafts have no publication time: where they can appear, order by creation instead.
    const publishedOnly =
      filter.status === ProductStatus.PUBLISHED || ![Role.BANK, Role.REGULATOR].includes(ctx.viewer.role!);
    if (field === 'publishedAt' && !publishedOnly) field = 'createdAt';
    return keysetPlainPage(ctx.em, LoanProduct, page, {
      where: { $and: where },
      sortBy: field,
      sortKind: field === 'publishedAt' || field === 'createdAt' ? 'date' : 'string',
      direction: sort ? (sort.direction === 'ASC' ? 'asc' : 'desc') : 'desc',
    });
  }

  /** First pages of FinancialInstitution.products (published, newest first) for many institutions at once. */
  firstPagesForInstitutions(ctx: RequestContext, institutionIds: readonly string[], first: number) {
    return firstPagesByParent(ctx.em, LoanProduct, {
      parentColumn: 'institution_id',
      parentIds: institutionIds,
      sortColumn: 'published_at',
      sortProp: 'publishedAt',
      where: { sql: "t.status = 'PUBLISHED'", params: [] },
      first,
    });
  }

  /**
   * For the signed-in enterprise: the published products it is eligible for, best first. The
   * score blends the rate (lower is better, relative to the cheapest and dearest eligible), a
   * pure-credit loan (no collateral), guarantee-fund cover and how much room its grade leaves.
   */
  async recommend(
    ctx: RequestContext,
    first: number,
  ): Promise<{ product: LoanProduct; score: number; reasons: string[] }[]> {
    const enterprise = await viewerEnterpriseOrFail(ctx);
    const today = shanghaiDate(ctx.now());
    // Eligibility and the open demands each product could serve are filtered in SQL, reading
    // only the scored columns; whole products are read for the `first` shown.
    const { candidates: eligible, hasOpenDemand } = await recommendationCandidates(
      ctx.em,
      enterprise,
      today,
      ctx.now(),
    );
    if (eligible.length === 0) return [];
    const rates = eligible.map((p) => new Decimal(p.minRate));
    const lowest = Decimal.min(...rates);
    const spread = Decimal.max(...rates).minus(lowest);
    // Scored first, then sorted; the reasons (formatted text, most of the work) only for the
    // `first` shown, not for every eligible product.
    const ranked = eligible
      .map((product, i) => {
        const rate = rates[i]!;
        const rateScore = spread.isZero() ? 1 : new Decimal(1).minus(rate.minus(lowest).div(spread)).toNumber();
        const credit = product.type === LoanProductType.CREDIT ? 1 : 0;
        const fund = product.guaranteeFundEligible ? 1 : 0;
        const gradeRoom =
          product.minGrade && enterprise.creditGrade
            ? product.minGrade.charCodeAt(0) - enterprise.creditGrade.charCodeAt(0)
            : 1;
        let score = 0.55 * rateScore + 0.2 * credit + 0.1 * fund + 0.15 * Math.min(1, Math.max(0, gradeRoom) / 2 + 0.5);
        // Its open demands: a product that can serve one of them fits what it is asking for right now.
        // With a demand open, fitting it weighs a fifth of the score.
        if (hasOpenDemand) score = 0.8 * score + 0.2 * (product.served ? 1 : 0);
        return { product, rate, score: Math.round(score * 1000) / 1000 };
      })
      // Scores are rounded: when they tie, the lower rate still comes first, then the id (stable).
      .sort((a, b) => b.score - a.score || a.rate.cmp(b.rate) || a.product.id.localeCompare(b.product.id))
      .slice(0, first)
      .map(({ product, rate, score }) => {
        const reasons: string[] = [];
        const rateText = percent(product.minRate);
        if (rate.eq(lowest)) reasons.push(`年利率低至 ${rateText}%，为可申请产品中最低`);
        else reasons.push(`年利率 ${rateText}% 起`);
        if (product.type === LoanProductType.CREDIT) reasons.push('纯信用贷款，无需抵押担保');
        if (product.guaranteeFundEligible) reasons.push('可纳入信保基金风险分担');
        if (enterprise.creditGrade) reasons.push(`您的信用等级 ${enterprise.creditGrade} 符合准入要求`);
        reasons.push(
          `额度 ${new Decimal(product.minAmount).toFixed(0)}–${new Decimal(product.maxAmount).toFixed(0)} 元，期限 ${product.minTermMonths}–${product.maxTermMonths} 个月`,
        );
        const { served } = product;
        if (hasOpenDemand && served) {
          reasons.unshift(
            `可满足您的融资需求：${new Decimal(served.amount).toFixed(0)} 元、${served.termMonths} 个月在产品额度和期限内`,
          );
        }
        return { id: product.id, score, reasons };
      });
    const products = await ctx.em.find(LoanProduct, { id: { $in: ranked.map((r) => r.id) } });
    const byId = new Map(products.map((p) => [p.id, p]));
    // A product taken offline between the two reads is left out rather than shown stale.
    return ranked.flatMap(({ id, score, reasons }) => {
      const product = byId.get(id);
      return product && product.status === ProductStatus.PUBLISHED ? [{ product, score, reasons }] : [];
    });
  }

  private visibility(ctx: RequestContext): FilterQuery<LoanProduct> {
    if (ctx.viewer.role === Role.REGULATOR) return {};
    if (ctx.viewer.role === Role.BANK) {
      return { $or: [{ status: ProductStatus.PUBLISHED }, { institution: ctx.viewer.institutionId }] };
    }
    return { status: ProductStatus.PUBLISHED };
  }

  /** The viewer's own product, read through `em` (the mutation's transaction). */
  private async own(em: EntityManager, ctx: RequestContext, id: string, lock = false): Promise<LoanProduct | null> {
    if (!isUuid(id)) return null;
    return em.findOne(
      LoanProduct,
      { id, institution: ctx.viewer.institutionId },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
  }

  private async transition(
    ctx: RequestContext,
    id: string,
    action: string,
    from: ProductStatus[],
    to: ProductStatus,
  ): Promise<Result<LoanProduct>> {
    return transaction(ctx, async (em) => {
      const product = await this.own(em, ctx, id);
      if (!product) return fail(UserErrorCode.NOT_FOUND, '产品不存在', ['input', 'id']);
      const changed = await em.nativeUpdate(
        LoanProduct,
        { id: product.id, status: { $in: from } },
        {
          status: to,
          updatedAt: ctx.now(),
          ...(to === ProductStatus.PUBLISHED ? { publishedAt: ctx.now() } : {}),
        },
      );
      if (changed === 0)
        return fail(UserErrorCode.INVALID_STATE, `产品当前状态为 ${product.status}，不能执行该操作`, ['input', 'id']);
      await em.refresh(product);
      recordAudit(ctx, em, { action, targetType: 'LoanProduct', targetId: product.id });
      return ok(product);
    });
  }
}

function filterConditions(filter: LoanProductFilter): FilterQuery<LoanProduct>[] {
  const c: FilterQuery<LoanProduct>[] = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = likeContains(search);
    c.push({ $or: [{ name: { $ilike: pattern } }, { description: { $ilike: pattern } }] });
  }
  if (filter.types?.length) c.push({ type: { $in: filter.types } });
  if (filter.institutionIds?.length) c.push({ institution: { $in: filter.institutionIds.filter(isUuid) } });
  if (filter.amount) c.push({ minAmount: { $lte: filter.amount }, maxAmount: { $gte: filter.amount } });
  if (filter.termMonths)
    c.push({ minTermMonths: { $lte: filter.termMonths }, maxTermMonths: { $gte: filter.termMonths } });
  if (filter.maxRate) c.push({ minRate: { $lte: filter.maxRate } });
  // A product accepts a grade when it sets no minimum or the grade is at least as good (A < B).
  if (filter.grade) c.push({ $or: [{ minGrade: null }, { minGrade: { $gte: filter.grade } }] });
  if (filter.status) c.push({ status: filter.status });
  return c;
}
