import type { Database } from '../../db/client.ts';
import { regions } from '../../db/schema.ts';
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
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({
        code: regions.code,
        name: regions.name,
        nameEn: regions.nameEn,
        level: regions.level,
        insuredEmployers: regions.insuredEmployers,
        insuredWorkers: regions.insuredWorkers,
      })
      .from(regions)
      .orderBy(regions.code),
  );
  const province = rows.find((r) => r.level === 'province');
  const cities = rows
    .filter((r) => r.level === 'city' && (within === null || regionWithin(within, r.code)))
    .map(({ level: _level, ...city }) => city);
  return {
    province: province
      ? { code: province.code, name: province.name, nameEn: province.nameEn }
      : { code: '000000', name: '(未初始化)', nameEn: '(not seeded)' },
    cities: within === null ? [] : cities,
  };
}
