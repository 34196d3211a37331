import { Collection, Entity, Enum, Index, OneToMany, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { CreditGrade, EnterpriseSize, RiskLevel, VerificationStatus } from './enums';
import { Loan } from './loan.entity';

/** An enterprise (企业). Sensitive columns are exposed only through access-checked field resolvers. */
@Entity({ tableName: 'enterprise' })
@Index({ properties: ['regionCode'] })
@Index({ properties: ['industryCode'] })
export class Enterprise extends BaseEntity {
  @Property({ type: 'text', unique: true })
  uscc!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  legalRepresentative!: string;

  @Property({ type: 'text' })
  industryCode!: string;

  @Property({ type: 'text' })
  regionCode!: string;

  @Enum({ items: () => EnterpriseSize, type: 'text' })
  size!: EnterpriseSize;

  /** YYYY-MM-DD (a calendar date in Asia/Shanghai). */
  @Property({ type: 'date' })
  establishedOn!: string;

  /** Yuan, numeric(18,2), a decimal string. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  registeredCapital?: string | null;

  @Property({ type: 'integer', nullable: true })
  employees?: number | null;

  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  annualRevenue?: string | null;

  @Enum({ items: () => VerificationStatus, type: 'text', default: VerificationStatus.PENDING })
  verificationStatus: VerificationStatus = VerificationStatus.PENDING;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** The latest report's grade, score and id, kept by the evaluator for filters and lists. */
  @Enum({ items: () => CreditGrade, type: 'text', nullable: true })
  creditGrade?: CreditGrade | null;

  @Property({ type: 'integer', nullable: true })
  creditScore?: number | null;

  @Property({ type: 'uuid', nullable: true })
  latestReportId?: string | null;

  /** The level and signals of the latest risk assessment, to raise a warning only on change. */
  @Enum({ items: () => RiskLevel, type: 'text', nullable: true })
  riskLevel?: RiskLevel | null;

  @Property({ type: 'jsonb', nullable: true })
  riskSignals?: string[] | null;

  /** Inverse side, for filters only (`$some`: a bank's borrowers); never loaded whole. */
  @OneToMany(() => Loan, (loan) => loan.enterprise)
  loans = new Collection<Loan>(this);
}
