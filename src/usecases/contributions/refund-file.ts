import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  contributionRefundFileItems,
  contributionRefundFiles,
  contributionRefunds,
} from '../../db/schema.ts';
import {
  type RefundFileLine,
  refundFileIdOf,
  refundFileText,
  sha256Hex,
} from '../../domain/contributions/refund-bank.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { isIsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { badField, checkCity } from './excess-movement.ts';

/**
 * The refund file a city sends to its bank (docs/contributions.md, "The refund file"): the posted
 * refunds of one day (`refundOn`) not yet in a file, in refund-id order. The file is rendered from
 * the refund rows only, so reading it again gives the same bytes; its sha256 and the refunds it
 * carries are recorded when it is issued, and a refund goes into one file only (the items' key).
 * Every issue and read is audited: the file hands out the employers' bank accounts.
 */
export type RefundFileRefusal =
  | 'refund.invalid_request'
  | 'refund.not_in_city'
  | 'refund_file.nothing_to_send'
  | 'refund_file.not_found';

export type RefundFile = {
  fileId: string;
  city: string;
  day: string;
  sha256: string;
  refundCount: number;
  totalFen: number;
  text: string;
};

const r = contributionRefunds;
const lineColumns = {
  id: r.id,
  employerId: r.employerId,
  accountName: r.accountName,
  bankName: r.bankName,
  accountNumber: r.accountNumber,
  amountFen: r.amountFen,
  refundOn: r.refundOn,
};

function fileOf(city: string, day: string, id: string, lines: RefundFileLine[]): RefundFile {
  const text = refundFileText(city, lines);
  const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
  return {
    fileId: id,
    city,
    day,
    sha256: sha256Hex(text),
    refundCount: lines.length,
    totalFen,
    text,
  };
}

/** Issues the file of the city's refunds of `day` not yet sent, or refuses when there is none. */
export async function issueRefundFile(
  db: Database,
  actor: Actor,
  input: { city: string; day: string },
): Promise<Result<RefundFile, RefundFileRefusal>> {
  const { city, day } = input;
  const inCity = checkCity(city);
  if (!inCity.ok) return inCity;
  if (!isIsoDate(day)) return badField('day', 'a date YYYY-MM-DD');
  return db.transaction(async (tx) => {
    // Two issues of one day at once would both read the same unsent refunds.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `contributions:refund-file:${city}:${day}`,
    ]);
    const lines = await tx.orm
      .select(lineColumns)
      .from(r)
      .leftJoin(
        contributionRefundFileItems,
        and(
          eq(contributionRefundFileItems.regionCode, r.regionCode),
          eq(contributionRefundFileItems.refundId, r.id),
        ),
      )
      .where(
        and(
          eq(r.regionCode, city),
          eq(r.refundOn, day),
          isNull(contributionRefundFileItems.fileId),
        ),
      )
      .orderBy(asc(r.id));
    if (lines.length === 0)
      return refuse(
        'refund_file.nothing_to_send',
        `no refund of ${city} on ${day} is waiting to be sent: every posted refund of that day is in a file already, or there is none`,
        { city, day },
      );
    const file = fileOf(
      city,
      day,
      refundFileIdOf(
        city,
        day,
        lines.map((l) => l.id),
      ),
      lines,
    );
    await tx.orm.insert(contributionRefundFiles).values({
      regionCode: city,
      id: file.fileId,
      fileOn: day,
      sha256: file.sha256,
      refundCount: file.refundCount,
      totalFen: file.totalFen,
      issuedBy: actor.userId,
    });
    await tx.orm
      .insert(contributionRefundFileItems)
      .values(lines.map((l) => ({ regionCode: city, refundId: l.id, fileId: file.fileId })));
    await auditFile(tx, actor, 'contributions.refund.file', file);
    return ok(file);
  });
}

async function auditFile(tx: Executor, actor: Actor, action: string, f: RefundFile) {
  await appendAudit(
    tx,
    okEventOf(actor, action, `refund-file/${f.city}/${f.fileId}`, {
      day: f.day,
      sha256: f.sha256,
      refundCount: f.refundCount,
      totalFen: f.totalFen,
    }),
  );
}

/** An issued file again: the same bytes, checked against the sha256 recorded at its issue. */
export async function readRefundFile(
  db: Database,
  actor: Actor,
  input: { city: string; fileId: string },
): Promise<Result<RefundFile, RefundFileRefusal>> {
  const { city, fileId } = input;
  return db.transaction(async (tx) => {
    const [stored] = await tx.orm
      .select({ day: contributionRefundFiles.fileOn, sha256: contributionRefundFiles.sha256 })
      .from(contributionRefundFiles)
      .where(
        and(eq(contributionRefundFiles.regionCode, city), eq(contributionRefundFiles.id, fileId)),
      );
    if (!stored)
      return refuse('refund_file.not_found', `no refund file ${fileId} was issued in ${city}`, {
        fileId,
      });
    const lines = await tx.orm
      .select(lineColumns)
      .from(contributionRefundFileItems)
      .innerJoin(
        r,
        and(
          eq(r.regionCode, contributionRefundFileItems.regionCode),
          eq(r.id, contributionRefundFileItems.refundId),
        ),
      )
      .where(
        and(
          eq(contributionRefundFileItems.regionCode, city),
          eq(contributionRefundFileItems.fileId, fileId),
        ),
      );
    const file = fileOf(city, stored.day, fileId, lines);
    // The rows are append-only, so a different hash means the layout changed under a sent file.
    invariant(file.sha256 === stored.sha256, `refund file ${fileId} no longer renders its bytes`);
    await auditFile(tx, actor, 'contributions.refund.file.read', file);
    return ok(file);
  });
}
