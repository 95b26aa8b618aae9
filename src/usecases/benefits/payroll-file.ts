import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import {
  type FileLine,
  PAYMENT_FILE_HEADER,
  paymentFileRow,
} from '../../domain/benefits/payroll-bank.ts';
import {
  type FixedFieldProblem,
  fixedDetailRecord,
  fixedHeaderRecord,
} from '../../domain/benefits/payroll-fixed-file.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { linePage, type PayrollRefusalCode, type RunRow, runRow } from './payroll-store.ts';

/**
 * The payment file of an approved run, in two formats of the same lines in the same order: the
 * CSV (docs/benefits.md, "Payment file") and the fixed-width GBK text most Chinese banks still
 * take ("Fixed-width GBK file"). Each is streamed page by page to `write` in line-id order while
 * its sha256 is computed: every line with a card account, whatever the bank answered since, so
 * issuing again gives the same bytes. The run keeps one hash, the CSV's, whichever format is
 * issued (the fixed file renders the CSV alongside to check it): the first issue stores it and
 * moves the run to file_issued; a later one must hash the same (else `benefit.payroll_file_changed`:
 * a line was changed under the run). Every issue is audited (`benefits.payroll.file`: the format
 * and the hash of the bytes served).
 */
export type IssuedFile = { runId: string; sha256: string; lines: number; totalFen: number };
export type PaymentFileFormat = 'csv' | 'fixed-gbk';
/** `sha256`: the bytes served; `runFileSha256`: the run's stored hash (the CSV's). */
export type IssuedFixedFile = IssuedFile & { format: 'fixed-gbk'; runFileSha256: string };

const PAGE = 5000;
/** A refusal names at most this many lines (the count says how many there are). */
const PROBLEMS_LISTED_MAX = 100;

type Input = { regionCode: string; runId: string };

async function approvedRun(
  db: Database,
  input: Input,
): Promise<Result<RunRow, PayrollRefusalCode>> {
  const run = await db.withConnection((ex) => runRow(ex, input.regionCode, input.runId, false));
  if (run === null) return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
  if (run.status === 'computing' || run.status === 'computed')
    return refuse(
      'benefit.payroll_not_approved',
      `run ${run.id} is ${run.status}: approve it first`,
    );
  return ok(run);
}

/** The lines of the file (those with a card account) page by page in line-id order. */
async function eachFilePage(
  db: Database,
  run: RunRow,
  onPage: (page: FileLine[]) => Promise<void>,
): Promise<void> {
  for (let afterId = ''; ; ) {
    const page = await db.withConnection((ex) =>
      linePage(ex, {
        regionCode: run.regionCode,
        runId: run.id,
        afterId,
        limit: PAGE,
        withAccount: true,
      }),
    );
    await onPage(
      page.map((l) => {
        invariant(
          l.accountNumber !== null && l.bankName !== null && l.accountName !== null,
          'account',
        );
        return {
          ...l,
          accountNumber: l.accountNumber,
          bankName: l.bankName,
          accountName: l.accountName,
        };
      }),
    );
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) return;
    afterId = last.id;
  }
}

/** The CSV's rows of a page (also rendered beside the fixed file, for the run's hash). */
function csvChunk(run: RunRow, page: readonly FileLine[]): string {
  return page.map((l) => paymentFileRow(run.id, run.month, l)).join('');
}

export async function issuePaymentFile(
  db: Database,
  actor: Actor,
  input: Input,
  write: (chunk: string) => Promise<void> | void,
): Promise<Result<IssuedFile, PayrollRefusalCode>> {
  const found = await approvedRun(db, input);
  if (!found.ok) return found;
  const run = found.value;
  const hash = createHash('sha256');
  const emit = async (chunk: string) => {
    hash.update(chunk);
    await write(chunk);
  };
  await emit(PAYMENT_FILE_HEADER);
  let lines = 0;
  let totalFen = 0;
  await eachFilePage(db, run, async (page) => {
    for (const l of page) {
      lines += 1;
      totalFen += l.amountFen;
    }
    if (page.length > 0) await emit(csvChunk(run, page));
  });
  const sha256 = hash.digest('hex');
  const file = { runId: run.id, sha256, lines, totalFen };
  return recordIssue(db, actor, {
    ...file,
    regionCode: run.regionCode,
    format: 'csv',
    runFileSha256: sha256,
  });
}

/** The count and total of the lines the file carries, for its header record (written first). */
async function fileTotals(db: Database, run: RunRow): Promise<{ lines: number; totalFen: number }> {
  const r = await db.query(
    `SELECT count(*)::int AS lines, coalesce(sum(amount_fen), 0)::bigint AS amount_fen
     FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND account_number IS NOT NULL`,
    [run.regionCode, run.id],
  );
  const row = r.rows[0];
  invariant(row !== undefined, 'an aggregate answers one row');
  return { lines: intOf(row, 'lines'), totalFen: intOf(row, 'amount_fen') };
}

/**
 * The fixed-width GBK file. A line whose name or bank does not fit its field in GBK bytes, or holds
 * a character GBK cannot carry, refuses the whole file (`benefit.payroll_fixed_file_unfit`, every
 * such line named, up to PROBLEMS_LISTED_MAX) and nothing is recorded: a wrong name is never sent.
 * Once a problem is found nothing more is written; the caller discards what it received.
 */
export async function issueFixedWidthFile(
  db: Database,
  actor: Actor,
  input: Input,
  write: (chunk: Uint8Array) => Promise<void> | void,
): Promise<Result<IssuedFixedFile, PayrollRefusalCode>> {
  const found = await approvedRun(db, input);
  if (!found.ok) return found;
  const run = found.value;
  const totals = await fileTotals(db, run);
  const fixedHash = createHash('sha256');
  const csvHash = createHash('sha256').update(PAYMENT_FILE_HEADER);
  const problems: FixedFieldProblem[] = [];
  let unfitLines = 0;
  const emit = async (chunk: Uint8Array) => {
    fixedHash.update(chunk);
    await write(chunk);
  };
  await emit(
    fixedHeaderRecord({ ...totals, runId: run.id, regionCode: run.regionCode, month: run.month }),
  );
  let lines = 0;
  let totalFen = 0;
  await eachFilePage(db, run, async (page) => {
    const records: Uint8Array[] = [];
    for (const l of page) {
      lines += 1;
      totalFen += l.amountFen;
      const r = fixedDetailRecord(lines, l);
      if (r.ok) records.push(r.bytes);
      else {
        unfitLines += 1;
        if (problems.length < PROBLEMS_LISTED_MAX) problems.push(...r.problems);
      }
    }
    csvHash.update(csvChunk(run, page));
    if (unfitLines === 0 && records.length > 0) await emit(Buffer.concat(records));
  });
  if (unfitLines > 0) return unfit(run.id, unfitLines, problems);
  if (lines !== totals.lines || totalFen !== totals.totalFen)
    return refuse(
      'benefit.payroll_file_changed',
      `run ${run.id}'s lines changed while its file was written (header ${totals.lines} lines, ${totals.totalFen} fen; written ${lines}, ${totalFen})`,
    );
  const file = { runId: run.id, sha256: fixedHash.digest('hex'), lines, totalFen };
  const runFileSha256 = csvHash.digest('hex');
  const issued = await recordIssue(db, actor, {
    ...file,
    regionCode: run.regionCode,
    format: 'fixed-gbk',
    runFileSha256,
  });
  return issued.ok ? ok({ ...issued.value, format: 'fixed-gbk', runFileSha256 }) : issued;
}

function unfit(runId: string, lineCount: number, problems: FixedFieldProblem[]) {
  const first = problems[0];
  const example =
    first === undefined
      ? ''
      : first.reason === 'unencodable'
        ? `: line ${first.lineId} ${first.field} holds ${(first.characters ?? []).join(' ')}, which GBK cannot encode`
        : `: line ${first.lineId} ${first.field} takes ${first.bytes} GBK bytes, its field ${first.widthBytes}`;
  return refuse(
    'benefit.payroll_fixed_file_unfit',
    `run ${runId}'s fixed-width GBK file cannot carry ${lineCount} line(s) without changing a name${example}; nothing was issued — send this run as the CSV file (UTF-8), or agree a layout with the bank that carries the name`,
    { lineCount, problems: problems.slice(0, PROBLEMS_LISTED_MAX) },
  );
}

async function recordIssue(
  db: Database,
  actor: Actor,
  file: IssuedFile & { regionCode: string; format: PaymentFileFormat; runFileSha256: string },
): Promise<Result<IssuedFile, PayrollRefusalCode>> {
  const view = {
    runId: file.runId,
    sha256: file.sha256,
    lines: file.lines,
    totalFen: file.totalFen,
  };
  return db.transaction(async (tx) => {
    const locked = await runRow(tx, file.regionCode, file.runId, true);
    invariant(locked !== null, `run ${file.runId} vanished while its file was written`);
    if (locked.fileSha256 !== null && locked.fileSha256 !== file.runFileSha256)
      return refuse(
        'benefit.payroll_file_changed',
        `run ${file.runId}'s file hashed ${locked.fileSha256} when issued, ${file.runFileSha256} now`,
        { issued: locked.fileSha256, now: file.runFileSha256 },
      );
    if (locked.fileSha256 === null)
      await tx.query(
        `UPDATE payroll_runs SET status = 'file_issued', file_sha256 = $3, file_issued_by = $4,
           file_issued_at = now() WHERE region_code = $1 AND id = $2`,
        [file.regionCode, file.runId, file.runFileSha256, actor.username],
      );
    await appendAudit(
      tx,
      okEventOf(actor, 'benefits.payroll.file', `payroll-run/${file.regionCode}/${file.runId}`, {
        format: file.format,
        sha256: file.sha256,
        runFileSha256: file.runFileSha256,
        lines: file.lines,
        totalFen: file.totalFen,
      }),
    );
    return ok(view);
  });
}
