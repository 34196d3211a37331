import { Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Department } from './department.entity';

/** A department's list of enterprises to be served (白名单), dispatched to banks. */
@Entity({ tableName: 'whitelist' })
export class Whitelist extends BaseEntity {
  @ManyToOne(() => Department, { ref: true })
  department!: Ref<Department>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'integer' })
  entryCount: number = 0;
}

/** One enterprise on a whitelist, by USCC; it links to the enterprise once one registers with it. */
@Entity({ tableName: 'whitelist_entry' })
@Unique({ properties: ['whitelist', 'uscc'] })
@Index({ properties: ['uscc'] })
export class WhitelistEntry extends BaseEntity {
  @ManyToOne(() => Whitelist, { ref: true, deleteRule: 'cascade' })
  whitelist!: Ref<Whitelist>;

  /** The entry's place in the uploaded list (pagination follows it). */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  uscc!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
