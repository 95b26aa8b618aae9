import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { Database } from '../../db/client.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { HZ, NB, newEmployer } from '../contributions/testing.ts';
import { setUpFundLedger } from '../fund/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import type { IssueLetterInput } from './issue-letter.ts';

/**
 * Test fixture of the letters part: 杭州 and 宁波, one employer and one worker in 杭州 and an
 * injury case of theirs inserted directly (the determination part creates cases; letters only
 * need one to hang on).
 */
export { HZ, NB };

export async function setUpLetters(db: Database, rules: RuleSet): Promise<{ caseId: string }> {
  const fund = await setUpFundLedger(db, { cities: [HZ, NB] });
  const employer = await newEmployer(db, fund.system, rules, { sequence: 1 });
  const idNumber = demoIdNumber('330102', '1990-05-17', 7);
  const facts = citizenIdFacts(idNumber);
  const workerId = `wkr_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, '测试', $3, $4::date, 'test')`,
    [workerId, idNumber, facts.sex, facts.birthDate],
  );
  const caseId = `cas_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, created_by)
     VALUES ($1, $2, $3, $1, $4, 'accident', '2026-03-02', 'applied', 'test')`,
    [HZ, caseId, workerId, employer.id],
  );
  return { caseId };
}

/** A letter's input with a short real-looking body; `over` changes any field. */
export function letterInput(over: Partial<IssueLetterInput> = {}): IssueLetterInput {
  return {
    regionCode: HZ,
    letterType: 'determination_acceptance',
    issuedOn: '2026-12-06',
    recipient: '张三',
    title: '工伤认定申请受理决定书',
    paragraphs: [
      '你于2026年11月20日提交的工伤认定申请及有关材料收悉。经审查，符合受理条件，决定予以受理。',
      '根据《工伤保险条例》第二十条第一款的规定，本机关将自受理之日起60日内作出工伤认定的决定。',
    ],
    issuer: '杭州市人力资源和社会保障局',
    recordedBy: 'hz-determination',
    ...over,
  };
}

/** The PDF's streams, inflated where they are deflated. */
function streams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const body = pdf.subarray(start, text.indexOf('endstream', start));
    try {
      out.push(inflateSync(body).toString('latin1'));
    } catch {
      out.push(body.toString('latin1'));
    }
  }
  return out;
}

/** Glyph id → text, from the ToUnicode CMaps pdfkit writes (bfrange with arrays, and bfchar). */
function glyphMap(all: readonly string[]): Map<number, string> {
  const map = new Map<number, string>();
  const unicode = (hex: string) =>
    String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  for (const s of all.filter((x) => x.includes('begincmap'))) {
    for (const r of s.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      const first = Number.parseInt(r[1] ?? '0', 16);
      for (const [i, h] of [...(r[3] ?? '').matchAll(/<([0-9a-f]+)>/gi)].entries())
        map.set(first + i, unicode(h[1] ?? ''));
    }
    for (const block of s.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const c of (block[1] ?? '').matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi))
        map.set(Number.parseInt(c[1] ?? '0', 16), unicode(c[2] ?? ''));
  }
  return map;
}

/**
 * The text a PDF shows, in drawing order: each TJ/Tj operator's glyph ids (4-hex strings, as pdfkit
 * writes a CID font) mapped back through the font's ToUnicode CMap and joined. What a reader's
 * copy-paste would give, so a test checks what is printed, not what was passed in.
 */
export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const glyphs = glyphMap(all);
  const lines: string[] = [];
  for (const s of all.filter((x) => /\bT[Jj]\b/.test(x) && !x.includes('begincmap')))
    for (const op of s.matchAll(/(\[[^\]]*\]|<[0-9a-f]*>)\s*T[Jj]/gi))
      lines.push(
        [...(op[1] ?? '').matchAll(/<([0-9a-f]*)>/gi)]
          .flatMap((h) => (h[1] ?? '').match(/.{4}/g) ?? [])
          .map((g) => glyphs.get(Number.parseInt(g, 16)) ?? '\ufffd')
          .join(''),
      );
  return lines.join('');
}
