/**
 * Administrative division codes (GB/T 2260, six digits) as the province's fund uses them: a
 * province ends in 0000, a city in 00. One home for these checks, so every floor asks the same
 * question the same way.
 */

/** True for a province's code (e.g. 330000). */
export function isProvinceCode(regionCode: string): boolean {
  return /^\d{2}0000$/.test(regionCode);
}

/** The province a region belongs to: 330106 → 330000. */
export function provinceOf(regionCode: string): string {
  return `${regionCode.slice(0, 2)}0000`;
}

/**
 * The most prefecture-level cities a province's definition or a per-city request may name: the
 * largest provinces have 21 (四川, 广东), so 64 bounds input with room to spare.
 */
export const CITIES_PER_PROVINCE_MAX = 64;
