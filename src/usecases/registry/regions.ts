import type { Database } from '../../db/client.ts';
import { regionWithin } from '../../identity/policy.ts';

export type CitySummary = {
  code: string;
  name: string;
  nameEn: string;
  insuredEmployers: number;
  insuredWorkers: number;
};
export type RegionsView = {
  province: { code: string; name: string; nameEn: string };
  cities: CitySummary[];
};

/** The province and its cities; `within` (a province or city code) limits the cities listed. */
export async function listRegions(db: Database, within: string | null): Promise<RegionsView> {
  const rows = await db.query<{
    code: string;
    name: string;
    name_en: string;
    level: string;
    insured_employers: number;
    insured_workers: number;
  }>(
    'SELECT code, name, name_en, level, insured_employers, insured_workers FROM regions ORDER BY code',
  );
  const province = rows.rows.find((r) => r.level === 'province');
  const cities = rows.rows
    .filter((r) => r.level === 'city' && (within === null || regionWithin(within, r.code)))
    .map((r) => ({
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      insuredEmployers: r.insured_employers,
      insuredWorkers: r.insured_workers,
    }));
  return {
    province: province
      ? { code: province.code, name: province.name, nameEn: province.name_en }
      : { code: '000000', name: '(未初始化)', nameEn: '(not seeded)' },
    cities: within === null ? [] : cities,
  };
}
