import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { AuthorizationScope, AuthorizationStatus } from './enums';

/** An enterprise's consent (授权) for one institution to read its credit report until it expires. */
@Entity({ tableName: 'credit_authorization' })
@Index({ properties: ['enterpriseId', 'institutionId'] })
@Index({ properties: ['institutionId'] })
export class CreditAuthorization extends BaseEntity {
  @Property({ type: 'uuid' })
  enterpriseId!: string;

  @Property({ type: 'uuid' })
  institutionId!: string;

  @Enum({ items: () => AuthorizationScope, type: 'text' })
  scope!: AuthorizationScope;

  @Property({ type: 'text' })
  purpose!: string;

  /** The financing demand the consent is for, when there is one (no FK: demands come later). */
  @Property({ type: 'uuid', nullable: true })
  demandId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  grantedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  /** Computed from the clock: no job needs to run for consent to lapse. */
  statusAt(now: Date): AuthorizationStatus {
    if (this.revokedAt) return AuthorizationStatus.REVOKED;
    return this.expiresAt.getTime() <= now.getTime() ? AuthorizationStatus.EXPIRED : AuthorizationStatus.ACTIVE;
  }
}
