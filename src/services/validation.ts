import Decimal from 'decimal.js';
import { z } from 'zod';
import { CreditGrade, EnterpriseSize } from '../entities/enums';
import { isValidIndustryFilterCode } from '../reference/industries';
import { isValidRegionCode } from '../reference/regions';
import { isValidIsoDate } from './time';
import { usccProblem, usccProblemMessage } from './uscc';

/**
 * zod building blocks for mutation inputs, with the Chinese messages users see.
 * Decimal inputs arrive as normalised strings from the Decimal scalar.
 */

// Chinese messages for zod's own checks (wrong types and the like) wherever a schema gives none.
z.config(z.locales.zhCN());

export const MAX_MONEY = new Decimal('9999999999999999.99'); // numeric(18,2)

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * The one syntax for decimals everywhere (the Decimal scalar, bulk files): digits with an
 * optional sign and point, or an integer number. Null when the value is not one.
 */
export function decimalText(value: unknown): string | null {
  const text =
    typeof value === 'string'
      ? value.trim()
      : typeof value === 'number' && Number.isInteger(value)
        ? String(value)
        : null;
  if (text === null || text.length > 40 || !DECIMAL_TEXT.test(text)) return null;
  return new Decimal(text).toFixed();
}

function places(value: Decimal): number {
  return value.decimalPlaces();
}

/**
 * Money in yuan: at most 2 decimals; > 0 unless `allowZero`. The value comes out with exactly
 * two places, as numeric(18,2) will hold it, so a payload shows what a later read will.
 */
export function money({ allowZero = false }: { allowZero?: boolean } = {}) {
  return z
    .string()
    .superRefine((text, ctx) => {
      const value = new Decimal(text);
      if (places(value) > 2) ctx.addIssue({ code: 'custom', message: '金额最多保留两位小数' });
      else if (allowZero ? value.isNegative() : value.lte(0)) {
        ctx.addIssue({ code: 'custom', message: allowZero ? '金额不能为负数' : '金额必须大于 0' });
      } else if (value.gt(MAX_MONEY)) ctx.addIssue({ code: 'custom', message: '金额超出上限' });
    })
    .transform((text) => new Decimal(text).toFixed(2));
}

/** Annual rate in percent: 0 < r ≤ 24, at most 4 decimals; out with four places, as numeric(9,4). */
export function rate() {
  return z
    .string()
    .superRefine((text, ctx) => {
      const value = new Decimal(text);
      if (places(value) > 4) ctx.addIssue({ code: 'custom', message: '利率最多保留四位小数' });
      else if (value.lte(0) || value.gt(24)) ctx.addIssue({ code: 'custom', message: '年利率应大于 0 且不超过 24%' });
    })
    .transform((text) => new Decimal(text).toFixed(4));
}

/** Trimmed text with length bounds (in characters, not bytes). */
export function text(label: string, min: number, max: number) {
  return z
    .string()
    .trim()
    .refine((s) => [...s].length >= min, `${label}至少 ${min} 个字符`)
    .refine((s) => [...s].length <= max, `${label}不能超过 ${max} 个字符`);
}

export function count(label: string, min: number, max: number) {
  return z.number().int(`${label}应为整数`).min(min, `${label}不能小于 ${min}`).max(max, `${label}不能大于 ${max}`);
}

export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

export const login = () =>
  z.string().trim().regex(LOGIN_PATTERN, '登录名应为 3 到 64 位字母、数字或 . _ @ -，以字母或数字开头');

export const password = () => z.string().min(10, '密码至少 10 个字符').max(128, '密码不能超过 128 个字符');

/** A Unified Social Credit Code, upper-cased, checked per GB 32100-2015 with a message naming the fault. */
export const uscc = () =>
  z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((code, ctx) => {
      const problem = usccProblem(code);
      if (problem) ctx.addIssue({ code: 'custom', message: usccProblemMessage(problem) });
    });

/** User text inside a LIKE pattern stays literal: %, _ and the backslash are escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A search box: the (first 100 characters of the) text anywhere in the value. */
export const likeContains = (text: string) => `%${escapeLike(text.slice(0, 100))}%`;

export const likePrefix = (prefix: string) => `${escapeLike(prefix)}%`;

/**
 * Who a product or a policy admits (the input side of services/loan/eligibility.ts); empty or
 * absent lists admit anyone. Policies extend it with their penalty window.
 */
export const eligibilityRules = () =>
  z.object({
    minGrade: z.enum(CreditGrade).nullish(),
    industryCodes: z
      .array(z.string().refine(isValidIndustryFilterCode, '行业代码无效'))
      .max(50, '行业代码最多 50 个')
      .nullish(),
    regionCodes: z
      .array(z.string().refine(isValidRegionCode, '行政区划代码无效'))
      .max(50, '行政区划代码最多 50 个')
      .nullish(),
    sizes: z.array(z.enum(EnterpriseSize)).max(10, '企业规模最多 10 项').nullish(),
    minYearsEstablished: count('成立年限', 0, 100).nullish(),
  });

/** A calendar date YYYY-MM-DD (the Date scalar checks the shape; this names the field in Chinese). */
export const isoDate = (label: string) => z.string().refine(isValidIsoDate, `${label}应为有效日期（YYYY-MM-DD）`);
