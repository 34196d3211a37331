// Unified Social Credit Code (统一社会信用代码), GB 32100-2015.

export type UsccProblem = 'LENGTH' | 'CHARSET' | 'REGISTRATION_AUTHORITY' | 'REGION' | 'CHECK_DIGIT';

// Each character is worth its index; I, O, S, V and Z are left out so codes survive
// being read aloud or copied by hand (I/1, O/0, S/5, V/U, Z/2).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// Position 1 (登记管理部门) → the institution categories (机构类别) position 2 may take,
// per the standard's appendix and the authorities added since (A 军队, N 农业).
// Kept in one table so a newly assigned authority is a one-line change.
const CATEGORIES_BY_AUTHORITY: Readonly<Record<string, string>> = {
  '1': '1239', // 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
  '2': '19', // 外交: 外国常驻新闻机构, 其他
  '3': '123459', // 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': '19', // 文化: 外国在华文化中心, 其他
  '5': '1239', // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': '129', // 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
  '7': '129', // 宗教: 宗教活动场所, 宗教院校, 其他
  '8': '19', // 工会: 基层工会, 其他
  '9': '123', // 市场监管(工商): 企业, 个体工商户, 农民专业合作社
  A: '19', // 中央军委改革和编制办公室: 军队事业单位, 其他
  N: '1239', // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
  Y: '1', // 其他
};

const CHARSET_PATTERN = new RegExp(`^[${ALPHABET}]*$`);

/** The 18th character for the first 17; throws on input that is not 17 alphabet characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || !CHARSET_PATTERN.test(first17)) {
    throw new Error('usccCheckChar expects 17 characters from the USCC alphabet');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** The first thing wrong with the code, in the order a person would fix it; null when valid. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'LENGTH';
  if (!CHARSET_PATTERN.test(code)) return 'CHARSET';
  if (!CATEGORIES_BY_AUTHORITY[code[0]!]?.includes(code[1]!)) return 'REGISTRATION_AUTHORITY';
  // Only the shape of the region is checked: codes issued before a region was merged
  // or renamed keep the old region code for life.
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'REGION';
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return 'CHECK_DIGIT';
  return null;
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}

const MESSAGES: Readonly<Record<UsccProblem, string>> = {
  LENGTH: '统一社会信用代码应为18位',
  CHARSET: '统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）',
  REGISTRATION_AUTHORITY: '统一社会信用代码的登记管理部门或机构类别代码无效',
  REGION: '统一社会信用代码第3至8位应为行政区划代码',
  CHECK_DIGIT: '统一社会信用代码校验位错误',
};

export function usccProblemMessage(problem: UsccProblem): string {
  return MESSAGES[problem];
}
