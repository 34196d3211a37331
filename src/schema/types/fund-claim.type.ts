import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ClaimStatus, ReviewDecision } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { DecimalScalar } from '../scalars';
import { UserErrorType } from '../user-error.type';

/** reviewer is a field resolver. */
@ObjectType('ClaimReview')
export class ClaimReviewType {
  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => DecimalScalar, { nullable: true })
  approvedAmount!: string | null;

  @Field()
  comment!: string;

  @Field(() => Date)
  reviewedAt!: Date;
}

/** One status change of a claim (submitted, reviewed, publicised, paid, withdrawn); actor is a field resolver. */
@ObjectType('ClaimHistoryEntry', { description: 'One status change of a claim, oldest first.' })
export class ClaimHistoryEntryType {
  @Field(() => ClaimStatus, { description: 'The status the claim entered with this change.' })
  status!: ClaimStatus;

  @Field(() => String, {
    nullable: true,
    description: "The reviewer's opinion, the publicity period or the payment reference, as the change records it.",
  })
  comment!: string | null;

  @Field(() => Date, { description: 'When the change was made.' })
  at!: Date;
}

/** policy, enterprise, reviews and history are field resolvers. */
@ObjectType('FundClaim')
export class FundClaimType {
  @Field(() => ID)
  id!: string;

  @Field(() => DecimalScalar)
  requestedAmount!: string;

  @Field(() => DecimalScalar, { nullable: true })
  approvedAmount!: string | null;

  @Field()
  statement!: string;

  @Field(() => ClaimStatus)
  status!: ClaimStatus;

  @Field(() => Date, { nullable: true })
  publicityEndsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  disbursedAt!: Date | null;

  @Field(() => Date)
  submittedAt!: Date;
}

export const FundClaimConnection = Connection(FundClaimType, 'FundClaim');

@InputType('SubmitFundClaimInput')
export class SubmitFundClaimInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => DecimalScalar)
  requestedAmount!: string;

  @Field()
  statement!: string;
}

export const FundClaimPayload = SingleResultPayload('FundClaimPayload', 'claim', FundClaimType);

@InputType('ClaimIdInput')
export class ClaimIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType('ReviewFundClaimInput')
export class ReviewFundClaimInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => DecimalScalar, { nullable: true })
  approvedAmount?: string | null;

  @Field()
  comment!: string;
}

@InputType('PublicizeFundClaimsInput')
export class PublicizeFundClaimsInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => [ID])
  claimIds!: string[];

  @Field(() => Int, { description: '1..30' })
  days!: number;
}

@ObjectType('PublicizeFundClaimsPayload')
export class PublicizeFundClaimsPayload {
  @Field(() => [FundClaimType])
  claims!: FundClaimType[];

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('PublicClaimNotice')
export class PublicClaimNoticeType {
  @Field(() => ID)
  claimId!: string;

  @Field(() => ID)
  policyId!: string;

  @Field()
  policyTitle!: string;

  @Field()
  enterpriseName!: string;

  @Field(() => DecimalScalar)
  approvedAmount!: string;

  @Field(() => Date)
  publicityEndsAt!: Date;
}

export const PublicClaimNoticeConnection = Connection(PublicClaimNoticeType, 'PublicClaimNotice');
