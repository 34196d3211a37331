import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditGrade, EnterpriseSize, PolicyCategory, PolicyStatus } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { DateScalar, DecimalScalar } from '../scalars';

@ObjectType('PolicyEligibility')
export class PolicyEligibilityType {
  @Field(() => [String])
  industryCodes!: string[];

  @Field(() => [String])
  regionCodes!: string[];

  @Field(() => [EnterpriseSize])
  sizes!: EnterpriseSize[];

  @Field(() => CreditGrade, { nullable: true })
  minGrade!: CreditGrade | null;

  @Field(() => Int, { nullable: true })
  minYearsEstablished!: number | null;

  @Field(() => Int, { nullable: true, description: 'No administrative penalty within this many months.' })
  noPenaltyMonths!: number | null;
}

@ObjectType('PolicyEffect')
export class PolicyEffectType {
  @Field(() => Int)
  claimCount!: number;

  @Field(() => Int)
  approvedCount!: number;

  @Field(() => DecimalScalar)
  disbursedAmount!: string;

  @Field(() => Int)
  beneficiaryCount!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Beneficiaries' change in taxes paid, year after the first disbursement vs. year before, percent.",
  })
  taxChangePercent!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Beneficiaries' change in insured employees, same windows, percent.",
  })
  employeeChangePercent!: number | null;
}

/** department, eligibility, claims and effect are field resolvers. */
@ObjectType('Policy')
export class PolicyType {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field()
  summary!: string;

  @Field()
  body!: string;

  @Field(() => PolicyCategory)
  category!: PolicyCategory;

  @Field(() => DecimalScalar, { description: 'Largest amount one claim may be approved for.' })
  maxAmountPerClaim!: string;

  @Field(() => DecimalScalar)
  budget!: string;

  @Field(() => DecimalScalar)
  budgetCommitted!: string;

  @Field(() => DateScalar)
  applyFrom!: string;

  @Field(() => DateScalar)
  applyUntil!: string;

  @Field(() => PolicyStatus)
  status!: PolicyStatus;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const PolicyConnection = Connection(PolicyType, 'Policy');

@InputType('PolicyFilter')
export class PolicyFilterInput {
  @Field(() => String, { nullable: true })
  search?: string | null;

  @Field(() => [PolicyCategory], { nullable: true })
  categories?: PolicyCategory[] | null;

  @Field(() => [ID], { nullable: true })
  departmentIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only policies open for applications today.' })
  openOnly?: boolean | null;

  @Field(() => PolicyStatus, { nullable: true })
  status?: PolicyStatus | null;
}

@ObjectType('PolicyMatch')
export class PolicyMatchType {
  @Field(() => PolicyType)
  policy!: PolicyType;

  @Field()
  eligible!: boolean;

  @Field(() => [String], { description: 'Human-readable criteria the enterprise does not meet.' })
  unmetCriteria!: string[];
}

@InputType('PolicyEligibilityInput')
export class PolicyEligibilityInput {
  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [EnterpriseSize], { nullable: true })
  sizes?: EnterpriseSize[] | null;

  @Field(() => CreditGrade, { nullable: true })
  minGrade?: CreditGrade | null;

  @Field(() => Int, { nullable: true })
  minYearsEstablished?: number | null;

  @Field(() => Int, { nullable: true })
  noPenaltyMonths?: number | null;
}

@InputType('CreatePolicyInput')
export class CreatePolicyInput {
  @Field()
  title!: string;

  @Field()
  summary!: string;

  @Field()
  body!: string;

  @Field(() => PolicyCategory)
  category!: PolicyCategory;

  @Field(() => PolicyEligibilityInput, { nullable: true })
  eligibility?: PolicyEligibilityInput | null;

  @Field(() => DecimalScalar)
  maxAmountPerClaim!: string;

  @Field(() => DecimalScalar)
  budget!: string;

  @Field(() => DateScalar)
  applyFrom!: string;

  @Field(() => DateScalar)
  applyUntil!: string;
}

export const PolicyPayload = SingleResultPayload('PolicyPayload', 'policy', PolicyType);

@InputType('PolicyIdInput')
export class PolicyIdInput {
  @Field(() => ID)
  id!: string;
}
