import { CreditRecord, Enterprise } from '../entities';
import { Role } from '../entities/enums';
import { recordAudit } from './audit';
import { evaluateEnterprises } from './credit/evaluator';
import { upsertCreditRecords } from './credit/record-upsert';
import { MAX_RECORDS_PER_IMPORT, checkCreditRecord, type CreditRecordRow } from './credit/record-validation';
import { NotFoundError } from './errors';
import { isUuid, pgArray } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { shanghaiDate } from './time';
import { transaction } from './transaction';
import { UserErrorCode, fail, ok, type Result, type UserError } from './user-error';
import { sql } from './sql';

export interface ImportSummary {
  inserted: number;
  updated: number;
  rejected: number;
  errors: UserError[];
  /** Registered enterprises whose evaluation the import refreshed. */
  reevaluated: number;
}

export class CreditRecordService {
  /**
   * Regulators import up to 1,000 records per call. Each record is checked on its own: valid ones
   * are upserted by (source, externalId) in one transaction with the re-evaluation of the
   * registered enterprises they concern; invalid ones come back as userErrors at
   * ["input","records",index,field]. A (source, externalId) repeated within one call is refused
   * (the later copies), since the order of two updates in one statement would be arbitrary.
   */
  async import(ctx: RequestContext, input: { records: unknown[] }): Promise<Result<ImportSummary>> {
    if (input.records.length > MAX_RECORDS_PER_IMPORT) {
      return fail(
        UserErrorCode.LIMIT_EXCEEDED,
        `每次最多导入 ${MAX_RECORDS_PER_IMPORT} 条记录，大批量数据请使用 npm run import:credit`,
        ['input', 'records'],
      );
    }
    const today = shanghaiDate(ctx.now());
    const errors: UserError[] = [];
    const rows: CreditRecordRow[] = [];
    const seen = new Set<string>();
    let rejected = 0;
    input.records.forEach((record, index) => {
      const check = checkCreditRecord(record, today);
      const path = (field: string) => ['input', 'records', String(index), field];
      if (!check.ok) {
        rejected += 1;
        for (const p of check.problems)
          errors.push({ code: UserErrorCode.INVALID, message: p.message, field: path(p.field) });
        return;
      }
      const key = `${check.row.source}\u0000${check.row.external_id}`;
      if (seen.has(key)) {
        rejected += 1;
        errors.push({ code: UserErrorCode.INVALID, message: '同一批次中外部编号重复', field: path('externalId') });
        return;
      }
      seen.add(key);
      rows.push(check.row);
    });
    const outcome = await transaction(ctx, async (em) => {
      const { inserted, updated, usccs } = await upsertCreditRecords(em, rows, ctx.now());
      const enterprises: { id: string }[] = usccs.length
        ? await sql(em, 'select id from enterprise where uscc = any(?::text[])', [pgArray(usccs)])
        : [];
      const reports = enterprises.length
        ? await evaluateEnterprises(em, { ids: enterprises.map((e) => e.id) }, ctx.now())
        : new Map();
      recordAudit(ctx, em, {
        action: 'importCreditRecords',
        targetType: 'CreditRecord',
        detail: { inserted, updated, rejected },
      });
      return ok({ inserted, updated, rejected, errors, reevaluated: reports.size });
    });
    return outcome;
  }

  /** The enterprise's own records, or any enterprise's for regulators; newest first. */
  async list(ctx: RequestContext, enterpriseId: string, page: PageArgs): Promise<Page<CreditRecord>> {
    const { viewer } = ctx;
    const allowed =
      viewer.role === Role.REGULATOR || (viewer.role === Role.ENTERPRISE && viewer.enterpriseId === enterpriseId);
    const enterprise = allowed && isUuid(enterpriseId) ? await ctx.em.findOne(Enterprise, { id: enterpriseId }) : null;
    if (!enterprise) throw new NotFoundError('企业');
    return keysetPage(ctx.em, CreditRecord, page, {
      where: { uscc: enterprise.uscc },
      sortBy: 'occurredOn',
      sortKind: 'day',
      direction: 'desc',
    });
  }
}
