import { Field, ID, ObjectType } from 'type-graphql';
import { InstitutionType } from '../../entities/enums';
import { Connection } from '../connection';

@ObjectType('FinancialInstitution', {
  description: 'A bank or other financial institution (金融机构) on the platform.',
})
export class FinancialInstitutionType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => InstitutionType)
  type!: InstitutionType;

  @Field()
  regionCode!: string;

  @Field(() => Date)
  createdAt!: Date;
}

export const FinancialInstitutionConnection = Connection(FinancialInstitutionType, 'FinancialInstitution');

@ObjectType('Department', {
  description: 'A government department (政府部门), e.g. the development and reform commission or the finance bureau.',
})
export class DepartmentType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  regionCode!: string;

  @Field(() => Date)
  createdAt!: Date;
}
