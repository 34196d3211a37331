import { CreditGrade, LoanProductType, LoanStatus, RepaymentMethod } from '../../entities/enums';
import type { DemandPlan, OfferPlan } from './demands';
import type { Wanted } from './demo-world';

const { CREDIT, GUARANTEE, MORTGAGE, PLEDGE, SUPPLY_CHAIN } = LoanProductType;
const { EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, INTEREST_FIRST, BULLET } = RepaymentMethod;

export interface LoanPlan {
  status: LoanStatus;
  borrower: 'demo' | Omit<Wanted, 'products'>;
  demand: DemandPlan;
  /** The winning offer; the loan takes its terms and its amount as the credit granted. */
  accepted: OfferPlan;
  /** Offers of other banks, rejected when the winner was accepted. */
  rivals?: OfferPlan[];
  /** Loans without money out: days since the offer was accepted (and since credit was granted). */
  acceptedDaysAgo?: number;
  grantedDaysAgo?: number;
  declined?: { daysAgo: number; reason: string };
  /** Loans with money out: the first disbursement, whole months (and 3 days) ago. */
  disbursedMonthsAgo?: number;
  /** Less than the credit granted (one tranche so far). */
  disbursed?: string;
  /** Installments repaid; by default every one due by today. */
  paid?: number;
  /** The bank has claimed the fund's compensation. */
  compensated?: boolean;
}

/** A life for every loan status; demo-bank (icbc) has one of each, demo-enterprise borrows twice. */
export const LOAN_PLANS: LoanPlan[] = [
  {
    status: LoanStatus.PENDING,
    borrower: { industries: ['C34', 'C'] },
    demand: {
      amount: '1500000.00',
      termMonths: 24,
      purpose: '购置数控机床，更新生产线',
      maxRate: '4.5000',
      types: [CREDIT, GUARANTEE],
    },
    accepted: {
      bank: 'icbc',
      product: '经营快贷',
      amount: '1500000',
      rate: '3.50',
      termMonths: 24,
      method: EQUAL_INSTALLMENT,
    },
    rivals: [
      { bank: 'ccb', product: '云税贷', amount: '1200000', rate: '3.65', termMonths: 24, method: INTEREST_FIRST },
    ],
    acceptedDaysAgo: 1,
  },
  {
    status: LoanStatus.GRANTED,
    borrower: { industries: ['F52'] },
    demand: {
      amount: '2000000.00',
      termMonths: 36,
      purpose: '新开两家连锁门店，补充药品库存',
      types: [GUARANTEE, CREDIT],
    },
    accepted: {
      bank: 'icbc',
      product: '小微担保贷',
      amount: '2000000',
      rate: '3.85',
      termMonths: 36,
      method: EQUAL_INSTALLMENT,
      conditions: '丹东市融资担保有限公司提供连带责任担保',
    },
    rivals: [
      { bank: 'ccb', product: '善担贷', amount: '2000000', rate: '4.10', termMonths: 36, method: EQUAL_INSTALLMENT },
    ],
    acceptedDaysAgo: 6,
    grantedDaysAgo: 2,
  },
  {
    status: LoanStatus.ACTIVE,
    borrower: 'demo',
    demand: {
      amount: '1000000.00',
      termMonths: 24,
      purpose: '购置速冻生产线，扩大草莓罐头产能',
      maxRate: '4.2000',
      types: [CREDIT],
    },
    accepted: {
      bank: 'icbc',
      product: '经营快贷',
      amount: '1000000',
      rate: '3.40',
      termMonths: 24,
      method: EQUAL_INSTALLMENT,
    },
    rivals: [
      {
        bank: 'yalu',
        product: '信易贷·税易贷',
        amount: '800000',
        rate: '3.95',
        termMonths: 24,
        method: EQUAL_INSTALLMENT,
      },
    ],
    disbursedMonthsAgo: 5,
  },
  {
    status: LoanStatus.OVERDUE,
    borrower: { grades: [CreditGrade.A, CreditGrade.B], clean: true, industries: ['G54'] },
    demand: { amount: '800000.00', termMonths: 12, purpose: '支付冷藏车购置款和燃油费', types: [CREDIT] },
    accepted: {
      bank: 'icbc',
      product: '经营快贷',
      amount: '800000',
      rate: '3.65',
      termMonths: 12,
      method: EQUAL_INSTALLMENT,
    },
    rivals: [
      { bank: 'cmb', product: '生意贷', amount: '800000', rate: '3.90', termMonths: 12, method: EQUAL_INSTALLMENT },
    ],
    disbursedMonthsAgo: 7,
    paid: 5,
  },
  {
    status: LoanStatus.DEFAULTED,
    borrower: { grades: [CreditGrade.C] },
    demand: {
      amount: '1200000.00',
      termMonths: 12,
      purpose: '补充生产周转资金，支付供应商货款',
      types: [GUARANTEE, CREDIT],
    },
    accepted: {
      bank: 'icbc',
      product: '小微担保贷',
      amount: '1200000',
      rate: '4.20',
      termMonths: 12,
      method: INTEREST_FIRST,
    },
    rivals: [
      {
        bank: 'yalu',
        product: '鸭绿江信易贷',
        amount: '1000000',
        rate: '4.80',
        termMonths: 12,
        method: EQUAL_INSTALLMENT,
      },
    ],
    disbursedMonthsAgo: 10,
    paid: 4,
  },
  {
    status: LoanStatus.SETTLED,
    borrower: { industries: ['F52', 'F51'] },
    demand: { amount: '500000.00', termMonths: 6, purpose: '春节前集中备货', types: [CREDIT] },
    accepted: {
      bank: 'icbc',
      product: '经营快贷',
      amount: '500000',
      rate: '3.30',
      termMonths: 6,
      method: EQUAL_INSTALLMENT,
    },
    rivals: [{ bank: 'ccb', product: '云税贷', amount: '500000', rate: '3.45', termMonths: 6, method: INTEREST_FIRST }],
    disbursedMonthsAgo: 9,
  },
  {
    status: LoanStatus.DECLINED,
    borrower: { industries: ['C'] },
    demand: { amount: '3000000.00', termMonths: 60, purpose: '购置厂房用于扩大生产', types: [MORTGAGE] },
    accepted: {
      bank: 'icbc',
      product: '厂房抵押贷',
      amount: '3000000',
      rate: '4.10',
      termMonths: 60,
      method: EQUAL_PRINCIPAL,
    },
    rivals: [
      { bank: 'ccb', product: '抵押快贷', amount: '3000000', rate: '4.30', termMonths: 60, method: EQUAL_INSTALLMENT },
    ],
    acceptedDaysAgo: 20,
    declined: { daysAgo: 16, reason: '拟抵押厂房位于集体建设用地，权属证明不全，暂不符合抵押条件' },
  },
  {
    status: LoanStatus.SETTLED,
    borrower: 'demo',
    demand: { amount: '300000.00', termMonths: 6, purpose: '采购包装材料', types: [CREDIT] },
    accepted: { bank: 'ccb', product: '云税贷', amount: '300000', rate: '3.50', termMonths: 6, method: INTEREST_FIRST },
    rivals: [
      { bank: 'donggang', product: '兴农贷', amount: '300000', rate: '4.60', termMonths: 6, method: INTEREST_FIRST },
    ],
    disbursedMonthsAgo: 11,
  },
  {
    status: LoanStatus.ACTIVE,
    borrower: { clean: true, industries: ['G54'] },
    demand: { amount: '600000.00', termMonths: 24, purpose: '购置冷链配送车辆', types: [CREDIT, GUARANTEE] },
    accepted: {
      bank: 'yalu',
      product: '鸭绿江信易贷',
      amount: '600000',
      rate: '4.35',
      termMonths: 24,
      method: EQUAL_PRINCIPAL,
    },
    rivals: [
      { bank: 'donggang', product: '兴农贷', amount: '500000', rate: '4.95', termMonths: 24, method: INTEREST_FIRST },
    ],
    disbursedMonthsAgo: 3,
  },
  {
    status: LoanStatus.SETTLED,
    borrower: { industries: ['C13'] },
    demand: { amount: '1000000.00', termMonths: 6, purpose: '收购板栗、草莓等季节性原料', types: [PLEDGE, CREDIT] },
    accepted: {
      bank: 'yalu',
      product: '存货质押贷',
      amount: '1000000',
      rate: '4.60',
      termMonths: 6,
      method: BULLET,
      conditions: '原料入监管仓，质押率 60%',
    },
    rivals: [
      { bank: 'icbc', product: '经营快贷', amount: '800000', rate: '3.90', termMonths: 6, method: INTEREST_FIRST },
    ],
    disbursedMonthsAgo: 8,
  },
  {
    status: LoanStatus.ACTIVE,
    borrower: { industries: ['C39', 'C'] },
    demand: { amount: '2000000.00', termMonths: 12, purpose: '为核心企业供货备料', types: [SUPPLY_CHAIN] },
    accepted: {
      bank: 'cmb',
      product: '供应链订单贷',
      amount: '2000000',
      rate: '4.20',
      termMonths: 12,
      method: INTEREST_FIRST,
      conditions: '按订单分批提款，回款账户设在我行',
    },
    disbursedMonthsAgo: 2,
    disbursed: '1200000.00',
  },
  {
    status: LoanStatus.ACTIVE,
    borrower: { industries: ['A'] },
    demand: { amount: '200000.00', termMonths: 12, purpose: '购买鱼苗、饲料', types: [CREDIT, GUARANTEE] },
    accepted: {
      bank: 'donggang',
      product: '兴农贷',
      amount: '200000',
      rate: '5.20',
      termMonths: 12,
      method: INTEREST_FIRST,
    },
    rivals: [
      { bank: 'yalu', product: '鸭绿江信易贷', amount: '200000', rate: '5.40', termMonths: 12, method: INTEREST_FIRST },
    ],
    disbursedMonthsAgo: 1,
  },
  {
    status: LoanStatus.DEFAULTED,
    borrower: { grades: [CreditGrade.B], industries: ['E48'] },
    demand: { amount: '900000.00', termMonths: 12, purpose: '支付工程材料款和农民工工资', types: [GUARANTEE] },
    accepted: {
      bank: 'ccb',
      product: '善担贷',
      amount: '900000',
      rate: '4.40',
      termMonths: 12,
      method: EQUAL_INSTALLMENT,
    },
    disbursedMonthsAgo: 11,
    paid: 3,
    compensated: true,
  },
  {
    status: LoanStatus.OVERDUE,
    borrower: { clean: true, industries: ['A', 'C13'] },
    demand: { amount: '400000.00', termMonths: 12, purpose: '草莓大棚改造', types: [GUARANTEE] },
    accepted: {
      bank: 'donggang',
      product: '惠农担保贷',
      amount: '400000',
      rate: '4.90',
      termMonths: 12,
      method: INTEREST_FIRST,
    },
    disbursedMonthsAgo: 4,
    paid: 2,
  },
];
