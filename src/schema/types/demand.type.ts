import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditGrade, DemandStatus, LoanProductType } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { DecimalScalar } from '../scalars';

/** enterprise and status are field resolvers (status reads the clock: EXPIRED is computed). */
@ObjectType('FinancingDemand')
export class FinancingDemandType {
  @Field(() => ID)
  id!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field()
  purpose!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest rate the enterprise will accept.' })
  maxRate!: string | null;

  @Field(() => [LoanProductType])
  acceptedTypes!: LoanProductType[];

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date)
  createdAt!: Date;
}

export const FinancingDemandConnection = Connection(FinancingDemandType, 'FinancingDemand');

@InputType('FinancingDemandFilter')
export class FinancingDemandFilterInput {
  @Field(() => [DemandStatus], { nullable: true })
  statuses?: DemandStatus[] | null;

  @Field(() => DecimalScalar, { nullable: true })
  minAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxAmount?: string | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;

  @Field(() => [CreditGrade], { nullable: true })
  grades?: CreditGrade[] | null;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string | null;
}

@InputType('PublishDemandInput')
export class PublishDemandInput {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field()
  purpose!: string;

  @Field(() => DecimalScalar, { nullable: true })
  maxRate?: string | null;

  @Field(() => [LoanProductType], { nullable: true })
  acceptedTypes?: LoanProductType[] | null;

  @Field(() => Int, { nullable: true, description: '1..90, default 30.' })
  validDays?: number | null;
}

export const DemandPayload = SingleResultPayload('DemandPayload', 'demand', FinancingDemandType);

@InputType('DemandIdInput')
export class DemandIdInput {
  @Field(() => ID)
  id!: string;
}
