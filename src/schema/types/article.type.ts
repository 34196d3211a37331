import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ArticleCategory } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';

/** department is a field resolver. */
@ObjectType('Article')
export class ArticleType {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => ArticleCategory)
  category!: ArticleCategory;

  @Field(() => Date)
  publishedAt!: Date;
}

export const ArticleConnection = Connection(ArticleType, 'Article');

@InputType('PublishArticleInput')
export class PublishArticleInput {
  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => ArticleCategory)
  category!: ArticleCategory;
}

export const ArticlePayload = SingleResultPayload('ArticlePayload', 'article', ArticleType);
