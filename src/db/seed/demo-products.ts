import { CreditGrade, EnterpriseSize, LoanProductType, RepaymentMethod } from '../../entities/enums';

/** Loan products of the demo banks, priced around the 3.0 % one-year LPR (3.2–6 %). */
export interface DemoProduct {
  bank: 'icbc' | 'ccb' | 'cmb' | 'yalu' | 'donggang';
  name: string;
  description: string;
  type: LoanProductType;
  minAmount: string;
  maxAmount: string;
  minRate: string;
  maxRate: string;
  minTermMonths: number;
  maxTermMonths: number;
  repaymentMethods: RepaymentMethod[];
  minGrade: CreditGrade | null;
  industryCodes?: string[];
  sizes?: EnterpriseSize[];
  minYearsEstablished?: number;
  guaranteeFundEligible: boolean;
}

const { EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, INTEREST_FIRST, BULLET } = RepaymentMethod;

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    bank: 'icbc',
    name: '经营快贷',
    description: '依托纳税与社保数据的线上纯信用贷款，随借随还，最快当天放款。',
    type: LoanProductType.CREDIT,
    minAmount: '100000.00',
    maxAmount: '2000000.00',
    minRate: '3.2000',
    maxRate: '4.3500',
    minTermMonths: 6,
    maxTermMonths: 36,
    repaymentMethods: [EQUAL_INSTALLMENT, INTEREST_FIRST],
    minGrade: CreditGrade.B,
    minYearsEstablished: 2,
    guaranteeFundEligible: true,
  },
  {
    bank: 'icbc',
    name: '厂房抵押贷',
    description: '以自有厂房、土地使用权抵押，额度高、期限长，适合扩产改造。',
    type: LoanProductType.MORTGAGE,
    minAmount: '1000000.00',
    maxAmount: '20000000.00',
    minRate: '3.4500',
    maxRate: '4.9000',
    minTermMonths: 12,
    maxTermMonths: 120,
    repaymentMethods: [EQUAL_PRINCIPAL, EQUAL_INSTALLMENT],
    minGrade: null,
    guaranteeFundEligible: false,
  },
  {
    bank: 'ccb',
    name: '云税贷',
    description: '按年度纳税额核定额度的纯信用贷款，纳税信用等级 A、B 级企业优先。',
    type: LoanProductType.CREDIT,
    minAmount: '50000.00',
    maxAmount: '3000000.00',
    minRate: '3.3500',
    maxRate: '4.5000',
    minTermMonths: 3,
    maxTermMonths: 36,
    repaymentMethods: [INTEREST_FIRST, EQUAL_INSTALLMENT],
    minGrade: CreditGrade.B,
    guaranteeFundEligible: true,
  },
  {
    bank: 'ccb',
    name: '善担贷',
    description: '政府性融资担保机构提供担保，小微企业担保费率不超过 1%。',
    type: LoanProductType.GUARANTEE,
    minAmount: '100000.00',
    maxAmount: '5000000.00',
    minRate: '3.6000',
    maxRate: '5.2000',
    minTermMonths: 6,
    maxTermMonths: 36,
    repaymentMethods: [EQUAL_INSTALLMENT, INTEREST_FIRST],
    minGrade: CreditGrade.C,
    sizes: [EnterpriseSize.MICRO, EnterpriseSize.SMALL],
    guaranteeFundEligible: true,
  },
  {
    bank: 'cmb',
    name: '供应链订单贷',
    description: '以核心企业确认的应收账款和订单为依据，回款即还。',
    type: LoanProductType.SUPPLY_CHAIN,
    minAmount: '200000.00',
    maxAmount: '10000000.00',
    minRate: '3.8000',
    maxRate: '5.5000',
    minTermMonths: 1,
    maxTermMonths: 12,
    repaymentMethods: [BULLET, INTEREST_FIRST],
    minGrade: CreditGrade.C,
    industryCodes: ['C', 'F51'],
    guaranteeFundEligible: false,
  },
  {
    bank: 'yalu',
    name: '鸭绿江信易贷',
    description: '面向丹东本地小微企业的信用贷款，依托信易贷平台评价结果审批。',
    type: LoanProductType.CREDIT,
    minAmount: '30000.00',
    maxAmount: '1000000.00',
    minRate: '3.9000',
    maxRate: '5.8000',
    minTermMonths: 6,
    maxTermMonths: 24,
    repaymentMethods: [EQUAL_INSTALLMENT, EQUAL_PRINCIPAL, INTEREST_FIRST],
    minGrade: CreditGrade.C,
    guaranteeFundEligible: true,
  },
  {
    bank: 'yalu',
    name: '存货质押贷',
    description: '以海产品、农产品等存货质押，监管仓管理，适合季节性备货。',
    type: LoanProductType.PLEDGE,
    minAmount: '300000.00',
    maxAmount: '5000000.00',
    minRate: '4.2000',
    maxRate: '6.0000',
    minTermMonths: 3,
    maxTermMonths: 12,
    repaymentMethods: [BULLET, INTEREST_FIRST],
    minGrade: null,
    industryCodes: ['A', 'C13', 'F51'],
    guaranteeFundEligible: false,
  },
  {
    bank: 'donggang',
    name: '兴农贷',
    description: '服务东港、凤城涉农经营主体，额度灵活，按季付息。',
    type: LoanProductType.CREDIT,
    minAmount: '20000.00',
    maxAmount: '500000.00',
    minRate: '4.3500',
    maxRate: '6.0000',
    minTermMonths: 6,
    maxTermMonths: 36,
    repaymentMethods: [INTEREST_FIRST, EQUAL_INSTALLMENT],
    minGrade: CreditGrade.C,
    guaranteeFundEligible: true,
  },
];
