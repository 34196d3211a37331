import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Department } from './department.entity';
import { CreditGrade, PolicyCategory, PolicyStatus, type EnterpriseSize } from './enums';

/**
 * A support policy (惠企政策) a department publishes and pays claims against. Eligibility lives in
 * columns like a loan product's, plus "no administrative penalty within N months". The
 * migration's CHECK keeps budgetCommitted within 0..budget whatever the code does.
 */
@Entity({ tableName: 'policy' })
@Index({ properties: ['department', 'status'] })
export class Policy extends BaseEntity {
  @ManyToOne(() => Department, { ref: true })
  department!: Ref<Department>;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  summary!: string;

  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: () => PolicyCategory, type: 'text' })
  category!: PolicyCategory;

  @Enum({ items: () => CreditGrade, type: 'text', nullable: true })
  minGrade?: CreditGrade | null;

  @Property({ type: 'jsonb' })
  industryCodes: string[] = [];

  @Property({ type: 'jsonb' })
  regionCodes: string[] = [];

  @Property({ type: 'jsonb' })
  sizes: EnterpriseSize[] = [];

  @Property({ type: 'integer', nullable: true })
  minYearsEstablished?: number | null;

  /** No administrative penalty (credit record ADMIN_PENALTY) within this many months. */
  @Property({ type: 'integer', nullable: true })
  noPenaltyMonths?: number | null;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  maxAmountPerClaim!: string;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  budget!: string;

  /** Σ approved amounts of claims not rejected or withdrawn; raised in one conditional UPDATE. */
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  budgetCommitted: string = '0.00';

  @Property({ type: 'date' })
  applyFrom!: string;

  @Property({ type: 'date' })
  applyUntil!: string;

  @Enum({ items: () => PolicyStatus, type: 'text' })
  status: PolicyStatus = PolicyStatus.DRAFT;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
