import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { PAYMENT_FILE_HEADER, paymentFileRow } from '../../domain/benefits/payroll-bank.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { linePage, type PayrollRefusalCode, runRow } from './payroll-store.ts';

/**
 * The payment file of an approved run (layout: docs/benefits.md, "Payment file"), streamed page by
 * page to `write` in line-id order while its sha256 is computed: every line with a card account,
 * whatever the bank answered since, so issuing again gives the same bytes. The first issue stores
 * the hash and moves the run to file_issued; a later one must hash the same (else
 * `benefit.payroll_file_changed`: a line was changed under the run).
 */
export type IssuedFile = { runId: string; sha256: string; lines: number; totalFen: number };

const PAGE = 2000;

export async function issuePaymentFile(
  db: Database,
  actor: Actor,
  input: { regionCode: string; runId: string },
  write: (chunk: string) => Promise<void> | void,
): Promise<Result<IssuedFile, PayrollRefusalCode>> {
  const run = await db.withConnection((ex) => runRow(ex, input.regionCode, input.runId, false));
  if (run === null) return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
  if (run.status === 'computing' || run.status === 'computed')
    return refuse(
      'benefit.payroll_not_approved',
      `run ${run.id} is ${run.status}: approve it first`,
    );
  const hash = createHash('sha256');
  const emit = async (chunk: string) => {
    hash.update(chunk);
    await write(chunk);
  };
  await emit(PAYMENT_FILE_HEADER);
  let lines = 0;
  let totalFen = 0;
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
    let chunk = '';
    for (const l of page) {
      invariant(
        l.accountNumber !== null && l.bankName !== null && l.accountName !== null,
        'account',
      );
      chunk += paymentFileRow(run.id, run.month, {
        ...l,
        accountNumber: l.accountNumber,
        bankName: l.bankName,
        accountName: l.accountName,
      });
      lines += 1;
      totalFen += l.amountFen;
    }
    if (chunk !== '') await emit(chunk);
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    afterId = last.id;
  }
  const sha256 = hash.digest('hex');
  return recordIssue(db, actor, {
    regionCode: run.regionCode,
    runId: run.id,
    sha256,
    lines,
    totalFen,
  });
}

async function recordIssue(
  db: Database,
  actor: Actor,
  file: IssuedFile & { regionCode: string },
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
    if (locked.fileSha256 !== null)
      return locked.fileSha256 === file.sha256
        ? ok(view)
        : refuse(
            'benefit.payroll_file_changed',
            `run ${file.runId}'s file hashed ${locked.fileSha256} when issued, ${file.sha256} now`,
            { issued: locked.fileSha256, now: file.sha256 },
          );
    await tx.query(
      `UPDATE payroll_runs SET status = 'file_issued', file_sha256 = $3, file_issued_by = $4,
         file_issued_at = now() WHERE region_code = $1 AND id = $2`,
      [file.regionCode, file.runId, file.sha256, actor.username],
    );
    await appendAudit(
      tx,
      okEventOf(actor, 'benefits.payroll.file', `payroll-run/${file.regionCode}/${file.runId}`, {
        sha256: file.sha256,
        lines: file.lines,
        totalFen: file.totalFen,
      }),
    );
    return ok(view);
  });
}
