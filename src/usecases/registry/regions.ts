import { and, count, countDistinct, gte, isNull, lte, ne, or } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employers, employmentSpells, regions } from '../../db/schema.ts';
import { regionWithin } from '../../identity/policy.ts';
import type { IsoDate } from '../../kernel/dates.ts';

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

/**
 * Each city's insured employers (registered or suspended, not cancelled) and insured workers (one
 * per worker with a spell covering `date` at an employer of the city), counted from the register.
 */
async function registerCounts(
  ex: Executor,
  date: IsoDate,
): Promise<Map<string, { insuredEmployers: number; insuredWorkers: number }>> {
  const employerCounts = await ex.orm
    .select({ regionCode: employers.regionCode, n: count() })
    .from(employers)
    .where(ne(employers.status, 'cancelled'))
    .groupBy(employers.regionCode);
  const workerCounts = await ex.orm
    .select({
      regionCode: employmentSpells.regionCode,
      n: countDistinct(employmentSpells.workerId),
    })
    .from(employmentSpells)
    .where(
      and(
        lte(employmentSpells.startDate, date),
        or(isNull(employmentSpells.endDate), gte(employmentSpells.endDate, date)),
      ),
    )
    .groupBy(employmentSpells.regionCode);
  const counts = new Map<string, { insuredEmployers: number; insuredWorkers: number }>();
  const entry = (code: string) => {
    const found = counts.get(code) ?? { insuredEmployers: 0, insuredWorkers: 0 };
    counts.set(code, found);
    return found;
  };
  for (const r of employerCounts) entry(r.regionCode).insuredEmployers = r.n;
  for (const r of workerCounts) entry(r.regionCode).insuredWorkers = r.n;
  return counts;
}

/**
 * The province and its cities with their register counts on `date`; `within` (a province or city
 * code) limits the cities listed.
 */
export async function listRegions(
  db: Database,
  within: string | null,
  date: IsoDate,
): Promise<RegionsView> {
  const { rows, counts } = await db.withConnection(async (ex) => ({
    rows: await ex.orm
      .select({
        code: regions.code,
        name: regions.name,
        nameEn: regions.nameEn,
        level: regions.level,
      })
      .from(regions)
      .orderBy(regions.code),
    counts: await registerCounts(ex, date),
  }));
  const province = rows.find((r) => r.level === 'province');
  const cities = rows
    .filter((r) => r.level === 'city' && (within === null || regionWithin(within, r.code)))
    .map(({ level: _level, ...city }) => ({
      ...city,
      insuredEmployers: counts.get(city.code)?.insuredEmployers ?? 0,
      insuredWorkers: counts.get(city.code)?.insuredWorkers ?? 0,
    }));
  return {
    province: province
      ? { code: province.code, name: province.name, nameEn: province.nameEn }
      : { code: '000000', name: '(未初始化)', nameEn: '(not seeded)' },
    cities: within === null ? [] : cities,
  };
}
