import { randomBytes } from 'node:crypto';
import { and, desc, eq, like, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { cases, regions } from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import {
  agencyShortName,
  documentNumber,
  isLetterType,
  type LetterType,
} from '../../domain/letters/letter-types.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { sha256Hex } from '../reports/report-writer.ts';
import { type LetterPage, renderLetter } from './letter-layout.ts';

/**
 * Issuing a numbered letter (docs/letters.md), inside the caller's transaction: the next number of
 * the city's series for the type and year, the PDF after GB/T 9704-2012, the stored copy, a
 * `letter.issued` case event when the letter belongs to a case, and the audit event. The caller's
 * use case decides that a letter is due (acceptance, decision, conclusion…) and what it says; a
 * rolled-back caller rolls the number back too, so a series has no gaps.
 */
export type IssueLetterInput = {
  /** The city whose agency issues the letter (and whose series it draws from). */
  regionCode: string;
  letterType: LetterType;
  /** 成文日期; its year is the series year. */
  issuedOn: IsoDate;
  caseId?: string | undefined;
  /** 主送: the person or organisation the letter is addressed to. */
  recipient: string;
  title: string;
  /** The body, one string per paragraph (each printed with a two-character indent). */
  paragraphs: readonly string[];
  /** 发文机关署名: the issuing agency's full name (also the red 发文机关标志). */
  issuer: string;
  /** The acting user's id (or a system name): the letter's issued_by and the case event's recordedBy. */
  recordedBy: string;
  /** The acting user, for the audit event; left out, the audit names recordedBy with no role. */
  actor?: Actor | undefined;
};

export type IssuedLetter = {
  id: string;
  regionCode: string;
  letterType: LetterType;
  year: number;
  number: number;
  documentNumber: string;
  sha256: string;
  byteLength: number;
};

/** The next number of a series: the row lock queues concurrent issuers; rollback frees it. */
async function nextNumber(tx: Executor, region: string, type: LetterType, year: number) {
  const r = await tx.query(
    `INSERT INTO letter_series (region_code, letter_type, year, last_number) VALUES ($1, $2, $3, 1)
     ON CONFLICT (region_code, letter_type, year)
     DO UPDATE SET last_number = letter_series.last_number + 1
     RETURNING last_number`,
    [region, type, year],
  );
  const n = r.rows[0]?.['last_number'];
  if (typeof n !== 'number') throw new Error('letter_series: no number returned');
  return n;
}

function checkInput(input: IssueLetterInput): number {
  if (!isLetterType(input.letterType))
    throw new Error(`issueLetter: unknown type ${input.letterType}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.issuedOn))
    throw new Error(`issueLetter: issuedOn ${input.issuedOn} is not an ISO date`);
  for (const [k, v] of Object.entries({
    recipient: input.recipient,
    title: input.title,
    issuer: input.issuer,
  }))
    if (v.trim() === '') throw new Error(`issueLetter: ${k} is empty`);
  if (input.paragraphs.length === 0) throw new Error('issueLetter: a letter needs a body');
  return Number(input.issuedOn.slice(0, 4));
}

async function lockCase(tx: Executor, regionCode: string, caseId: string): Promise<void> {
  const locked = await tx.orm
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.regionCode, regionCode), eq(cases.id, caseId)))
    .for('update');
  if (locked.length === 0)
    throw new Error(`issueLetter: case ${regionCode}/${caseId} does not exist`);
}

/** The city's name (its agency issues the letters); a region that is not a city is a broken invariant. */
export async function cityName(tx: Executor, regionCode: string): Promise<string> {
  const [city] = await tx.orm
    .select({ name: regions.name, level: regions.level })
    .from(regions)
    .where(eq(regions.code, regionCode));
  if (city?.level !== 'city') throw new Error(`issueLetter: ${regionCode} is not a city`);
  return city.name;
}

/** Renders a letter's page to PDF bytes (renderLetter; a test of the numbering alone passes a cheaper one). */
export type LetterRenderer = (page: LetterPage) => Promise<Buffer>;

export async function issueLetter(
  tx: Executor,
  input: IssueLetterInput,
  render: LetterRenderer = renderLetter,
): Promise<IssuedLetter> {
  const year = checkInput(input);
  // The case row before the series row, the order of every case use case that locks its case
  // first and then issues: the other order could deadlock two issuers on one case.
  if (input.caseId !== undefined) await lockCase(tx, input.regionCode, input.caseId);
  const shortName = agencyShortName(input.regionCode, await cityName(tx, input.regionCode));
  const number = await nextNumber(tx, input.regionCode, input.letterType, year);
  const docNo = documentNumber(shortName, input.letterType, year, number);
  const pdf = await render({ ...input, documentNumber: docNo });
  const id = `ltr_${input.regionCode}_${randomBytes(8).toString('hex')}`;
  const sha256 = sha256Hex(pdf);
  await tx.orm.insert(letters).values({
    regionCode: input.regionCode,
    id,
    letterType: input.letterType,
    year,
    number,
    documentNumber: docNo,
    caseId: input.caseId ?? null,
    title: input.title,
    recipient: input.recipient,
    issuer: input.issuer,
    issuedOn: input.issuedOn,
    pdf,
    sha256,
    issuedBy: input.recordedBy,
  });
  const facts = { letterId: id, letterType: input.letterType, documentNumber: docNo, sha256 };
  if (input.caseId !== undefined)
    await appendCaseEvent(tx, {
      regionCode: input.regionCode,
      caseId: input.caseId,
      kind: 'letter.issued',
      occurredOn: input.issuedOn,
      data: { ...facts, title: input.title },
      recordedBy: input.recordedBy,
    });
  await appendAudit(tx, auditEvent(input, `letter:${input.regionCode}/${id}`, facts));
  return {
    id,
    regionCode: input.regionCode,
    letterType: input.letterType,
    year,
    number,
    documentNumber: docNo,
    sha256,
    byteLength: pdf.length,
  };
}

function auditEvent(input: IssueLetterInput, object: string, details: Record<string, unknown>) {
  const all = { ...details, caseId: input.caseId ?? null };
  if (input.actor) return okEventOf(input.actor, 'letter.issue', object, all);
  return {
    actor: input.recordedBy,
    role: null,
    scope: `city:${input.regionCode}`,
    action: 'letter.issue',
    object,
    result: 'ok' as const,
    requestId: `letter-${details['letterId']}`,
    details: all,
  };
}

export type LetterView = Omit<IssuedLetter, 'byteLength'> & {
  caseId: string | null;
  title: string;
  recipient: string;
  issuer: string;
  issuedOn: string;
  issuedBy: string;
  byteLength: number;
};

const viewColumns = {
  id: letters.id,
  regionCode: letters.regionCode,
  letterType: letters.letterType,
  year: letters.year,
  number: letters.number,
  documentNumber: letters.documentNumber,
  sha256: letters.sha256,
  caseId: letters.caseId,
  title: letters.title,
  recipient: letters.recipient,
  issuer: letters.issuer,
  issuedOn: letters.issuedOn,
  issuedBy: letters.issuedBy,
  byteLength: sql<number>`octet_length(${letters.pdf})::int`,
};

/** A city's letters (of one case when caseId is given), newest first. */
export async function listLetters(
  ex: Executor,
  filter: { regionCode: string; caseId?: string | undefined },
): Promise<LetterView[]> {
  // A province code lists the letters of all its cities (a province-scope reader's view).
  const where: SQL[] = [
    filter.regionCode.endsWith('0000')
      ? like(letters.regionCode, `${filter.regionCode.slice(0, 2)}%`)
      : eq(letters.regionCode, filter.regionCode),
  ];
  if (filter.caseId !== undefined) where.push(eq(letters.caseId, filter.caseId));
  return ex.orm
    .select(viewColumns)
    .from(letters)
    .where(and(...where))
    .orderBy(desc(letters.issuedOn), desc(letters.createdAt), desc(letters.id));
}

/** The stored PDF of a letter exactly as issued, or null when the city has no such letter. */
export async function letterPdf(
  ex: Executor,
  input: { regionCode: string; letterId: string },
): Promise<(LetterView & { pdf: Buffer; fileName: string }) | null> {
  const [row] = await ex.orm
    .select({ ...viewColumns, pdf: letters.pdf })
    .from(letters)
    .where(and(eq(letters.regionCode, input.regionCode), eq(letters.id, input.letterId)));
  if (!row) return null;
  return { ...row, fileName: `${row.letterType}-${row.year}-${row.number}.pdf` };
}

/**
 * A staff download: the stored PDF, the read audited (letter.download, with the document number)
 * in the same transaction, a miss audited as refused.
 */
export async function downloadLetter(
  db: Database,
  actor: Actor,
  input: { regionCode: string; letterId: string },
): Promise<Result<LetterView & { pdf: Buffer; fileName: string }, 'record.not_found'>> {
  return db.transaction(async (tx) => {
    const found = await letterPdf(tx, input);
    const object = `letter:${input.regionCode}/${input.letterId}`;
    await appendAudit(tx, {
      ...okEventOf(actor, 'letter.download', object, {
        ...(found ? { documentNumber: found.documentNumber, caseId: found.caseId } : {}),
      }),
      result: found ? 'ok' : 'refused',
    });
    if (!found)
      return refuse(
        'record.not_found',
        `letter ${input.letterId} not found in ${input.regionCode}`,
      );
    return ok(found);
  });
}
