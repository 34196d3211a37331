import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Department } from './department.entity';
import { Enterprise } from './enterprise.entity';
import { Role } from './enums';
import { FinancialInstitution } from './institution.entity';

/**
 * A person who signs in. The organisation matches the role (an ENTERPRISE user has an
 * enterprise, a BANK user an institution, a REGULATOR a department); the migration adds a
 * CHECK so the database holds that too.
 */
@Entity({ tableName: 'app_user' })
@Index({ properties: ['enterprise'] })
@Index({ properties: ['institution'] })
export class User extends BaseEntity {
  /** Stored lower-case; logins are compared case-insensitively. */
  @Property({ type: 'text', unique: true })
  login!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Enum({ items: () => Role, type: 'text' })
  role!: Role;

  @ManyToOne(() => Enterprise, { nullable: true, ref: true, deleteRule: 'restrict' })
  enterprise?: Ref<Enterprise> | null;

  @ManyToOne(() => FinancialInstitution, { nullable: true, ref: true, deleteRule: 'restrict' })
  institution?: Ref<FinancialInstitution> | null;

  @ManyToOne(() => Department, { nullable: true, ref: true, deleteRule: 'restrict' })
  department?: Ref<Department> | null;
}
