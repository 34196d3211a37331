import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { CreditGrade, EnterpriseSize, VerificationStatus } from '../../entities/enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { SingleResultPayload } from '../payload';
import { UserErrorType } from '../user-error.type';
import { EnterpriseType } from './enterprise.type';
import { UserType } from './user.type';

@InputType('EnterpriseFilter')
export class EnterpriseFilterInput {
  @Field(() => String, { nullable: true, description: 'Part of the name, or the start of the USCC.' })
  search?: string | null;

  @Field(() => [String], { nullable: true, description: 'A province or city code includes the places in it.' })
  regionCodes?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'A section (C) or division (C39) includes the codes under it.',
  })
  industryCodes?: string[] | null;

  @Field(() => [EnterpriseSize], { nullable: true })
  sizes?: EnterpriseSize[] | null;

  @Field(() => [CreditGrade], { nullable: true })
  grades?: CreditGrade[] | null;

  @Field(() => VerificationStatus, { nullable: true })
  verificationStatus?: VerificationStatus | null;
}

@InputType('RegisterEnterpriseInput', {
  description: 'Self-registration of an enterprise and its first user (no sign-in needed).',
})
export class RegisterEnterpriseInput {
  @Field()
  uscc!: string;

  @Field()
  name!: string;

  @Field()
  legalRepresentative!: string;

  @Field()
  industryCode!: string;

  @Field()
  regionCode!: string;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => DecimalScalar, { nullable: true })
  registeredCapital?: string | null;

  @Field(() => Int, { nullable: true })
  employees?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  annualRevenue?: string | null;

  @Field()
  login!: string;

  @Field()
  password!: string;

  @Field()
  displayName!: string;
}

@ObjectType('RegisterEnterprisePayload')
export class RegisterEnterprisePayload {
  @Field(() => EnterpriseType, { nullable: true })
  enterprise?: EnterpriseType | null;

  @Field(() => UserType, { nullable: true })
  user?: UserType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('UpdateEnterpriseProfileInput')
export class UpdateEnterpriseProfileInput {
  @Field(() => Int, { nullable: true })
  employees?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  annualRevenue?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  registeredCapital?: string | null;
}

export const UpdateEnterpriseProfilePayload = SingleResultPayload(
  'UpdateEnterpriseProfilePayload',
  'enterprise',
  EnterpriseType,
);

export const VerifyEnterprisePayload = SingleResultPayload('VerifyEnterprisePayload', 'enterprise', EnterpriseType);
