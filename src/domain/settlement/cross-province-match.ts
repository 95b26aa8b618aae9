import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import type { RowProblem } from '../contributions/collection-file.ts';
import type { ClearingRowInput } from './cross-province-clearing.ts';

/**
 * Matching a clearing file's rows to our cases and filings, pure (docs/settlement-cross-province.md,
 * "Matching"). The use case reads the facts; the same function runs again inside the write
 * transaction, so what is posted is what was matched at the moment of writing.
 *
 * A row is cleared when its case is one of the province's, accepted, of the worker the ID number
 * names, and a filing of that case for the treating province covers the settled date. A row whose
 * (treating province, serial) was cleared before with the same content is skipped (idempotent per
 * row); with other content it is a problem.
 */
export type CaseFact = {
  regionCode: string;
  id: string;
  /** The worker's ID number: compared, never returned. */
  idNumber: string;
  accepted: boolean;
};

export type FilingFact = {
  regionCode: string;
  id: string;
  caseId: string;
  province: string;
  fromDate: IsoDate;
  coveredUntil: IsoDate;
};

export type ClearingFacts = {
  cases: ReadonlyMap<string, CaseFact>;
  filings: readonly FilingFact[];
  /** `<treating province>:<serial>` → row sha256 of rows cleared before. */
  cleared: ReadonlyMap<string, string>;
};

export type MatchedRow = ClearingRowInput & {
  city: string;
  filingId: string;
  rowSha256: string;
};

export type ClearingMatch = {
  matched: MatchedRow[];
  /** Rows cleared before with the same content: nothing to post. */
  alreadyCleared: ClearingRowInput[];
  problems: RowProblem[];
};

/** sha256 of a row's content (not its position in the file). */
export function rowSha256(row: ClearingRowInput): string {
  const content = [
    row.treatingProvince,
    row.serial,
    row.idNumber,
    row.caseId,
    row.institutionName,
    row.category,
    String(row.amountFen),
    row.settledOn,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export function rowKey(treatingProvince: string, serial: string): string {
  return `${treatingProvince}:${serial}`;
}

function problem(row: ClearingRowInput, column: string, code: string, message: string): RowProblem {
  return { row: row.rowNumber, column, code, message };
}

function matchOne(
  row: ClearingRowInput,
  facts: ClearingFacts,
): { matched: MatchedRow } | { problem: RowProblem } {
  const c = facts.cases.get(row.caseId);
  if (c === undefined)
    return {
      problem: problem(
        row,
        'case_id',
        'case_not_found',
        `case ${row.caseId} is not one of this province's`,
      ),
    };
  // The ID number is not repeated in the message: the row number names the row.
  if (c.idNumber !== row.idNumber)
    return {
      problem: problem(
        row,
        'id_number',
        'worker_mismatch',
        `身份证号码 is not the worker of case ${row.caseId}`,
      ),
    };
  if (!c.accepted)
    return {
      problem: problem(
        row,
        'case_id',
        'case_not_accepted',
        `case ${row.caseId} is not recognised or deemed a work injury`,
      ),
    };
  const filing = facts.filings.find(
    (f) =>
      f.regionCode === c.regionCode &&
      f.caseId === c.id &&
      f.province === row.treatingProvince &&
      f.fromDate <= row.settledOn &&
      row.settledOn <= f.coveredUntil,
  );
  if (filing === undefined)
    return {
      problem: problem(
        row,
        'settled_on',
        'no_active_filing',
        `no filing of case ${row.caseId} for ${row.treatingProvince} covers ${row.settledOn}`,
      ),
    };
  return {
    matched: { ...row, city: c.regionCode, filingId: filing.id, rowSha256: rowSha256(row) },
  };
}

export function matchClearingRows(
  rows: readonly ClearingRowInput[],
  facts: ClearingFacts,
): ClearingMatch {
  const out: ClearingMatch = { matched: [], alreadyCleared: [], problems: [] };
  for (const row of rows) {
    const before = facts.cleared.get(rowKey(row.treatingProvince, row.serial));
    if (before !== undefined) {
      if (before === rowSha256(row)) out.alreadyCleared.push(row);
      else
        out.problems.push(
          problem(
            row,
            'serial',
            'serial_conflict',
            `结算流水号 ${row.serial} of ${row.treatingProvince} was cleared before with other content`,
          ),
        );
      continue;
    }
    const m = matchOne(row, facts);
    if ('problem' in m) out.problems.push(m.problem);
    else out.matched.push(m.matched);
  }
  return out;
}
