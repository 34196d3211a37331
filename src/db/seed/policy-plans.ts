import { ClaimStatus, CreditGrade, EnterpriseSize, PolicyCategory, PolicyStatus } from '../../entities/enums';
import type { DepartmentKey } from './demo-organisations';

const { MICRO, SMALL, MEDIUM } = EnterpriseSize;
const { SUBMITTED, APPROVED, REJECTED, PUBLICIZED, DISBURSED, WITHDRAWN } = ClaimStatus;

/**
 * Days are whole days relative to the policy's anchor, negative before it: `today`, or for last
 * year's round `lastYear`, the day its claims were paid (the 5th of the month twelve months ago), so
 * a year of credit records has accrued since and Policy.effect has both windows to compare.
 */
export type Anchor = 'today' | 'lastYear';

export interface ClaimPlan {
  /**
   * demo-enterprise's own claim, or the eligible VERIFIED enterprise with the fewest claims so far
   * (preferably in these industries). `history`: a beneficiary of last year's round, free of any
   * other part of the demo, given the tax and social-security records of the year before it.
   */
  who: 'demo' | { industries?: string[]; history?: boolean };
  status: ClaimStatus;
  requested: string;
  /** APPROVED, PUBLICIZED and DISBURSED: the amount the review approved (at most `requested`). */
  approved?: string;
  statement: string;
  submitted: number;
  /** APPROVED (and after) and REJECTED: the review. */
  reviewed?: number;
  /** The review's comment: the reason of a rejection or of a cut. */
  comment?: string;
  /** PUBLICIZED and DISBURSED: publicity from this day for `publicityDays` (1..30). */
  publicized?: number;
  publicityDays?: number;
  /** DISBURSED: paid after the publicity ended; `paidTo` names the receiving account in the event. */
  disbursed?: number;
  paidTo?: string;
  /** WITHDRAWN: the day the enterprise withdrew it. */
  withdrawn?: number;
}

export interface PolicyPlan {
  department: DepartmentKey;
  /** `{year}` becomes the year the application window opens. */
  title: string;
  summary: string;
  body: string;
  category: PolicyCategory;
  eligibility: {
    minGrade?: CreditGrade;
    industryCodes?: string[];
    regionCodes?: string[];
    sizes?: EnterpriseSize[];
    minYearsEstablished?: number;
    noPenaltyMonths?: number;
  };
  maxAmountPerClaim: string;
  budget: string;
  anchor: Anchor;
  status: PolicyStatus;
  applyFrom: number;
  applyUntil: number;
  /** Null for a draft. */
  published: number | null;
  /** CLOSED: the day it stopped taking claims. */
  closed?: number;
  claims: ClaimPlan[];
}

const sections = (...parts: string[]) => parts.join('\n\n');

const TO_ENTERPRISE = '企业基本账户';

/**
 * Policies of the three demo departments. demo-enterprise (a micro food processor graded A) is
 * eligible for the platform interest subsidy, the risk compensation and the guarantee-fee subsidy,
 * and not for the equipment-manufacturing subsidy or the innovation vouchers; it has claimed the
 * first two and can still claim the third. demo-regulator has SUBMITTED claims to review.
 */
export const POLICY_PLANS: PolicyPlan[] = [
  {
    department: 'ndrc',
    title: '{year}年度丹东市“信易贷”平台贷款贴息',
    summary: '对通过丹东“信易贷”平台获得银行贷款、按期付息的小微企业，按已付利息的 50% 给予贴息，单户年度最高 5 万元。',
    body: sections(
      '一、支持对象\n在丹东市行政区域内依法登记注册，通过丹东“信易贷”平台发布融资需求并获得合作银行贷款的小型、微型企业。',
      '二、支持标准\n对申报期内按期付息的平台贷款，按企业实际支付利息的 50% 给予贴息，贴息利率最高不超过 1.5 个百分点；单户企业年度贴息金额最高 5 万元。贴息资金实行总额控制，预算用完即止。',
      '三、申报条件\n（一）平台信用评价等级为 B 级及以上；\n（二）近 12 个月内无行政处罚记录，未被列入失信被执行人名单；\n（三）贷款用于企业生产经营，未发生逾期、欠息。',
      '四、申报材料\n（一）借款合同和借款借据；\n（二）贷款银行出具的付息清单或付息凭证；\n（三）企业信用承诺书（可在平台在线签署）。',
      '五、办理流程\n企业在平台“政策超市”在线申报，市发展改革委在 10 个工作日内完成审核；审核通过的在平台公示 7 天，公示期满无异议的，由市财政局通过国库集中支付将贴息资金直接拨付至企业基本账户。',
    ),
    category: PolicyCategory.INTEREST_SUBSIDY,
    eligibility: { minGrade: CreditGrade.B, regionCodes: ['210600'], sizes: [MICRO, SMALL], noPenaltyMonths: 12 },
    maxAmountPerClaim: '50000.00',
    budget: '3000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: -40,
    applyUntil: 80,
    published: -42,
    claims: [
      {
        who: 'demo',
        status: SUBMITTED,
        requested: '6500.00',
        statement:
          '我司经平台对接获得工商银行丹东分行“经营快贷”100 万元（年利率 3.40%），放款以来按期还本付息，累计付息约 1.3 万元，按 50% 申请贴息 6,500 元。附借款合同、付息清单。',
        submitted: -2,
      },
      {
        who: { industries: ['G54', 'F51'] },
        status: SUBMITTED,
        requested: '18600.00',
        statement:
          '我司经平台获得银行信用贷款 120 万元（年利率 4.10%），用于购置冷藏车辆，截至目前已付息 3.72 万元，申请按 50% 贴息 18,600 元。附借款合同、银行付息凭证。',
        submitted: -1,
      },
      {
        who: { industries: ['F52', 'F51'] },
        status: APPROVED,
        requested: '32000.00',
        approved: '30500.00',
        statement: '我司经平台对接获得两笔流动资金贷款共 200 万元，本年度已付息 6.4 万元，申请贴息 32,000 元。',
        submitted: -20,
        reviewed: -5,
        comment: '经核对银行付息清单，其中一笔贷款有 3,000 元利息发生在申报期之前，不予计入，核定贴息 30,500 元。',
      },
      {
        who: { industries: ['C'] },
        status: REJECTED,
        requested: '50000.00',
        statement: '我司向银行申请的 300 万元项目贷款已放款，年付息约 11 万元，按政策上限申请贴息 50,000 元。',
        submitted: -25,
        reviewed: -12,
        comment: '该笔贷款为企业直接向银行线下申请，未通过“信易贷”平台发布需求和对接，不属于本政策支持范围。',
      },
      {
        who: { industries: ['A', 'C13'] },
        status: WITHDRAWN,
        requested: '12000.00',
        statement: '我司经平台获得东港农村商业银行“兴农贷”50 万元，已付息 2.4 万元，申请贴息 12,000 元。',
        submitted: -15,
        withdrawn: -13,
      },
    ],
  },
  {
    department: 'ndrc',
    title: '丹东市小微企业信用贷款风险补偿',
    summary:
      '对经平台获得纯信用贷款的小微企业，按贷款本金的 5% 安排风险补偿金存入合作银行专户，单户最高 20 万元，贷款正常结清后转为守信奖励。',
    body: sections(
      '一、支持对象\n通过丹东“信易贷”平台获得合作银行纯信用贷款（无抵押、无第三方担保）的小型、微型企业。',
      '二、支持标准\n按企业信用贷款本金的 5% 安排风险补偿金，单户最高 20 万元，存入贷款银行在本市开立的风险补偿专户。贷款发生损失的，由风险补偿金按约定比例先行代偿；贷款按期结清的，风险补偿金转为对企业的守信奖励，可用于抵扣下一笔平台贷款的利息。',
      '三、申报条件\n（一）平台信用评价等级为 C 级及以上；\n（二）近 24 个月内无行政处罚记录；\n（三）贷款期限 6 个月以上、用于生产经营，贷款银行同意纳入风险补偿管理。',
      '四、申报材料\n（一）借款合同和放款凭证；\n（二）贷款银行出具的纳入风险补偿确认函；\n（三）企业信用承诺书。',
      '五、办理流程\n企业在平台在线申报，贷款银行在线确认，市发展改革委会同市财政局审核后在平台公示，公示期满无异议的，补偿金拨付至贷款银行风险补偿专户。',
    ),
    category: PolicyCategory.RISK_COMPENSATION,
    eligibility: { minGrade: CreditGrade.C, sizes: [MICRO, SMALL], noPenaltyMonths: 24 },
    maxAmountPerClaim: '200000.00',
    budget: '10000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: -60,
    applyUntil: 120,
    published: -62,
    claims: [
      {
        who: 'demo',
        status: PUBLICIZED,
        requested: '50000.00',
        approved: '50000.00',
        statement:
          '我司经平台获得工商银行丹东分行“经营快贷”纯信用贷款 100 万元，期限 24 个月，按本金 5% 申请风险补偿金 50,000 元，工商银行丹东分行已出具确认函。',
        submitted: -30,
        reviewed: -8,
        comment: '贷款银行已确认，材料齐全，同意安排风险补偿金 50,000 元。',
        publicized: -3,
        publicityDays: 7,
      },
      {
        who: { industries: ['C', 'F51'] },
        status: DISBURSED,
        requested: '100000.00',
        approved: '80000.00',
        statement: '我司经平台获得建设银行丹东分行“云税贷”纯信用贷款 200 万元，申请风险补偿金 100,000 元。',
        submitted: -50,
        reviewed: -35,
        comment: '经核实，其中 40 万元为续贷资金，不重复补偿，按 160 万元核定风险补偿金 80,000 元。',
        publicized: -30,
        publicityDays: 7,
        disbursed: -18,
        paidTo: '建设银行丹东分行风险补偿专户',
      },
      {
        who: { industries: ['G54', 'F52', 'I'] },
        status: PUBLICIZED,
        requested: '30000.00',
        approved: '30000.00',
        statement: '我司经平台获得招商银行丹东分行“生意贷”纯信用贷款 60 万元，申请风险补偿金 30,000 元。',
        submitted: -28,
        reviewed: -8,
        comment: '材料齐全，贷款银行已确认，同意。',
        publicized: -3,
        publicityDays: 7,
      },
    ],
  },
  {
    department: 'ndrc',
    title: '丹东市诚信示范企业守信激励奖励办法（征求意见稿）',
    summary: '拟对连续两年平台信用评价为 A 级、近三年无行政处罚的企业给予一次性守信激励奖励，单户最高 10 万元。',
    body: sections(
      '一、支持对象\n在本市登记注册满 3 年，连续两年平台信用评价为 A 级，并签署信用承诺书的企业。',
      '二、支持标准\n经评定为“丹东市诚信示范企业”的，给予一次性奖励 5 万元；同时被评为省级以上诚信示范企业的，奖励 10 万元。',
      '三、申报条件\n近 36 个月内无行政处罚记录，未发生贷款逾期、欠税、欠缴社会保险费等失信行为。',
      '四、激励措施\n除资金奖励外，诚信示范企业在平台“金融超市”享受合作银行优先授信、利率优惠，在评优评先中同等条件下优先考虑。',
      '五、征求意见\n本办法尚在征求意见阶段，正式发布前以最终文本为准。',
    ),
    category: PolicyCategory.SUBSIDY,
    eligibility: { minGrade: CreditGrade.A, minYearsEstablished: 3, noPenaltyMonths: 36 },
    maxAmountPerClaim: '100000.00',
    budget: '2000000.00',
    anchor: 'today',
    status: PolicyStatus.DRAFT,
    applyFrom: 30,
    applyUntil: 120,
    published: null,
    claims: [],
  },
  {
    department: 'ndrc',
    title: '{year}年度丹东市“信易贷”平台贷款贴息（第一批）',
    summary:
      '申报已结束。对通过平台获得贷款、按期付息的小微企业按已付利息的 50% 贴息，单户最高 5 万元；兑现结果已公示，资金已拨付。',
    body: sections(
      '一、支持对象\n通过丹东“信易贷”平台获得合作银行贷款的小型、微型企业。',
      '二、支持标准\n按企业实际支付利息的 50% 给予贴息，单户企业最高 5 万元。',
      '三、申报条件\n平台信用评价等级为 B 级及以上，近 12 个月内无行政处罚记录，贷款用于生产经营。',
      '四、申报材料\n借款合同、贷款银行出具的付息清单、企业信用承诺书。',
      '五、办理流程\n本批次申报已截止，审核通过的企业已完成公示和资金拨付。新一年度的贴息政策请关注平台“政策超市”。',
    ),
    category: PolicyCategory.INTEREST_SUBSIDY,
    eligibility: { minGrade: CreditGrade.B, regionCodes: ['210600'], sizes: [MICRO, SMALL], noPenaltyMonths: 12 },
    maxAmountPerClaim: '50000.00',
    budget: '2000000.00',
    anchor: 'lastYear',
    status: PolicyStatus.CLOSED,
    applyFrom: -110,
    applyUntil: -50,
    published: -115,
    closed: -49,
    claims: [
      {
        who: { history: true },
        status: DISBURSED,
        requested: '42000.00',
        approved: '42000.00',
        statement: '我司经平台获得银行流动资金贷款 150 万元，年度付息 8.4 万元，申请贴息 42,000 元。',
        submitted: -100,
        reviewed: -40,
        comment: '材料齐全，付息凭证与银行数据一致，同意。',
        publicized: -30,
        publicityDays: 10,
        disbursed: 0,
        paidTo: TO_ENTERPRISE,
      },
      {
        who: { history: true },
        status: DISBURSED,
        requested: '40000.00',
        approved: '36500.00',
        statement: '我司经平台获得两笔信用贷款，年度付息 8 万元，申请贴息 40,000 元。',
        submitted: -90,
        reviewed: -40,
        comment: '其中 7,000 元利息为申报期外支付，不予计入，核定贴息 36,500 元。',
        publicized: -30,
        publicityDays: 10,
        disbursed: 0,
        paidTo: TO_ENTERPRISE,
      },
      {
        who: { history: true },
        status: DISBURSED,
        requested: '50000.00',
        approved: '50000.00',
        statement: '我司经平台获得担保贷款 300 万元，年度付息 12.6 万元，按政策上限申请贴息 50,000 元。',
        submitted: -70,
        reviewed: -40,
        comment: '同意，按单户上限核定。',
        publicized: -30,
        publicityDays: 10,
        disbursed: 0,
        paidTo: TO_ENTERPRISE,
      },
      {
        who: {},
        status: REJECTED,
        requested: '25000.00',
        statement: '我司获得银行贷款 100 万元用于购置办公用房，申请贴息 25,000 元。',
        submitted: -80,
        reviewed: -40,
        comment: '贷款用途为购置办公用房，不属于生产经营性流动资金或设备贷款，不予贴息。',
      },
    ],
  },
  {
    department: 'finance',
    title: '丹东市小微企业融资担保费补贴',
    summary:
      '对通过政府性融资担保机构担保获得银行贷款的小微企业，按实际缴纳担保费的 50% 给予补贴，单户年度最高 3 万元。',
    body: sections(
      '一、支持对象\n在丹东市登记注册，通过丹东市融资担保有限公司等政府性融资担保机构提供担保获得银行贷款的小型、微型企业。',
      '二、支持标准\n担保费率不超过 1% 的，按企业实际缴纳担保费的 50% 给予补贴；担保费率超过 1% 的，按 1% 费率计算补贴基数。单户企业年度补贴最高 3 万元。',
      '三、申报条件\n（一）担保贷款已发放，担保费已足额缴纳；\n（二）近 12 个月内无行政处罚记录；\n（三）同一笔担保贷款不重复享受其他担保费补贴。',
      '四、申报材料\n（一）担保合同、借款合同；\n（二）担保费缴费发票；\n（三）担保机构出具的担保业务确认单。',
      '五、办理流程\n企业在平台在线申报，市财政局会同担保机构审核，审核通过的在平台公示 5 天，公示期满无异议的，补贴资金直接拨付至企业账户。',
    ),
    category: PolicyCategory.GUARANTEE_FEE_SUBSIDY,
    eligibility: { regionCodes: ['210600'], sizes: [MICRO, SMALL], noPenaltyMonths: 12 },
    maxAmountPerClaim: '30000.00',
    budget: '2000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: -30,
    applyUntil: 150,
    published: -31,
    claims: [
      {
        who: { industries: ['F52'] },
        status: DISBURSED,
        requested: '16000.00',
        approved: '16000.00',
        statement:
          '我司经丹东市融资担保有限公司担保获得工商银行“小微担保贷”和建设银行“善担贷”各 200 万元，担保费率均为 0.8%，已缴担保费共 3.2 万元，申请补贴 16,000 元。',
        submitted: -28,
        reviewed: -20,
        comment: '两笔担保贷款均经担保机构确认，同意补贴 16,000 元。',
        publicized: -18,
        publicityDays: 5,
        disbursed: -9,
        paidTo: TO_ENTERPRISE,
      },
      {
        who: { industries: ['E48', 'A'] },
        status: PUBLICIZED,
        requested: '9600.00',
        approved: '9600.00',
        statement:
          '我司经政府性融资担保机构担保获得建设银行“善担贷”240 万元，担保费率 0.8%，已缴担保费 19,200 元，申请补贴 9,600 元。',
        submitted: -14,
        reviewed: -6,
        comment: '材料齐全，同意。',
        publicized: -2,
        publicityDays: 5,
      },
      {
        who: { industries: ['C'] },
        status: SUBMITTED,
        requested: '24000.00',
        statement:
          '我司经丹东市融资担保有限公司担保获得两笔银行贷款共 480 万元，担保费率 1%，已缴担保费 4.8 万元，申请补贴 24,000 元。',
        submitted: -3,
      },
      {
        who: { industries: ['A', 'C13'] },
        status: WITHDRAWN,
        requested: '8000.00',
        statement: '我司经担保机构担保获得银行贷款 200 万元，已缴担保费 1.6 万元，申请补贴 8,000 元。',
        submitted: -10,
        withdrawn: -9,
      },
    ],
  },
  {
    department: 'finance',
    title: '丹东市装备制造业企业技术改造贷款贴息',
    summary:
      '支持通用设备、专用设备、电气机械、电子信息和仪器仪表制造企业技术改造，按技改贷款实际付息额的 50% 贴息，单户最高 20 万元。',
    body: sections(
      '一、支持对象\n在丹东市登记注册满 3 年，从事通用设备、专用设备、电气机械和器材、计算机通信和其他电子设备、仪器仪表制造的工业企业。',
      '二、支持标准\n对企业为购置生产设备、实施智能化改造和数字化转型取得的银行贷款，按实际付息额的 50% 给予贴息，贴息期限最长 2 年，单户企业最高 20 万元。',
      '三、申报条件\n（一）平台信用评价等级为 B 级及以上；\n（二）技改项目已开工建设，设备购置合同已签订并付款；\n（三）贷款资金专款用于技改项目。',
      '四、申报材料\n（一）项目备案文件、设备购置合同及发票；\n（二）借款合同、放款凭证和付息清单；\n（三）项目进度说明。',
      '五、办理流程\n企业在平台在线申报，市财政局会同市工业和信息化局审核，必要时现场核查。审核通过的在平台公示 10 天，公示期满无异议的拨付贴息资金。',
    ),
    category: PolicyCategory.INTEREST_SUBSIDY,
    eligibility: {
      industryCodes: ['C34', 'C35', 'C38', 'C39', 'C40'],
      minGrade: CreditGrade.B,
      minYearsEstablished: 3,
    },
    maxAmountPerClaim: '200000.00',
    budget: '8000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: -20,
    applyUntil: 100,
    published: -21,
    claims: [
      {
        who: { industries: ['C34'] },
        status: APPROVED,
        requested: '120000.00',
        approved: '96000.00',
        statement: '我司实施数控加工中心智能化改造，取得技改贷款 500 万元，已付息 24 万元，申请贴息 120,000 元。',
        submitted: -18,
        reviewed: -3,
        comment: '现场核查确认设备已到货安装；其中 1 台设备尚未付款，对应贷款利息不予贴息，核定贴息 96,000 元。',
      },
      {
        who: { industries: ['C39'] },
        status: PUBLICIZED,
        requested: '200000.00',
        approved: '180000.00',
        statement:
          '我司建设智能传感器自动化生产线，取得技改贷款 1,000 万元，已付息 40 万元，按上限申请贴息 200,000 元。',
        submitted: -19,
        reviewed: -7,
        comment: '贷款中有 100 万元用于补充流动资金，不属于技改用途，相应利息剔除后核定贴息 180,000 元。',
        publicized: -4,
        publicityDays: 10,
      },
      {
        who: { industries: ['C34', 'C39'] },
        status: REJECTED,
        requested: '150000.00',
        statement: '我司购置阀门智能检测设备，取得技改贷款 600 万元，申请贴息 150,000 元。',
        submitted: -16,
        reviewed: -6,
        comment: '现场核查发现技改设备尚未到货，项目未开工建设，不符合申报条件，可待设备安装投产后重新申报。',
      },
    ],
  },
  {
    department: 'tech',
    title: '丹东市科技创新券',
    summary:
      '科技型中小企业向名录内高校、科研院所和服务机构购买研发设计、检验检测、技术转移等服务，按服务费用的 50% 兑付创新券，单户年度最高 10 万元。',
    body: sections(
      '一、支持对象\n在丹东市登记注册，从事软件和信息技术服务、科学研究和技术服务、仪器仪表和电子设备制造等领域的中小微企业，优先支持国家科技型中小企业和高新技术企业。',
      '二、支持标准\n企业向《丹东市科技创新券服务机构名录》内的高校、科研院所和科技服务机构购买研究开发、技术咨询、检验检测、知识产权和技术转移服务，按合同实际支付金额的 50% 兑付创新券，单户企业年度最高 10 万元。',
      '三、申报条件\n（一）近 12 个月内无行政处罚记录；\n（二）服务合同签订后 12 个月内完成服务并支付费用；\n（三）同一服务项目不重复享受其他财政科技资金支持。',
      '四、申报材料\n（一）技术服务合同和服务成果（检测报告、研发报告等）；\n（二）服务费付款凭证和发票；\n（三）服务机构出具的服务完成确认书。',
      '五、办理流程\n企业在平台在线申报，市科学技术局组织审核，审核通过的在平台公示 7 天，公示期满无异议的，创新券兑付资金拨付至企业账户。',
    ),
    category: PolicyCategory.TECH_INNOVATION,
    eligibility: { industryCodes: ['I', 'M', 'C34', 'C39', 'C40'], sizes: [MICRO, SMALL, MEDIUM], noPenaltyMonths: 12 },
    maxAmountPerClaim: '100000.00',
    budget: '3000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: -50,
    applyUntil: 130,
    published: -52,
    claims: [
      {
        who: { industries: ['I'] },
        status: SUBMITTED,
        requested: '45000.00',
        statement:
          '我司委托名录内高校开展工业数据采集网关联合研发，合同金额 9 万元，已完成服务并付款，申请兑付创新券 45,000 元。',
        submitted: -4,
      },
      {
        who: { industries: ['C39'] },
        status: PUBLICIZED,
        requested: '60000.00',
        approved: '60000.00',
        statement:
          '我司委托名录内检测机构完成智能传感器电磁兼容和环境可靠性检测，支付检测费 12 万元，申请兑付创新券 60,000 元。',
        submitted: -30,
        reviewed: -10,
        comment: '检测报告和付款凭证齐全，同意。',
        publicized: -2,
        publicityDays: 7,
      },
      {
        who: { industries: ['I', 'C39'] },
        status: DISBURSED,
        requested: '80000.00',
        approved: '72000.00',
        statement: '我司购买专利布局、软件著作权登记和技术成果评价服务，支付费用 16 万元，申请兑付创新券 80,000 元。',
        submitted: -45,
        reviewed: -33,
        comment: '其中 1.6 万元为代缴官方规费，不属于服务费用，核定兑付 72,000 元。',
        publicized: -30,
        publicityDays: 7,
        disbursed: -15,
        paidTo: TO_ENTERPRISE,
      },
      {
        who: { industries: ['C34'] },
        status: REJECTED,
        requested: '100000.00',
        statement: '我司委托外地咨询公司编制高新技术企业认定申报材料，支付服务费 20 万元，申请兑付创新券 100,000 元。',
        submitted: -20,
        reviewed: -9,
        comment: '服务机构不在《丹东市科技创新券服务机构名录》内，且申报材料代编服务不属于支持范围。',
      },
    ],
  },
  {
    department: 'tech',
    title: '丹东市“鸭绿江英才”科技人才创新创业项目资助',
    summary:
      '对全职来丹工作或在丹创办科技型企业的高层次人才团队，按专家评审结果给予 20 万至 50 万元项目资助；申报期尚未开始，可提前准备材料。',
    body: sections(
      '一、支持对象\n近 3 年内全职引进到本市企业工作，或在本市创办科技型企业的高层次人才及其团队，用人企业须在丹东市登记注册。',
      '二、支持标准\n经专家评审，对 A 类项目给予 50 万元资助，B 类项目给予 30 万元资助，C 类项目给予 20 万元资助；资助资金用于研发投入、设备购置和人才团队建设。',
      '三、申报条件\n（一）人才与用人企业签订 3 年以上劳动合同并在本市缴纳社会保险；\n（二）企业近 36 个月内无行政处罚记录；\n（三）项目具有自主知识产权，技术水平国内领先。',
      '四、申报材料\n（一）人才学历学位、职称及业绩证明；\n（二）劳动合同和社会保险缴纳证明；\n（三）项目申报书、知识产权证明。',
      '五、办理流程\n申报期内企业在平台在线申报，市科学技术局组织专家评审和现场考察，评审结果在平台公示 7 天后拨付资助资金。',
    ),
    category: PolicyCategory.TALENT,
    eligibility: { regionCodes: ['210600'], noPenaltyMonths: 36 },
    maxAmountPerClaim: '500000.00',
    budget: '10000000.00',
    anchor: 'today',
    status: PolicyStatus.PUBLISHED,
    applyFrom: 20,
    applyUntil: 110,
    published: -3,
    claims: [],
  },
];
