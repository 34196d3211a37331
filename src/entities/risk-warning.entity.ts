import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Enterprise } from './enterprise.entity';
import { RiskLevel } from './enums';

/** A risk warning raised when an enterprise's level rises above GREEN or its signals change. */
@Entity({ tableName: 'risk_warning' })
@Index({ properties: ['enterprise', 'raisedAt'] })
@Index({ properties: ['raisedAt'] })
export class RiskWarning {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** A relation (not a bare id) so filters can reach the enterprise's region and industry. */
  @ManyToOne(() => Enterprise, { ref: true, deleteRule: 'cascade' })
  enterprise!: Ref<Enterprise>;

  @Enum({ items: () => RiskLevel, type: 'text' })
  level!: RiskLevel;

  @Property({ type: 'jsonb' })
  signals!: string[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  raisedAt!: Date;
}
