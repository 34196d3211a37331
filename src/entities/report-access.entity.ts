import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { AuthorizationScope } from './enums';

/** One read of a credit report by a bank or a regulator (征信查询记录), shown to the enterprise. */
@Entity({ tableName: 'report_access' })
@Index({ properties: ['enterpriseId', 'accessedAt'] })
export class ReportAccess {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  enterpriseId!: string;

  @Property({ type: 'uuid' })
  reportId!: string;

  @Property({ type: 'uuid', nullable: true })
  institutionId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  authorizationId?: string | null;

  @Enum({ items: () => AuthorizationScope, type: 'text' })
  scope!: AuthorizationScope;

  @Property({ type: 'text' })
  purpose!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  accessedAt!: Date;
}
