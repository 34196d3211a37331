import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Department } from './department.entity';
import type { CreditGrade } from './enums';

/** A risk-share rule of a fund for one grade; money as decimal strings. */
export interface RiskShareRuleData {
  grade: CreditGrade;
  fundSharePercent: number;
  maxLoanAmount: string;
  collateralPercent: number;
}

/**
 * A government credit guarantee fund (信保基金 / 风险补偿资金池). Its rules are a small fixed
 * list per fund, read whole, so they live in one jsonb column.
 */
@Entity({ tableName: 'guarantee_fund' })
export class GuaranteeFund extends BaseEntity {
  @ManyToOne(() => Department, { ref: true })
  department!: Ref<Department>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  capital!: string;

  @Property({ type: 'jsonb' })
  rules!: RiskShareRuleData[];
}
