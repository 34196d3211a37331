import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AuthorizationScope, CreditGrade, CreditModelStatus } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { UserErrorType } from '../user-error.type';

@ObjectType('IndicatorScore')
export class IndicatorScoreType {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field()
  category!: string;

  @Field(() => String, { nullable: true, description: 'The input value the indicator saw, as text.' })
  value!: string | null;

  @Field(() => Float)
  points!: number;

  @Field(() => Float)
  maxPoints!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Reason code when this indicator pulled the score down, e.g. TAX_ARREARS.',
  })
  reasonCode!: string | null;
}

/** enterprise and indicators are field resolvers: the indicators depend on the scope the viewer may see. */
@ObjectType('CreditReport', {
  description: 'A credit evaluation (信用评价报告) of one enterprise under one model version.',
})
export class CreditReportType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: '0..1000' })
  score!: number;

  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Field()
  modelVersion!: string;

  @Field(() => [String], { description: 'The main reasons the score is not higher, most important first.' })
  reasonCodes!: string[];

  @Field(() => Date)
  dataAsOf!: Date;

  @Field(() => Date)
  generatedAt!: Date;

  @Field(() => AuthorizationScope, { description: 'What this viewer is shown: SUMMARY omits the indicators.' })
  scope!: AuthorizationScope;
}

export const CreditReportConnection = Connection(CreditReportType, 'CreditReport');

@ObjectType('IndicatorWeight')
export class IndicatorWeightType {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field()
  category!: string;

  @Field(() => Float)
  weight!: number;
}

@ObjectType('GradeBand')
export class GradeBandType {
  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Field(() => Int)
  minScore!: number;
}

@ObjectType('CreditModel', {
  description:
    'A versioned credit evaluation model; regulators may tune weights (e.g. lower tax weights during a crisis).',
})
export class CreditModelType {
  @Field(() => ID)
  id!: string;

  @Field()
  version!: string;

  @Field(() => CreditModelStatus)
  status!: CreditModelStatus;

  @Field(() => [GradeBandType])
  gradeBands!: GradeBandType[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  activatedAt!: Date | null;
}

@InputType('IndicatorWeightInput')
export class IndicatorWeightInput {
  @Field()
  code!: string;

  @Field(() => Float)
  weight!: number;
}

@InputType('GradeBandInput')
export class GradeBandInput {
  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Field(() => Int)
  minScore!: number;
}

@InputType('CreateCreditModelInput')
export class CreateCreditModelInput {
  @Field()
  version!: string;

  @Field(() => [IndicatorWeightInput], {
    nullable: true,
    description: 'Starts from the active model; only the listed weights change.',
  })
  weights?: IndicatorWeightInput[] | null;

  @Field(() => [GradeBandInput], { nullable: true })
  gradeBands?: GradeBandInput[] | null;
}

export const CreateCreditModelPayload = SingleResultPayload('CreateCreditModelPayload', 'model', CreditModelType);

@InputType('ActivateCreditModelInput')
export class ActivateCreditModelInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType('ActivateCreditModelPayload')
export class ActivateCreditModelPayload {
  @Field(() => CreditModelType, { nullable: true })
  model?: CreditModelType | null;

  @Field(() => Int, { description: 'How many enterprises were re-evaluated.' })
  reevaluated!: number;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('EvaluateEnterpriseInput')
export class EvaluateEnterpriseInput {
  @Field(() => ID)
  enterpriseId!: string;
}

export const EvaluateEnterprisePayload = SingleResultPayload('EvaluateEnterprisePayload', 'report', CreditReportType);
