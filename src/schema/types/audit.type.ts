import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../entities/enums';
import { Connection } from '../connection';

/** actor is a field resolver (null when anonymous or the user is gone). */
@ObjectType('AuditEvent')
export class AuditEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => Role, { nullable: true })
  actorRole!: Role | null;

  @Field()
  action!: string;

  @Field()
  targetType!: string;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  requestId!: string | null;
}

export const AuditEventConnection = Connection(AuditEventType, 'AuditEvent');

@InputType('AuditEventFilter')
export class AuditEventFilter {
  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  action?: string | null;

  @Field(() => String, { nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  targetId?: string | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}
