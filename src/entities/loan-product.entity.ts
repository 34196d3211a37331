import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { CreditGrade, LoanProductType, ProductStatus, type EnterpriseSize, type RepaymentMethod } from './enums';
import { FinancialInstitution } from './institution.entity';

/**
 * A loan product in the financial supermarket (金融超市). Eligibility lives in columns (not one
 * JSON blob) so the market can filter on it in SQL.
 */
@Entity({ tableName: 'loan_product' })
@Index({ properties: ['status', 'minRate'] })
export class LoanProduct extends BaseEntity {
  @ManyToOne(() => FinancialInstitution, { ref: true, deleteRule: 'cascade' })
  institution!: Ref<FinancialInstitution>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  description!: string;

  @Enum({ items: () => LoanProductType, type: 'text' })
  type!: LoanProductType;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  minAmount!: string;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  maxAmount!: string;

  /** Annual percent, numeric(9,4). */
  @Property({ type: 'decimal', precision: 9, scale: 4 })
  minRate!: string;

  @Property({ type: 'decimal', precision: 9, scale: 4 })
  maxRate!: string;

  @Property({ type: 'integer' })
  minTermMonths!: number;

  @Property({ type: 'integer' })
  maxTermMonths!: number;

  @Property({ type: 'jsonb' })
  repaymentMethods!: RepaymentMethod[];

  /** Lowest acceptable grade; null accepts every grade. */
  @Enum({ items: () => CreditGrade, type: 'text', nullable: true })
  minGrade?: CreditGrade | null;

  /** Empty lists mean any. Codes match hierarchically (C accepts C39; 210000 accepts 210602). */
  @Property({ type: 'jsonb' })
  industryCodes: string[] = [];

  @Property({ type: 'jsonb' })
  regionCodes: string[] = [];

  @Property({ type: 'jsonb' })
  sizes: EnterpriseSize[] = [];

  @Property({ type: 'integer', nullable: true })
  minYearsEstablished?: number | null;

  @Property({ type: 'boolean', default: false })
  guaranteeFundEligible: boolean = false;

  @Enum({ items: () => ProductStatus, type: 'text' })
  status: ProductStatus = ProductStatus.DRAFT;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
