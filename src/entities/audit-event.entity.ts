import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from './enums';

/**
 * One line of the append-only audit trail: every mutation, report read and sign-in.
 * actorId is deliberately not a foreign key: the trail outlives the rows it talks about.
 * Append-only in the database: UPDATE, DELETE and TRUNCATE raise (migration AuditChain).
 */
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['at'] })
@Index({ properties: ['actorId'] })
@Index({ properties: ['targetType', 'targetId'] })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Enum({ items: () => Role, type: 'text', nullable: true })
  actorRole?: Role | null;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  targetType!: string;

  @Property({ type: 'text', nullable: true })
  targetId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  /** Detail that is not a secret (e.g. the login tried), for investigators. */
  @Property({ type: 'jsonb', nullable: true })
  detail?: Record<string, unknown> | null;

  /**
   * The chain (docs/audit.md), set by the database when the transaction commits, never by the writer:
   * the position (gapless), the previous row's hash, and SHA-256 of this row's content and prevHash.
   */
  @Property({ type: 'bigint', nullable: true, unique: 'audit_event_seq_unique' })
  seq?: string | null;

  @Property({ type: 'text', nullable: true })
  prevHash?: string | null;

  @Property({ type: 'text', nullable: true })
  hash?: string | null;
}
