import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { LoanEventType } from './enums';
import { Loan } from './loan.entity';

/** One change in a loan's life (贷后记录); written in the transaction that makes the change. */
@Entity({ tableName: 'loan_event' })
@Index({ properties: ['loan', 'createdAt'] })
export class LoanEvent extends BaseEntity {
  @ManyToOne(() => Loan, { ref: true, deleteRule: 'cascade' })
  loan!: Ref<Loan>;

  @Enum({ items: () => LoanEventType, type: 'text' })
  type!: LoanEventType;

  /** The money moved: credit granted, disbursed, repaid (principal + interest) or compensated. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  amount?: string | null;

  /** Repayments only: the principal and interest parts of `amount`. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  principal?: string | null;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  interest?: string | null;

  @Property({ type: 'date' })
  occurredOn!: string;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
