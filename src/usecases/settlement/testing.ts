import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { insertCase, insertWorker, setUpBenefits } from '../benefits/testing.ts';
import { HZ } from '../contributions/testing.ts';
import { createApiToken } from '../identity/api-tokens.ts';

/**
 * Test fixture of direct settlement (issue 13): 杭州 and 宁波 with the ledger provisioned and this
 * month's period open, and helpers that insert the reference data directly (the reference
 * helper's use cases are built in parallel): an institution with its user, an agreement,
 * catalogue rows, code maps, an accepted case with its injury diagnoses, an institution token.
 * Reused by the statement and the fake-institution work after merge.
 */
export async function setUpSettlement(db: Database, rules: RuleSet) {
  const month = monthOf(todayInChina());
  return setUpBenefits(db, rules, [month]);
}

let institutionSeq = 0;

export type TestInstitution = { id: string; username: string; actor: Actor };

/** An active institution managed by `managingRegionCode`, and its system's user (role institution). */
export async function insertInstitution(
  db: Database,
  input: { managingRegionCode?: string; kind?: 'hospital' | 'rehabilitation' | 'device' } = {},
): Promise<TestInstitution> {
  institutionSeq += 1;
  const region = input.managingRegionCode ?? HZ;
  const id = `INST-${region}-${String(5000 + institutionSeq)}`;
  await db.query(
    `INSERT INTO settlement_institutions (id, name, kind, level, managing_region_code, status_from, created_by)
     VALUES ($1, $2, $3, 'secondary', $4, '2020-01-01', 'test')`,
    [id, `测试医院${institutionSeq}`, input.kind ?? 'hospital', region],
  );
  const username = `his-${id.toLowerCase()}`;
  await db.query(
    `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
     VALUES ($1, $1, $1, 'institution', 'institution', $2, $3, 'x')`,
    [username, id, region],
  );
  return { id, username, actor: institutionActor(id, username) };
}

export function institutionActor(institutionId: string, username: string): Actor {
  return {
    userId: username,
    username,
    role: 'institution',
    scopeKind: 'institution',
    scopeCode: institutionId,
    permissions: rolePermissions.institution,
    requestId: `req-${username}`,
  };
}

/** An API token of the institution's user (bill:submit, bill:read), for route tests. */
export async function institutionToken(
  db: Database,
  system: Actor,
  username: string,
): Promise<string> {
  const r = await createApiToken(
    db,
    system,
    { username, name: 'HIS', permissions: ['bill:submit', 'bill:read'], expiresInDays: 30 },
    { maxDays: 365 },
  );
  if (!r.ok) throw new Error(r.message);
  return r.value.token;
}

export async function insertAgreement(
  db: Database,
  input: {
    institutionId: string;
    scopes: readonly string[];
    validFrom?: string;
    validTo?: string;
    signedRegionCode?: string;
  },
): Promise<string> {
  const id = `agr_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO settlement_agreements (id, institution_id, signed_region_code, scopes, valid_from, valid_to, created_by)
     VALUES ($1, $2, $3, $4::text[], $5::date, $6::date, 'test')`,
    [
      id,
      input.institutionId,
      input.signedRegionCode ?? HZ,
      input.scopes,
      input.validFrom ?? '2020-01-01',
      input.validTo ?? '2099-12-31',
    ],
  );
  return id;
}

export type TestCatalogueRow = {
  code: string;
  kind: 'drug' | 'service' | 'rehabilitation' | 'device';
  priceCapFen?: number | null;
  quantityLimit?: number | null;
  validFrom?: string;
  validTo?: string | null;
};

export async function insertCatalogueRows(
  db: Database,
  rows: readonly TestCatalogueRow[],
): Promise<void> {
  for (const r of rows)
    await db.query(
      `INSERT INTO settlement_catalogue_items (code, valid_from, valid_to, kind, name, drug_class, unit,
         price_cap_fen, quantity_limit, created_by)
       VALUES ($1, $2::date, $3::date, $4, $1, $5, '次', $6, $7, 'test') ON CONFLICT DO NOTHING`,
      [
        r.code,
        r.validFrom ?? '2020-01-01',
        r.validTo ?? null,
        r.kind,
        r.kind === 'drug' ? 'A' : null,
        r.priceCapFen ?? null,
        r.quantityLimit ?? null,
      ],
    );
}

export async function insertCodeMaps(
  db: Database,
  institutionId: string,
  maps: readonly { ownCode: string; catalogueCode: string; validFrom?: string }[],
): Promise<void> {
  for (const m of maps)
    await db.query(
      `INSERT INTO settlement_code_maps (institution_id, own_code, valid_from, catalogue_code, created_by)
       VALUES ($1, $2, $3::date, $4, 'test')`,
      [institutionId, m.ownCode, m.validFrom ?? '2020-01-01', m.catalogueCode],
    );
}

/** A worker with an accepted (recognised) case in 杭州 and its injury diagnoses. */
export async function insertAcceptedCase(
  db: Database,
  input: {
    employerId: string;
    accidentDate: string;
    diagnoses: readonly string[];
    outcome?: 'recognised' | 'deemed' | 'not_recognised' | null;
  },
): Promise<{ workerId: string; caseId: string; idNumber: string }> {
  const workerId = await insertWorker(db);
  const caseId = await insertCase(db, {
    workerId,
    employerId: input.employerId,
    accidentDate: input.accidentDate,
    outcome: input.outcome === undefined ? 'recognised' : input.outcome,
  });
  for (const code of input.diagnoses)
    await db.query(
      `INSERT INTO case_injury_diagnoses (region_code, case_id, code, recorded_by) VALUES ($1, $2, $3, 'test')`,
      [HZ, caseId, code],
    );
  const w = await db.query('SELECT id_number FROM workers WHERE id = $1', [workerId]);
  return { workerId, caseId, idNumber: String(w.rows[0]?.['id_number']) };
}

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
