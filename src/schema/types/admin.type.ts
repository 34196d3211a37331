import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { InstitutionType, Role } from '../../entities/enums';
import { UserErrorType } from '../user-error.type';
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

@ObjectType('CreateUserPayload')
export class CreateUserPayload {
  @Field(() => UserType, { nullable: true })
  user?: UserType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('CreateInstitutionInput')
export class CreateInstitutionInput {
  @Field()
  name!: string;

  @Field(() => InstitutionType)
  type!: InstitutionType;

  @Field()
  regionCode!: string;
}

@ObjectType('CreateInstitutionPayload')
export class CreateInstitutionPayload {
  @Field(() => FinancialInstitutionType, { nullable: true })
  institution?: FinancialInstitutionType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('CreateDepartmentInput')
export class CreateDepartmentInput {
  @Field()
  name!: string;

  @Field()
  regionCode!: string;
}

@ObjectType('CreateDepartmentPayload')
export class CreateDepartmentPayload {
  @Field(() => DepartmentType, { nullable: true })
  department?: DepartmentType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}
