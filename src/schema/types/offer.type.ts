import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RepaymentMethod } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { DecimalScalar } from '../scalars';
import { UserErrorType } from '../user-error.type';
import { FinancingDemandType } from './demand.type';
import { LoanType } from './loan.type';

/** demand, institution, product and status (EXPIRED read from the clock) are field resolvers. */
@ObjectType('Offer')
export class OfferType {
  @Field(() => ID)
  id!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DecimalScalar)
  rate!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => RepaymentMethod)
  repaymentMethod!: RepaymentMethod;

  @Field(() => String, { nullable: true })
  conditions!: string | null;

  @Field(() => Date)
  validUntil!: Date;

  @Field(() => Date)
  createdAt!: Date;
}

export const OfferConnection = Connection(OfferType, 'Offer');

@InputType('MakeOfferInput')
export class MakeOfferInput {
  @Field(() => ID)
  demandId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DecimalScalar)
  rate!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => RepaymentMethod)
  repaymentMethod!: RepaymentMethod;

  @Field(() => String, { nullable: true })
  conditions?: string | null;

  @Field(() => Int, { nullable: true, description: '1..30, default 7.' })
  validDays?: number | null;
}

export const OfferPayload = SingleResultPayload('OfferPayload', 'offer', OfferType);

@InputType('OfferIdInput')
export class OfferIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType('AcceptOfferPayload')
export class AcceptOfferPayload {
  @Field(() => OfferType, { nullable: true })
  offer?: OfferType | null;

  @Field(() => FinancingDemandType, { nullable: true })
  demand?: FinancingDemandType | null;

  @Field(() => LoanType, { nullable: true })
  loan?: LoanType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}
