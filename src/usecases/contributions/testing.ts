import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { openPeriod } from '../fund/ledger/periods.ts';
import { setUpFundLedger } from '../fund/testing.ts';
import {
  changeFloatingGrade,
  type EmployerRegistration,
  registerEmployer,
} from '../registry/employers.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';

/**
 * Test fixture of the contributions area: 杭州 and 宁波 with the ledger provisioned and periods open,
 * a city handler (maker) and a city supervisor (checker) of 杭州, and helpers that register
 * employers and insert declarations directly (the declaration import is helper A's, ADR 0010).
 */
export const HZ = '330100';
export const NB = '330200';
export const POLICY = DEFAULT_APPROVAL_POLICY;

export function cityActor(username: string, role: 'city_handler' | 'supervisor', city = HZ): Actor {
  return {
    userId: username,
    username,
    role,
    scopeKind: 'city',
    scopeCode: city,
    permissions: ['fund:read', 'fund:write', 'fund:approve'],
    requestId: `req-${username}`,
  };
}

export async function setUpContributions(db: Database, periods: readonly string[]) {
  const fund = await setUpFundLedger(db, { cities: [HZ, NB] });
  for (const period of periods) {
    const o = await openPeriod(db, fund.system, { segment: 'all', period });
    if (!o.ok) throw new Error(o.message);
  }
  for (const [u, role, city] of [
    ['hz-maker', 'city_handler', HZ],
    ['hz-checker', 'supervisor', HZ],
    ['hz-maker2', 'city_handler', HZ],
  ] as const)
    await db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, 'city', $3::text, $3::text, 'x') ON CONFLICT DO NOTHING`,
      [u, role, city],
    );
  return {
    ...fund,
    fundMaker: fund.maker,
    fundChecker: fund.checker,
    maker: cityActor('hz-maker', 'city_handler'),
    checker: cityActor('hz-checker', 'supervisor'),
    maker2: cityActor('hz-maker2', 'city_handler'),
  };
}

export async function newEmployer(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  over: Partial<EmployerRegistration> & { sequence: number },
): Promise<{ id: string; creditCode: string }> {
  const regionCode = over.regionCode ?? HZ;
  const creditCode = demoCreditCode(regionCode, over.sequence);
  const r = await registerEmployer(db, actor, rules, {
    regionCode,
    creditCode,
    name: `测试单位${over.sequence}`,
    address: '测试路1号',
    industry: over.industry ?? { standard: 'GB/T 4754-2017', division: '34' },
    category: 'sme',
    registeredOn: over.registeredOn ?? '2024-01-01',
  });
  if (!r.ok) throw new Error(r.message);
  return { id: r.value.id, creditCode };
}

export async function changeGrade(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: {
    employerId: string;
    grade: 'down2' | 'down1' | 'base' | 'up1' | 'up2';
    from: string;
    city?: string;
  },
): Promise<void> {
  // A fixture: the grade written as an approved change writes it (registry/floating-grade.ts; its
  // maker-checker round is tested in registry.db.test.ts).
  const r = await db.transaction((tx) =>
    changeFloatingGrade(tx, actor, rules, {
      regionCode: input.city ?? HZ,
      employerId: input.employerId,
      grade: input.grade,
      effectiveFrom: input.from,
      reason: 'test',
    }),
  );
  if (!r.ok) throw new Error(r.message);
}

let workerSeq = 0;

/**
 * Inserts one declaration version (the next) of an employer-month with one line per base, each
 * line a new worker: what helper A's import will write.
 */
export async function declare(
  db: Database,
  input: { employerId: string; month: string; basesFen: readonly number[]; city?: string },
): Promise<string> {
  const city = input.city ?? HZ;
  const id = `dcl_${city}_${randomBytes(8).toString('hex')}`;
  const monthStart = `${input.month}-01`;
  const prev = await db.query(
    `SELECT id, version FROM declarations WHERE region_code = $1 AND employer_id = $2 AND month = $3::date
      ORDER BY version DESC LIMIT 1`,
    [city, input.employerId, monthStart],
  );
  const last = prev.rows[0];
  const version = last === undefined ? 1 : Number(last['version']) + 1;
  const total = input.basesFen.reduce((a, b) => a + b, 0);
  await db.query(
    `INSERT INTO declarations (region_code, id, employer_id, month, version, previous_id, file_sha256, file_name,
       worker_count, wage_total_fen, base_total_fen, diff, declared_by)
     VALUES ($1, $2, $3, $4::date, $5, $6, $7, 'test.csv', $8, $9, $9, '{}'::jsonb, 'test')`,
    [
      city,
      id,
      input.employerId,
      monthStart,
      version,
      last === undefined ? null : last['id'],
      '0'.repeat(64),
      input.basesFen.length,
      total,
    ],
  );
  for (const [i, base] of input.basesFen.entries()) {
    workerSeq += 1;
    const idNumber = demoIdNumber('330102', '1990-05-17', workerSeq % 1000);
    const workerId = `wkr_${randomBytes(8).toString('hex')}`;
    const facts = citizenIdFacts(idNumber);
    await db.query(
      `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
       VALUES ($1, $2, '测试', $3, $4::date, 'test') ON CONFLICT (id_number) DO NOTHING`,
      [workerId, idNumber, facts.sex, facts.birthDate],
    );
    const w = await db.query('SELECT id FROM workers WHERE id_number = $1', [idNumber]);
    await db.query(
      `INSERT INTO declaration_lines (region_code, declaration_id, worker_id, row_number, wage_fen, base_fen)
       VALUES ($1, $2, $3, $4, $5, $5)`,
      [city, id, w.rows[0]?.['id'], i + 1, base],
    );
  }
  return id;
}

/** The checker approves an approval (test helper). */
export async function approve(
  db: Database,
  checker: Actor,
  regionCode: string,
  id: string,
): Promise<void> {
  const d = await decideApproval(db, checker, { regionCode, id, decision: 'approved' });
  if (!d.ok) throw new Error(`approval decision: ${d.message}`);
}

/** Maker asks, checker approves, maker uses the approval: the whole maker-checker round. */
export async function approvedRound<T extends { approval: { id: string } | null }>(
  db: Database,
  checker: Actor,
  regionCode: string,
  call: (approvalId?: string) => Promise<{ ok: true; value: T } | { ok: false; message: string }>,
): Promise<T> {
  const asked = await call();
  if (!asked.ok) throw new Error(asked.message);
  if (asked.value.approval === null) return asked.value;
  await approve(db, checker, regionCode, asked.value.approval.id);
  const done = await call(asked.value.approval.id);
  if (!done.ok) throw new Error(done.message);
  return done.value;
}
