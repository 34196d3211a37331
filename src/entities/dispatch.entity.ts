import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { DispatchStatus } from './enums';
import { FinancialInstitution } from './institution.entity';
import { LoanProduct } from './loan-product.entity';
import { WhitelistEntry } from './whitelist.entity';

/** A whitelist entry assigned to one bank (派单), with why that bank was chosen. */
@Entity({ tableName: 'dispatch' })
@Index({ properties: ['institution', 'status'] })
@Index({ properties: ['entry'] })
export class Dispatch extends BaseEntity {
  @ManyToOne(() => WhitelistEntry, { ref: true, deleteRule: 'cascade' })
  entry!: Ref<WhitelistEntry>;

  @ManyToOne(() => FinancialInstitution, { ref: true })
  institution!: Ref<FinancialInstitution>;

  /** The product the enterprise was matched to at dispatch. */
  @ManyToOne(() => LoanProduct, { ref: true, nullable: true })
  product?: Ref<LoanProduct> | null;

  @Enum({ items: () => DispatchStatus, type: 'text' })
  status: DispatchStatus = DispatchStatus.PENDING;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  assignedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  respondedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
