import { ArrayType, Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Enterprise } from './enterprise.entity';
import { DemandStatus, type LoanProductType } from './enums';
import { Offer } from './offer.entity';

/**
 * An enterprise's financing demand (融资需求) that banks bid on. EXPIRED is not stored: an OPEN
 * demand past expiresAt reads EXPIRED (statusAt), so no job has to run for it.
 */
@Entity({ tableName: 'financing_demand' })
@Index({ properties: ['enterprise', 'status'] })
export class FinancingDemand extends BaseEntity {
  @ManyToOne(() => Enterprise, { ref: true, deleteRule: 'cascade' })
  enterprise!: Ref<Enterprise>;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amount!: string;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'text' })
  purpose!: string;

  /** The highest annual rate (percent) the enterprise will accept. */
  @Property({ type: 'decimal', precision: 9, scale: 4, nullable: true })
  maxRate?: string | null;

  /** text[]: the market matches it against a bank's product types with && (overlap). */
  @Property({ type: ArrayType, columnType: 'text[]' })
  acceptedTypes!: LoanProductType[];

  @Enum({ items: () => DemandStatus, type: 'text' })
  status: DemandStatus = DemandStatus.OPEN;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  /** Inverse side, for filters only (`$some`: the demands a bank bid on); never loaded whole. */
  @OneToMany(() => Offer, (offer) => offer.demand)
  offers = new Collection<Offer>(this);

  statusAt(now: Date): DemandStatus {
    return demandStatusAt(this, now);
  }
}

/** The status a demand reads at `now`, for a managed entity or a plain row alike. */
export function demandStatusAt(demand: { status: DemandStatus; expiresAt: Date }, now: Date): DemandStatus {
  return demand.status === DemandStatus.OPEN && demand.expiresAt.getTime() <= now.getTime()
    ? DemandStatus.EXPIRED
    : demand.status;
}
