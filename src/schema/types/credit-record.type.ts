import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditDataSource } from '../../entities/enums';
import { Connection } from '../connection';
import { DateScalar, DecimalScalar } from '../scalars';
import { UserErrorType } from '../user-error.type';

@ObjectType('CreditRecord', {
  description: 'One piece of credit information about an enterprise from a source department.',
})
export class CreditRecordType {
  @Field(() => ID)
  id!: string;

  @Field(() => CreditDataSource)
  source!: CreditDataSource;

  @Field({ description: 'Source-specific kind, e.g. VAT_PAID, EMPLOYEES_INSURED, ADMIN_PENALTY.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'Reporting period, e.g. 2026-Q3 or 2026-10.' })
  period!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateScalar)
  occurredOn!: string;

  @Field(() => Date)
  recordedAt!: Date;
}

export const CreditRecordConnection = Connection(CreditRecordType, 'CreditRecord');

@InputType('CreditRecordInput')
export class CreditRecordInput {
  @Field()
  uscc!: string;

  @Field(() => CreditDataSource)
  source!: CreditDataSource;

  @Field()
  kind!: string;

  @Field({ description: 'Unique per source; re-sending the same (source, externalId) updates, never duplicates.' })
  externalId!: string;

  @Field(() => String, { nullable: true })
  period?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => DateScalar)
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: 'REGISTRY records: the registered name.' })
  subjectName?: string | null;

  @Field(() => String, { nullable: true, description: 'REGISTRY records: the registered legal representative.' })
  legalRepresentative?: string | null;
}

@InputType('ImportCreditRecordsInput')
export class ImportCreditRecordsInput {
  @Field(() => [CreditRecordInput])
  records!: CreditRecordInput[];
}

@ObjectType('ImportCreditRecordsPayload')
export class ImportCreditRecordsPayload {
  @Field(() => Int)
  inserted!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => Int, { description: 'Registered enterprises whose credit report the import refreshed.' })
  reevaluated!: number;

  @Field(() => [UserErrorType], { description: 'One entry per rejected record, field path starting with its index.' })
  userErrors!: UserErrorType[];
}
