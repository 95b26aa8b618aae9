import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { syncBundledCalendar } from '../../usecases/calendar/calendar-import.ts';
import { calendarImportAnswer, calendarShowAnswer, deadlineAnswer } from './calendar.ts';

/**
 * `tongchou deadline` and `tongchou calendar …`: the answers in-process on both backends, and the
 * deadline contract once as a real process (on the PostgreSQL backend, whose test database is
 * migrated already, so the spawn pays no migration).
 */
let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'tc-deadline-'));
const admin = systemActor('test-calendar-cli');

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

beforeAll(async () => {
  t = await openTestDatabase();
  await syncBundledCalendar(
    t.db,
    JSON.parse(
      readFileSync(
        new URL('../../rules/values/calendar/holidays-cn.json', import.meta.url),
        'utf8',
      ),
    ),
  );
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('tongchou deadline', () => {
  it('answers the due date (exit 0)', async () => {
    // 2025-09-26 (Fri) + 5 working days: 09-28 (make-up Sun), 09-29, 09-30, 10-09, 10-10.
    const a = await deadlineAnswer(
      t.db,
      file('ok.json', { start: '2025-09-26', amount: 5, unit: 'workday' }),
    );
    expect(a).toEqual({ exitCode: 0, body: { due: '2025-10-10' }, summary: null });
  });

  it('answers every bad field at once (exit 2)', async () => {
    const a = await deadlineAnswer(
      t.db,
      file('bad.json', { start: '2025-02-30', amount: 0, unit: 'week', extra: 1 }),
    );
    expect(a.exitCode).toBe(2);
    expect(a.body).toMatchObject({ code: 'input.invalid', status: 400 });
    const paths = 'errors' in a.body && Array.isArray(a.body.errors) ? a.body.errors : [];
    expect(paths.map((e: { path: string }) => e.path).sort()).toEqual(
      ['(root)', 'amount', 'start', 'unit'].sort(),
    );
  });

  it('refuses an unreadable file, bad JSON and a year the calendar lacks (exit 2)', async () => {
    const missing = await deadlineAnswer(t.db, join(dir, 'nope.json'));
    expect(missing).toMatchObject({
      exitCode: 2,
      body: { errors: [{ code: 'input.unreadable' }] },
    });
    const notJson = await deadlineAnswer(t.db, file('x.json', '{"start":'));
    expect(notJson).toMatchObject({ exitCode: 2, body: { errors: [{ code: 'input.not_json' }] } });
    const y2027 = await deadlineAnswer(
      t.db,
      file('y.json', { start: '2026-12-20', amount: 1, unit: 'month' }),
    );
    // A period of centuries is refused as any uncovered year is, not crashed on.
    const far = await deadlineAnswer(
      t.db,
      file('far.json', { start: '2025-01-01', amount: 3000, unit: 'year' }),
    );
    expect(far).toMatchObject({ exitCode: 2, body: { code: 'deadline.calendar_year_unknown' } });
    expect(y2027).toMatchObject({
      exitCode: 2,
      body: { code: 'deadline.calendar_year_unknown', status: 422, details: { year: 2027 } },
    });
  });

  it('counts an imported year at once', async () => {
    const notice = {
      years: {
        '2027': {
          notice: '国办发明电〔2026〕99号 (test)',
          holidays: [['元旦', '2027-01-01', '2027-01-03']],
          workdays: [],
        },
      },
    };
    const imported = await calendarImportAnswer(t.db, admin, file('2027.json', notice));
    expect(imported.exitCode).toBe(0);
    // 2026-12-20 + 1 month = 2027-01-20 (Wed), a working day now that 2027 is known.
    const a = await deadlineAnswer(
      t.db,
      file('y2.json', { start: '2026-12-20', amount: 1, unit: 'month' }),
    );
    expect(a.body).toEqual({ due: '2027-01-20' });
    expect((await calendarShowAnswer(t.db, '2027')).body).toMatchObject({ origin: 'import' });
    expect((await calendarShowAnswer(t.db, '2040')).exitCode).toBe(3);
    expect((await calendarShowAnswer(t.db, 'abc')).exitCode).toBe(2);
  });

  it.runIf(testBackend === 'pg')(
    'keeps its contract as a real process',
    () => {
      const input = file('contract.json', { start: '2025-09-20', amount: 15, unit: 'day' });
      const r = spawnSync(process.execPath, ['bin/tongchou.mjs', 'deadline', '--input', input], {
        env: { ...process.env, DATABASE_URL: t.url ?? '', DATABASE_OWNER_URL: '' },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ due: '2025-10-09' });
    },
    60_000,
  );
});
