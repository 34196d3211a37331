import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';

@InputType('StatisticsFilter')
export class StatisticsFilterInput {
  @Field(() => DateScalar, { nullable: true })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true })
  to?: string | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;

  @Field(() => [ID], { nullable: true })
  institutionIds?: string[] | null;
}

@ObjectType('AmountStat')
export class AmountStatType {
  @Field(() => Int)
  count!: number;

  @Field(() => DecimalScalar)
  amount!: string;
}

/** The loan figures every breakdown shows (docs/statistics.md, "Breakdowns"). */
@ObjectType()
abstract class LoanFiguresType {
  @Field(() => AmountStatType)
  granted!: AmountStatType;

  @Field(() => AmountStatType)
  disbursed!: AmountStatType;

  @Field(() => DecimalScalar)
  outstandingBalance!: string;

  @Field(() => Float)
  nplRatio!: number;
}

@ObjectType('InstitutionStat')
export class InstitutionStatType extends LoanFiguresType {
  /** Resolved through the institution loader (InstitutionStatResolver). */
  institutionId!: string;

  @Field(() => Int)
  offers!: number;

  @Field(() => DecimalScalar, { nullable: true })
  averageRate!: string | null;

  @Field(() => Int, { description: '1 = largest disbursed amount.' })
  rank!: number;
}

@ObjectType('GroupStat')
export class GroupStatType extends LoanFiguresType {
  @Field(() => String, { description: 'Region code, industry code or YYYY-MM, depending on the list.' })
  key!: string;
}

@ObjectType('PlatformStatistics')
export class PlatformStatisticsType {
  @Field(() => Int)
  enterprises!: number;

  @Field(() => Int)
  verifiedEnterprises!: number;

  @Field(() => Int)
  institutions!: number;

  @Field(() => Int)
  publishedProducts!: number;

  @Field(() => AmountStatType)
  demands!: AmountStatType;

  @Field(() => Float, { description: 'Share of closed-out demands that reached GRANTED.' })
  matchRate!: number;

  @Field(() => AmountStatType)
  granted!: AmountStatType;

  @Field(() => AmountStatType)
  disbursed!: AmountStatType;

  @Field(() => DecimalScalar, { description: '融资余额' })
  outstandingBalance!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Weighted by disbursed amount.' })
  averageRate!: string | null;

  @Field(() => Float, { description: 'Outstanding principal of DEFAULTED loans over all outstanding principal.' })
  nplRatio!: number;

  @Field(() => Float, { description: 'Share of disbursed amount under CREDIT products (信用贷款占比).' })
  creditLoanShare!: number;

  @Field(() => Float, { nullable: true, description: 'Mean days from demand published to credit granted.' })
  averageDaysToCredit!: number | null;

  @Field(() => [InstitutionStatType])
  byInstitution!: InstitutionStatType[];

  @Field(() => [GroupStatType])
  byRegion!: GroupStatType[];

  @Field(() => [GroupStatType])
  byIndustry!: GroupStatType[];

  @Field(() => [GroupStatType])
  byMonth!: GroupStatType[];
}

@ObjectType('PublicStatistics', { description: 'Headline figures anyone may see on the front page.' })
export class PublicStatisticsType {
  @Field(() => Int)
  enterprises!: number;

  @Field(() => Int)
  institutions!: number;

  @Field(() => Int)
  publishedProducts!: number;

  @Field(() => DecimalScalar)
  grantedAmount!: string;

  @Field(() => Int)
  grantedCount!: number;
}
