import { randomBytes } from 'node:crypto';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { regions } from '../../db/schema.ts';
import { appraisalExperts } from '../../db/schema-appraisal.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * The committee's pool of medical experts (医疗卫生专家库, 《工伤保险条例》第二十四条第二款: "劳动能力鉴定委员会建立医疗卫生
 * 专家库。"), by specialty. A city's committee keeps its pool under the city's code, the provincial
 * committee under the province's. Experts are deactivated, never deleted: recorded draws name them.
 */
export type ExpertView = {
  committeeCode: string;
  id: string;
  name: string;
  specialty: string;
  active: boolean;
  createdAt: string;
};

export type ExpertRefusal =
  | 'record.not_found'
  | 'appraisal.expert_inactive'
  | 'appraisal.committee_unknown';

type ExpertRow = typeof appraisalExperts.$inferSelect;

function viewOf(e: ExpertRow): ExpertView {
  return {
    committeeCode: e.committeeCode,
    id: e.id,
    name: e.name,
    specialty: e.specialty,
    active: e.active,
    createdAt: e.createdAt.toISOString(),
  };
}

export async function addExpert(
  db: Database,
  actor: Actor,
  input: { committeeCode: string; name: string; specialty: string },
): Promise<Result<ExpertView, ExpertRefusal>> {
  return db.transaction(async (tx) => {
    const [region] = await tx.orm
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.code, input.committeeCode));
    if (!region)
      return refuse(
        'appraisal.committee_unknown',
        `no region ${input.committeeCode}: a committee is a city's or the province's`,
      );
    const [row] = await tx.orm
      .insert(appraisalExperts)
      .values({
        committeeCode: input.committeeCode,
        id: `exp_${input.committeeCode}_${randomBytes(8).toString('hex')}`,
        name: input.name,
        specialty: input.specialty,
        createdBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert into appraisal_experts returned no row');
    await appendAudit(
      tx,
      okEventOf(actor, 'appraisal.expert.add', `expert:${row.committeeCode}/${row.id}`, {
        specialty: row.specialty,
      }),
    );
    return ok(viewOf(row));
  });
}

export async function deactivateExpert(
  db: Database,
  actor: Actor,
  key: { committeeCode: string; expertId: string },
): Promise<Result<ExpertView, ExpertRefusal>> {
  return db.transaction(async (tx) => {
    const where = and(
      eq(appraisalExperts.committeeCode, key.committeeCode),
      eq(appraisalExperts.id, key.expertId),
    );
    const [found] = await tx.orm.select().from(appraisalExperts).where(where).for('update');
    if (!found) return refuse('record.not_found', `expert ${key.expertId} not found`);
    if (!found.active)
      return refuse(
        'appraisal.expert_inactive',
        `expert ${key.expertId} is already out of the pool`,
      );
    const [row] = await tx.orm
      .update(appraisalExperts)
      .set({ active: false, deactivatedBy: actor.userId, deactivatedAt: sql`now()` })
      .where(where)
      .returning();
    if (!row) throw new Error('update of appraisal_experts returned no row');
    await appendAudit(
      tx,
      okEventOf(actor, 'appraisal.expert.deactivate', `expert:${row.committeeCode}/${row.id}`, {}),
    );
    return ok(viewOf(row));
  });
}

export async function listExperts(
  ex: Executor,
  f: { committeeCode: string; specialty?: string | undefined; activeOnly?: boolean | undefined },
): Promise<ExpertView[]> {
  const where: SQL[] = [eq(appraisalExperts.committeeCode, f.committeeCode)];
  if (f.specialty) where.push(eq(appraisalExperts.specialty, f.specialty));
  if (f.activeOnly) where.push(eq(appraisalExperts.active, true));
  const rows = await ex.orm
    .select()
    .from(appraisalExperts)
    .where(and(...where))
    .orderBy(asc(appraisalExperts.specialty), asc(appraisalExperts.id))
    .limit(2000);
  return rows.map(viewOf);
}

/** The ids of the active experts of a committee and specialty (a draw's pool, unordered). */
export async function activePoolIds(
  ex: Executor,
  committeeCode: string,
  specialty: string,
): Promise<string[]> {
  const rows = await ex.orm
    .select({ id: appraisalExperts.id })
    .from(appraisalExperts)
    .where(
      and(
        eq(appraisalExperts.committeeCode, committeeCode),
        eq(appraisalExperts.specialty, specialty),
        eq(appraisalExperts.active, true),
      ),
    )
    .for('share');
  return rows.map((r) => r.id);
}
