import { usccCheckChar } from '../../services/uscc';
import { DEMO_DISTRICTS } from './demo-organisations';

export interface DemoEnterprise {
  uscc: string;
  name: string;
  legalRepresentative: string;
  industryCode: string;
  regionCode: string;
  establishedOn: string;
  registeredCapital: string;
  employees: number;
  annualRevenue: string;
}

/** Local trades of a port city on the Yalu: food, textiles, machinery, logistics, software, retail. */
const TRADES = [
  { industry: 'C13', names: ['草莓食品加工', '海产品加工', '板栗食品'] },
  { industry: 'C18', names: ['服装制造', '针织服饰'] },
  { industry: 'C34', names: ['仪器仪表', '精密机械', '阀门制造'] },
  { industry: 'C39', names: ['电子科技', '智能传感'] },
  { industry: 'F51', names: ['商贸', '边贸进出口', '农产品批发'] },
  { industry: 'F52', names: ['便民超市', '连锁药房'] },
  { industry: 'G54', names: ['物流', '冷链运输'] },
  { industry: 'I65', names: ['软件', '信息技术', '数据服务'] },
  { industry: 'H62', names: ['餐饮管理'] },
  { industry: 'A04', names: ['水产养殖'] },
  { industry: 'E48', names: ['建设工程'] },
] as const;

const PLACES = ['丹东', '鸭绿江', '凤城', '东港', '宽甸', '振兴', '元宝', '五龙背', '大孤山', '青城'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '孙', '马', '朱', '胡', '郭', '何'];
const GIVEN = ['建国', '海燕', '志强', '丽娜', '国庆', '晓东', '春梅', '宏伟', '玉兰', '明辉', '秀英', '立新'];

/** A small deterministic generator, so every fresh demo database holds the same enterprises. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** Organisation code (positions 9–17): 9 characters from the USCC alphabet, unique per index. */
function organisationCode(index: number): string {
  return `MA${String(1_000_000 + index * 7_919).slice(-7)}`;
}

export function demoEnterprises(count = 40): DemoEnterprise[] {
  const pick = generator(20_261_128);
  return Array.from({ length: count }, (_, i) => {
    const trade = TRADES[i % TRADES.length];
    const regionCode = DEMO_DISTRICTS[pick(DEMO_DISTRICTS.length)];
    const first17 = `91${regionCode}${organisationCode(i)}`;
    // A spread of sizes: most micro and small, a few medium.
    const employees = [3, 8, 15, 25, 40, 60, 120, 260, 350][pick(9)];
    const revenueWan = [80, 150, 400, 900, 1_800, 3_500, 6_000, 12_000][pick(8)];
    const year = 2008 + pick(17);
    return {
      uscc: `${first17}${usccCheckChar(first17)}`,
      name: `丹东市${PLACES[i % PLACES.length]}${trade.names[i % trade.names.length]}有限公司`.replace(
        /^(丹东市)(丹东)/,
        '$1',
      ),
      legalRepresentative: `${SURNAMES[pick(SURNAMES.length)]}${GIVEN[pick(GIVEN.length)]}`,
      industryCode: trade.industry,
      regionCode,
      establishedOn: `${year}-${String(1 + pick(12)).padStart(2, '0')}-${String(1 + pick(28)).padStart(2, '0')}`,
      registeredCapital: `${[50, 100, 200, 500, 1_000, 3_000][pick(6)] * 10_000}.00`,
      employees,
      annualRevenue: `${revenueWan * 10_000}.00`,
    };
  });
}
