import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { OfferStatus, type RepaymentMethod } from './enums';
import { FinancingDemand } from './financing-demand.entity';
import { FinancialInstitution } from './institution.entity';
import { LoanProduct } from './loan-product.entity';

/**
 * A bank's offer (报价) on a financing demand. The migration adds two partial unique indexes
 * that settle races in the database: one PENDING offer per bank per demand, and one ACCEPTED
 * offer per demand. A PENDING offer past validUntil reads EXPIRED (statusAt).
 */
@Entity({ tableName: 'offer' })
@Index({ properties: ['institution'] })
export class Offer extends BaseEntity {
  @ManyToOne(() => FinancingDemand, { ref: true, deleteRule: 'cascade' })
  demand!: Ref<FinancingDemand>;

  @ManyToOne(() => FinancialInstitution, { ref: true, deleteRule: 'cascade' })
  institution!: Ref<FinancialInstitution>;

  @ManyToOne(() => LoanProduct, { ref: true })
  product!: Ref<LoanProduct>;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amount!: string;

  @Property({ type: 'decimal', precision: 9, scale: 4 })
  rate!: string;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'text' })
  repaymentMethod!: RepaymentMethod;

  @Property({ type: 'text', nullable: true })
  conditions?: string | null;

  @Enum({ items: () => OfferStatus, type: 'text' })
  status: OfferStatus = OfferStatus.PENDING;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  validUntil!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  statusAt(now: Date): OfferStatus {
    return offerStatusAt(this, now);
  }
}

/** The status an offer reads at `now`, for a managed entity or a plain row alike. */
export function offerStatusAt(offer: { status: OfferStatus; validUntil: Date }, now: Date): OfferStatus {
  return offer.status === OfferStatus.PENDING && offer.validUntil.getTime() <= now.getTime()
    ? OfferStatus.EXPIRED
    : offer.status;
}
