import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { systemActor } from '../../identity/actor.ts';
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

/** Inserts regions (idempotent), users maker / checker, and provisions every segment. */
export async function setUpFundLedger(
  db: Database,
  options: { cities?: readonly string[] } = {},
): Promise<{ maker: Actor; checker: Actor; system: Actor }> {
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
  for (const u of ['fund-maker', 'fund-checker'])
    await db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, 'province_fund_manager', 'province', $2::text, $2::text, 'x') ON CONFLICT DO NOTHING`,
      [u, province],
    );
  const system = systemActor('req-fixture');
  const p = await provisionAccounts(db, system, { regionCode: province });
  if (!p.ok) throw new Error(p.message);
  for (const c of wanted) {
    const r = await provisionAccounts(db, system, { regionCode: c.code });
    if (!r.ok) throw new Error(r.message);
  }
  return { maker: fundActor('fund-maker'), checker: fundActor('fund-checker'), system };
}
