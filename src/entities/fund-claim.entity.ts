import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Enterprise } from './enterprise.entity';
import { ClaimStatus, ReviewDecision } from './enums';
import { Policy } from './policy.entity';
import { User } from './user.entity';

/**
 * An enterprise's claim on a policy (政策兑现). One active claim per policy per enterprise: a
 * partial unique index over the statuses that are not REJECTED or WITHDRAWN.
 */
@Entity({ tableName: 'fund_claim' })
@Index({ properties: ['policy', 'status'] })
@Index({ properties: ['enterprise'] })
export class FundClaim extends BaseEntity {
  @ManyToOne(() => Policy, { ref: true })
  policy!: Ref<Policy>;

  @ManyToOne(() => Enterprise, { ref: true })
  enterprise!: Ref<Enterprise>;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  requestedAmount!: string;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  approvedAmount?: string | null;

  @Property({ type: 'text' })
  statement!: string;

  @Enum({ items: () => ClaimStatus, type: 'text' })
  status: ClaimStatus = ClaimStatus.SUBMITTED;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publicityEndsAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disbursedAt?: Date | null;

  /** The payment's reference (e.g. the treasury voucher number) when disbursed. */
  @Property({ type: 'text', nullable: true })
  paymentReference?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  submittedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/**
 * One status change of a claim, kept for good (the claim's history). Reviews are the entries with
 * a decision; the others record submission, withdrawal, publicity and payment.
 */
@Entity({ tableName: 'fund_claim_event' })
@Index({ properties: ['claim', 'at'] })
export class FundClaimEvent extends BaseEntity {
  @ManyToOne(() => FundClaim, { ref: true, deleteRule: 'cascade' })
  claim!: Ref<FundClaim>;

  @Enum({ items: () => ClaimStatus, type: 'text' })
  status!: ClaimStatus;

  @ManyToOne(() => User, { ref: true })
  actor!: Ref<User>;

  @Enum({ items: () => ReviewDecision, type: 'text', nullable: true })
  decision?: ReviewDecision | null;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  approvedAmount?: string | null;

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;
}
