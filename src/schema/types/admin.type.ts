import { Field, ID, InputType } from 'type-graphql';
import { InstitutionType, Role } from '../../entities/enums';
import { SingleResultPayload } from '../payload';
import { DepartmentType, FinancialInstitutionType } from './organisation.type';
import { UserType } from './user.type';

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field()
  login!: string;

  @Field()
  password!: string;

  @Field()
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'Required for BANK users.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Required for REGULATOR users.' })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Required for ENTERPRISE users.' })
  enterpriseId?: string | null;
}

export const CreateUserPayload = SingleResultPayload('CreateUserPayload', 'user', UserType);

@InputType('CreateInstitutionInput')
export class CreateInstitutionInput {
  @Field()
  name!: string;

  @Field(() => InstitutionType)
  type!: InstitutionType;

  @Field()
  regionCode!: string;
}

export const CreateInstitutionPayload = SingleResultPayload(
  'CreateInstitutionPayload',
  'institution',
  FinancialInstitutionType,
);

@InputType('CreateDepartmentInput')
export class CreateDepartmentInput {
  @Field()
  name!: string;

  @Field()
  regionCode!: string;
}

export const CreateDepartmentPayload = SingleResultPayload('CreateDepartmentPayload', 'department', DepartmentType);
