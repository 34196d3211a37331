import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Article } from '../entities';
import { ArticleCategory } from '../entities/enums';
import type { GraphQLContext } from '../server/context';
import { toConnection } from '../schema/connection';
import { toPayload } from '../schema/payload';
import { ArticleConnection, ArticlePayload, ArticleType, PublishArticleInput } from '../schema/types/article.type';
import { DepartmentType } from '../schema/types/organisation.type';
import { checkPageArgs } from '../services/pagination';

@Resolver(() => ArticleType)
export class ArticleResolver {
  @Query(() => ArticleConnection, { description: 'Newest first, optionally of one category.' })
  async articles(
    @Ctx() ctx: GraphQLContext,
    @Arg('category', () => ArticleCategory, { nullable: true }) category: ArticleCategory | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await ctx.services.articles.list(ctx, category, checkPageArgs({ first, after })));
  }

  @Query(() => ArticleType, { nullable: true })
  article(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.articles.get(ctx, id);
  }

  @Mutation(() => ArticlePayload)
  async publishArticle(
    @Arg('input', () => PublishArticleInput) input: PublishArticleInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toPayload(await ctx.services.articles.publish(ctx, input), (article) => ({ article }));
  }

  @FieldResolver(() => DepartmentType, { nullable: true })
  department(@Root() article: Article, @Ctx() ctx: GraphQLContext) {
    return article.department ? ctx.loaders.department.load(article.department.id) : null;
  }
}
