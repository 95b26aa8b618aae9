import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { caseDependants } from '../../db/schema-benefits.ts';
import { cases } from '../../db/schema-cases.ts';
import { caseMaterials, caseMaterialWithdrawals } from '../../db/schema-materials.ts';
import type { DependantRelation } from '../../domain/benefits/death-case.ts';
import { evidenceKindOfItem } from '../../domain/benefits/survivor-evidence.ts';
import {
  checkMaterialFile,
  cleanFileName,
  type MaterialFileRefusal,
  type MaterialMediaType,
} from '../../domain/cases/material-files.ts';
import {
  type Completeness,
  isMaterialItemCode,
  materialsChecklist,
  materialsCompleteness,
} from '../../domain/cases/materials-checklist.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf, recordAudit } from '../audit/audit-log.ts';
import type { BlobStore } from './blob-store.ts';
import { appendCaseEvent } from './case-events.ts';

/**
 * A case's materials (《工伤保险条例》第十八条): upload, list with the checklist, download, withdraw.
 * The bytes go to the blob store first and are durable under their sha256 before the row naming
 * them commits (with its `materials.added` timeline event and audit event, in one transaction): a
 * row never names a missing blob. A transaction that fails after the blob was written leaves an
 * unreferenced blob, which costs disk and loses nothing (the same bytes uploaded again reuse it).
 */
export type MaterialView = {
  id: string;
  caseId: string;
  regionCode: string;
  itemCode: string;
  fileName: string;
  mediaType: MaterialMediaType;
  byteSize: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  withdrawn: { reason: string; by: string; at: string } | null;
  /** The 供养亲属 whose paper this is (items `dependant_…`, survivors' evidence); null otherwise. */
  dependantId: string | null;
  /** That dependant as the case lists them: number and relation, never a name or an ID number. */
  dependant: { ordinal: number; relation: DependantRelation } | null;
};

/**
 * Who reads a case's materials: the fund's staff, or the case's own employer or worker (portal).
 * The survivors' papers (items `dependant_…`) are other people's household, income and adoption
 * records handed to the fund: staff data, left out of the portal's list and refused at its download.
 */
export type MaterialReader = 'staff' | 'self';

/** The case facts the materials part reads: its type and who may see it. */
export type CaseOwnership = {
  regionCode: string;
  id: string;
  caseType: 'accident' | 'occupational_disease';
  employerRegionCode: string;
  employerId: string;
  workerId: string;
};

export async function findCaseOwnership(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CaseOwnership | null> {
  const rows = await ex.orm
    .select({
      regionCode: cases.regionCode,
      id: cases.id,
      caseType: cases.caseType,
      employerRegionCode: cases.employerRegionCode,
      employerId: cases.employerId,
      workerId: cases.workerId,
    })
    .from(cases)
    .where(and(eq(cases.regionCode, regionCode), eq(cases.id, caseId)));
  return rows[0] ?? null;
}

export type MaterialUpload = {
  regionCode: string;
  caseId: string;
  itemCode: string;
  fileName: string;
  /** The 供养亲属 a `dependant_…` paper belongs to: required for those items, refused for others. */
  dependantId?: string | undefined;
  /** The bytes read (at most bytesMax + 1: the reader stops past the limit). */
  bytes: Uint8Array;
  /** How many bytes the sender sent, as far as the reader counted. */
  byteCount: number;
  bytesMax: number;
  today: IsoDate;
};

export type MaterialRefusal =
  | MaterialFileRefusal
  | 'material.item_unknown'
  | 'material.not_found'
  | 'material.already_withdrawn'
  | 'material.dependant_mismatch'
  | 'material.dependant_not_found'
  | 'record.not_found';

/** Checks, stores the bytes, then records the row, the timeline event and the audit event. */
export async function addMaterial(
  db: Database,
  blobs: BlobStore,
  actor: Actor,
  input: MaterialUpload,
): Promise<Result<MaterialView, MaterialRefusal>> {
  const item = checkItem(input);
  if (!item.ok) return item;
  const file = checkMaterialFile(input.bytes, input.byteCount, input.bytesMax);
  if (!file.ok) return file;
  if (!(await db.withConnection((ex) => findCaseOwnership(ex, input.regionCode, input.caseId))))
    return refuse('record.not_found', `case ${input.caseId} not found`);
  if (input.dependantId !== undefined && !(await dependantOfCase(db, input, input.dependantId)))
    return refuse(
      'material.dependant_not_found',
      `dependant ${input.dependantId} is not recorded on case ${input.caseId}`,
      { dependantId: input.dependantId },
    );
  const stored = await blobs.put(input.bytes);
  const row = {
    regionCode: input.regionCode,
    id: `mat_${input.regionCode}_${randomBytes(8).toString('hex')}`,
    caseId: input.caseId,
    itemCode: input.itemCode,
    fileName: cleanFileName(input.fileName),
    mediaType: file.value,
    byteSize: stored.bytes,
    sha256: stored.key,
    uploadedBy: actor.userId,
    dependantId: input.dependantId ?? null,
  };
  return db.transaction(async (tx) => {
    const [inserted] = await tx.orm.insert(caseMaterials).values(row).returning();
    if (!inserted) throw new Error('case_materials insert returned no row');
    const facts = {
      materialId: row.id,
      itemCode: row.itemCode,
      mediaType: row.mediaType,
      byteSize: row.byteSize,
      sha256: row.sha256,
      ...(row.dependantId === null ? {} : { dependantId: row.dependantId }),
    };
    await appendCaseEvent(tx, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      kind: 'materials.added',
      occurredOn: input.today,
      data: { ...facts, fileName: row.fileName },
      recordedBy: actor.userId,
    });
    await appendAudit(tx, okEventOf(actor, 'case.material.add', objectOf(row), facts));
    const [view] = await materialsOf(tx, row.regionCode, row.caseId, 'staff', row.id);
    if (!view) throw new Error(`material ${row.id} not read back`);
    return ok(view);
  });
}

/**
 * A checklist item, `other`, or a survivor's paper (`dependant_…`, which names its dependant and
 * is the only kind that does).
 */
function checkItem(input: MaterialUpload): Result<true, MaterialRefusal> {
  const evidence = evidenceKindOfItem(input.itemCode) !== null;
  if (!evidence && !isMaterialItemCode(input.itemCode))
    return refuse('material.item_unknown', `no checklist item ${input.itemCode}`, {
      itemCode: input.itemCode,
    });
  if (evidence !== (input.dependantId !== undefined))
    return refuse(
      'material.dependant_mismatch',
      evidence
        ? `${input.itemCode} is a dependant's paper: name the dependant (dependantId)`
        : `${input.itemCode} is not a dependant's paper: leave dependantId out`,
      { itemCode: input.itemCode },
    );
  return ok(true);
}

/** Any recording of the case's dependants (a replaced row too: its person may be current again). */
async function dependantOfCase(
  db: Database,
  at: { regionCode: string; caseId: string },
  dependantId: string,
): Promise<boolean> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({ id: caseDependants.id })
      .from(caseDependants)
      .where(
        and(
          eq(caseDependants.regionCode, at.regionCode),
          eq(caseDependants.caseId, at.caseId),
          eq(caseDependants.id, dependantId),
        ),
      ),
  );
  return rows.length > 0;
}

function objectOf(m: { regionCode: string; caseId: string; id: string }): string {
  return `${m.regionCode}/${m.caseId}/${m.id}`;
}

type MaterialRow = typeof caseMaterials.$inferSelect;
type WithdrawalRow = typeof caseMaterialWithdrawals.$inferSelect;
type TaggedDependant = MaterialView['dependant'];

function viewOf(m: MaterialRow, w: WithdrawalRow | null, d: TaggedDependant): MaterialView {
  return {
    id: m.id,
    caseId: m.caseId,
    regionCode: m.regionCode,
    itemCode: m.itemCode,
    fileName: m.fileName,
    mediaType: m.mediaType,
    byteSize: m.byteSize,
    sha256: m.sha256,
    uploadedBy: m.uploadedBy,
    uploadedAt: m.uploadedAt.toISOString(),
    withdrawn: w ? { reason: w.reason, by: w.withdrawnBy, at: w.withdrawnAt.toISOString() } : null,
    dependantId: m.dependantId,
    dependant: d === null ? null : { ordinal: d.ordinal, relation: d.relation },
  };
}

/** The case's materials in upload order, each with the dependant a survivor's paper is tagged to. */
async function materialsOf(
  ex: Executor,
  regionCode: string,
  caseId: string,
  reader: MaterialReader,
  materialId?: string,
): Promise<MaterialView[]> {
  const rows = await ex.orm
    .select({
      m: caseMaterials,
      w: caseMaterialWithdrawals,
      d: { ordinal: caseDependants.ordinal, relation: caseDependants.relation },
    })
    .from(caseMaterials)
    .leftJoin(
      caseMaterialWithdrawals,
      and(
        eq(caseMaterialWithdrawals.regionCode, caseMaterials.regionCode),
        eq(caseMaterialWithdrawals.materialId, caseMaterials.id),
      ),
    )
    .leftJoin(
      caseDependants,
      and(
        eq(caseDependants.regionCode, caseMaterials.regionCode),
        eq(caseDependants.id, caseMaterials.dependantId),
      ),
    )
    .where(
      and(
        eq(caseMaterials.regionCode, regionCode),
        eq(caseMaterials.caseId, caseId),
        materialId === undefined ? sql`true` : eq(caseMaterials.id, materialId),
        reader === 'staff' ? sql`true` : isNull(caseMaterials.dependantId),
      ),
    )
    .orderBy(asc(caseMaterials.uploadedAt), asc(caseMaterials.id));
  return rows.map((r) => viewOf(r.m, r.w, r.d));
}

export type MaterialsPage = { materials: MaterialView[]; checklist: Completeness };

/** The case's materials (withdrawn ones included, marked) and the checklist's state on `date`. */
export async function listMaterials(
  db: Database,
  rules: RuleSet,
  kase: CaseOwnership,
  date: IsoDate,
  reader: MaterialReader,
): Promise<Result<MaterialsPage, 'rules.parameter_missing'>> {
  const checklist = materialsChecklist(rules, kase.regionCode, kase.caseType, date);
  if (!checklist.ok) return checklist;
  const materials = await db.withConnection((ex) =>
    materialsOf(ex, kase.regionCode, kase.id, reader),
  );
  // The case record does not say yet whether the worker died (migration 0016 has no such column):
  // the death items are listed, not counted missing, until the report part records it.
  const completeness = materialsCompleteness(
    checklist.value,
    materials.map((m) => ({ itemCode: m.itemCode, withdrawn: m.withdrawn !== null })),
    null,
  );
  return ok({ materials, checklist: completeness });
}

/**
 * One material's bytes for download, checked against their hash by the store (a damaged blob
 * throws, never served). Every download is audited as a read by who downloaded it.
 */
export async function openMaterial(
  db: Database,
  blobs: BlobStore,
  actor: Actor,
  at: { regionCode: string; caseId: string; materialId: string; reader: MaterialReader },
): Promise<Result<{ material: MaterialView; bytes: Uint8Array }, 'material.not_found'>> {
  const [material] = await db.withConnection((ex) =>
    materialsOf(ex, at.regionCode, at.caseId, at.reader, at.materialId),
  );
  if (!material) return refuse('material.not_found', `material ${at.materialId} not found`);
  const bytes = await blobs.get(material.sha256);
  if (bytes === null)
    throw new Error(`blob ${material.sha256} of material ${material.id} is missing from the store`);
  await recordAudit(
    db,
    okEventOf(actor, 'case.material.download', objectOf(material), {
      sha256: material.sha256,
      staffRead: actor.scopeKind === 'city' || actor.scopeKind === 'province',
    }),
  );
  return ok({ material, bytes });
}

/** Takes a material back (append-only: the row and the blob stay, a withdrawal row is added). */
export async function withdrawMaterial(
  db: Database,
  actor: Actor,
  at: { regionCode: string; caseId: string; materialId: string; reason: string; today: IsoDate },
): Promise<Result<MaterialView, MaterialRefusal>> {
  return db.transaction(async (tx) => {
    const [material] = await materialsOf(tx, at.regionCode, at.caseId, 'staff', at.materialId);
    if (!material) return refuse('material.not_found', `material ${at.materialId} not found`);
    if (material.withdrawn)
      return refuse('material.already_withdrawn', `material ${material.id} is withdrawn already`);
    const [w] = await tx.orm
      .insert(caseMaterialWithdrawals)
      .values({
        regionCode: at.regionCode,
        materialId: at.materialId,
        reason: at.reason,
        withdrawnBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!w)
      return refuse('material.already_withdrawn', `material ${material.id} is withdrawn already`);
    const data = { materialId: material.id, itemCode: material.itemCode, reason: at.reason };
    await appendCaseEvent(tx, {
      regionCode: at.regionCode,
      caseId: at.caseId,
      kind: 'materials.withdrawn',
      occurredOn: at.today,
      data,
      recordedBy: actor.userId,
    });
    await appendAudit(tx, okEventOf(actor, 'case.material.withdraw', objectOf(material), data));
    return ok({
      ...material,
      withdrawn: { reason: w.reason, by: w.withdrawnBy, at: w.withdrawnAt.toISOString() },
    });
  });
}
