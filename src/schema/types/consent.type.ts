import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AuthorizationScope, CommitmentStatus, RiskLevel } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';

/** enterprise, institution and status are field resolvers (batched; status reads the clock). */
@ObjectType('CreditAuthorization', {
  description: "An enterprise's consent (授权) for one institution to read its credit report until it expires.",
})
export class CreditAuthorizationType {
  @Field(() => ID)
  id!: string;

  @Field(() => AuthorizationScope)
  scope!: AuthorizationScope;

  @Field()
  purpose!: string;

  @Field(() => Date)
  grantedAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export const CreditAuthorizationConnection = Connection(CreditAuthorizationType, 'CreditAuthorization');

@InputType('GrantCreditAuthorizationInput')
export class GrantCreditAuthorizationInput {
  @Field(() => ID)
  institutionId!: string;

  @Field(() => AuthorizationScope)
  scope!: AuthorizationScope;

  @Field()
  purpose!: string;

  @Field(() => Int, { description: '1..365' })
  validDays!: number;

  @Field(() => ID, { nullable: true })
  demandId?: string | null;
}

export const GrantCreditAuthorizationPayload = SingleResultPayload(
  'GrantCreditAuthorizationPayload',
  'authorization',
  CreditAuthorizationType,
);

@InputType('RevokeCreditAuthorizationInput')
export class RevokeCreditAuthorizationInput {
  @Field(() => ID)
  id!: string;
}

export const RevokeCreditAuthorizationPayload = SingleResultPayload(
  'RevokeCreditAuthorizationPayload',
  'authorization',
  CreditAuthorizationType,
);

@ObjectType('ReportAccess', { description: 'One read of a credit report (查询记录).' })
export class ReportAccessType {
  @Field(() => ID)
  id!: string;

  @Field(() => AuthorizationScope, { description: 'What the reader was shown: SUMMARY or FULL.' })
  scope!: AuthorizationScope;

  @Field()
  purpose!: string;

  @Field(() => Date)
  accessedAt!: Date;
}

export const ReportAccessConnection = Connection(ReportAccessType, 'ReportAccess');

@ObjectType('CreditCommitment', { description: 'A signed credit commitment letter (信用承诺书), publicly listed.' })
export class CreditCommitmentType {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field()
  content!: string;

  @Field(() => CommitmentStatus)
  status!: CommitmentStatus;

  @Field(() => Date)
  signedAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export const CreditCommitmentConnection = Connection(CreditCommitmentType, 'CreditCommitment');

@InputType('SignCreditCommitmentInput')
export class SignCreditCommitmentInput {
  @Field()
  title!: string;

  @Field()
  content!: string;
}

export const CreditCommitmentPayload = SingleResultPayload(
  'CreditCommitmentPayload',
  'commitment',
  CreditCommitmentType,
);

@ObjectType('RiskWarning')
export class RiskWarningType {
  @Field(() => ID)
  id!: string;

  @Field(() => RiskLevel)
  level!: RiskLevel;

  @Field(() => [String], { description: 'Signals behind the level, e.g. LOAN_OVERDUE, NEW_PENALTY, GRADE_DROP.' })
  signals!: string[];

  @Field(() => Date)
  raisedAt!: Date;
}

export const RiskWarningConnection = Connection(RiskWarningType, 'RiskWarning');

@InputType('RiskWarningFilter')
export class RiskWarningFilterInput {
  @Field(() => [RiskLevel], { nullable: true })
  levels?: RiskLevel[] | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;
}

@InputType('VerifyEnterpriseInput', {
  description: 'Real-name verification (实名认证) against the imported business registry.',
})
export class VerifyEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;
}
