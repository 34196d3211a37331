import type { FilterQuery } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Article } from '../entities';
import { ArticleCategory } from '../entities/enums';
import { recordAudit } from './audit';
import { isUuid } from './ids';
import { keysetPage, type Page, type PageArgs } from './pagination';
import type { RequestContext } from './request-context';
import { transaction } from './transaction';
import { ok, parseInput, type Result } from './user-error';
import { text } from './validation';

const publishInput = z.object({
  title: text('标题', 2, 200),
  body: text('正文', 1, 20_000),
  category: z.enum(ArticleCategory),
});

/** Risk alerts (风险提示), policy news, case studies and notices: regulators publish, everyone reads. */
export class ArticleService {
  /** A regulator publishes in the name of its department; the audit event commits with the article. */
  async publish(ctx: RequestContext, input: unknown): Promise<Result<Article>> {
    const parsed = parseInput(publishInput, input);
    if (!parsed.ok) return parsed;
    const data = parsed.value;
    return transaction(ctx, async (em) => {
      const now = ctx.now();
      const article = em.create(Article, {
        title: data.title,
        body: data.body,
        category: data.category,
        department: ctx.viewer.departmentId,
        author: ctx.viewer.userId,
        publishedAt: now,
        createdAt: now,
      });
      recordAudit(ctx, em, {
        action: 'publishArticle',
        targetType: 'Article',
        targetId: article.id,
        detail: { category: data.category },
      });
      return ok(article);
    });
  }

  /** Newest first, optionally of one category (keyset pages on published_at, id). */
  list(ctx: RequestContext, category: ArticleCategory | null | undefined, page: PageArgs): Promise<Page<Article>> {
    const where: FilterQuery<Article> = category ? { category } : {};
    return keysetPage(ctx.em, Article, page, { where, sortBy: 'publishedAt', direction: 'desc' });
  }

  /** A malformed id names no article: null, like an unknown one. */
  async get(ctx: RequestContext, id: string): Promise<Article | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Article, { id });
  }
}
