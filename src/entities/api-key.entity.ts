import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { FinancialInstitution } from './institution.entity';
import { User } from './user.entity';

/** A bank system's API key. Only the SHA-256 of the secret is kept; the prefix helps people recognise it. */
@Entity({ tableName: 'api_key' })
@Index({ properties: ['user'] })
export class ApiKey extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @ManyToOne(() => FinancialInstitution, { ref: true, deleteRule: 'cascade' })
  institution!: Ref<FinancialInstitution>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', unique: true, hidden: true })
  keyHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
