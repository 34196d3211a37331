import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { CreditModelStatus, type CreditGrade } from './enums';

/**
 * A versioned credit model: relative weights per indicator and the grade bands. At most one is
 * ACTIVE (a partial unique index in the migration).
 */
@Entity({ tableName: 'credit_model' })
export class CreditModel extends BaseEntity {
  @Property({ type: 'text', unique: true })
  version!: string;

  @Enum({ items: () => CreditModelStatus, type: 'text' })
  status!: CreditModelStatus;

  @Property({ type: 'jsonb' })
  weights!: Record<string, number>;

  @Property({ type: 'jsonb' })
  gradeBands!: { grade: CreditGrade; minScore: number }[];

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  activatedAt?: Date | null;
}
