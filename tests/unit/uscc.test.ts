import { isValidUscc, usccCheckChar, usccProblem, usccProblemMessage, type UsccProblem } from '../../src/services/uscc';

// Check characters below were worked out by hand with the GB 32100-2015 weights
// 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 and alphabet values
// 0-9 → 0-9, A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30.

describe('usccCheckChar', () => {
  it('computes the check character of the design examples', () => {
    // 9·1+1·3+1·9+1·27+6·20+3·8+7·24+3·10+4·30+1·28 = 538; 538 mod 31 = 11; 31−11 = 20 → L
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(usccCheckChar('91371000123456788')).toBe('8');
  });

  it('maps a weighted sum divisible by 31 to 0, not to the 31st character', () => {
    // as above but the 17th is F (15): 510 + 15·28 = 930 = 31·30 → (31 − 0) mod 31 = 0
    expect(usccCheckChar('9111000060003734F')).toBe('0');
  });

  it('handles letters in the weighted positions', () => {
    // Y(30)·1 + 1·3 + 2·9 + 1·27 + 6·26 = 234; 234 mod 31 = 17; 31−17 = 14 → E
    expect(usccCheckChar('Y1210600000000000')).toBe('E');
    // 1·1 + 2·3 + 1·9 + 4·20 = 96; 96 mod 31 = 3; 31−3 = 28 → W
    expect(usccCheckChar('12100000400000000')).toBe('W');
  });

  it('refuses input that is not 17 alphabet characters', () => {
    expect(() => usccCheckChar('9111000060003734')).toThrow();
    expect(() => usccCheckChar('9111000060003734I')).toThrow();
  });
});

describe('usccProblem', () => {
  it.each([
    '91110000600037341L',
    '913710001234567888',
    '9111000060003734F0',
    'Y1210600000000000E',
    '12100000400000000W',
  ])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  const cases: Array<[string, string, UsccProblem]> = [
    ['wrong check character', '91110000600037341M', 'CHECK_DIGIT'],
    ['check character 0 written as O', '9111000060003734FO', 'CHARSET'],
    ['17 characters', '91110000600037341', 'LENGTH'],
    ['19 characters', '91110000600037341LL', 'LENGTH'],
    ['empty', '', 'LENGTH'],
    ['lowercase check character', '91110000600037341l', 'CHARSET'],
    ['lowercase in the body', '91110000600037341L'.replace('6', 'a'), 'CHARSET'],
    ['I', '9111000060003734IL', 'CHARSET'],
    ['O', '9111000060003734OL', 'CHARSET'],
    ['S', '9111000060003734SL', 'CHARSET'],
    ['V', '9111000060003734VL', 'CHARSET'],
    ['Z', '9111000060003734ZL', 'CHARSET'],
    ['a space', '91110000 00037341L', 'CHARSET'],
    ['authority 0', '01110000600037341L', 'REGISTRATION_AUTHORITY'],
    ['market regulation with category 4', '94110000600037341L', 'REGISTRATION_AUTHORITY'],
    ['market regulation with category 9', '99110000600037341L', 'REGISTRATION_AUTHORITY'],
    ['authority Y with category 2', 'Y2110000600037341L', 'REGISTRATION_AUTHORITY'],
    ['unassigned authority B', 'B1110000600037341L', 'REGISTRATION_AUTHORITY'],
    ['letter in the region', '9111A000600037341L', 'REGION'],
  ];
  it.each(cases)('rejects %s', (_label, code, problem) => {
    expect(usccProblem(code)).toBe(problem);
    expect(isValidUscc(code)).toBe(false);
  });

  it('does not look the region up: a retired region code still validates', () => {
    // region 999999 is not in GB/T 2260; only its shape is checked
    // 9·1 + 1·3 + 9·(9+27+19+26+16+17) = 12 + 9·114 = 1038; 1038 mod 31 = 15; 31−15 = 16 → G
    expect(usccProblem('91999999000000000G')).toBeNull();
  });

  it('accepts the categories of the other registration authorities', () => {
    for (const prefix of ['11', '12', '13', '19', '51', '52', '53', '59', '92', '93', 'A1', 'N2']) {
      const first17 = `${prefix}210600MA0000000`;
      expect(usccProblem(first17 + usccCheckChar(first17))).toBeNull();
    }
  });
});

describe('usccProblemMessage', () => {
  it('answers in Chinese for every problem', () => {
    expect(usccProblemMessage('LENGTH')).toBe('统一社会信用代码应为18位');
    const problems: UsccProblem[] = ['LENGTH', 'CHARSET', 'REGISTRATION_AUTHORITY', 'REGION', 'CHECK_DIGIT'];
    const messages = problems.map(usccProblemMessage);
    expect(new Set(messages).size).toBe(problems.length);
    for (const message of messages) expect(message).toMatch(/^统一社会信用代码/);
  });
});
