import Decimal from 'decimal.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Department, GuaranteeFund, type Enterprise, type LoanProduct } from '../entities';
import { CreditGrade, LoanProductType } from '../entities/enums';
import { recordAudit } from './audit';
import { pgArray } from './ids';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { transaction } from './transaction';
import { ok, parseInput, type Result } from './user-error';
import { count, money, text } from './validation';

const ruleInput = z.object({
  grade: z.enum(CreditGrade),
  fundSharePercent: count('分担比例', 1, 100),
  maxLoanAmount: money(),
  collateralPercent: count('抵押比例', 0, 100),
});

const createInput = z.object({
  name: text('基金名称', 2, 100),
  capital: money(),
  rules: z
    .array(ruleInput)
    .min(1, '至少设置一条分担规则')
    .max(10, '分担规则最多 10 条')
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((rule, i) => {
        if (seen.has(rule.grade))
          ctx.addIssue({ code: 'custom', message: `等级 ${rule.grade} 的规则重复`, path: [i, 'grade'] });
        seen.add(rule.grade);
      });
    }),
});

export interface FundFigures {
  coveredLoanCount: number;
  outstandingCoverage: string;
  compensationPaid: string;
}

/** Only products of these types may be covered (DESIGN.md: CREDIT or GUARANTEE, marked eligible). */
const COVERABLE = new Set<LoanProductType>([LoanProductType.CREDIT, LoanProductType.GUARANTEE]);

/**
 * The fund covering a loan at grant: the newest fund whose rule for the enterprise's grade admits
 * the credit amount (DESIGN.md, Precise answers). coveredAmount = creditAmount × share, to the fen.
 */
export async function coveringFund(
  em: EntityManager,
  product: LoanProduct,
  enterprise: Enterprise,
  creditAmount: string,
): Promise<{ fundId: string; sharePercent: number; coveredAmount: string } | null> {
  if (!product.guaranteeFundEligible || !COVERABLE.has(product.type) || !enterprise.creditGrade) return null;
  const [row] = await sql<{ id: string; share: number }>(
    em,
    `select f.id, (r->>'fundSharePercent')::int as share
       from guarantee_fund f cross join lateral jsonb_array_elements(f.rules) r
      where r->>'grade' = ? and (r->>'maxLoanAmount')::numeric >= ?::numeric
      order by f.created_at desc, f.id desc limit 1`,
    [enterprise.creditGrade, creditAmount],
  );
  if (!row) return null;
  const coveredAmount = new Decimal(creditAmount).times(row.share).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { fundId: row.id, sharePercent: Number(row.share), coveredAmount: coveredAmount.toFixed(2) };
}

/** Government credit guarantee funds (信保基金): regulators set them up and watch their exposure. */
export class GuaranteeFundService {
  async create(ctx: RequestContext, input: unknown): Promise<Result<GuaranteeFund>> {
    const parsed = parseInput(createInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return transaction(ctx, async (em) => {
      const fund = em.create(GuaranteeFund, {
        department: em.getReference(Department, ctx.viewer.departmentId!),
        name: data.name,
        capital: data.capital,
        // Best grade first, as the rules read in a table.
        rules: [...data.rules].sort((a, b) => a.grade.localeCompare(b.grade)),
        createdAt: ctx.now(),
      });
      recordAudit(ctx, em, { action: 'createGuaranteeFund', targetType: 'GuaranteeFund', targetId: fund.id });
      return ok(fund);
    });
  }

  /** Every fund, newest first (funds cover loans platform-wide; all regulators watch them). */
  list(ctx: RequestContext): Promise<GuaranteeFund[]> {
    return ctx.em.find(GuaranteeFund, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  /**
   * Coverage figures of many funds in one statement: loans covered, outstanding principal × share
   * over covered loans not yet compensated, and compensation paid.
   */
  async figures(ctx: RequestContext, fundIds: readonly string[]): Promise<FundFigures[]> {
    const rows = await sql<{ fund: string; covered: string; outstanding: string; paid: string }>(
      ctx.em,
      `select guarantee_fund_id as fund, count(*) as covered,
              coalesce(sum(round(outstanding_principal * fund_share_percent / 100.0, 2))
                       filter (where compensated_amount is null), 0)::text as outstanding,
              coalesce(sum(compensated_amount), 0)::text as paid
         from loan where guarantee_fund_id = any(?::uuid[]) group by guarantee_fund_id`,
      [pgArray(fundIds)],
    );
    const byFund = new Map(rows.map((r) => [r.fund, r]));
    return fundIds.map((id) => {
      const row = byFund.get(id);
      return {
        coveredLoanCount: Number(row?.covered ?? 0),
        outstandingCoverage: new Decimal(row?.outstanding ?? 0).toFixed(2),
        compensationPaid: new Decimal(row?.paid ?? 0).toFixed(2),
      };
    });
  }
}
