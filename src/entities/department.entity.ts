import { Entity, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';

/** A government department (政府部门); regulators belong to one. */
@Entity({ tableName: 'department' })
export class Department extends BaseEntity {
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  regionCode!: string;
}
