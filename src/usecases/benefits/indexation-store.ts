import { and, asc, eq, gt } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  intOrNullOf,
  numberOf,
  oneOfReader,
  oneOrNullOf,
  rowsOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import { benefitIndexationBatches, benefitIndexationLines } from '../../db/schema.ts';
import {
  checksumText,
  foldPage,
  type IndexationEntitlement,
  type IndexationFold,
  type IndexationLine,
  type IndexationPayload,
  indexationFold,
  type RegisterWitness,
} from '../../domain/benefits/indexation.ts';
import {
  INDEXED_KINDS,
  type IndexedKind,
  indexationPayloadSchema,
  isIndexedKind,
} from '../../rules/benefits/indexation.ts';

/** Reads and writes of the indexation batches (migration 0040). */
export type IndexationRefusalStoreCode =
  | 'benefit.indexation_not_found'
  | 'benefit.indexation_month_paid';

export type BatchRow = {
  regionCode: string;
  id: string;
  year: number;
  status: 'proposed' | 'applied';
  snapshotId: string;
  payload: IndexationPayload;
  payloadSha256: string;
  approvalId: string;
  proposedBy: string;
  appliedBy: string | null;
  /** When the apply ran (null while proposed): the notice is dated by it. */
  appliedAt: Date | null;
  approvedBy: string | null;
};

/** The batch's key, for the ORM's statements on one batch. */
export function batchKey(regionCode: string, batchId: string) {
  return and(
    eq(benefitIndexationBatches.regionCode, regionCode),
    eq(benefitIndexationBatches.id, batchId),
  );
}

export async function batchRow(
  ex: Executor,
  regionCode: string,
  batchId: string,
  lock: boolean,
): Promise<BatchRow | null> {
  const q = ex.orm.select().from(benefitIndexationBatches).where(batchKey(regionCode, batchId));
  const [row] = lock ? await q.for('update') : await q;
  if (row === undefined) return null;
  return {
    regionCode: row.regionCode,
    id: row.id,
    year: row.year,
    status: row.status,
    snapshotId: row.snapshotId,
    payload: indexationPayloadSchema.parse(row.payload),
    payloadSha256: row.payloadSha256,
    approvalId: row.approvalId,
    proposedBy: row.proposedBy,
    appliedBy: row.appliedBy,
    appliedAt: row.appliedAt,
    approvedBy: row.approvedBy,
  };
}

const payerOf = oneOfReader(['fund', 'employer'] as const);
const NURSING = ['full', 'major', 'partial'] as const;

/** The register is read this many entitlements at a time: memory stays bounded at any size. */
export const REGISTER_PAGE = 10_000;

/**
 * One page of the city's active entitlements of the indexed items, in id order after `afterId`,
 * with the grade and nursing level of the appraisal behind their decision (a regrade's decision
 * names the revisit). Hand-written SQL read through the row mappers, keyset on the primary key.
 */
export async function indexedEntitlementPage(
  ex: Executor,
  input: { regionCode: string; afterId: string; limit: number },
): Promise<IndexationEntitlement[]> {
  const r = await ex.query(
    `SELECT e.id, e.worker_id, e.dependant_id, e.decision_id, e.kind, e.payer, e.amount_fen,
       e.starts_on::text AS starts_on, e.ends_on::text AS ends_on, a.disability_grade, a.nursing_level
     FROM benefit_entitlements e
     JOIN benefit_decisions d ON d.region_code = e.region_code AND d.id = e.decision_id
     LEFT JOIN appraisals a ON a.region_code = d.region_code AND a.id = d.appraisal_id
     WHERE e.region_code = $1 AND e.id > $2 AND e.status = 'active' AND e.kind = ANY($3::text[])
     ORDER BY e.id LIMIT $4`,
    [input.regionCode, input.afterId, [...INDEXED_KINDS], input.limit],
  );
  return rowsOf(r, (row) => ({
    id: textOf(row, 'id'),
    workerId: textOf(row, 'worker_id'),
    dependantId: textOrNullOf(row, 'dependant_id'),
    decisionId: textOf(row, 'decision_id'),
    kind: textOf(row, 'kind'),
    payer: payerOf(row, 'payer'),
    amountFen: numberOf(row, 'amount_fen'),
    startsOn: textOf(row, 'starts_on'),
    endsOn: textOrNullOf(row, 'ends_on'),
    grade: intOrNullOf(row, 'disability_grade'),
    nursingLevel: oneOrNullOf(row, 'nursing_level', NURSING),
  }));
}

/**
 * The register witness of the city now (domain `registerTerm`, the same text and the same 60
 * bits of md5, summed), in one aggregate over the rows the pages read: an entitlement's decision
 * is a foreign key, so the pages' join to it drops none.
 */
export async function registerNow(ex: Executor, regionCode: string): Promise<RegisterWitness> {
  const r = await ex.query(
    `SELECT count(*)::bigint AS n, coalesce(sum(e.amount_fen), 0)::bigint AS amount,
       coalesce(sum(('x' || left(md5(e.id || '|' || e.kind || '|' || e.amount_fen::text || '|'
         || e.starts_on::text || '|' || coalesce(e.ends_on::text, '')), 15))::bit(60)::bigint),
         0)::text AS checksum
     FROM benefit_entitlements e
     WHERE e.region_code = $1 AND e.status = 'active' AND e.kind = ANY($2::text[])`,
    [regionCode, [...INDEXED_KINDS]],
  );
  const [w] = rowsOf(r, (row) => ({
    entitlements: numberOf(row, 'n'),
    amountFen: numberOf(row, 'amount'),
    checksum: checksumText(BigInt(textOf(row, 'checksum'))),
  }));
  if (w === undefined) throw new Error('an aggregate answered no row');
  return w;
}

/**
 * The digest, count and totals of a batch's stored lines, read back page by page in entitlement
 * order: what the apply binds the approval to, so the lines it writes are the lines approved.
 */
export async function storedLinesFold(
  ex: Executor,
  regionCode: string,
  batchId: string,
): Promise<IndexationFold> {
  const fold = indexationFold();
  const none = { not_adjusted: 0, no_key: 0, unchanged: 0 };
  let afterId = '';
  for (;;) {
    const lines = await linePage(ex, { regionCode, batchId, afterId, limit: REGISTER_PAGE });
    foldPage(fold, [], { lines, skipped: none });
    const last = lines.at(-1);
    if (last === undefined || lines.length < REGISTER_PAGE) return fold;
    afterId = last.entitlementId;
  }
}

/**
 * The first month a payroll run of the city already exists for, on or after `month`, or null.
 * The apply changes amounts from the effective month on; a month already run would need arrears
 * the batch does not compute, so it is refused instead.
 */
export async function runMonthFrom(
  ex: Executor,
  regionCode: string,
  month: string,
): Promise<string | null> {
  const r = await ex.query(
    'SELECT min(month) AS month FROM payroll_runs WHERE region_code = $1 AND month >= $2',
    [regionCode, month],
  );
  return rowsOf(r, (row) => textOrNullOf(row, 'month'))[0] ?? null;
}

/**
 * Lines are written 5 000 at a time, one array per column (unnest): a VALUES list of one parameter
 * per value cost more to build and bind than the rows cost to write (bench/indexation.bench.ts, a
 * city's whole register in one batch). Same rows as the ORM's multi-row INSERT it replaces.
 */
const LINE_CHUNK = 5000;

export async function insertLines(
  tx: Executor,
  regionCode: string,
  batchId: string,
  lines: readonly IndexationLine[],
): Promise<void> {
  for (let i = 0; i < lines.length; i += LINE_CHUNK) {
    const chunk = lines.slice(i, i + LINE_CHUNK);
    const col = <T>(f: (l: IndexationLine) => T): T[] => chunk.map(f);
    await tx.query(
      `INSERT INTO benefit_indexation_lines (region_code, batch_id, entitlement_id,
         new_entitlement_id, worker_id, dependant_id, decision_id, kind, payer, rule_key,
         effective_on, ends_on, before_fen, after_fen, citation)
       SELECT $1, $2, u.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::date[], $12::date[], $13::bigint[],
         $14::bigint[], $15::text[]) AS u`,
      [
        regionCode,
        batchId,
        col((l) => l.entitlementId),
        col((l) => l.newEntitlementId),
        col((l) => l.workerId),
        col((l) => l.dependantId),
        col((l) => l.decisionId),
        col((l) => l.kind),
        col((l) => l.payer),
        col((l) => l.ruleKey),
        col((l) => l.effectiveOn),
        col((l) => l.endsOn),
        col((l) => l.beforeFen),
        col((l) => l.afterFen),
        col((l) => l.citation),
      ],
    );
  }
}

export async function deleteLines(tx: Executor, regionCode: string, batchId: string) {
  await tx.orm
    .delete(benefitIndexationLines)
    .where(
      and(
        eq(benefitIndexationLines.regionCode, regionCode),
        eq(benefitIndexationLines.batchId, batchId),
      ),
    );
}

function kindOf(kind: string): IndexedKind {
  if (!isIndexedKind(kind)) throw new Error(`indexation line of unknown kind ${kind}`);
  return kind;
}

/** One page of a batch's lines in entitlement order (the before/after report). */
export async function linePage(
  ex: Executor,
  input: { regionCode: string; batchId: string; afterId: string; limit: number },
): Promise<IndexationLine[]> {
  const l = benefitIndexationLines;
  const rows = await ex.orm
    .select()
    .from(l)
    .where(
      and(
        eq(l.regionCode, input.regionCode),
        eq(l.batchId, input.batchId),
        gt(l.entitlementId, input.afterId),
      ),
    )
    .orderBy(asc(l.entitlementId))
    .limit(input.limit);
  return rows.map((r) => ({
    entitlementId: r.entitlementId,
    newEntitlementId: r.newEntitlementId,
    workerId: r.workerId,
    dependantId: r.dependantId,
    decisionId: r.decisionId,
    kind: kindOf(r.kind),
    payer: r.payer,
    ruleKey: r.ruleKey,
    effectiveOn: r.effectiveOn,
    endsOn: r.endsOn,
    beforeFen: r.beforeFen,
    afterFen: r.afterFen,
    citation: r.citation,
  }));
}
