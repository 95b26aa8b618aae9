import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { type IssuedLetter, issueLetter } from '../../../usecases/letters/issue-letter.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/**
 * The letters routes on the demo province: 杭州's determination officer and the provincial
 * appraisal committee (appraisal:read) list and download 杭州's letters; 宁波's handler gets 404
 * (another city), the demo employer 403 (no permission); each download leaves a letter.download
 * audit event; the bytes served are the bytes stored.
 */
let h: TestApp;
let determination: Session;
let appraisal: Session;
let nb: Session;
let employer: Session;
let issued: IssuedLetter;

beforeAll(async () => {
  h = await startTestApp();
  determination = await loginAs(h.app, 'hz.determination');
  appraisal = await loginAs(h.app, 'province.appraisal');
  nb = await loginAs(h.app, 'nb.handler');
  employer = await loginAs(h.app, 'demo.employer');
  issued = await h.app.deps.db.transaction((tx) =>
    issueLetter(tx, {
      regionCode: '330100',
      letterType: 'determination_materials',
      issuedOn: '2026-12-06',
      recipient: '杭州示例机械有限公司(演示)',
      title: '工伤认定申请材料补正告知书',
      paragraphs: ['你单位提交的工伤认定申请材料不完整，请于15日内补正下列材料。'],
      issuer: '杭州市人力资源和社会保障局',
      recordedBy: 'hz.determination',
    }),
  );
}, 180_000);
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const base = '/api/v1/regions/330100/letters';

async function listsAndDownloads(): Promise<void> {
  const list = await get(determination, base);
  expect(list.statusCode).toBe(200);
  const letters = (list.json() as { letters: { id: string; documentNumber: string }[] }).letters;
  expect(letters.find((l) => l.id === issued.id)?.documentNumber).toBe(issued.documentNumber);
  for (const s of [determination, appraisal]) {
    const pdf = await get(s, `${base}/${issued.id}/pdf`);
    expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(issued.sha256);
  }
  const audited = await h.app.deps.db.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'letter.download' AND object = $1 AND result = 'ok'`,
    [`letter:330100/${issued.id}`],
  );
  expect(audited.rows[0]?.['n']).toBe(2);
}

async function scoped(): Promise<void> {
  const other = await get(nb, `${base}/${issued.id}/pdf`);
  expect([other.statusCode, problemOf(other).code]).toEqual([404, 'record.not_found']);
  expect((await get(nb, base)).statusCode).toBe(404);
  const noRight = await get(employer, `${base}/${issued.id}/pdf`);
  expect([noRight.statusCode, problemOf(noRight).code]).toEqual([403, 'auth.forbidden']);
  const missing = await get(determination, `${base}/ltr_330100_${'f'.repeat(16)}/pdf`);
  expect([missing.statusCode, problemOf(missing).code]).toEqual([404, 'record.not_found']);
  const byCase = await get(determination, `${base}?caseId=cas_330100_${'0'.repeat(16)}`);
  expect(byCase.json()).toEqual({ letters: [] });
  const badCase = await get(determination, `${base}?caseId=nope`);
  expect(badCase.statusCode).toBe(400);
}

describe(`letters routes on ${testBackend}`, () => {
  it(
    'lists and serves the stored PDF to case and appraisal readers, audited',
    listsAndDownloads,
    60_000,
  );
  it('answers 404 out of scope, 403 without the permission, 400 on a bad case id', scoped, 60_000);
});
