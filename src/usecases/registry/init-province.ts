import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { regions, users } from '../../db/schema.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type PoolingParamSet, poolingModeAt } from '../../rules/fund/pooling/pooling-params.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { provisionAccounts } from '../fund/ledger/accounts.ts';
import { insertUser, type UserRefusal } from '../identity/users.ts';
import { DEMO_PASSWORD } from '../seed/demo-password.ts';
import type { ProvinceDefinition } from './province-definition.ts';

export type ProvinceRefusal =
  | 'province.pooling_mode_mismatch'
  | 'province.another_province'
  | 'province.definition_conflict'
  | 'province.password_published';

export type InitReport = {
  /** False when the same definition was initialised before (a rerun only completes the ledger). */
  created: boolean;
  province: string;
  cities: number;
  administrator: string;
  poolingMode: string;
  /** Where the rule files take the pooling mode from (the province's own file or national 000000). */
  poolingModeSource: { region: string; from: string; status: string };
  ledgerSegmentsCreated: number;
};

type CityFigures = { insuredEmployers: number; insuredWorkers: number };
type ProvinceRows = Pick<ProvinceDefinition, 'code' | 'name' | 'nameEn'> & {
  cities: readonly { code: string; name: string; nameEn: string }[];
};

/**
 * Inserts the province and its cities (existing rows are left as they are); shared by `init` and
 * the demo seed, which also passes its seeded insured counts. Answers how many rows were new.
 */
export async function insertProvinceRows(
  tx: Executor,
  def: ProvinceRows,
  figuresOf: (cityCode: string) => CityFigures = () => ({ insuredEmployers: 0, insuredWorkers: 0 }),
): Promise<number> {
  const province = await tx.orm
    .insert(regions)
    .values({ code: def.code, name: def.name, nameEn: def.nameEn, level: 'province' })
    .onConflictDoNothing({ target: regions.code })
    .returning({ code: regions.code });
  let created = province.length;
  for (const c of def.cities) {
    const r = await tx.orm
      .insert(regions)
      .values({ ...c, level: 'city', parentCode: def.code, ...figuresOf(c.code) })
      .onConflictDoNothing({ target: regions.code })
      .returning({ code: regions.code });
    created += r.length;
  }
  return created;
}

/**
 * `tongchou init`: creates the deployment's province from a definition file (province, cities,
 * first administrator) in one transaction, audited as `province.init`, then provisions its ledger
 * (province, adjustment fund, each city). Idempotent: the same definition again creates nothing and
 * completes the ledger if a first run stopped after its transaction; a different definition, or a
 * database that holds another province, is refused. The pooling mode is the law's, read from the
 * rule files: a definition that disagrees with them is refused rather than silently ignored.
 */
export async function initProvince(
  db: Database,
  actor: Actor,
  input: {
    definition: ProvinceDefinition;
    password: string;
    pooling: PoolingParamSet;
    /** The day the pooling mode is checked for (today, in the CLI). */
    date: string;
  },
): Promise<Result<InitReport, ProvinceRefusal | UserRefusal | LedgerRefusalCode>> {
  const def = input.definition;
  const mode = poolingModeAt(input.pooling, def.code, input.date);
  if (mode.value !== def.poolingMode)
    return refuse(
      'province.pooling_mode_mismatch',
      `poolingMode ${def.poolingMode} disagrees with the rule files: pooling.mode is ${mode.value} for ${def.code} on ${input.date} (src/rules/values/pooling/${mode.region}.yaml). Correct poolingMode, or give the province its own dated pooling.mode in src/rules/values/pooling/${def.code}.yaml`,
      { definition: def.poolingMode, rules: mode.value, rulesRegion: mode.region },
    );
  // Anyone who read the README could log in as an administrator holding the demo password.
  if (input.password === DEMO_PASSWORD)
    return refuse(
      'province.password_published',
      'the administrator password is the demo password published in the README: choose another',
    );
  const created = await db.transaction((tx) => createProvince(tx, actor, def, input.password));
  if (!created.ok) return created;
  let ledgerSegmentsCreated = 0;
  // The province first: a city's ledger needs the province's due-from and due-to accounts.
  for (const code of [def.code, ...def.cities.map((c) => c.code)]) {
    const p = await provisionAccounts(db, actor, { regionCode: code });
    if (!p.ok) return p;
    ledgerSegmentsCreated += p.value.segmentsCreated.length;
  }
  return ok({
    created: created.value,
    province: def.code,
    cities: def.cities.length,
    administrator: def.administrator.username,
    poolingMode: mode.value,
    poolingModeSource: { region: mode.region, from: mode.from, status: mode.status },
    ledgerSegmentsCreated,
  });
}

/** The transaction of `init`: true when it created the province, false when it was there already. */
async function createProvince(
  tx: Executor,
  actor: Actor,
  def: ProvinceDefinition,
  password: string,
): Promise<Result<boolean, ProvinceRefusal | UserRefusal>> {
  const [other] = await tx.orm
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(eq(regions.level, 'province'))
    .orderBy(regions.code);
  if (other && other.code !== def.code)
    return refuse(
      'province.another_province',
      `this database already holds province ${other.code} ${other.name}: one deployment (and one database) per province`,
      { province: other.code },
    );
  if (other) {
    const conflicts = await definitionConflicts(tx, def);
    if (conflicts.length > 0)
      return refuse(
        'province.definition_conflict',
        `province ${def.code} was initialised from another definition: ${conflicts.join('; ')}`,
        { conflicts },
      );
    return ok(false);
  }
  await insertProvinceRows(tx, def);
  const admin = await insertUser(tx, {
    ...def.administrator,
    scopeKind: 'province',
    scopeCode: def.code,
    regionCode: def.code,
    password,
  });
  if (!admin.ok) return admin;
  await appendAudit(tx, {
    actor: actor.username,
    role: actor.role,
    scope: scopeLabel(actor),
    action: 'province.init',
    object: `province/${def.code}`,
    result: 'ok',
    requestId: actor.requestId,
    details: {
      cities: def.cities.map((c) => c.code),
      poolingMode: def.poolingMode,
      administrator: { username: def.administrator.username, id: admin.value.id },
    },
  });
  return ok(true);
}

/** What differs between the stored province and the definition (empty when they agree). */
async function definitionConflicts(tx: Executor, def: ProvinceDefinition): Promise<string[]> {
  const stored = await tx.orm
    .select({
      code: regions.code,
      name: regions.name,
      nameEn: regions.nameEn,
      parentCode: regions.parentCode,
    })
    .from(regions);
  const byCode = new Map(stored.map((r) => [r.code, r]));
  const conflicts: string[] = [];
  const expected = [
    { code: def.code, name: def.name, nameEn: def.nameEn, parentCode: null },
    ...def.cities.map((c) => ({ ...c, parentCode: def.code })),
  ];
  for (const e of expected) {
    const s = byCode.get(e.code);
    if (!s) conflicts.push(`${e.code} is not in the database`);
    else if (s.name !== e.name || s.nameEn !== e.nameEn || s.parentCode !== e.parentCode)
      conflicts.push(`${e.code} is stored as ${s.name} / ${s.nameEn}`);
    byCode.delete(e.code);
  }
  for (const code of byCode.keys()) conflicts.push(`${code} is not in the definition`);
  const [admin] = await tx.orm
    .select({ role: users.role, scopeCode: users.scopeCode, displayName: users.displayName })
    .from(users)
    .where(eq(users.username, def.administrator.username));
  if (!admin) conflicts.push(`no user ${def.administrator.username}`);
  else if (admin.role !== def.administrator.role || admin.scopeCode !== def.code)
    conflicts.push(`${def.administrator.username} is ${admin.role} of ${admin.scopeCode ?? '-'}`);
  return conflicts;
}
