import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { CreditGrade } from './enums';

export interface StoredIndicator {
  code: string;
  name: string;
  category: string;
  value: string | null;
  points: number;
  maxPoints: number;
  reasonCode: string | null;
}

/**
 * A credit evaluation of one enterprise under one model version, kept whole (every indicator's
 * value and points) so any past report can be explained. Written in bulk by the evaluator.
 */
@Entity({ tableName: 'credit_report' })
@Index({ properties: ['enterpriseId', 'generatedAt'] })
export class CreditReport {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  enterpriseId!: string;

  @Property({ type: 'uuid' })
  modelId!: string;

  @Property({ type: 'text' })
  modelVersion!: string;

  @Property({ type: 'integer' })
  score!: number;

  @Enum({ items: () => CreditGrade, type: 'text' })
  grade!: CreditGrade;

  @Property({ type: 'jsonb' })
  indicators!: StoredIndicator[];

  @Property({ type: 'jsonb' })
  reasonCodes!: string[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  dataAsOf!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  generatedAt!: Date;
}
