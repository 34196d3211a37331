import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../../entities/enums';

/** User.enterprise / institution / department are field resolvers in UserResolver (batched). */
@ObjectType('User')
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  login!: string;

  @Field()
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('ApiKey', {
  description: "An API key for a bank's own systems (server-to-server). The secret is shown once.",
})
export class ApiKeyType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'First characters of the key, for recognising it; never the secret.' })
  prefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}
