import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditGrade } from '../../entities/enums';
import { SingleResultPayload } from '../payload';
import { DecimalScalar } from '../scalars';

@ObjectType('RiskShareRule')
export class RiskShareRuleType {
  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Field(() => Int, { description: 'Percent of a loss the fund bears; the bank bears the rest.' })
  fundSharePercent!: number;

  @Field(() => DecimalScalar, { description: 'Largest loan the rule covers.' })
  maxLoanAmount!: string;

  @Field(() => Int, { description: 'Collateral the bank may require, as percent of the loan.' })
  collateralPercent!: number;
}

/** department and the three figures are field resolvers (figures computed in SQL per fund). */
@ObjectType('GuaranteeFund')
export class GuaranteeFundType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => DecimalScalar)
  capital!: string;

  @Field(() => [RiskShareRuleType])
  rules!: RiskShareRuleType[];

  @Field(() => Date)
  createdAt!: Date;
}

@InputType('RiskShareRuleInput')
export class RiskShareRuleInput {
  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Field(() => Int)
  fundSharePercent!: number;

  @Field(() => DecimalScalar)
  maxLoanAmount!: string;

  @Field(() => Int)
  collateralPercent!: number;
}

@InputType('CreateGuaranteeFundInput')
export class CreateGuaranteeFundInput {
  @Field()
  name!: string;

  @Field(() => DecimalScalar)
  capital!: string;

  @Field(() => [RiskShareRuleInput])
  rules!: RiskShareRuleInput[];
}

export const GuaranteeFundPayload = SingleResultPayload('GuaranteeFundPayload', 'fund', GuaranteeFundType);

@InputType('ClaimCompensationInput')
export class ClaimCompensationInput {
  @Field(() => ID)
  loanId!: string;
}
