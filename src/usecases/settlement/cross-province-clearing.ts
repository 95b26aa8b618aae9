import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { settlementXpClearingRows, settlementXpClearings } from '../../db/schema.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import {
  type ClearingCategory,
  type ClearingRowInput,
  clearingFileInvalid,
  parseClearingFile,
} from '../../domain/settlement/cross-province-clearing.ts';
import {
  type ClearingMatch,
  type MatchedRow,
  matchClearingRows,
} from '../../domain/settlement/cross-province-match.ts';
import {
  clearingTransaction,
  clearingTransactionId,
} from '../../domain/settlement/cross-province-postings.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { isProvinceCode } from '../../kernel/region-codes.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { loadClearingFacts } from './cross-province-facts.ts';

/**
 * Imports the national system's monthly clearing file of a province (费用清算,
 * docs/settlement-cross-province.md): parse (refused whole with a row report on any bad row), match
 * each row to a case and a filing covering its date, then post every new row in one ledger batch
 * (city Dr 51xx / Cr 2151:<province>; province Dr 1151:<city> / Cr 1132) whose guard re-matches
 * inside the write transaction and stores the file and its rows. Idempotent by the file's sha256
 * (the stored answer) and per row by (treating province, serial) (a row cleared before is skipped).
 */
export type ClearingRefusal =
  | 'settlement.cross_province_not_province'
  | 'settlement.cross_province_clearing_invalid'
  | 'settlement.cross_province_clearing_changed'
  | LedgerRefusalCode;

export type ClearingRowView = {
  row: number;
  treatingProvince: string;
  serial: string;
  caseId: string;
  /** The case's city and the filing matched (null on a row skipped as cleared before). */
  city: string | null;
  filingId: string | null;
  category: ClearingCategory;
  amountFen: number;
  settledOn: IsoDate;
  status: 'cleared' | 'already_cleared';
  ledgerTransactionId: string;
};

export type ClearingResult = {
  clearingId: string;
  fileSha256: string;
  replayed: boolean;
  clearedOn: IsoDate;
  rowCount: number;
  clearedFen: number;
  rows: ClearingRowView[];
};

export type ClearingRequest = {
  province: string;
  fileName: string;
  bytes: Uint8Array;
  /** The clearing day: the effective date of every posting (its ledger period must be open). */
  clearedOn: IsoDate;
  /** Today in China: no settlement is dated after it. */
  today: IsoDate;
};

function rowView(
  row: ClearingRowInput & { city: string | null; filingId: string | null },
  status: ClearingRowView['status'],
): ClearingRowView {
  return {
    row: row.rowNumber,
    treatingProvince: row.treatingProvince,
    serial: row.serial,
    caseId: row.caseId,
    city: row.city,
    filingId: row.filingId,
    category: row.category,
    amountFen: row.amountFen,
    settledOn: row.settledOn,
    status,
    ledgerTransactionId: clearingTransactionId(row.treatingProvince, row.serial),
  };
}

async function storedClearing(
  ex: Executor,
  province: string,
  sha: string,
): Promise<ClearingResult | null> {
  const c = settlementXpClearings;
  const [head] = await ex.orm
    .select({ id: c.id, clearedOn: c.clearedOn, rowCount: c.rowCount, clearedFen: c.clearedFen })
    .from(c)
    .where(and(eq(c.regionCode, province), eq(c.fileSha256, sha)));
  if (!head) return null;
  const r = settlementXpClearingRows;
  const rows = await ex.orm
    .select({
      row: r.rowNumber,
      treatingProvince: r.treatingProvince,
      serial: r.serial,
      caseId: r.caseId,
      city: r.regionCode,
      filingId: r.filingId,
      category: r.category,
      amountFen: r.amountFen,
      settledOn: r.settledOn,
      ledgerTransactionId: r.ledgerTransactionId,
    })
    .from(r)
    .where(and(eq(r.clearingRegionCode, province), eq(r.clearingId, head.id)))
    .orderBy(asc(r.rowNumber));
  return {
    clearingId: head.id,
    fileSha256: sha,
    replayed: true,
    clearedOn: head.clearedOn,
    rowCount: head.rowCount,
    clearedFen: head.clearedFen,
    rows: rows.map((x) => ({ ...x, status: 'cleared' as const })),
  };
}

/** The previously-matched rows still match the same way (case city, filing) inside the write. */
function sameMatch(a: ClearingMatch, b: ClearingMatch): boolean {
  const key = (m: MatchedRow) => `${m.rowNumber}|${m.city}|${m.filingId}`;
  return (
    a.problems.length === 0 &&
    b.problems.length === 0 &&
    a.matched.map(key).join(',') === b.matched.map(key).join(',') &&
    a.alreadyCleared.length === b.alreadyCleared.length
  );
}

export async function importClearing(
  db: Database,
  actor: Actor,
  input: ClearingRequest,
): Promise<Result<ClearingResult, ClearingRefusal>> {
  if (!isProvinceCode(input.province))
    return refuse(
      'settlement.cross_province_not_province',
      `${input.province} is not a province: clearing is the province fund's`,
      { region: input.province },
    );
  const sha = createHash('sha256').update(input.bytes).digest('hex');
  const before = await db.withConnection((ex) => storedClearing(ex, input.province, sha));
  if (before !== null) return ok(before);
  const parsed = parseClearingFile(input.bytes, input.province, input.today);
  if (!parsed.ok) return parsed;
  const rows = parsed.value;
  const first = matchClearingRows(
    rows,
    await db.withConnection((ex) => loadClearingFacts(ex, input.province, rows)),
  );
  if (first.problems.length > 0) return clearingFileInvalid(first.problems);
  const clearingId = `xpc_${input.province}_${randomBytes(8).toString('hex')}`;
  const requests = first.matched.map((m) =>
    clearingTransaction({ ...m, city: m.city, clearedOn: input.clearedOn }),
  );
  const guard = (tx: Executor) =>
    writeClearing(tx, actor, { ...input, sha, clearingId, rows, first });
  const posted =
    requests.length === 0
      ? await db.transaction(async (tx) => (await guard(tx)) ?? ok([]))
      : await postTransactions<ClearingRefusal>(db, actor, requests, {
          auditAction: 'settlement.cross_province.clearing_post',
          guard,
        });
  if (!posted.ok) return posted;
  const cleared = first.matched.map((m) => rowView(m, 'cleared'));
  const skipped = first.alreadyCleared.map((r) =>
    rowView({ ...r, city: null, filingId: null }, 'already_cleared'),
  );
  return ok({
    clearingId,
    fileSha256: sha,
    replayed: false,
    clearedOn: input.clearedOn,
    rowCount: rows.length,
    clearedFen: cleared.reduce((s, r) => s + r.amountFen, 0),
    rows: [...cleared, ...skipped].sort((a, b) => a.row - b.row),
  });
}

/** Inside the write transaction: match again, then store the file and its new rows. */
async function writeClearing(
  tx: Executor,
  actor: Actor,
  w: ClearingRequest & {
    sha: string;
    clearingId: string;
    rows: readonly ClearingRowInput[];
    first: ClearingMatch;
  },
): Promise<Refusal<ClearingRefusal> | null> {
  // One import of a province at a time: two files clearing the same serial wait for each other.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `settlement-xp-clearing:${w.province}`,
  ]);
  if ((await storedClearing(tx, w.province, w.sha)) !== null)
    return refuse(
      'settlement.cross_province_clearing_changed',
      'the same file was imported meanwhile: send it again for the stored answer',
    );
  const again = matchClearingRows(w.rows, await loadClearingFacts(tx, w.province, w.rows));
  if (again.problems.length > 0) return clearingFileInvalid(again.problems);
  if (!sameMatch(w.first, again))
    return refuse(
      'settlement.cross_province_clearing_changed',
      'a filing or an earlier clearing changed while the file was read: import it again',
    );
  const clearedFen = again.matched.reduce((s, m) => s + m.amountFen, 0);
  await tx.orm.insert(settlementXpClearings).values({
    regionCode: w.province,
    id: w.clearingId,
    fileSha256: w.sha,
    fileName: w.fileName,
    clearedOn: w.clearedOn,
    rowCount: w.rows.length,
    clearedFen,
    importedBy: actor.userId,
  });
  if (again.matched.length > 0)
    await tx.orm.insert(settlementXpClearingRows).values(
      again.matched.map((m) => ({
        regionCode: m.city,
        treatingProvince: m.treatingProvince,
        serial: m.serial,
        clearingRegionCode: w.province,
        clearingId: w.clearingId,
        rowNumber: m.rowNumber,
        caseId: m.caseId,
        filingId: m.filingId,
        institutionName: m.institutionName,
        category: m.category,
        amountFen: m.amountFen,
        settledOn: m.settledOn,
        rowSha256: m.rowSha256,
        ledgerTransactionId: clearingTransactionId(m.treatingProvince, m.serial),
      })),
    );
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'settlement.cross_province.clearing',
      `xp-clearing/${w.province}/${w.clearingId}`,
      {
        fileSha256: w.sha,
        rows: w.rows.length,
        cleared: again.matched.length,
        alreadyCleared: again.alreadyCleared.length,
        clearedFen,
      },
    ),
  );
  return null;
}

/** Advances paid less amounts cleared: what the national system still holds of the province's. */
export async function advanceBalanceFen(db: Database, province: string): Promise<number> {
  const r = await db.query(
    `SELECT ((SELECT coalesce(sum(amount_fen), 0) FROM settlement_xp_advances WHERE region_code = $1)
          - (SELECT coalesce(sum(amount_fen), 0) FROM settlement_xp_clearing_rows WHERE clearing_region_code = $1)
            )::int8 AS balance`,
    [province],
  );
  // Two sums in one round trip, read through the typed mapper of rows.ts.
  const [row] = r.rows;
  invariant(row !== undefined, 'the advance balance query returned no row');
  return intOf(row, 'balance');
}
