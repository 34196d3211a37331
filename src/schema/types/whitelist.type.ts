import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DispatchStatus } from '../../entities/enums';
import { Connection } from '../connection';
import { SingleResultPayload } from '../payload';
import { UserErrorType } from '../user-error.type';

/** department and entries are field resolvers (loaders, first pages batched across lists). */
@ObjectType('Whitelist', { description: "A department's list of enterprises to be served by banks (白名单)." })
export class WhitelistType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int)
  entryCount!: number;

  @Field(() => Date)
  createdAt!: Date;
}

/** enterprise and dispatches are field resolvers. */
@ObjectType('WhitelistEntry')
export class WhitelistEntryType {
  @Field(() => ID)
  id!: string;

  @Field()
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Int, {
    description: "0-based place in the uploaded list (its index in uploadWhitelist's input.entries).",
  })
  position!: number;
}

/** entry, institution and product are field resolvers. */
@ObjectType('Dispatch', { description: 'A whitelist entry assigned to a bank (智能派单).' })
export class DispatchType {
  @Field(() => ID)
  id!: string;

  @Field(() => DispatchStatus)
  status!: DispatchStatus;

  @Field({ description: 'Why this bank was chosen.' })
  reason!: string;

  @Field(() => Date)
  assignedAt!: Date;

  @Field(() => Date, { nullable: true })
  respondedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The bank's note when it answered." })
  note!: string | null;
}

export const WhitelistConnection = Connection(WhitelistType, 'Whitelist');
export const WhitelistEntryConnection = Connection(WhitelistEntryType, 'WhitelistEntry');
export const DispatchConnection = Connection(DispatchType, 'Dispatch');

@InputType('WhitelistEntryInput')
export class WhitelistEntryInput {
  @Field({ description: 'Unified Social Credit Code; at most once per list.' })
  uscc!: string;

  @Field({ description: '1..100 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  note?: string | null;
}

@InputType('UploadWhitelistInput')
export class UploadWhitelistInput {
  @Field({ description: '2..100 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  description?: string | null;

  @Field(() => [WhitelistEntryInput], { description: '1..10,000 entries, kept in this order.' })
  entries!: WhitelistEntryInput[];
}

export const WhitelistPayload = SingleResultPayload('WhitelistPayload', 'whitelist', WhitelistType);

@InputType('DispatchWhitelistInput')
export class DispatchWhitelistInput {
  @Field(() => ID)
  whitelistId!: string;
}

@ObjectType('DispatchWhitelistPayload')
export class DispatchWhitelistPayload {
  @Field(() => Int, { description: 'Dispatches this call created.' })
  dispatched!: number;

  @Field(() => [UserErrorType], {
    description:
      'Entries no bank could take, with the reason: NOT_FOUND when no enterprise has registered with the USCC, NOT_ELIGIBLE when no bank that has not declined the entry publishes a product the enterprise is eligible for. Their field is ["entries", "<position>"], the entry\'s 0-based place in the uploaded list. A list that is not the viewer\'s department\'s is NOT_FOUND at ["input", "whitelistId"].',
  })
  userErrors!: UserErrorType[];
}

@InputType('RespondToDispatchInput')
export class RespondToDispatchInput {
  @Field(() => ID)
  dispatchId!: string;

  @Field({
    description:
      'true accepts (ACCEPTED), false declines (DECLINED), and the next dispatchWhitelist offers the entry to another bank.',
  })
  accept!: boolean;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  note?: string | null;
}

export const DispatchPayload = SingleResultPayload('DispatchPayload', 'dispatch', DispatchType);
