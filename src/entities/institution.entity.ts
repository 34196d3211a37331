import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { InstitutionType } from './enums';

/** A bank or other financial institution (金融机构); bank users belong to one. */
@Entity({ tableName: 'financial_institution' })
export class FinancialInstitution extends BaseEntity {
  @Property({ type: 'text', unique: true })
  name!: string;

  @Enum({ items: () => InstitutionType, type: 'text' })
  type!: InstitutionType;

  @Property({ type: 'text' })
  regionCode!: string;
}
