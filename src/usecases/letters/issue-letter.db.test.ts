import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { LetterType } from '../../domain/letters/letter-types.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { caseTimeline } from '../cases/case-events.ts';
import { type IssueLetterInput, issueLetter, letterPdf, listLetters } from './issue-letter.ts';
import type { LetterPage } from './letter-layout.ts';
import { HZ, letterInput, NB, pdfText, setUpLetters } from './testing.ts';

/**
 * Letters on both backends: the numbering (gap-free and never twice, also under 50 concurrent
 * issuers and with rollbacks), the series per city / type / year, the stored PDF and the case
 * event. The numbering tests pass a cheap renderer (the page's own document number as bytes): a
 * real PDF costs ~0.3–1 s of CPU, and the series is what they test; the PDF tests use the real one.
 */
let t: TestDatabase;
let caseId: string;

beforeAll(async () => {
  t = await openTestDatabase({ poolMax: 20 });
  ({ caseId } = await setUpLetters(t.db, testRuleBook().benefits));
}, 60_000);
afterAll(async () => t.cleanup());

const cheap = async (page: LetterPage): Promise<Buffer> =>
  Buffer.from(`${page.documentNumber}\n${page.title}`);

function issue(over: Partial<IssueLetterInput>, rollback = false) {
  return t.db.transaction(async (tx) => {
    const letter = await issueLetter(tx, letterInput(over), cheap);
    if (rollback) throw new Error(`rolled back ${letter.number}`);
    return letter;
  });
}

async function committedNumbers(regionCode: string, type: LetterType, year: number) {
  const r = await t.db.query(
    'SELECT number FROM letters WHERE region_code = $1 AND letter_type = $2 AND year = $3 ORDER BY number',
    [regionCode, type, year],
  );
  return withColumns(r, { number: intOf }).rows.map((row) => row.number);
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function fiftyConcurrent(): Promise<void> {
  const issued = await Promise.all(
    oneTo(50).map(() => issue({ letterType: 'determination_decision', issuedOn: '2026-03-01' })),
  );
  expect(issued.map((l) => l.number).sort((a, b) => a - b)).toEqual(oneTo(50));
  expect(await committedNumbers(HZ, 'determination_decision', 2026)).toEqual(oneTo(50));
  expect(new Set(issued.map((l) => l.documentNumber)).size).toBe(50);
  expect(issued.map((l) => l.documentNumber)).toContain('杭人社工认〔2026〕50号');
}

async function rollbacksLeaveNoGap(): Promise<void> {
  const outcomes = await Promise.allSettled(
    oneTo(40).map((i) =>
      issue({ letterType: 'determination_suspension', issuedOn: '2026-05-01' }, i % 3 === 0),
    ),
  );
  const committed = outcomes.filter((o) => o.status === 'fulfilled').length;
  expect(committed).toBe(27);
  expect(outcomes.filter((o) => o.status === 'rejected').length).toBe(13);
  expect(await committedNumbers(HZ, 'determination_suspension', 2026)).toEqual(oneTo(committed));
  // The next letter continues the series: nothing was taken by the rolled-back ones.
  const next = await issue({ letterType: 'determination_suspension', issuedOn: '2026-05-02' });
  expect(next.number).toBe(committed + 1);
}

async function separateSeries(): Promise<void> {
  const type: LetterType = 'determination_materials';
  const a1 = await issue({ letterType: type, issuedOn: '2026-01-05' });
  const a2 = await issue({ letterType: type, issuedOn: '2026-12-31' });
  const nb = await issue({ letterType: type, regionCode: NB, issuedOn: '2026-06-01' });
  const other = await issue({ letterType: 'benefit_decision', issuedOn: '2026-06-01' });
  const nextYear = await issue({ letterType: type, issuedOn: '2027-01-04' });
  expect([a1.number, a2.number, nb.number, other.number, nextYear.number]).toEqual([1, 2, 1, 1, 1]);
  expect(a2.documentNumber).toBe('杭人社工认补〔2026〕2号');
  expect(nb.documentNumber).toBe('甬人社工认补〔2026〕1号');
  expect(other.documentNumber).toBe('杭人社工待〔2026〕1号');
  expect(nextYear).toMatchObject({ year: 2027, documentNumber: '杭人社工认补〔2027〕1号' });
}

async function storesPdfAndCaseEvent(): Promise<void> {
  const input = letterInput({
    caseId,
    letterType: 'determination_acceptance',
    issuedOn: '2026-12-06',
  });
  const issued = await t.db.transaction((tx) => issueLetter(tx, input));
  expect(issued.id).toMatch(/^ltr_330100_[0-9a-f]{16}$/);
  const stored = await t.db.withConnection((ex) =>
    letterPdf(ex, { regionCode: HZ, letterId: issued.id }),
  );
  if (!stored) throw new Error('stored letter not found');
  expect(stored.pdf.length).toBe(issued.byteLength);
  expect(createHash('sha256').update(stored.pdf).digest('hex')).toBe(issued.sha256);
  const pdf = stored.pdf.toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  // A4 is 595.28 × 841.89 pt.
  expect(pdf).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  expect(pdf).toMatch(/\/FontFile3 \d+ 0 R/);
  expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
  const text = pdfText(stored.pdf);
  for (const part of [
    '杭州市人力资源和社会保障局',
    issued.documentNumber,
    input.title,
    '张三：',
    '2026年12月6日',
    '— 1 —',
  ])
    expect(text).toContain(part);
  expect(issued.documentNumber).toMatch(/^杭人社工认受〔2026〕[1-9]\d*号$/);
  const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
  expect(timeline.at(-1)).toMatchObject({
    kind: 'letter.issued',
    occurredOn: '2026-12-06',
    data: { letterId: issued.id, documentNumber: issued.documentNumber, sha256: issued.sha256 },
  });
  const ofCase = await t.db.withConnection((ex) => listLetters(ex, { regionCode: HZ, caseId }));
  expect(ofCase.map((l) => l.id)).toEqual([issued.id]);
  expect(ofCase[0]).toMatchObject({ byteLength: issued.byteLength, caseId, recipient: '张三' });
  const elsewhere = await t.db.withConnection((ex) =>
    letterPdf(ex, { regionCode: NB, letterId: issued.id }),
  );
  expect(elsewhere).toBeNull();
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
}

async function appendOnly(): Promise<void> {
  await expect(t.db.query(`UPDATE letters SET title = 'x'`)).rejects.toThrow(/append-only/);
  await expect(t.db.query('DELETE FROM letters')).rejects.toThrow(/append-only/);
  await expect(
    t.db.transaction((tx) => issueLetter(tx, letterInput({ regionCode: '330000' }), cheap)),
  ).rejects.toThrow(/not a city/);
}

describe(`letters (${testBackend})`, () => {
  it(
    '50 concurrent issuers of one series get 1–50, none missing, none twice',
    fiftyConcurrent,
    30_000,
  );
  it(
    'rolled-back letters free their numbers: the committed ones are 1..k',
    rollbacksLeaveNoGap,
    30_000,
  );
  it('keeps one series per city, per type and per year', separateSeries);
  it(
    'stores the real PDF (A4, CJK font, number and title printed) and the case event',
    storesPdfAndCaseEvent,
    30_000,
  );
  it('is append-only and issues only for a city', appendOnly);
});
