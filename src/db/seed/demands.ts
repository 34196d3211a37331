import Decimal from 'decimal.js';
import { FinancingDemand, Offer, type Enterprise } from '../../entities';
import { DemandStatus, LoanProductType, OfferStatus, RepaymentMethod } from '../../entities/enums';
import { admits, pickEnterprise, productOf, type BankKey, type DemoWorld } from './demo-world';
import { DAY_MS } from '../../services/time';

const { CREDIT, GUARANTEE, MORTGAGE, PLEDGE, SUPPLY_CHAIN } = LoanProductType;
const { EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, INTEREST_FIRST, BULLET } = RepaymentMethod;

export interface DemandPlan {
  amount: string;
  termMonths: number;
  purpose: string;
  maxRate?: string;
  types: LoanProductType[];
}

export interface OfferPlan {
  bank: BankKey;
  product: string;
  amount: string;
  rate: string;
  termMonths: number;
  method: RepaymentMethod;
  conditions?: string;
}

/** A demand row as DemandService.publish writes it (30 days' validity). */
export function placeDemand(
  world: DemoWorld,
  enterprise: Enterprise,
  plan: DemandPlan,
  createdAt: Date,
  status: DemandStatus,
  updatedAt = createdAt,
): FinancingDemand {
  return world.em.create(FinancingDemand, {
    enterprise,
    amount: plan.amount,
    termMonths: plan.termMonths,
    purpose: plan.purpose,
    maxRate: plan.maxRate ?? null,
    acceptedTypes: plan.types,
    status,
    expiresAt: new Date(createdAt.getTime() + 30 * DAY_MS),
    createdAt,
    updatedAt,
  });
}

/**
 * An offer that OfferService.make would have taken: its product accepted by the demand, its
 * terms inside the product's ranges and the demand's, the enterprise eligible. A plan that breaks
 * a rule is a mistake in this file, so it throws.
 */
export function placeOffer(
  world: DemoWorld,
  demand: FinancingDemand,
  enterprise: Enterprise,
  plan: OfferPlan,
  createdAt: Date,
  status: OfferStatus,
  updatedAt = createdAt,
): Offer {
  const product = productOf(world, plan.bank, plan.product);
  const amount = new Decimal(plan.amount);
  const rate = new Decimal(plan.rate);
  const broken = [
    !demand.acceptedTypes.includes(product.type) && 'type not accepted',
    (amount.lt(product.minAmount) || amount.gt(product.maxAmount) || amount.gt(demand.amount)) && 'amount',
    (rate.lt(product.minRate) || rate.gt(product.maxRate) || (demand.maxRate && rate.gt(demand.maxRate))) && 'rate',
    (plan.termMonths < product.minTermMonths || plan.termMonths > product.maxTermMonths) && 'term',
    !product.repaymentMethods.includes(plan.method) && 'repayment method',
    !admits(world, product, enterprise) && 'enterprise not eligible',
  ].filter(Boolean);
  if (broken.length) throw new Error(`demo seed: offer ${plan.bank}/${plan.product}: ${broken.join(', ')}`);
  return world.em.create(Offer, {
    demand,
    institution: product.institution,
    product,
    amount: amount.toFixed(2),
    rate: rate.toFixed(4),
    termMonths: plan.termMonths,
    repaymentMethod: plan.method,
    conditions: plan.conditions ?? null,
    status,
    validUntil: new Date(createdAt.getTime() + 7 * DAY_MS),
    createdAt,
    updatedAt,
  });
}

interface OpenDemand {
  /** demo-enterprise's own demand, or the first free enterprise the offers admit (preferably in these industries). */
  who: 'demo' | { industries: string[] };
  hoursAgo: number;
  demand: DemandPlan;
  offers: OfferPlan[];
}

/** Open demands with pending offers: banks can still bid (one pending offer per bank), the enterprise can accept. */
const OPEN_DEMANDS: OpenDemand[] = [
  {
    who: 'demo',
    hoursAgo: 3,
    demand: {
      amount: '1000000.00',
      termMonths: 12,
      purpose: '采购草莓原料、扩建冷库，补充旺季流动资金',
      maxRate: '4.5000',
      types: [CREDIT, GUARANTEE],
    },
    offers: [
      { bank: 'icbc', product: '经营快贷', amount: '800000', rate: '3.45', termMonths: 12, method: EQUAL_INSTALLMENT },
      {
        bank: 'ccb',
        product: '云税贷',
        amount: '1000000',
        rate: '3.55',
        termMonths: 12,
        method: INTEREST_FIRST,
        conditions: '先息后本，额度内随借随还',
      },
      {
        bank: 'yalu',
        product: '信易贷·税易贷',
        amount: '600000',
        rate: '3.95',
        termMonths: 12,
        method: EQUAL_INSTALLMENT,
        conditions: '需授权查询近 24 个月纳税记录',
      },
    ],
  },
  {
    who: { industries: ['C', 'F51'] },
    hoursAgo: 9,
    demand: {
      amount: '3000000.00',
      termMonths: 12,
      purpose: '承接出口订单，支付原材料货款',
      types: [SUPPLY_CHAIN, CREDIT, MORTGAGE],
    },
    offers: [
      {
        bank: 'cmb',
        product: '供应链订单贷',
        amount: '3000000',
        rate: '4.10',
        termMonths: 12,
        method: BULLET,
        conditions: '以核心企业确认的应收账款质押，回款账户设在我行',
      },
      { bank: 'icbc', product: '经营快贷', amount: '2000000', rate: '3.60', termMonths: 12, method: INTEREST_FIRST },
    ],
  },
  {
    who: { industries: ['C13', 'F51', 'A'] },
    hoursAgo: 20,
    demand: {
      amount: '2000000.00',
      termMonths: 6,
      purpose: '海产品旺季收购备货',
      maxRate: '5.5000',
      types: [PLEDGE, GUARANTEE],
    },
    offers: [
      {
        bank: 'yalu',
        product: '存货质押贷',
        amount: '1500000',
        rate: '4.60',
        termMonths: 6,
        method: BULLET,
        conditions: '存货入监管仓，质押率 60%',
      },
      {
        bank: 'ccb',
        product: '善担贷',
        amount: '1000000',
        rate: '4.20',
        termMonths: 6,
        method: INTEREST_FIRST,
        conditions: '丹东市融资担保有限公司担保，担保费率 0.8%/年',
      },
    ],
  },
  {
    who: { industries: ['C'] },
    hoursAgo: 30,
    demand: {
      amount: '5000000.00',
      termMonths: 60,
      purpose: '新建厂房二期及购置生产线设备',
      maxRate: '4.8000',
      types: [MORTGAGE],
    },
    offers: [
      {
        bank: 'icbc',
        product: '厂房抵押贷',
        amount: '5000000',
        rate: '3.85',
        termMonths: 60,
        method: EQUAL_PRINCIPAL,
        conditions: '以厂房及土地使用权抵押，抵押率不超过 70%',
      },
      { bank: 'ccb', product: '抵押快贷', amount: '4000000', rate: '3.95', termMonths: 60, method: EQUAL_INSTALLMENT },
      {
        bank: 'cmb',
        product: '房抵经营贷',
        amount: '5000000',
        rate: '4.05',
        termMonths: 60,
        method: EQUAL_INSTALLMENT,
      },
    ],
  },
  {
    who: { industries: ['A', 'C13', 'G54'] },
    hoursAgo: 40,
    demand: {
      amount: '300000.00',
      termMonths: 12,
      purpose: '购置冷藏设备、支付养殖水面承包费',
      maxRate: '6.0000',
      types: [CREDIT, GUARANTEE],
    },
    offers: [
      {
        bank: 'donggang',
        product: '兴农贷',
        amount: '300000',
        rate: '4.80',
        termMonths: 12,
        method: INTEREST_FIRST,
        conditions: '按月付息，到期还本',
      },
      {
        bank: 'yalu',
        product: '鸭绿江信易贷',
        amount: '300000',
        rate: '4.50',
        termMonths: 12,
        method: EQUAL_INSTALLMENT,
      },
    ],
  },
  {
    who: { industries: ['I', 'C39'] },
    hoursAgo: 1,
    demand: { amount: '800000.00', termMonths: 24, purpose: '研发投入与服务器采购', types: [CREDIT] },
    offers: [
      { bank: 'cmb', product: '生意贷', amount: '600000', rate: '3.85', termMonths: 24, method: EQUAL_INSTALLMENT },
    ],
  },
];

/** Demands published in the hours before the seed, each with its banks' pending offers. */
export function seedOpenDemands(world: DemoWorld): void {
  for (const plan of OPEN_DEMANDS) {
    const products = plan.offers.map((o) => productOf(world, o.bank, o.product));
    const enterprise =
      plan.who === 'demo' ? world.enterprises[0] : pickEnterprise(world, { products, industries: plan.who.industries });
    if (!enterprise) continue;
    // demo-enterprise's grade comes from the model: a bank whose product no longer admits it does not bid.
    const offers = plan.offers.filter((_, i) => admits(world, products[i], enterprise));
    const createdAt = new Date(world.now.getTime() - plan.hoursAgo * 3_600_000);
    const demand = placeDemand(world, enterprise, plan.demand, createdAt, DemandStatus.OPEN);
    offers.forEach((offer, i) => {
      const at = new Date(createdAt.getTime() + (i + 1) * 10 * 60_000);
      placeOffer(world, demand, enterprise, offer, at, OfferStatus.PENDING);
    });
  }
}
