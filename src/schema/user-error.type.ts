import { Field, ObjectType } from 'type-graphql';
import { UserErrorCode } from '../services/user-error';

@ObjectType('UserError')
export class UserErrorType {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault, e.g. ["input", "uscc"].' })
  field!: string[] | null;

  @Field()
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;
}
