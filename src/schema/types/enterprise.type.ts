import { Field, ID, ObjectType } from 'type-graphql';
import { EnterpriseSize, VerificationStatus } from '../../entities/enums';
import { Connection } from '../connection';
import { DateScalar, DecimalScalar } from '../scalars';

/**
 * The public face of an enterprise. Sensitive fields (legalRepresentative, employees,
 * annualRevenue) are not declared here: EnterpriseResolver resolves them through the access
 * check, so no default property read can leak them.
 */
@ObjectType('Enterprise', {
  description:
    'An enterprise (企业). Sensitive fields are masked or null unless the viewer is the enterprise itself, a regulator, or a bank it has authorised.',
})
export class EnterpriseType {
  @Field(() => ID)
  id!: string;

  @Field({
    description: 'Unified Social Credit Code (统一社会信用代码), 18 characters, check digit per GB 32100-2015.',
  })
  uscc!: string;

  @Field()
  name!: string;

  @Field({ description: 'National industry classification code (GB/T 4754), e.g. C39.' })
  industryCode!: string;

  @Field({ description: 'Administrative division code (GB/T 2260), 6 digits, e.g. 210600 for Dandong.' })
  regionCode!: string;

  @Field(() => EnterpriseSize)
  size!: EnterpriseSize;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => DecimalScalar, { nullable: true })
  registeredCapital!: string | null;

  @Field(() => VerificationStatus)
  verificationStatus!: VerificationStatus;

  @Field(() => Date)
  createdAt!: Date;
}

export const EnterpriseConnection = Connection(EnterpriseType, 'Enterprise');
