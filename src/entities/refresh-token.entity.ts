import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { User } from './user.entity';

/**
 * An opaque refresh token, stored as a SHA-256 hash. Each rotation creates a new row in the
 * same family; presenting a rotated token again revokes the whole family (theft detection).
 */
@Entity({ tableName: 'refresh_token' })
@Index({ properties: ['family'] })
export class RefreshToken extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ type: 'uuid' })
  family!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
