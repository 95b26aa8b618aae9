import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Role, rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { demoCreditCode } from '../seed/demo-ids.ts';
import { findEmployer } from './employer-page.ts';
import { registerEmployer } from './employers.ts';
import { setFloatingGrade } from './floating-grade.ts';

/**
 * A hand-made change of one employer's floating grade needs a second person: refused without an
 * approval (it is only asked), refused with an approval of another change, the maker cannot
 * approve, applied once with the right one, a second use refused; a change the register would
 * refuse is never put to the checker.
 */
const rules = testRuleBook().benefits;

function actor(username: string, role: Role): Actor {
  return {
    userId: username,
    username,
    role,
    scopeKind: 'city',
    scopeCode: '330100',
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
  };
}
const maker = actor('fg-maker', 'city_handler');
const checker = actor('fg-checker', 'supervisor');

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')
     ON CONFLICT DO NOTHING`,
  );
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level, parent_code)
     VALUES ('330100', '杭州市', '杭州市', 'city', '330000') ON CONFLICT DO NOTHING`,
  );
  for (const a of [maker, checker])
    await t.db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, 'city', '330100', '330100', 'x') ON CONFLICT DO NOTHING`,
      [a.userId, a.role],
    );
});
afterAll(async () => t.cleanup());

const policy = DEFAULT_APPROVAL_POLICY;
let sequence = 60 + Math.floor(Math.random() * 900);

async function employer(division = '34'): Promise<string> {
  sequence += 1;
  const out = await registerEmployer(t.db, maker, rules, {
    regionCode: '330100',
    creditCode: demoCreditCode('330100', sequence),
    name: `杭州浮动档次公司${sequence}`,
    address: '杭州市测试路9号',
    industry: { standard: 'GB/T 4754-2017', division },
    category: 'sme',
    registeredOn: '2024-01-01',
  });
  if (!out.ok) throw new Error(out.message);
  return out.value.id;
}

const gradeOf = async (id: string) => (await findEmployer(t.db, '330100', id))?.floatingGrade;

describe(`a hand-made floating-grade change on ${testBackend}`, () => {
  it('is asked, approved by another person for this exact change, applied once', async () => {
    const id = await employer();
    const change = {
      regionCode: '330100',
      employerId: id,
      grade: 'up1' as const,
      effectiveFrom: '2026-01-01',
      reason: '2025年度事故多发',
      policy,
    };
    const asked = await setFloatingGrade(t.db, maker, rules, change);
    expect(asked).toMatchObject({
      ok: true,
      value: { status: 'approval_requested', employer: { floatingGrade: 'base' } },
    });
    if (!asked.ok || !asked.value.approval) throw new Error('no approval asked');
    const approvalId = asked.value.approval.id;
    expect(await gradeOf(id)).toBe('base');
    // Not yet approved, then the maker's own approval refused.
    expect(await setFloatingGrade(t.db, maker, rules, { ...change, approvalId })).toMatchObject({
      code: 'approval.not_approved',
    });
    expect(
      await decideApproval(t.db, maker, {
        regionCode: '330100',
        id: approvalId,
        decision: 'approved',
      }),
    ).toMatchObject({ ok: false, code: 'approval.self_approval' });
    const d = await decideApproval(t.db, checker, {
      regionCode: '330100',
      id: approvalId,
      decision: 'approved',
    });
    expect(d.ok).toBe(true);
    // Another grade, or another date, under this approval: refused, nothing written.
    for (const other of [{ grade: 'up2' as const }, { effectiveFrom: '2026-02-01' }])
      expect(
        await setFloatingGrade(t.db, maker, rules, { ...change, ...other, approvalId }),
      ).toMatchObject({ code: 'approval.payload_mismatch' });
    expect(await gradeOf(id)).toBe('base');
    const applied = await setFloatingGrade(t.db, maker, rules, { ...change, approvalId });
    expect(applied).toMatchObject({
      ok: true,
      value: { status: 'changed', approval: null, employer: { floatingGrade: 'up1' } },
    });
    expect(await setFloatingGrade(t.db, maker, rules, { ...change, approvalId })).toMatchObject({
      code: 'approval.already_used',
    });
    expect(await gradeOf(id)).toBe('up1');
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('refuses a change the register forbids before asking anyone', async () => {
    // 65 软件和信息技术服务业 is class 1: it floats upward only.
    const id = await employer('65');
    const out = await setFloatingGrade(t.db, maker, rules, {
      regionCode: '330100',
      employerId: id,
      grade: 'down1',
      effectiveFrom: '2026-01-01',
      reason: '下浮申请',
      policy,
    });
    expect(out).toMatchObject({ ok: false, code: 'contribution.grade_not_allowed' });
    const asked = await t.db.query(
      `SELECT count(*)::int AS n FROM approvals WHERE payload->>'employerId' = $1`,
      [id],
    );
    expect(asked.rows[0]?.['n']).toBe(0);
  });
});
