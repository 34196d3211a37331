import { deriveEnterpriseSize, sizeRuleFor, type EnterpriseSize } from '../../src/services/enterprise-size';

// [industryCode, employees, annualRevenueYuan, registeredCapitalYuan, expected]
type Case = [string, number | null, string | null, string | null, EnterpriseSize];

function check(cases: Case[]): void {
  it.each(cases)('%s, %p staff, revenue %p, capital %p → %s', (industryCode, employees, revenue, capital, size) => {
    expect(
      deriveEnterpriseSize({ industryCode, employees, annualRevenueYuan: revenue, registeredCapitalYuan: capital }),
    ).toBe(size);
  });
}

describe('sizeRuleFor picks the longest matching prefix', () => {
  it.each([
    ['C39', '工业'],
    ['B0610', '工业'],
    ['D44', '工业'],
    ['F5123', '批发业'],
    ['F5211', '零售业'],
    ['K7010', '房地产开发经营'],
    ['K702', '物业管理'],
    ['K70', '其他未列明行业'],
    ['I65', '软件和信息技术服务业'],
    ['I6310', '信息传输业'],
    ['M73', '其他未列明行业'],
  ])('%s → %s', (code, name) => {
    expect(sizeRuleFor(code).name).toBe(name);
  });
});

describe('industry (工业): medium 300 staff & 2,000万, small 20 & 300万, large 1,000 & 40,000万', () => {
  check([
    ['C39', 300, '20000000', null, 'MEDIUM'],
    ['C39', 299, '20000000', null, 'SMALL'],
    ['C39', 300, '19999999.99', null, 'SMALL'],
    ['C39', 20, '3000000', null, 'SMALL'],
    ['C39', 19, '3000000', null, 'MICRO'],
    ['C39', 20, '2999999.99', null, 'MICRO'],
    ['C39', 1000, '400000000', null, 'LARGE'],
    ['C39', 999, '400000000', null, 'MEDIUM'],
    ['C39', 1000, '399999999.99', null, 'MEDIUM'],
    ['C3911', 5000, '10000', null, 'MICRO'], // large staff, tiny revenue: micro needs only one shortfall
    ['B06', 300, '20000000.00', null, 'MEDIUM'],
    ['D44', 20, '3000000', '999999999', 'SMALL'], // capital plays no part in industry
  ]);
});

describe('software and IT services (I65): medium 100 & 1,000万, small 10 & 50万, large 300 & 10,000万', () => {
  check([
    ['I65', 100, '10000000', null, 'MEDIUM'],
    ['I6510', 99, '10000000', null, 'SMALL'],
    ['I65', 100, '9999999.99', null, 'SMALL'],
    ['I65', 10, '500000', null, 'SMALL'],
    ['I65', 9, '500000', null, 'MICRO'],
    ['I65', 10, '499999.99', null, 'MICRO'],
    ['I65', 300, '100000000', null, 'LARGE'],
    ['I65', 299, '100000000', null, 'MEDIUM'],
    // telecoms (I63) has a small revenue floor of 100万, so the same figures are micro there
    ['I63', 10, '500000', null, 'MICRO'],
    ['I63', 10, '1000000', null, 'SMALL'],
  ]);
});

describe('wholesale (F51): medium 20 & 5,000万, small 5 & 1,000万, large 200 & 40,000万', () => {
  check([
    ['F5123', 20, '50000000', null, 'MEDIUM'],
    ['F5123', 19, '50000000', null, 'SMALL'],
    ['F51', 20, '49999999.99', null, 'SMALL'],
    ['F51', 5, '10000000', null, 'SMALL'],
    ['F51', 4, '10000000', null, 'MICRO'],
    ['F51', 5, '9999999.99', null, 'MICRO'],
    ['F51', 200, '400000000', null, 'LARGE'],
    ['F51', 199, '400000000', null, 'MEDIUM'],
  ]);
});

describe('retail (F52): medium 50 & 500万, small 10 & 100万, large 300 & 20,000万', () => {
  check([
    ['F5211', 50, '5000000', null, 'MEDIUM'],
    ['F5211', 49, '5000000', null, 'SMALL'],
    ['F52', 50, '4999999.99', null, 'SMALL'],
    ['F52', 10, '1000000', null, 'SMALL'],
    ['F52', 9, '1000000', null, 'MICRO'],
    ['F52', 10, '999999.99', null, 'MICRO'],
    ['F52', 300, '200000000', null, 'LARGE'],
    ['F52', 300, '199999999.99', null, 'MEDIUM'],
  ]);
});

describe('rules that use assets take registered capital as the stand-in', () => {
  check([
    // construction: medium revenue 6,000万 & assets 5,000万; small 300万 & 300万
    ['E47', 0, '60000000', '50000000', 'MEDIUM'],
    ['E47', 0, '60000000', '49999999.99', 'SMALL'],
    ['E47', 0, '3000000', '3000000', 'SMALL'],
    ['E47', 0, '3000000', null, 'MICRO'],
    // real-estate development: medium revenue 1,000万 & assets 5,000万
    ['K7010', 0, '10000000', '50000000', 'MEDIUM'],
    ['K7010', 0, '1000000', '20000000', 'SMALL'],
    ['K7010', 0, '1000000', '19999999', 'MICRO'],
    // leasing and business services: employees & assets, revenue ignored
    ['L72', 100, null, '80000000', 'MEDIUM'],
    ['L7211', 100, '999999999', '79999999.99', 'SMALL'],
    ['L72', 10, null, '1000000', 'SMALL'],
    ['L72', 10, null, '999999', 'MICRO'],
  ]);
});

describe('agriculture (A) by revenue alone: medium 500万, small 50万, large 20,000万', () => {
  check([
    ['A01', null, '5000000', null, 'MEDIUM'],
    ['A01', 9999, '4999999.99', null, 'SMALL'],
    ['A01', null, '500000', null, 'SMALL'],
    ['A01', null, '499999.99', null, 'MICRO'],
    ['A01', null, '200000000', null, 'LARGE'],
  ]);
});

describe('other sectors (*) by employees alone: medium 100, small 10, large 300', () => {
  check([
    ['M73', 300, null, null, 'LARGE'],
    ['M73', 299, null, null, 'MEDIUM'],
    ['M73', 100, null, null, 'MEDIUM'],
    ['M73', 99, '999999999', null, 'SMALL'],
    ['K70', 10, null, null, 'SMALL'],
    ['M73', 9, null, null, 'MICRO'],
  ]);
});

describe('missing figures count as zero', () => {
  it('makes an enterprise that declares nothing MICRO', () => {
    expect(deriveEnterpriseSize({ industryCode: 'C39' })).toBe('MICRO');
    expect(deriveEnterpriseSize({ industryCode: 'I65', employees: null, annualRevenueYuan: '' })).toBe('MICRO');
  });

  it('needs revenue as well as staff where the rule measures both', () => {
    expect(deriveEnterpriseSize({ industryCode: 'C39', employees: 1000 })).toBe('MICRO');
  });

  it('rejects money that is not a number rather than guessing', () => {
    expect(() => deriveEnterpriseSize({ industryCode: 'C39', employees: 20, annualRevenueYuan: 'lots' })).toThrow();
  });
});
