import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LoanEventType, LoanStatus, RepaymentMethod } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { DateScalar, DecimalScalar } from '../scalars';
import { GuaranteeFundType } from './guarantee-fund.type';

@ObjectType('LoanEvent')
export class LoanEventNode {
  @Field(() => ID)
  id!: string;

  @Field(() => LoanEventType)
  type!: LoanEventType;

  @Field(() => DecimalScalar, { nullable: true })
  amount!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Repayments: the principal part of amount.' })
  principal!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Repayments: the interest part of amount.' })
  interest!: string | null;

  @Field(() => DateScalar)
  occurredOn!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('LoanGuarantee')
export class LoanGuaranteeType {
  @Field(() => GuaranteeFundType)
  fund!: GuaranteeFundType;

  @Field(() => Int, { description: 'Percent of a principal loss the fund bears, e.g. 80.' })
  fundSharePercent!: number;

  @Field(() => DecimalScalar)
  coveredAmount!: string;

  @Field(() => DecimalScalar, { nullable: true })
  compensatedAmount!: string | null;
}

/** Relations, schedule, events and guarantee are field resolvers (batched by loaders). */
@ObjectType('Loan')
export class LoanType {
  @Field(() => ID)
  id!: string;

  @Field(() => LoanStatus)
  status!: LoanStatus;

  @Field(() => DecimalScalar, { nullable: true, description: '授信额度' })
  creditAmount!: string | null;

  @Field(() => DecimalScalar)
  disbursedAmount!: string;

  @Field(() => DecimalScalar)
  outstandingPrincipal!: string;

  @Field(() => DecimalScalar)
  rate!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => RepaymentMethod)
  repaymentMethod!: RepaymentMethod;

  @Field(() => DateScalar, { nullable: true })
  grantedOn!: string | null;

  @Field(() => DateScalar, { nullable: true })
  disbursedOn!: string | null;

  @Field(() => DateScalar, { nullable: true })
  maturityDate!: string | null;

  @Field(() => Int)
  daysOverdue!: number;

  @Field(() => Date)
  createdAt!: Date;
}

export const LoanConnection = Connection(LoanType, 'Loan');

@InputType('LoanFilter')
export class LoanFilterInput {
  @Field(() => [LoanStatus], { nullable: true })
  statuses?: LoanStatus[] | null;

  @Field(() => [ID], { nullable: true })
  institutionIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;
}

@InputType('GrantCreditInput')
export class GrantCreditInput {
  @Field(() => ID)
  loanId!: string;

  @Field(() => DecimalScalar)
  creditAmount!: string;

  @Field(() => DecimalScalar)
  rate!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => DateScalar)
  grantedOn!: string;
}

@InputType('DisburseLoanInput')
export class DisburseLoanInput {
  @Field(() => ID)
  loanId!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar)
  disbursedOn!: string;
}

@InputType('RecordRepaymentInput')
export class RecordRepaymentInput {
  @Field(() => ID)
  loanId!: string;

  @Field(() => DecimalScalar)
  principal!: string;

  @Field(() => DecimalScalar)
  interest!: string;

  @Field(() => DateScalar)
  paidOn!: string;
}

@InputType('MarkLoanOverdueInput')
export class MarkLoanOverdueInput {
  @Field(() => ID)
  loanId!: string;

  @Field(() => DateScalar, { description: 'Not in the future.' })
  asOf!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "Days past due as the bank's core system reports them (贷后报送); when omitted, counted from the first unpaid installment's due date to asOf.",
  })
  daysOverdue?: number | null;
}

@InputType('DeclineLoanInput')
export class DeclineLoanInput {
  @Field(() => ID)
  loanId!: string;

  @Field()
  reason!: string;
}

export const LoanPayload = SingleResultPayload('LoanPayload', 'loan', LoanType);
