import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { CommitmentStatus } from './enums';

/** A signed credit commitment letter (信用承诺书), publicly listed. */
@Entity({ tableName: 'credit_commitment' })
@Index({ properties: ['enterpriseId'] })
export class CreditCommitment extends BaseEntity {
  @Property({ type: 'uuid' })
  enterpriseId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  content!: string;

  @Enum({ items: () => CommitmentStatus, type: 'text' })
  status!: CommitmentStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  signedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
