import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Department } from './department.entity';
import { ArticleCategory } from './enums';
import { User } from './user.entity';

/** A risk alert (风险提示), policy news or notice published by a department. */
@Entity({ tableName: 'article' })
@Index({ properties: ['category', 'publishedAt'] })
export class Article extends BaseEntity {
  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: () => ArticleCategory, type: 'text' })
  category!: ArticleCategory;

  @ManyToOne(() => Department, { ref: true, nullable: true })
  department?: Ref<Department> | null;

  @ManyToOne(() => User, { ref: true, nullable: true })
  author?: Ref<User> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  publishedAt!: Date;
}
