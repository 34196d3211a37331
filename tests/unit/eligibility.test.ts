import { CreditGrade, EnterpriseSize } from '../../src/entities/enums';
import {
  eligibilityProblems,
  industryCovers,
  regionCovers,
  wholeYears,
  type EligibilityRule,
  type EligibilitySubject,
} from '../../src/services/loan/eligibility';

const TODAY = '2026-06-15';

const anyone: EligibilityRule = {
  minGrade: null,
  industryCodes: [],
  regionCodes: [],
  sizes: [],
  minYearsEstablished: null,
};

const subject: EligibilitySubject = {
  creditGrade: CreditGrade.B,
  industryCode: 'C39',
  regionCode: '210602',
  size: EnterpriseSize.SMALL,
  establishedOn: '2020-03-01',
};

const problems = (rule: Partial<EligibilityRule>, who: Partial<EligibilitySubject> = {}, today = TODAY) =>
  eligibilityProblems({ ...anyone, ...rule }, { ...subject, ...who }, today);

describe('eligibilityProblems', () => {
  test('a rule with no criteria (empty lists, no grade, no years) admits everyone', () => {
    expect(problems({})).toEqual([]);
    expect(problems({}, { creditGrade: null })).toEqual([]);
    expect(problems({ minYearsEstablished: 0 }, { establishedOn: TODAY })).toEqual([]);
  });

  describe('grade: A is best, the minimum itself and better grades pass', () => {
    test.each([
      [CreditGrade.A, CreditGrade.A],
      [CreditGrade.A, CreditGrade.B],
      [CreditGrade.B, CreditGrade.B],
      [CreditGrade.A, CreditGrade.D],
      [CreditGrade.C, CreditGrade.D],
    ])('grade %s meets minimum %s', (grade, minGrade) => {
      expect(problems({ minGrade }, { creditGrade: grade })).toEqual([]);
    });

    test.each([
      [CreditGrade.C, CreditGrade.B],
      [CreditGrade.D, CreditGrade.A],
      [CreditGrade.B, CreditGrade.A],
    ])('grade %s fails minimum %s, naming both', (grade, minGrade) => {
      expect(problems({ minGrade }, { creditGrade: grade })).toEqual([`信用等级 ${grade}，要求不低于 ${minGrade}`]);
    });

    test('no grade yet fails any minimum (even D)', () => {
      expect(problems({ minGrade: CreditGrade.D }, { creditGrade: null })).toEqual([
        '尚无信用评价，要求信用等级不低于 D',
      ]);
      expect(problems({ minGrade: CreditGrade.B }, { creditGrade: undefined })).toEqual([
        '尚无信用评价，要求信用等级不低于 B',
      ]);
    });
  });

  describe('industry: a section or division admits the codes beneath it', () => {
    test.each([
      [['C'], 'C39'],
      [['C'], 'C3911'],
      [['C39'], 'C39'],
      [['C39'], 'C391'],
      [['C39'], 'C3911'],
      [['F', 'C39'], 'C3912'],
    ])('%j admits %s', (industryCodes, industryCode) => {
      expect(problems({ industryCodes }, { industryCode })).toEqual([]);
    });

    test.each([
      [['F'], 'C39'],
      [['C38'], 'C39'],
      [['C391'], 'C39'],
      [['C3911'], 'C3912'],
      [['I65', 'F51'], 'C39'],
    ])('%j refuses %s', (industryCodes, industryCode) => {
      expect(problems({ industryCodes }, { industryCode })).toEqual([
        `所属行业 ${industryCode} 不在适用行业（${industryCodes.join('、')}）内`,
      ]);
    });

    test('industryCovers on its own', () => {
      expect(industryCovers('C', 'C39')).toBe(true);
      expect(industryCovers('C39', 'C3911')).toBe(true);
      expect(industryCovers('C39', 'C')).toBe(false);
      expect(industryCovers('F', 'C39')).toBe(false);
    });
  });

  describe('region: a province (xx0000) or city (xxxx00) admits the places inside it', () => {
    test.each([
      [['210000'], '210602'],
      [['210000'], '210600'],
      [['210000'], '210000'],
      [['210600'], '210602'],
      [['210600'], '210681'],
      [['210602'], '210602'],
      [['370000', '210600'], '210603'],
      [['110000'], '110105'],
    ])('%j admits %s', (regionCodes, regionCode) => {
      expect(problems({ regionCodes }, { regionCode })).toEqual([]);
    });

    test.each([
      [['370000'], '210602'],
      [['210700'], '210602'],
      [['210603'], '210602'],
      [['210602'], '210600'],
      [['210600'], '210000'],
      [['220000'], '210602'],
      [['210100', '371000'], '210602'],
    ])('%j refuses %s', (regionCodes, regionCode) => {
      expect(problems({ regionCodes }, { regionCode })).toEqual([
        `所在地区 ${regionCode} 不在适用地区（${regionCodes.join('、')}）内`,
      ]);
    });

    test('regionCovers on its own', () => {
      expect(regionCovers('210000', '210602')).toBe(true);
      expect(regionCovers('210600', '210602')).toBe(true);
      expect(regionCovers('210600', '210702')).toBe(false);
      expect(regionCovers('210602', '210603')).toBe(false);
      expect(regionCovers('210000', '220602')).toBe(false);
    });
  });

  describe('size', () => {
    test('a listed size passes', () => {
      expect(problems({ sizes: [EnterpriseSize.MICRO, EnterpriseSize.SMALL] })).toEqual([]);
    });

    test('an unlisted size fails, in Chinese, naming its own size and the allowed ones', () => {
      expect(problems({ sizes: [EnterpriseSize.MICRO, EnterpriseSize.MEDIUM] })).toEqual([
        '企业规模为小型，要求为微型、中型企业',
      ]);
      expect(problems({ sizes: [EnterpriseSize.SMALL] }, { size: EnterpriseSize.LARGE })).toEqual([
        '企业规模为大型，要求为小型企业',
      ]);
    });
  });

  describe('years established: whole years, the anniversary counts', () => {
    test.each([
      ['2023-06-15', 3, []],
      ['2023-06-16', 3, ['成立年限 2 年，要求至少 3 年']],
      ['2023-07-01', 3, ['成立年限 2 年，要求至少 3 年']],
      ['2023-05-31', 3, []],
      ['2026-06-15', 1, ['成立年限 0 年，要求至少 1 年']],
      ['2025-06-15', 1, []],
      ['2000-01-01', 20, []],
    ])('established %s, at least %i years', (establishedOn, minYearsEstablished, expected) => {
      expect(problems({ minYearsEstablished }, { establishedOn })).toEqual(expected);
    });

    test('the sentence names the subject’s years and the requirement', () => {
      expect(problems({ minYearsEstablished: 3 }, { establishedOn: '2024-01-01' })).toEqual([
        '成立年限 2 年，要求至少 3 年',
      ]);
    });

    test.each([
      ['2020-06-15', '2026-06-14', 5],
      ['2020-06-15', '2026-06-15', 6],
      ['2020-06-15', '2026-06-16', 6],
      ['2020-12-31', '2021-12-30', 0],
      ['2020-12-31', '2021-12-31', 1],
      ['2020-12-31', '2022-01-01', 1],
      // Born on 29 February: the year is complete on 1 March in common years, on 29 February in leap years.
      ['2020-02-29', '2021-02-28', 0],
      ['2020-02-29', '2021-03-01', 1],
      ['2020-02-29', '2024-02-28', 3],
      ['2020-02-29', '2024-02-29', 4],
      ['2026-06-15', '2026-06-15', 0],
    ])('wholeYears(%s, %s) = %i', (from, to, years) => {
      expect(wholeYears(from, to)).toBe(years);
    });
  });

  test('every unmet criterion is reported, in the order grade, industry, region, size, years', () => {
    expect(
      problems(
        {
          minGrade: CreditGrade.A,
          industryCodes: ['F'],
          regionCodes: ['370000'],
          sizes: [EnterpriseSize.MEDIUM],
          minYearsEstablished: 10,
        },
        { establishedOn: '2020-03-01' },
      ),
    ).toEqual([
      '信用等级 B，要求不低于 A',
      '所属行业 C39 不在适用行业（F）内',
      '所在地区 210602 不在适用地区（370000）内',
      '企业规模为小型，要求为中型企业',
      '成立年限 6 年，要求至少 10 年',
    ]);
  });

  test('every criterion met at once', () => {
    expect(
      problems({
        minGrade: CreditGrade.B,
        industryCodes: ['C'],
        regionCodes: ['210000'],
        sizes: [EnterpriseSize.SMALL],
        minYearsEstablished: 6,
      }),
    ).toEqual([]);
  });
});
