import { Entity, Enum, Index, ManyToOne, OneToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Enterprise } from './enterprise.entity';
import { LoanStatus, type RepaymentMethod } from './enums';
import { FinancingDemand } from './financing-demand.entity';
import { GuaranteeFund } from './guarantee-fund.entity';
import { FinancialInstitution } from './institution.entity';
import { LoanProduct } from './loan-product.entity';
import { Offer } from './offer.entity';

/**
 * A loan from offer accepted to settled. Money columns are numeric; the migration's CHECKs keep
 * disbursed ≤ credit amount and 0 ≤ outstanding ≤ disbursed whatever the code does.
 */
@Entity({ tableName: 'loan' })
@Index({ properties: ['institution', 'status'] })
@Index({ properties: ['enterprise', 'status'] })
export class Loan extends BaseEntity {
  @ManyToOne(() => Enterprise, { ref: true })
  enterprise!: Ref<Enterprise>;

  @ManyToOne(() => FinancialInstitution, { ref: true })
  institution!: Ref<FinancialInstitution>;

  @ManyToOne(() => LoanProduct, { ref: true })
  product!: Ref<LoanProduct>;

  @OneToOne(() => FinancingDemand, { ref: true, nullable: true, owner: true, unique: true })
  demand?: Ref<FinancingDemand> | null;

  @OneToOne(() => Offer, { ref: true, nullable: true, owner: true, unique: true })
  offer?: Ref<Offer> | null;

  @Enum({ items: () => LoanStatus, type: 'text' })
  status: LoanStatus = LoanStatus.PENDING;

  /** 授信额度: set when credit is granted. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  creditAmount?: string | null;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  disbursedAmount: string = '0.00';

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  outstandingPrincipal: string = '0.00';

  @Property({ type: 'decimal', precision: 9, scale: 4 })
  rate!: string;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'text' })
  repaymentMethod!: RepaymentMethod;

  @Property({ type: 'date', nullable: true })
  grantedOn?: string | null;

  /** The first disbursement: the schedule starts here. */
  @Property({ type: 'date', nullable: true })
  disbursedOn?: string | null;

  @Property({ type: 'date', nullable: true })
  maturityDate?: string | null;

  @Property({ type: 'integer' })
  daysOverdue: number = 0;

  /** The guarantee fund covering the loan, fixed at grant (see DESIGN.md, Precise answers). */
  @ManyToOne(() => GuaranteeFund, { ref: true, nullable: true })
  guaranteeFund?: Ref<GuaranteeFund> | null;

  @Property({ type: 'integer', nullable: true })
  fundSharePercent?: number | null;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  coveredAmount?: string | null;

  /** Null until the bank claims compensation; a claim is paid once. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  compensatedAmount?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
