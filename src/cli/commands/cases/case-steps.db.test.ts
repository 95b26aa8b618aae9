import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { openTestDatabase } from '../../../db/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import { seedTestDemo } from '../../../runtime/testing.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import { cliTestsHere, runCliInProcess } from '../../testing.ts';

/**
 * One case from the report to the paid lump sum driven only through the command line, as an
 * operator runs it, on a server database named by DATABASE_URL (`cliTestsHere`): the officer reports, accepts, decides
 * and serves; the provincial committee adds experts to 杭州's pool, receives the application, draws, extends,
 * concludes grade 7 and serves; the handler proposes, the supervisor approves, the handler applies
 * (once: a retry posts nothing) and records the bank's payment, then a returned one and its reissue. Every step is the route's use case
 * with the route's body (`--input -` on standard input). Fixed 2026 dates, none of them today's.
 */
const HZ = '330100';
let env: Record<string, string | undefined> = {};
let cleanup: () => Promise<void> = async () => {};
type Employment = {
  workerId: string;
  employerId: string;
  wages: { month: string; wageFen: number }[];
};
/** Workers for the journey, one per attempt: vitest's retry runs in the same database. */
const employments: Employment[] = [];
let employment: Employment = { workerId: '', employerId: '', wages: [] };

const ACCIDENT = '2026-05-11';
/**
 * The 12 months before the accident's month, 2025-05 … 2026-04 (《工伤保险条例》第六十四条第二款:
 * "本人工资，是指工伤职工因工作遭受事故伤害或者患职业病前12个月平均月缴费工资").
 */
const WAGE_WINDOW = Array.from({ length: 12 }, (_, i) => {
  const m = 4 + i; // months since 2025-01, from 2025-05
  return `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
});

const run = (args: string[], body?: unknown) =>
  runCliInProcess(
    body === undefined ? args : [...args, '--input', '-'],
    env,
    body === undefined ? {} : { stdin: JSON.stringify(body) },
  );
const json = (out: string) => JSON.parse(out) as Record<string, unknown>;

/** Runs a step that must succeed; its JSON answer. */
async function ok(args: string[], body?: unknown): Promise<Record<string, unknown>> {
  const r = await run(args, body);
  expect(r.code, `${args.join(' ')}\n${r.out}\n${r.err}`).toBe(0);
  return json(r.out);
}

/** The months of the wage window the register holds no declaration of the worker for. */
async function undeclared(db: Database, workerId: string): Promise<Employment['wages']> {
  const declared = await db.query(
    `SELECT DISTINCT to_char(d.month, 'YYYY-MM') AS m FROM declaration_lines l
       JOIN declarations d ON d.region_code = l.region_code AND d.id = l.declaration_id
      WHERE l.worker_id = $1`,
    [workerId],
  );
  const held = new Set(declared.rows.map((r) => String(r['m'])));
  return WAGE_WINDOW.filter((m) => !held.has(m)).map((month) => ({ month, wageFen: 800_000 }));
}

/**
 * Workers on 杭州 employers' rosters, with the wage months of the window the handler enters (with
 * evidence; a declared month may not be entered). The period the decision is applied in is opened
 * (already open is fine).
 */
async function fixture(db: Database, seeded: boolean): Promise<void> {
  if (!seeded) await seedTestDemo(db);
  const spells = await db.query(
    `SELECT worker_id, employer_id FROM employment_spells
      WHERE region_code = $1 AND end_date IS NULL AND start_date <= '2025-01-01'
      ORDER BY random() LIMIT 3`,
    [HZ],
  );
  for (const row of spells.rows) {
    const workerId = String(row['worker_id']);
    const wages = await undeclared(db, workerId);
    employments.push({ workerId, employerId: String(row['employer_id']), wages });
  }
  if (employments.length < 2) throw new Error('fewer than 2 employed workers in 330100');
  await openPeriod(db, systemActor('test-case-steps'), { segment: HZ, period: '2026-09' });
}

// The server's database only (`cliTestsHere`): the file's tests do not run on PGlite.
beforeAll(async () => {
  if (!cliTestsHere) return;
  const t = await openTestDatabase({ template: 'demo' });
  await fixture(t.db, t.fromTemplate);
  env = { ...process.env, DATABASE_URL: t.url ?? '', TONGCHOU_DATA_DIR: undefined };
  cleanup = t.cleanup;
}, 300_000);

afterAll(async () => {
  await cleanup();
});

/** The officer reports (with the employer's application), accepts, decides, serves. */
async function determination(): Promise<string> {
  const next = employments.shift();
  if (next === undefined) throw new Error('no worker left for another attempt');
  employment = next;
  const reported = await ok(['cases', 'report', '--region', HZ, '--as', 'hz.determination'], {
    workerId: employment.workerId,
    employerId: employment.employerId,
    caseType: 'accident',
    accidentDate: ACCIDENT,
    reportedOn: '2026-05-12',
    reporterKind: 'employer',
    accidentPlace: '一号车间',
    accidentSummary: '搬运时被货物砸伤左脚',
    application: { applicantType: 'employer', appliedOn: '2026-05-13' },
  });
  expect(reported['status']).toBe('applied');
  const caseId = String(reported['caseId']);
  const at = ['--region', HZ, '--case', caseId, '--as', 'hz.determination'];
  await ok(['cases', 'act', 'accept', ...at], { on: '2026-05-15', clear: false });
  await refusedAndBadInput(caseId, at);
  // 《工伤保险条例》第十四条第（一）项: "在工作时间和工作场所内，因工作原因受到事故伤害的".
  await ok(['cases', 'act', 'decide', ...at], {
    on: '2026-06-10',
    outcome: 'recognised',
    grounds: ['art14_1'],
  });
  const served = await ok(['cases', 'act', 'serve', ...at], { on: '2026-06-12' });
  expect(served['status']).toBe('served');
  return caseId;
}

/** A step the state does not allow is refused with its code; bad input changes nothing. */
async function refusedAndBadInput(caseId: string, at: string[]): Promise<void> {
  const show = ['cases', 'show', '--region', HZ, '--case', caseId];
  const before = json((await run(show)).out)['facts'];
  const early = await run(['cases', 'act', 'serve', ...at], { on: '2026-05-16' });
  expect(early.code, early.out).toBe(3);
  expect(String(json(early.out)['code'])).toMatch(/^case\./);
  const bad = await run(['cases', 'act', 'decide', ...at], {
    outcome: 'maybe',
    grounds: ['art99'],
  });
  expect(bad.code, bad.out).toBe(2);
  const paths = (json(bad.out)['errors'] as { path: string }[]).map((e) => e.path);
  expect(paths).toEqual(expect.arrayContaining(['on', 'outcome', 'grounds.0']));
  const conflicting = await run(['cases', 'act', 'decide', ...at], {
    kind: 'serve',
    on: '2026-06-01',
  });
  expect([conflicting.code, json(conflicting.out)['code']]).toEqual([2, 'input.invalid']);
  const after = json((await run(show)).out)['facts'];
  expect(after).toEqual(before);
  expect(after).toMatchObject({ status: 'accepted' });
}

/** The provincial committee: four experts in 杭州's pool, the application, a draw, the extension, grade 7, service. */
async function appraisal(caseId: string): Promise<void> {
  const as = ['--as', 'province.appraisal'];
  const tag = randomBytes(3).toString('hex');
  for (const n of ['甲', '乙', '丙', '丁'])
    await ok(['appraisal', 'experts', 'add', '--region', HZ, ...as], {
      name: `${n}医生${tag}`,
      specialty: 'orthopaedics',
    });
  const received = await ok(['appraisal', 'receive', '--region', HZ, '--case', caseId, ...as], {
    kind: 'initial',
    appliedOn: '2026-06-20',
    applicantKind: 'worker',
    treatmentStabilisedOn: '2026-06-15',
  });
  const at = ['--region', HZ, '--appraisal', String(received['id']), ...as];
  await ok(['appraisal', 'draw', ...at], {
    specialty: 'orthopaedics',
    panelSize: 3,
    recusals: [],
    drawnOn: '2026-06-22',
  });
  const extended = await ok(['appraisal', 'extend', ...at], {
    extendedOn: '2026-08-10',
    reason: '需委托医疗机构协助诊断',
  });
  expect(extended['extendedDueOn']).not.toBeNull();
  await ok(['appraisal', 'conclude', ...at], {
    concludedOn: '2026-08-20',
    conclusion: 'graded',
    disabilityGrade: 7,
    nursingLevel: null,
    stopWorkExtensionMonths: null,
    gradingClauses: ['5.7.2(12)'],
  });
  const served = await ok(['appraisal', 'serve', ...at], { servedOn: '2026-08-24' });
  expect(served).toMatchObject({ status: 'concluded', servedOn: '2026-08-24', disabilityGrade: 7 });
}

type Payment = { id: string; status: string; amountFen: number };

/** Propose (maker), approve (checker), apply twice (posted once), pay each lump sum. */
async function benefitDecision(caseId: string): Promise<void> {
  const decision = ['benefits', 'decision'];
  const proposed = await ok(
    [...decision, 'propose', '--region', HZ, '--case', caseId, '--as', 'hz.handler'],
    { enteredWages: employment.wages, wageEvidence: '工资条（单位盖章）', on: '2026-08-28' },
  );
  const at = ['--region', HZ, '--decision', String(proposed['decisionId'])];
  const early = await run([...decision, 'apply', ...at, '--as', 'hz.handler'], {
    on: '2026-09-01',
  });
  expect(early.code, early.out).toBe(3);
  expect(String(json(early.out)['code'])).toMatch(/^approval\./);
  const byMaker = await run([...decision, 'approve', ...at, '--as', 'hz.handler']);
  expect([byMaker.code, json(byMaker.out)['code']]).toEqual([3, 'auth.forbidden']);
  expect(await ok([...decision, 'approve', ...at, '--as', 'hz.supervisor'])).toMatchObject({
    status: 'approved',
  });
  const applied = await ok([...decision, 'apply', ...at, '--as', 'hz.handler'], {
    on: '2026-09-01',
  });
  const again = await ok([...decision, 'apply', ...at, '--as', 'hz.handler'], { on: '2026-09-01' });
  expect([applied['replayed'], again['replayed']]).toEqual([false, true]);
  expect(again['ledgerTransactionId']).toBe(applied['ledgerTransactionId']);
  const panel = await ok([...decision, 'show', '--region', HZ, '--case', caseId]);
  const payments = panel['payments'] as Payment[];
  expect(payments.length).toBeGreaterThan(0);
  for (const p of payments)
    await ok([...decision, 'pay', '--region', HZ, '--payment', p.id, '--as', 'hz.handler'], {
      bankReference: `BK-CLI-${p.id.slice(-6)}`,
      paidOn: '2026-09-05',
    });
  const paid = await ok([...decision, 'show', '--region', HZ, '--case', caseId]);
  expect((paid['payments'] as Payment[]).map((p) => p.status)).toEqual(payments.map(() => 'paid'));
  await returnedAndReissued(payments[0]);
}

/** The bank returns a paid transfer (reversed), the handler reissues it and the bank pays it. */
async function returnedAndReissued(payment: Payment | undefined): Promise<void> {
  if (payment === undefined) throw new Error('no payment');
  const as = ['--region', HZ, '--as', 'hz.handler'];
  const failed = await ok(['benefits', 'decision', 'fail', ...as, '--payment', payment.id], {
    reason: '账户已销户，款项退回',
    on: '2026-09-10',
  });
  expect(failed).toMatchObject({ status: 'failed', amountFen: payment.amountFen });
  expect(failed['reversalTransactionId']).not.toBeNull();
  const again = await ok(['benefits', 'decision', 'reissue', ...as, '--payment', payment.id], {
    on: '2026-09-11',
  });
  expect(again).toMatchObject({ status: 'issued', attempt: 2, amountFen: payment.amountFen });
  const repaid = await ok(
    ['benefits', 'decision', 'pay', ...as, '--payment', String(again['id'])],
    {
      bankReference: 'BK-CLI-REISSUE',
      paidOn: '2026-09-15',
    },
  );
  expect(repaid).toMatchObject({ status: 'paid', bankReference: 'BK-CLI-REISSUE' });
}

describe.runIf(cliTestsHere)(
  'cases, appraisal and benefit decision steps on the command line',
  () => {
    it('drives one case from the report to the paid lump sum', async () => {
      const caseId = await determination();
      await appraisal(caseId);
      await benefitDecision(caseId);
    }, 300_000);

    it('refuses bad options and an unknown user before touching the case', async () => {
      const bad = await run(
        ['cases', 'act', 'accept', '--region', '3301', '--case', 'x', '--as', 'hz.determination'],
        {
          on: '2026-05-15',
          clear: false,
        },
      );
      expect(bad.code).toBe(2);
      expect((json(bad.out)['errors'] as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'case',
        'region',
      ]);
      const notJson = await runCliInProcess(
        ['cases', 'report', '--region', HZ, '--as', 'hz.determination', '--input', '-'],
        env,
        { stdin: '{not json' },
      );
      expect([notJson.code, json(notJson.out)['code']]).toEqual([2, 'input.invalid']);
      const stranger = await run(
        ['appraisal', 'experts', 'add', '--region', HZ, '--as', 'nb.determination'],
        {
          name: '戊医生',
          specialty: 'orthopaedics',
        },
      );
      expect([stranger.code, json(stranger.out)['code']]).toEqual([3, 'auth.forbidden']);
    }, 120_000);
  },
);
