import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, intOrNullOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { caseStatuses } from '../../domain/cases/determination.ts';
import { type Actor, systemActor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { createLocalBlobStore } from '../../runtime/local-blob-store.ts';
import { testDemoProvince, testRuleBook } from '../../runtime/testing.ts';
import { syncBundledCalendar } from '../calendar/calendar-import.ts';
import { myCases } from '../cases/case-self.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { CASE_PLANS, seedCasesDemo } from './seed-cases-demo.ts';
import { seedDemo } from './seed-demo.ts';

const province = testDemoProvince();
const rules = testRuleBook().benefits;
const blobDir = mkdtempSync(join(tmpdir(), 'tc-seed-cases-'));
const blobs = createLocalBlobStore(blobDir);
let t: TestDatabase;
let seedMs = 0;
beforeAll(async () => {
  t = await openTestDatabase();
  // The runtime syncs the bundled calendar on opening the database (src/runtime/database.ts).
  await syncBundledCalendar(t.db, readBundledCalendar());
  const started = performance.now();
  // The base demo and its cases; seedDemo's benefits and payroll year (seedBenefitsDemo, run after
  // the cases when given a blob store) are seed-benefits-demo.db.test.ts's.
  await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules });
  await seedCasesDemo(t.db, rules, blobs, province);
  seedMs = performance.now() - started;
}, 120_000);
afterAll(async () => {
  await t.cleanup();
  rmSync(blobDir, { recursive: true, force: true });
});

async function rows(sql: string) {
  return withColumns(await t.db.query(sql), { k: textOf, n: intOf }).rows;
}

function selfActor(username: string, role: 'worker' | 'employer'): Actor {
  const user = province.demoUsers.find((u) => u.username === username);
  if (!user?.scopeCode) throw new Error(`no demo user ${username}`);
  return {
    userId: username,
    username,
    role,
    scopeKind: user.scopeKind,
    scopeCode: user.scopeCode,
    permissions: rolePermissions[role],
    requestId: 'test',
  };
}

describe(`demo cases on ${testBackend}: states`, () => {
  it('holds a case in every determination status, in 杭州, and one in 宁波', async () => {
    const byStatus = await rows(
      `SELECT status AS k, count(*)::int AS n FROM cases WHERE region_code = '330100' GROUP BY 1`,
    );
    expect(new Set(byStatus.map((r) => r.k))).toEqual(new Set(caseStatuses));
    const nb = await rows(
      `SELECT status AS k, count(*)::int AS n FROM cases WHERE region_code = '330200' GROUP BY 1`,
    );
    expect(nb).toEqual([{ k: 'applied', n: 1 }]);
    console.info(`[seed timing ${testBackend}] seedDemo incl. cases: ${Math.round(seedMs)} ms`);
  });

  it('went through the use cases: every case has its timeline, letters are real PDFs, materials stored', async () => {
    const events = await rows(
      `SELECT c.id AS k, count(e.*)::int AS n FROM cases c LEFT JOIN case_events e
         ON e.region_code = c.region_code AND e.case_id = c.id GROUP BY 1`,
    );
    expect(events).toHaveLength(CASE_PLANS.length);
    expect(events.every((e) => e.n >= 1)).toBe(true);
    const letters = await rows(`SELECT 'letters' AS k, count(*)::int AS n FROM letters`);
    expect(letters[0]?.n).toBeGreaterThanOrEqual(10);
    const material = withColumns(
      await t.db.query('SELECT sha256 FROM case_materials ORDER BY file_name'),
      { sha256: textOf },
    ).rows;
    expect(material).toHaveLength(3);
    const bytes = await blobs.get(material[0]!.sha256);
    expect(
      Buffer.from(bytes ?? [])
        .subarray(0, 4)
        .toString(),
    ).toMatch(/%PDF|.PNG/);
    const audited = await rows(
      `SELECT 'audit' AS k, count(*)::int AS n FROM audit_events WHERE actor = 'hz.determination'`,
    );
    expect(audited[0]?.n).toBeGreaterThanOrEqual(CASE_PLANS.length);
  });

  it('has expert pools by specialty and appraisals received, drawn, concluded (grade 7) and re-appraised', async () => {
    const pools = await rows(
      `SELECT committee_code || ' ' || specialty AS k, count(*)::int AS n FROM appraisal_experts GROUP BY 1 ORDER BY 1`,
    );
    expect(pools.map((p) => p.k)).toEqual([
      '330000 neurosurgery',
      '330000 orthopaedics',
      '330100 hand_surgery',
      '330100 orthopaedics',
    ]);
    const appraisals = withColumns(
      await t.db.query(
        `SELECT kind, committee_level, status, disability_grade FROM appraisals ORDER BY applied_on`,
      ),
      { kind: textOf, committee_level: textOf, status: textOf, disability_grade: intOrNullOf },
    ).rows;
    expect(
      appraisals.map((a) => [a.kind, a.committee_level, a.status, a.disability_grade]),
    ).toEqual([
      ['initial', 'city', 'concluded', 7],
      ['initial', 'city', 'concluded', 9],
      ['re_appraisal', 'province', 'received', null],
      ['initial', 'city', 'panel_drawn', null],
      ['initial', 'city', 'received', null],
    ]);
  });
});

describe(`demo benefits on ${testBackend}`, () => {
  it('has a decision awaiting the supervisor and one approved, paid through a consistent ledger', async () => {
    const decisions = await rows(
      `SELECT status AS k, count(*)::int AS n FROM benefit_decisions GROUP BY 1 ORDER BY 1`,
    );
    expect(decisions).toEqual([
      { k: 'approved', n: 1 },
      { k: 'proposed', n: 1 },
    ]);
    const pending = await rows(
      `SELECT status AS k, count(*)::int AS n FROM approvals WHERE region_code = '330100'
         AND id IN (SELECT approval_id FROM benefit_decisions) GROUP BY 1 ORDER BY 1`,
    );
    expect(pending).toEqual([
      { k: 'consumed', n: 1 },
      { k: 'pending', n: 1 },
    ]);
    const paid = await rows(
      `SELECT status AS k, count(*)::int AS n FROM benefit_payments GROUP BY 1`,
    );
    expect(paid.length).toBeGreaterThan(0);
    expect(paid.every((p) => p.k === 'paid')).toBe(true);
    const posted = await rows(
      `SELECT 'tx' AS k, count(*)::int AS n FROM ledger_transactions WHERE id LIKE 'benefit-%'`,
    );
    expect(posted[0]?.n).toBeGreaterThanOrEqual(2);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

describe(`demo cases on ${testBackend}: the portal and a second seed`, () => {
  it('gives the demo worker one case and the demo employer the rest of 杭州', async () => {
    const today = '2026-12-06';
    const worker = await t.db.withConnection((ex) =>
      myCases(ex, selfActor('demo.worker', 'worker'), { today }),
    );
    expect(worker.items.map((c) => c.status)).toEqual(['awaiting_materials']);
    const employer = await t.db.withConnection((ex) =>
      myCases(ex, selfActor('demo.employer', 'employer'), { today }),
    );
    const own = await rows(
      `SELECT 'own' AS k, count(*)::int AS n FROM cases WHERE employer_id = 'emp_330100_0000000000000001'`,
    );
    expect(own[0]?.n).toBeGreaterThanOrEqual(3);
    expect(employer.items).toHaveLength(own[0]?.n ?? -1);
  });

  it('creates nothing the second time', async () => {
    const before = await rows(
      `SELECT 'all' AS k, ((SELECT count(*) FROM cases) + (SELECT count(*) FROM letters)
         + (SELECT count(*) FROM appraisals) + (SELECT count(*) FROM case_events))::int AS n`,
    );
    const again = await seedCasesDemo(t.db, rules, blobs, province);
    expect(again).toEqual({ cases: 0, materials: 0, experts: 0, appraisals: 0, decisions: 0 });
    await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules });
    const after = await rows(
      `SELECT 'all' AS k, ((SELECT count(*) FROM cases) + (SELECT count(*) FROM letters)
         + (SELECT count(*) FROM appraisals) + (SELECT count(*) FROM case_events))::int AS n`,
    );
    expect(after).toEqual(before);
  });
});
