import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';

/** A staff actor for the settlement tests: a city handler, or province staff for a 0000 code. */
export function settlementStaff(username: string, scope: string): Actor {
  const province = scope.endsWith('0000');
  const role = province ? 'province_fund_manager' : 'city_handler';
  return {
    userId: `usr_${username}`,
    username,
    role,
    scopeKind: province ? 'province' : 'city',
    scopeCode: scope,
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
  };
}

/** 浙江省 with 杭州 and 宁波, the regions the settlement tests refer to. */
export async function insertSettlementRegions(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const [code, name] of [
    ['330100', '杭州市'],
    ['330200', '宁波市'],
  ])
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [code, name],
    );
}

/** Row counts of the reference tables and the audit log: "nothing changed" is these unchanged. */
export async function referenceCounts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'settlement_institutions',
    'settlement_agreements',
    'settlement_catalogue_items',
    'settlement_catalogue_imports',
    'settlement_code_maps',
    'audit_events',
  ]) {
    const r = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = Number(r.rows[0]?.['n'] ?? 0);
  }
  return out;
}
