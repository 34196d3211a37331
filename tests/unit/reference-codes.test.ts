import { industryName, isValidIndustryCode, isValidIndustryFilterCode } from '../../src/reference/industries';
import { isValidRegionCode, regionName } from '../../src/reference/regions';

describe('industry codes (GB/T 4754-2017)', () => {
  it.each(['C39', 'C391', 'C3911', 'A01', 'A05', 'B06', 'F51', 'F5123', 'I65', 'K70', 'T97'])('accepts %s', (code) => {
    expect(isValidIndustryCode(code)).toBe(true);
    expect(isValidIndustryFilterCode(code)).toBe(true);
  });

  it.each([
    ['C01', 'division 01 belongs to A'],
    ['A13', 'division 13 belongs to C'],
    ['I51', 'division 51 belongs to F'],
    ['c39', 'lowercase'],
    ['C', 'a bare section is a filter, not an industry'],
    ['C3', 'one-digit division'],
    ['C39111', 'too deep'],
    ['C99', 'no division 99'],
    ['U98', 'no section U'],
    ['39', 'no section letter'],
    [' C39', 'leading space'],
    ['', 'empty'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidIndustryCode(code)).toBe(false);
  });

  it('accepts a bare section only as a filter', () => {
    for (const section of ['A', 'C', 'F', 'I', 'T']) expect(isValidIndustryFilterCode(section)).toBe(true);
    for (const bad of ['U', 'Z', 'c', 'CC', 'C01', '']) expect(isValidIndustryFilterCode(bad)).toBe(false);
  });

  it('names the division, or the section for a bare letter', () => {
    expect(industryName('C39')).toBe('计算机、通信和其他电子设备制造业');
    expect(industryName('C3911')).toBe('计算机、通信和其他电子设备制造业');
    expect(industryName('I6510')).toBe('软件和信息技术服务业');
    expect(industryName('F52')).toBe('零售业');
    expect(industryName('C')).toBe('制造业');
    expect(industryName('C01')).toBeUndefined();
    expect(industryName('X')).toBeUndefined();
  });
});

describe('region codes (GB/T 2260)', () => {
  it.each([
    ['210000', '辽宁省'],
    ['210600', '丹东市'],
    ['210602', '元宝区'],
    ['210681', '东港市'],
    ['110000', '北京市'],
    ['110101', '东城区'],
    ['441900', '东莞市'], // a city without counties
    ['429004', '仙桃市'], // a county-level city under the province directly
    ['810000', '香港特别行政区'],
  ])('accepts %s (%s)', (code, name) => {
    expect(isValidRegionCode(code)).toBe(true);
    expect(regionName(code)).toBe(name);
  });

  it('accepts the municipalities’ city level, which the package omits, named after the municipality', () => {
    expect(isValidRegionCode('110100')).toBe(true);
    expect(regionName('110100')).toBe('北京市');
    expect(regionName('120100')).toBe('天津市');
    expect(regionName('310100')).toBe('上海市');
    expect(regionName('500100')).toBe('重庆市');
    expect(regionName('500200')).toBe('重庆市'); // 重庆's counties (县) sit under 5002
  });

  it.each([
    ['999999', 'unlisted'],
    ['210699', 'unlisted county'],
    ['110200', 'no counties under it'],
    ['500300', 'no counties under it'],
    ['21060', 'five digits'],
    ['2106000', 'seven digits'],
    ['21060a', 'not a digit'],
    [' 210600', 'leading space'],
    ['', 'empty'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidRegionCode(code)).toBe(false);
    expect(regionName(code)).toBeUndefined();
  });
});
