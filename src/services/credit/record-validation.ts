import Decimal from 'decimal.js';
import { z } from 'zod';
import { CreditDataSource } from '../../entities/enums';
import { isValidIsoDate } from '../time';
import { decimalText, uscc } from '../validation';
import { RECORD_KINDS } from './record-kinds';

export const MAX_RECORDS_PER_IMPORT = 1000;

/** A record ready to upsert (the columns of credit_record, snake-cased for set-based SQL). */
export interface CreditRecordRow {
  uscc: string;
  source: CreditDataSource;
  kind: string;
  external_id: string;
  period: string | null;
  amount: string | null;
  description: string | null;
  occurred_on: string;
  subject_name: string | null;
  legal_representative: string | null;
}

const HEADCOUNT_KINDS = new Set(['EMPLOYEES_INSURED', 'HOUSING_FUND_CONTRIBUTORS']);
const TAX_CREDIT_LEVELS = ['A', 'B', 'M', 'C', 'D'];

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字符`)
    .nullish()
    .transform((v) => (v ? v : null));

function recordSchema(today: string) {
  return z
    .object({
      uscc: uscc(),
      source: z.enum(CreditDataSource, '数据来源无效'),
      kind: z
        .string()
        .trim()
        .regex(/^[A-Z][A-Z0-9_]{1,63}$/, '记录类型应为大写字母、数字和下划线，如 VAT_PAID'),
      externalId: z.string().trim().min(1, '外部编号不能为空').max(128, '外部编号不能超过 128 个字符'),
      period: z
        .string()
        .trim()
        .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, '所属期应为 2026、2026-10、2026-Q3 或 2026-H1')
        .nullish()
        .transform((v) => v ?? null),
      amount: z
        .unknown()
        .optional()
        .transform((v, ctx) => {
          if (v === null || v === undefined) return null;
          const text = decimalText(v);
          if (text === null) ctx.addIssue({ code: 'custom', message: '金额应为十进制数字，如 "1250000.00"' });
          return text;
        })
        .superRefine((v, ctx) => {
          if (v === null) return;
          const d = new Decimal(v);
          if (d.decimalPlaces() > 2) ctx.addIssue({ code: 'custom', message: '金额最多保留两位小数' });
          else if (d.isNegative()) ctx.addIssue({ code: 'custom', message: '金额不能为负数' });
          else if (d.gte('1e16')) ctx.addIssue({ code: 'custom', message: '金额超出上限' });
        }),
      description: optionalText('说明', 2000),
      occurredOn: z
        .string()
        .refine(isValidIsoDate, '发生日期应为 YYYY-MM-DD')
        .refine((d) => d >= '1900-01-01', '发生日期无效')
        .refine((d) => d <= today, '发生日期不能晚于今天'),
      subjectName: optionalText('登记名称', 100),
      legalRepresentative: optionalText('法定代表人', 50),
    })
    .superRefine((r, ctx) => {
      const expected = RECORD_KINDS[r.kind as keyof typeof RECORD_KINDS];
      if (expected && expected !== r.source) {
        ctx.addIssue({ code: 'custom', path: ['kind'], message: `${r.kind} 应来自 ${expected}` });
      }
      if (r.kind === 'BUSINESS_REGISTRATION') {
        if (!r.subjectName) ctx.addIssue({ code: 'custom', path: ['subjectName'], message: '登记记录须有登记名称' });
        if (!r.legalRepresentative) {
          ctx.addIssue({ code: 'custom', path: ['legalRepresentative'], message: '登记记录须有法定代表人' });
        }
      }
      if (HEADCOUNT_KINDS.has(r.kind) && (r.amount === null || !new Decimal(r.amount).isInteger())) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: '人数应为整数' });
      }
      if (r.kind === 'TAX_CREDIT_LEVEL' && !TAX_CREDIT_LEVELS.includes(r.description ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['description'], message: '纳税信用等级应为 A、B、M、C 或 D' });
      }
    });
}

export type RecordCheck =
  { ok: true; row: CreditRecordRow } | { ok: false; problems: { field: string; message: string }[] };

/**
 * Validates one record as it arrives (GraphQL input or a line of a bulk file); the same rules
 * for both paths. `today` is the Asia/Shanghai date: nothing may have happened tomorrow.
 */
let cached: { today: string; schema: ReturnType<typeof recordSchema> } | undefined;

export function checkCreditRecord(input: unknown, today: string): RecordCheck {
  // Building the schema costs far more than using it: keep one per day (files run to millions of rows).
  if (cached?.today !== today) cached = { today, schema: recordSchema(today) };
  const parsed = cached.schema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'record'), message: i.message })),
    };
  }
  const r = parsed.data;
  return {
    ok: true,
    row: {
      uscc: r.uscc,
      source: r.source,
      kind: r.kind,
      external_id: r.externalId,
      period: r.period,
      amount: r.amount === null ? null : new Decimal(r.amount).toFixed(2),
      description: r.description,
      occurred_on: r.occurredOn,
      subject_name: r.subjectName,
      legal_representative: r.legalRepresentative,
    },
  };
}
