import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { SingleResultPayload } from '../payload';
import { UserErrorType } from '../user-error.type';
import { ApiKeyType, UserType } from './user.type';

@InputType('LoginInput')
export class LoginInput {
  @Field()
  login!: string;

  @Field()
  password!: string;
}

@InputType('RefreshTokenInput')
export class RefreshTokenInput {
  @Field()
  refreshToken!: string;
}

@InputType('LogoutInput')
export class LogoutInput {
  @Field()
  refreshToken!: string;
}

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field(() => String, { nullable: true })
  accessToken?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the access token stops working.' })
  expiresAt?: Date | null;

  @Field(() => String, { nullable: true })
  refreshToken?: string | null;

  @Field(() => UserType, { nullable: true })
  user?: UserType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('LogoutPayload')
export class LogoutPayload {
  @Field()
  ok!: boolean;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('CreateApiKeyInput')
export class CreateApiKeyInput {
  @Field()
  name!: string;
}

@ObjectType('CreateApiKeyPayload')
export class CreateApiKeyPayload {
  @Field(() => ApiKeyType, { nullable: true })
  apiKey?: ApiKeyType | null;

  @Field(() => String, { nullable: true, description: 'The full secret, returned only here.' })
  secret?: string | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('RevokeApiKeyInput')
export class RevokeApiKeyInput {
  @Field(() => ID)
  id!: string;
}

export const RevokeApiKeyPayload = SingleResultPayload('RevokeApiKeyPayload', 'apiKey', ApiKeyType);
