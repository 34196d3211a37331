import { z } from 'zod';
import { Department, Whitelist, WhitelistEntry } from '../entities';
import { recordAudit } from './audit';
import { pgArray } from './ids';
import { encodeCursor, keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { sql } from './sql';
import { transaction } from './transaction';
import { UserErrorCode, fail, failMany, ok, parseInput, type Result, type UserError } from './user-error';
import { text, uscc } from './validation';

export const MAX_WHITELIST_ENTRIES = 10_000;

const usccCode = uscc();

const entryInput = z.object({
  uscc: usccCode,
  name: text('企业名称', 1, 100),
  note: text('备注', 0, 500).nullish(),
});

const uploadInput = z.object({
  name: text('名单名称', 2, 100),
  description: text('名单说明', 0, 2000).nullish(),
  entries: z.array(entryInput).min(1, '名单至少包含一家企业'),
});

/** Blank optional text is no text. */
const orNull = (value: string | null | undefined) => (value ? value : null);

/**
 * A USCC repeated within one list: the later copies are refused. Only codes that pass their own
 * check take part (the others already carry an error), so every problem comes back at once.
 */
function duplicateErrors(entries: unknown[]): UserError[] {
  const seen = new Map<string, number>();
  const errors: UserError[] = [];
  entries.forEach((entry, index) => {
    const code = usccCode.safeParse((entry as { uscc?: unknown } | null)?.uscc);
    if (!code.success) return;
    const first = seen.get(code.data);
    if (first === undefined) seen.set(code.data, index);
    else
      errors.push({
        code: UserErrorCode.INVALID,
        message: `统一社会信用代码与第 ${first + 1} 条重复`,
        field: ['input', 'entries', String(index), 'uscc'],
      });
  });
  return errors;
}

/** Whitelists (白名单): a department's lists of enterprises to be served, uploaded by its regulators. */
export class WhitelistService {
  /**
   * Checks the whole list before writing anything; the entries go in with one statement,
   * whatever their number, numbered by their place in the upload (0-based).
   */
  async upload(ctx: RequestContext, input: { entries?: unknown }): Promise<Result<Whitelist>> {
    const raw = Array.isArray(input.entries) ? input.entries : [];
    if (raw.length > MAX_WHITELIST_ENTRIES) {
      return fail(
        UserErrorCode.LIMIT_EXCEEDED,
        `每份名单最多 ${MAX_WHITELIST_ENTRIES} 家企业，本次上传 ${raw.length} 家，请拆分后上传`,
        ['input', 'entries'],
      );
    }
    const parsed = parseInput(uploadInput, input);
    const duplicates = duplicateErrors(raw);
    if (!parsed.ok || duplicates.length) return failMany([...(parsed.ok ? [] : parsed.errors), ...duplicates]);
    const data = parsed.value;
    return transaction(ctx, async (em) => {
      const whitelist = em.create(Whitelist, {
        department: em.getReference(Department, ctx.viewer.departmentId!),
        name: data.name,
        description: orNull(data.description),
        entryCount: data.entries.length,
        createdAt: ctx.now(),
      });
      // The entries reference the list: it must be in the table before they are.
      await em.flush();
      const rows = data.entries.map((e, position) => ({ position, uscc: e.uscc, name: e.name, note: orNull(e.note) }));
      await sql(
        em,
        `insert into whitelist_entry (id, created_at, whitelist_id, position, uscc, name, note)
         select gen_random_uuid(), ?::timestamptz, ?::uuid, x.position, x.uscc, x.name, x.note
         from jsonb_to_recordset(?::jsonb) as x(position int, uscc text, name text, note text)`,
        [ctx.now().toISOString(), whitelist.id, JSON.stringify(rows)],
      );
      recordAudit(ctx, em, {
        action: 'uploadWhitelist',
        targetType: 'Whitelist',
        targetId: whitelist.id,
        detail: { entries: rows.length },
      });
      return ok(whitelist);
    });
  }

  /** The viewer's department's lists, newest first. */
  list(ctx: RequestContext, page: PageArgs): Promise<Page<Whitelist>> {
    return keysetPage(ctx.em, Whitelist, page, {
      where: { department: ctx.viewer.departmentId },
      sortBy: 'createdAt',
      direction: 'desc',
    });
  }

  /** A list's entries in upload order (callers only hold lists the viewer may see). */
  entries(ctx: RequestContext, whitelist: Whitelist, page: PageArgs): Promise<Page<WhitelistEntry>> {
    return keysetPage(ctx.em, WhitelistEntry, page, {
      where: { whitelist: whitelist.id },
      sortBy: 'position',
      sortKind: 'number',
      direction: 'asc',
    });
  }

  /**
   * First pages of Whitelist.entries for many lists in one statement, in upload order. The
   * cursors are the ones `entries` reads, so the next page continues where this one ends.
   */
  async firstEntryPages(
    ctx: RequestContext,
    whitelistIds: readonly string[],
    first: number,
  ): Promise<Map<string, Page<WhitelistEntry>>> {
    const rows = whitelistIds.length
      ? await sql<Record<string, unknown>>(
          ctx.em,
          `select * from (
             select e.*, row_number() over (partition by e.whitelist_id order by e.position, e.id) as page_row__,
                    count(*) over (partition by e.whitelist_id) as page_total__
             from whitelist_entry e where e.whitelist_id = any(?::uuid[])
           ) x where page_row__ <= ? order by whitelist_id, position, id`,
          [pgArray(whitelistIds), first + 1],
        )
      : [];
    const grouped = new Map<string, { nodes: WhitelistEntry[]; total: number }>();
    for (const { page_row__: _row, page_total__: total, ...data } of rows) {
      const id = String(data.whitelist_id);
      const group = grouped.get(id) ?? { nodes: [], total: Number(total) };
      group.nodes.push(ctx.em.map(WhitelistEntry, data as never));
      grouped.set(id, group);
    }
    return new Map(
      whitelistIds.map((id) => {
        const { nodes, total } = grouped.get(id) ?? { nodes: [], total: 0 };
        const shown = nodes.slice(0, first);
        const page: Page<WhitelistEntry> = {
          edges: shown.map((node) => ({ node, cursor: encodeCursor(node.position, node.id) })),
          hasNextPage: nodes.length > first,
          hasPreviousPage: false,
          totalCount: Promise.resolve(total),
        };
        return [id, page];
      }),
    );
  }
}
