import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { systemActor } from '../../identity/actor.ts';
import { provinceOf } from '../../kernel/region-codes.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { type FundApprovalRequest, requestFundApproval } from './fund-approvals.ts';
import { provisionAccounts } from './ledger/accounts.ts';

/** Test fixture: 浙江 and its eleven cities, the ledger provisioned for each, two fund users. */
export const province = '330000';
export const cities: readonly { code: string; name: string; nameEn: string }[] = [
  { code: '330100', name: '杭州市', nameEn: 'Hangzhou' },
  { code: '330200', name: '宁波市', nameEn: 'Ningbo' },
  { code: '330300', name: '温州市', nameEn: 'Wenzhou' },
  { code: '330400', name: '嘉兴市', nameEn: 'Jiaxing' },
  { code: '330500', name: '湖州市', nameEn: 'Huzhou' },
  { code: '330600', name: '绍兴市', nameEn: 'Shaoxing' },
  { code: '330700', name: '金华市', nameEn: 'Jinhua' },
  { code: '330800', name: '衢州市', nameEn: 'Quzhou' },
  { code: '330900', name: '舟山市', nameEn: 'Zhoushan' },
  { code: '331000', name: '台州市', nameEn: 'Taizhou' },
  { code: '331100', name: '丽水市', nameEn: 'Lishui' },
];
export const adjustment = '330000-ADJ';

export function fundActor(userId: string, requestId = `req-${userId}`): Actor {
  return {
    userId,
    username: userId,
    role: 'province_fund_manager',
    scopeKind: 'province',
    scopeCode: province,
    permissions: ['fund:read', 'fund:write', 'fund:approve'],
    requestId,
  };
}

/** A provincial supervisor (稽核内控): the checker of the fund manager's requests. */
export function supervisorActor(userId: string, requestId = `req-${userId}`): Actor {
  return {
    userId,
    username: userId,
    role: 'supervisor',
    scopeKind: 'province',
    scopeCode: province,
    permissions: ['fund:read', 'fund:approve'],
    requestId,
  };
}

/**
 * Test helper: the maker asks for approval of a money movement and the checkers (in order)
 * approve it; returns the approval id.
 */
export async function approvedFundRequest(
  db: Database,
  maker: Actor,
  checkers: readonly Actor[],
  request: FundApprovalRequest,
): Promise<string> {
  const region = request.action === 'pooling.year_end_run' ? request.province : request.city;
  const r = await requestFundApproval(db, maker, {
    regionCode: provinceOf(region),
    request,
    policy: DEFAULT_APPROVAL_POLICY,
  });
  if (!r.ok) throw new Error(`approval request: ${r.message}`);
  for (const checker of checkers) {
    const d = await decideApproval(db, checker, {
      regionCode: r.value.regionCode,
      id: r.value.id,
      decision: 'approved',
    });
    if (!d.ok) throw new Error(`approval decision: ${d.message}`);
  }
  return r.value.id;
}

/** Inserts regions (idempotent), users maker / checker, and provisions every segment. */
export async function setUpFundLedger(
  db: Database,
  options: { cities?: readonly string[] } = {},
): Promise<{
  maker: Actor;
  checker: Actor;
  checker2: Actor;
  sameRole: Actor;
  system: Actor;
}> {
  const wanted = cities.filter((c) => !options.cities || options.cities.includes(c.code));
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ($1, '浙江省', 'Zhejiang', 'province') ON CONFLICT DO NOTHING`,
    [province],
  );
  for (const c of wanted)
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $3, 'city', $4) ON CONFLICT DO NOTHING`,
      [c.code, c.name, c.nameEn, province],
    );
  // Two roles: the fund manager makes, supervisors check (the database refuses a checker of the
  // maker's role); two supervisors for the two-checker tier.
  for (const [u, role] of [
    ['fund-maker', 'province_fund_manager'],
    ['fund-maker2', 'province_fund_manager'],
    ['fund-checker', 'supervisor'],
    ['fund-checker2', 'supervisor'],
  ])
    await db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $3, 'province', $2::text, $2::text, 'x') ON CONFLICT DO NOTHING`,
      [u, province, role],
    );
  const system = systemActor('req-fixture');
  const p = await provisionAccounts(db, system, { regionCode: province });
  if (!p.ok) throw new Error(p.message);
  for (const c of wanted) {
    const r = await provisionAccounts(db, system, { regionCode: c.code });
    if (!r.ok) throw new Error(r.message);
  }
  return {
    maker: fundActor('fund-maker'),
    checker: supervisorActor('fund-checker'),
    checker2: supervisorActor('fund-checker2'),
    // Another fund manager: holds fund:approve, yet may not check a fund manager's request.
    sameRole: fundActor('fund-maker2'),
    system,
  };
}
