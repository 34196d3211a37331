import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { CreditDataSource } from './enums';

/**
 * One piece of credit information from a source department, keyed by USCC rather than by
 * enterprise: data about an enterprise that has not registered yet is kept, and it finds its
 * history when it registers.
 */
@Entity({ tableName: 'credit_record' })
@Unique({ properties: ['source', 'externalId'] })
// Reads go by (uscc, occurred_on desc, id desc): an index the migration creates, descending.
export class CreditRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  uscc!: string;

  @Enum({ items: () => CreditDataSource, type: 'text' })
  source!: CreditDataSource;

  @Property({ type: 'text' })
  kind!: string;

  /** Unique per source; re-sending it updates the record. */
  @Property({ type: 'text' })
  externalId!: string;

  @Property({ type: 'text', nullable: true })
  period?: string | null;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  amount?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'date' })
  occurredOn!: string;

  @Property({ type: 'text', nullable: true })
  subjectName?: string | null;

  @Property({ type: 'text', nullable: true })
  legalRepresentative?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  recordedAt: Date = new Date();
}
