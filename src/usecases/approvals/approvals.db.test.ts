import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { setUpFundLedger } from '../fund/testing.ts';
import { DEFAULT_APPROVAL_POLICY, requiredCheckers } from './approval-policy.ts';
import {
  approvalRefusalOf,
  consumeApproval,
  effectiveApprovalStatus,
  getApproval,
  listApprovals,
  requestApproval,
  withdrawApproval,
} from './approvals.ts';

/**
 * Migration 0009's triggers, by plain SQL (what any client of the database, not only the use
 * cases, runs into): the maker and the maker's role cannot decide, a decision is final, an
 * approval is approved only by enough decisions, and what it asks for never changes.
 */
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpFundLedger>>;

async function newApproval(requiredCheckersCount: 1 | 2 = 1): Promise<string> {
  const r = await t.db.transaction((tx) =>
    requestApproval(tx, f.maker, {
      regionCode: '330000',
      action: 'pooling.allocate',
      payload: { city: '330100', amountFen: requiredCheckersCount === 2 ? 2e9 : 1 },
      amountFen: requiredCheckersCount === 2 ? 2e9 : 1,
      policy: DEFAULT_APPROVAL_POLICY,
    }),
  );
  expect(r.requiredCheckers).toBe(requiredCheckersCount);
  return r.id;
}

const decideBySql = (id: string, checkerId: string, decision = 'approved') =>
  t.db.query(
    `INSERT INTO approval_decisions (region_code, approval_id, checker_id, checker_role, decision)
     VALUES ('330000', $1, $2, 'supervisor', $3)`,
    [id, checkerId, decision],
  );

async function sqlstateOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    const refusal = approvalRefusalOf(err);
    if (refusal) return refusal.code;
    return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : null;
  }
}

const statusOf = async (id: string) =>
  withColumns(await t.db.query(`SELECT status FROM approvals WHERE id = $1`, [id]), {
    status: textOf,
  }).rows[0]?.status;

async function makerRefused(): Promise<void> {
  const id = await newApproval();
  expect(await sqlstateOf(decideBySql(id, f.maker.userId))).toBe('approval.self_approval');
  expect(await statusOf(id)).toBe('pending');
}

async function sameRoleRefused(): Promise<void> {
  const id = await newApproval();
  // The statement says 'supervisor'; fund-maker2 is a province_fund_manager like the maker.
  expect(await sqlstateOf(decideBySql(id, f.sameRole.userId))).toBe('approval.same_role');
  expect(await statusOf(id)).toBe('pending');
}

async function decisionFinal(): Promise<void> {
  const id = await newApproval();
  await decideBySql(id, f.checker.userId);
  expect(await statusOf(id)).toBe('approved');
  await expect(
    t.db.query(`UPDATE approval_decisions SET decision = 'rejected' WHERE approval_id = $1`, [id]),
  ).rejects.toThrow(/append-only/);
  await expect(
    t.db.query(`DELETE FROM approval_decisions WHERE approval_id = $1`, [id]),
  ).rejects.toThrow(/append-only/);
  expect(await sqlstateOf(decideBySql(id, f.checker2.userId))).toBe('approval.not_pending');
}

async function twoDistinctCheckers(): Promise<void> {
  const id = await newApproval(2);
  await expect(
    t.db.query(`UPDATE approvals SET status = 'approved', checker_id = $2 WHERE id = $1`, [
      id,
      f.checker.userId,
    ]),
  ).rejects.toThrow(/approval\.not_approved/);
  await decideBySql(id, f.checker.userId);
  expect(await statusOf(id)).toBe('pending');
  expect(await sqlstateOf(decideBySql(id, f.checker.userId))).toBe('23505');
  await decideBySql(id, f.checker2.userId);
  expect(await statusOf(id)).toBe('approved');
  const shown = await getApproval(t.db, { regionCode: '330000', id });
  expect(shown?.decisions.map((d) => [d.checker, d.checkerRole])).toEqual([
    ['fund-checker', 'supervisor'],
    ['fund-checker2', 'supervisor'],
  ]);
}

async function requestImmutable(): Promise<void> {
  const id = await newApproval();
  await expect(
    t.db.query(`UPDATE approvals SET payload = '{"amountFen": 99}' WHERE id = $1`, [id]),
  ).rejects.toThrow(/approval\.immutable/);
  await expect(
    t.db.query(`UPDATE approvals SET expires_at = expires_at + interval '1 year' WHERE id = $1`, [
      id,
    ]),
  ).rejects.toThrow(/approval\.immutable/);
  await expect(t.db.query(`DELETE FROM approvals WHERE id = $1`, [id])).rejects.toThrow(
    /append-only/,
  );
  // A consumed approval cannot go back to approved.
  await decideBySql(id, f.checker.userId);
  await t.db.query(`UPDATE approvals SET status = 'consumed' WHERE id = $1`, [id]);
  await expect(
    t.db.query(`UPDATE approvals SET status = 'approved' WHERE id = $1`, [id]),
  ).rejects.toThrow(/approval\.not_pending/);
}

async function expiredRefused(): Promise<void> {
  const r = await t.db.transaction((tx) =>
    requestApproval(tx, f.maker, {
      regionCode: '330000',
      action: 'pooling.sweep',
      payload: { city: '330100' },
      policy: { ...DEFAULT_APPROVAL_POLICY, ttlMs: 300 },
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await sqlstateOf(decideBySql(r.id, f.checker.userId))).toBe('approval.expired');
  // The row still says pending (the refused decision marked nothing); every reader says expired.
  const raw = await t.db.query('SELECT status FROM approvals WHERE id = $1', [r.id]);
  expect(raw.rows[0]?.['status']).toBe('pending');
  const where = { regionCode: '330000', id: r.id };
  expect((await getApproval(t.db, where))?.status).toBe('expired');
  expect(await t.db.withConnection((ex) => effectiveApprovalStatus(ex, '330000', r.id))).toBe(
    'expired',
  );
  const listed = await listApprovals(t.db, { within: '330000', status: 'expired', limit: 50 });
  expect(listed.map((a) => a.id)).toContain(r.id);
}

/** Migration 0068: a superseded proposal's approval is withdrawn, final, and used by nothing. */
async function withdrawnFinal(): Promise<void> {
  const pending = await newApproval();
  const approved = await newApproval();
  await decideBySql(approved, f.checker.userId);
  for (const id of [pending, approved])
    expect(await t.db.transaction((tx) => withdrawApproval(tx, { regionCode: '330000', id }))).toBe(
      true,
    );
  expect([await statusOf(pending), await statusOf(approved)]).toEqual(['withdrawn', 'withdrawn']);
  // Final: no decision, no use, no way back; a second withdrawal changes nothing.
  expect(await sqlstateOf(decideBySql(pending, f.checker.userId))).toBe('approval.not_pending');
  const used = await t.db.transaction((tx) =>
    consumeApproval(tx, {
      regionCode: '330000',
      id: approved,
      action: 'pooling.allocate',
      payload: { city: '330100', amountFen: 1 },
    }),
  );
  expect(used.ok || used.code).toBe('approval.withdrawn');
  await expect(
    t.db.query(`UPDATE approvals SET status = 'approved' WHERE id = $1`, [approved]),
  ).rejects.toThrow(/approval\.not_pending/);
  expect(
    await t.db.transaction((tx) => withdrawApproval(tx, { regionCode: '330000', id: pending })),
  ).toBe(false);
  const listed = await listApprovals(t.db, { within: '330000', status: 'withdrawn', limit: 50 });
  expect(listed.map((a) => a.id)).toEqual(expect.arrayContaining([pending, approved]));
}

function tiers(): void {
  const policy = {
    ...DEFAULT_APPROVAL_POLICY,
    twoCheckersAboveFen: { 'pooling.allocate': 100, 'pooling.year_end_run': 0 },
  };
  expect(requiredCheckers(policy, 'pooling.allocate', 100)).toBe(1);
  expect(requiredCheckers(policy, 'pooling.allocate', 101)).toBe(2);
  expect(requiredCheckers(policy, 'pooling.year_end_run', null)).toBe(2);
  expect(requiredCheckers(policy, 'pooling.sweep', 10 ** 12)).toBe(1);
}

describe(`approval triggers (migration 0009) on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    f = await setUpFundLedger(t.db, { cities: ['330100'] });
  });
  afterAll(async () => t.cleanup());

  it('the maker cannot decide, whatever role the statement claims', makerRefused);

  it(
    'a checker of the maker’s role is refused, the role read from users, not from the row',
    sameRoleRefused,
  );

  it('one supervisor approves a one-checker approval; the decision is final', decisionFinal);

  it(
    'a two-checker approval needs two distinct users; an UPDATE cannot skip them',
    twoDistinctCheckers,
  );

  it('what an approval asks for never changes; approvals are never deleted', requestImmutable);

  it('an expired approval can be neither decided nor consumed', expiredRefused);
  it('a withdrawn approval is final: neither decided nor consumed', withdrawnFinal);

  it('the tiers: above the action’s threshold two checkers, 0 = always two, unlisted = one', tiers);
});
