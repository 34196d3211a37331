import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditGrade, EnterpriseSize, LoanProductType, ProductStatus, RepaymentMethod } from '../../entities/enums';
import { Connection } from '../connection';
import { LoanProductSortField, SortDirection } from '../enums';
import { SingleResultPayload } from '../payload';
import { DateScalar, DecimalScalar } from '../scalars';

@ObjectType('ProductEligibility')
export class ProductEligibilityType {
  @Field(() => CreditGrade, { nullable: true, description: 'Lowest acceptable grade; null accepts every grade.' })
  minGrade!: CreditGrade | null;

  @Field(() => [String], { description: 'Empty means any.' })
  industryCodes!: string[];

  @Field(() => [String])
  regionCodes!: string[];

  @Field(() => [EnterpriseSize])
  sizes!: EnterpriseSize[];

  @Field(() => Int, { nullable: true })
  minYearsEstablished!: number | null;
}

/** institution and eligibility are field resolvers. */
@ObjectType('LoanProduct')
export class LoanProductNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => LoanProductType)
  type!: LoanProductType;

  @Field(() => DecimalScalar)
  minAmount!: string;

  @Field(() => DecimalScalar)
  maxAmount!: string;

  @Field(() => DecimalScalar)
  minRate!: string;

  @Field(() => DecimalScalar)
  maxRate!: string;

  @Field(() => Int)
  minTermMonths!: number;

  @Field(() => Int)
  maxTermMonths!: number;

  @Field(() => [RepaymentMethod])
  repaymentMethods!: RepaymentMethod[];

  @Field({ description: 'Loans under this product may be covered by the credit guarantee fund (信保基金).' })
  guaranteeFundEligible!: boolean;

  @Field(() => ProductStatus)
  status!: ProductStatus;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const LoanProductConnection = Connection(LoanProductNode, 'LoanProduct');

@InputType('LoanProductFilter')
export class LoanProductFilterInput {
  @Field(() => String, { nullable: true })
  search?: string | null;

  @Field(() => [LoanProductType], { nullable: true })
  types?: LoanProductType[] | null;

  @Field(() => [ID], { nullable: true })
  institutionIds?: string[] | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Products whose amount range contains this amount.' })
  amount?: string | null;

  @Field(() => Int, { nullable: true })
  termMonths?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Products whose minRate is at most this.' })
  maxRate?: string | null;

  @Field(() => CreditGrade, { nullable: true, description: 'Products that accept this grade.' })
  grade?: CreditGrade | null;

  @Field(() => ProductStatus, { nullable: true })
  status?: ProductStatus | null;
}

@InputType('LoanProductOrder')
export class LoanProductOrderInput {
  @Field(() => LoanProductSortField)
  field!: LoanProductSortField;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

@InputType('ProductEligibilityInput')
export class ProductEligibilityInput {
  @Field(() => CreditGrade, { nullable: true })
  minGrade?: CreditGrade | null;

  @Field(() => [String], { nullable: true })
  industryCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  regionCodes?: string[] | null;

  @Field(() => [EnterpriseSize], { nullable: true })
  sizes?: EnterpriseSize[] | null;

  @Field(() => Int, { nullable: true })
  minYearsEstablished?: number | null;
}

@InputType('CreateLoanProductInput')
export class CreateLoanProductInput {
  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => LoanProductType)
  type!: LoanProductType;

  @Field(() => DecimalScalar)
  minAmount!: string;

  @Field(() => DecimalScalar)
  maxAmount!: string;

  @Field(() => DecimalScalar)
  minRate!: string;

  @Field(() => DecimalScalar)
  maxRate!: string;

  @Field(() => Int)
  minTermMonths!: number;

  @Field(() => Int)
  maxTermMonths!: number;

  @Field(() => [RepaymentMethod])
  repaymentMethods!: RepaymentMethod[];

  @Field(() => ProductEligibilityInput, { nullable: true })
  eligibility?: ProductEligibilityInput | null;

  @Field(() => Boolean, { nullable: true })
  guaranteeFundEligible?: boolean | null;
}

@InputType('UpdateLoanProductInput')
export class UpdateLoanProductInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  minAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  minRate?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxRate?: string | null;

  @Field(() => Int, { nullable: true })
  minTermMonths?: number | null;

  @Field(() => Int, { nullable: true })
  maxTermMonths?: number | null;

  @Field(() => [RepaymentMethod], { nullable: true })
  repaymentMethods?: RepaymentMethod[] | null;

  @Field(() => ProductEligibilityInput, { nullable: true })
  eligibility?: ProductEligibilityInput | null;

  @Field(() => Boolean, { nullable: true })
  guaranteeFundEligible?: boolean | null;
}

export const LoanProductPayload = SingleResultPayload('LoanProductPayload', 'product', LoanProductNode);

@InputType('ProductIdInput')
export class ProductIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType('ProductRecommendation')
export class ProductRecommendationType {
  @Field(() => LoanProductNode)
  product!: LoanProductNode;

  @Field(() => Float, { description: '0..1, higher fits better.' })
  score!: number;

  @Field(() => [String])
  reasons!: string[];
}

@ObjectType('Installment')
export class InstallmentType {
  @Field(() => Int)
  number!: number;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => DecimalScalar)
  principal!: string;

  @Field(() => DecimalScalar)
  interest!: string;

  @Field(() => DecimalScalar)
  total!: string;

  @Field(() => DecimalScalar, { description: 'Principal still owed after this installment.' })
  remainingPrincipal!: string;
}

@InputType('ScheduleQuoteInput')
export class ScheduleQuoteInput {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DecimalScalar)
  rate!: string;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => RepaymentMethod)
  repaymentMethod!: RepaymentMethod;

  @Field(() => DateScalar)
  startDate!: string;
}

@ObjectType('ScheduleQuote')
export class ScheduleQuoteType {
  @Field(() => [InstallmentType])
  installments!: InstallmentType[];

  @Field(() => DecimalScalar)
  totalInterest!: string;

  @Field(() => DecimalScalar)
  totalPayment!: string;
}
