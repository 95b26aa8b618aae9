import { and, eq, inArray, like } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { cases, settlementXpClearingRows, settlementXpFilings, workers } from '../../db/schema.ts';
import type { ClearingRowInput } from '../../domain/settlement/cross-province-clearing.ts';
import {
  type CaseFact,
  type ClearingFacts,
  type FilingFact,
  rowKey,
} from '../../domain/settlement/cross-province-match.ts';
import { addDays } from '../../kernel/dates.ts';

/**
 * What matching a clearing file needs from the database, in three bounded reads: the named cases
 * of the province's cities with their workers' ID numbers (compared in memory, never returned or
 * logged), those cases' filings, and the rows already cleared under the file's keys.
 */
export async function loadClearingFacts(
  ex: Executor,
  province: string,
  rows: readonly ClearingRowInput[],
): Promise<ClearingFacts> {
  const caseIds = [...new Set(rows.map((r) => r.caseId))];
  const inProvince = like(cases.regionCode, `${province.slice(0, 2)}%`);
  const caseRows = await ex.orm
    .select({
      regionCode: cases.regionCode,
      id: cases.id,
      idNumber: workers.idNumber,
      outcome: cases.determinationOutcome,
    })
    .from(cases)
    .innerJoin(workers, eq(workers.id, cases.workerId))
    .where(and(inArray(cases.id, caseIds), inProvince));
  const caseFacts = new Map<string, CaseFact>();
  for (const c of caseRows)
    caseFacts.set(c.id, {
      regionCode: c.regionCode,
      id: c.id,
      idNumber: c.idNumber,
      accepted: c.outcome === 'recognised' || c.outcome === 'deemed',
    });
  const f = settlementXpFilings;
  const filingRows = await ex.orm
    .select({
      regionCode: f.regionCode,
      id: f.id,
      caseId: f.caseId,
      province: f.province,
      fromDate: f.fromDate,
      validUntil: f.validUntil,
      revokedOn: f.revokedOn,
    })
    .from(f)
    .where(and(inArray(f.caseId, caseIds), like(f.regionCode, `${province.slice(0, 2)}%`)));
  const filings: FilingFact[] = filingRows.map((x) => ({
    regionCode: x.regionCode,
    id: x.id,
    caseId: x.caseId,
    province: x.province,
    fromDate: x.fromDate,
    coveredUntil: x.revokedOn === null ? x.validUntil : addDays(x.revokedOn, -1),
  }));
  const r = settlementXpClearingRows;
  const serials = [...new Set(rows.map((x) => x.serial))];
  const clearedRows = await ex.orm
    .select({ treatingProvince: r.treatingProvince, serial: r.serial, rowSha256: r.rowSha256 })
    .from(r)
    .where(inArray(r.serial, serials));
  const cleared = new Map<string, string>();
  for (const c of clearedRows) cleared.set(rowKey(c.treatingProvince, c.serial), c.rowSha256);
  return { cases: caseFacts, filings, cleared };
}
