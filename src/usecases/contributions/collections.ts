import { createHash, randomBytes } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import {
  intOf,
  intOrNullOf,
  oneOf,
  oneOrNullOf,
  type Row,
  rowsOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import {
  type CollectionFileRefusal,
  type CollectionRecordInput,
  parseCollectionFile,
} from '../../domain/contributions/collection-file.ts';
import { segmentKindOf } from '../../domain/fund/ledger/accounts.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Import of the tax bureau's collection file (征收, docs/contributions.md "Collection file", ADR
 * 0010): idempotent per file (sha256: the same file twice is the same import) and per record (a
 * 税票号 seen before is a duplicate, reported and not stored again); a file with any bad row is
 * refused whole. Each new record is matched in SQL, in the statement that stores it: its credit
 * code to an employer of the importing city, its month to an assessment of that employer. The rest
 * wait in the handler's queue (unmatched, with the reason) until assigned or rejected.
 */
export type CollectionImportRefusal = 'contributions.invalid_request' | CollectionFileRefusal;

export type CollectionImport = {
  importId: string;
  /** created = stored now; exists = this file was imported before (nothing stored). */
  status: 'created' | 'exists';
  recordCount: number;
  newCount: number;
  matchedCount: number;
  unmatchedCount: number;
  /** Vouchers already stored by an earlier file: reported, not stored again, never re-posted. */
  duplicates: string[];
};

export function cityRequest(city: string): Result<true, 'contributions.invalid_request'> {
  if (segmentKindOf(city) !== 'city')
    return refuse(
      'contributions.invalid_request',
      `${city} is not a city: collections are imported per city`,
      {
        field: 'region',
      },
    );
  return ok(true);
}

async function existingImport(
  ex: Executor,
  city: string,
  sha: string,
): Promise<CollectionImport | null> {
  const r = await ex.query(
    `SELECT i.id, i.record_count, i.duplicate_count,
            count(c.voucher)::int4 AS new_count,
            count(c.voucher) FILTER (WHERE c.unmatched_reason IS NULL AND c.status <> 'rejected')::int4 AS matched,
            count(c.voucher) FILTER (WHERE c.unmatched_reason IS NOT NULL)::int4 AS unmatched
       FROM collection_imports i LEFT JOIN collection_records c ON c.region_code = i.region_code AND c.import_id = i.id
      WHERE i.region_code = $1 AND i.file_sha256 = $2
      GROUP BY i.id, i.record_count, i.duplicate_count`,
    [city, sha],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return {
    importId: textOf(row, 'id'),
    status: 'exists',
    recordCount: intOf(row, 'record_count'),
    newCount: intOf(row, 'new_count'),
    matchedCount: intOf(row, 'matched'),
    unmatchedCount: intOf(row, 'unmatched'),
    duplicates: [],
  };
}

/**
 * Stores the new records, matched in the same statement. A record without a project pays an
 * employer-month (its assessment must exist); one with a 项目编号 pays that project's receivable
 * (the project must be the employer's, of this city). ON CONFLICT: a voucher stored by a
 * concurrent import since the duplicate check is skipped, not stored twice.
 */
async function insertRecords(
  tx: Executor,
  city: string,
  importId: string,
  records: readonly CollectionRecordInput[],
): Promise<{ matched: number; unmatched: number }> {
  const r = await tx.query(
    `INSERT INTO collection_records (region_code, voucher, import_id, row_number, credit_code, month, amount_fen,
       paid_on, status, unmatched_reason, employer_id, match_month, project_ref, project_id)
     SELECT $1, r.voucher, $2, r.row_number, r.credit_code, r.month, r.amount_fen, r.paid_on,
            CASE WHEN m.reason IS NULL THEN 'matched' ELSE 'unmatched' END, m.reason,
            CASE WHEN m.reason IS NULL THEN e.id END,
            CASE WHEN m.reason IS NULL AND r.project_ref IS NULL THEN r.month END,
            r.project_ref, CASE WHEN m.reason IS NULL THEN p.id END
       FROM unnest($3::text[], $4::int4[], $5::text[], $6::date[], $7::int8[], $8::date[], $9::text[])
            AS r(voucher, row_number, credit_code, month, amount_fen, paid_on, project_ref)
       LEFT JOIN employers e ON e.credit_code = r.credit_code
       LEFT JOIN construction_projects p ON p.region_code = $1 AND p.id = r.project_ref
       CROSS JOIN LATERAL (SELECT CASE
         WHEN e.id IS NULL THEN 'unknown_credit_code'
         WHEN e.region_code <> $1 THEN 'other_city'
         WHEN r.project_ref IS NOT NULL AND p.id IS NULL THEN 'unknown_project'
         WHEN r.project_ref IS NOT NULL AND p.employer_id <> e.id THEN 'project_other_employer'
         WHEN r.project_ref IS NULL AND NOT EXISTS (SELECT 1 FROM contribution_assessments a
                           WHERE a.region_code = e.region_code AND a.employer_id = e.id AND a.month = r.month)
           THEN 'no_assessment' END AS reason) m
     ON CONFLICT (voucher) DO NOTHING
     RETURNING status`,
    [
      city,
      importId,
      records.map((x) => x.voucher),
      records.map((x) => x.rowNumber),
      records.map((x) => x.creditCode),
      records.map((x) => `${x.month}-01`),
      records.map((x) => x.amountFen),
      records.map((x) => x.paidOn),
      records.map((x) => x.projectRef),
    ],
  );
  const matched = r.rows.filter((row) => textOf(row, 'status') === 'matched').length;
  return { matched, unmatched: r.rows.length - matched };
}

export async function importCollections(
  db: Database,
  actor: Actor,
  input: { city: string; fileName: string; bytes: Uint8Array },
): Promise<Result<CollectionImport, CollectionImportRefusal>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  const parsed = parseCollectionFile(input.bytes);
  if (!parsed.ok) return parsed;
  const sha = createHash('sha256').update(input.bytes).digest('hex');
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collections:${input.city}`]);
    const known = await tx.query('SELECT 1 FROM regions WHERE code = $1', [input.city]);
    if (known.rows.length === 0)
      return refuse(
        'contributions.invalid_request',
        `region ${input.city} is not set up in this database`,
        {
          field: 'region',
        },
      );
    const seen = await existingImport(tx, input.city, sha);
    if (seen !== null) return ok(seen);
    const vouchers = parsed.value.map((r) => r.voucher);
    const dup = await tx.query(
      'SELECT voucher FROM collection_records WHERE voucher = ANY($1::text[])',
      [vouchers],
    );
    const duplicates = new Set(rowsOf(dup, (row) => textOf(row, 'voucher')));
    const fresh = parsed.value.filter((r) => !duplicates.has(r.voucher));
    const importId = `cim_${input.city}_${randomBytes(8).toString('hex')}`;
    await tx.query(
      `INSERT INTO collection_imports (region_code, id, file_sha256, file_name, record_count, duplicate_count, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        input.city,
        importId,
        sha,
        input.fileName.slice(0, 200),
        parsed.value.length,
        duplicates.size,
        actor.username,
      ],
    );
    const counts = await insertRecords(tx, input.city, importId, fresh);
    const out: CollectionImport = {
      importId,
      status: 'created',
      recordCount: parsed.value.length,
      newCount: counts.matched + counts.unmatched,
      matchedCount: counts.matched,
      unmatchedCount: counts.unmatched,
      duplicates: [...duplicates].sort(),
    };
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'contributions.collections.import',
        `collections/${input.city}/${importId}`,
        {
          fileSha256: sha,
          ...out,
          duplicates: out.duplicates.length,
        },
      ),
    );
    return ok(out);
  });
}

export const UNMATCHED_REASONS = [
  'unknown_credit_code',
  'other_city',
  'no_assessment',
  'unknown_project',
  'project_other_employer',
] as const;
export type UnmatchedReason = (typeof UNMATCHED_REASONS)[number];

export type CollectionRecordView = {
  voucher: string;
  importId: string;
  rowNumber: number;
  creditCode: string;
  month: string;
  amountFen: number;
  paidOn: string;
  status: 'matched' | 'unmatched' | 'rejected';
  unmatchedReason: UnmatchedReason | null;
  employerId: string | null;
  matchMonth: string | null;
  /** The file's 项目编号, and the project the record was matched to (按项目参保). */
  projectRef: string | null;
  projectId: string | null;
  resolution: string | null;
  postingId: string | null;
  appliedFen: number | null;
  overpaidFen: number | null;
};

export const RECORD_COLUMNS = `voucher, import_id, row_number, credit_code, to_char(month, 'YYYY-MM') AS month,
  amount_fen, to_char(paid_on, 'YYYY-MM-DD') AS paid_on, status, unmatched_reason, employer_id,
  to_char(match_month, 'YYYY-MM') AS match_month, resolution, posting_id, applied_fen, overpaid_fen,
  project_ref, project_id`;

export function recordViewOf(row: Row): CollectionRecordView {
  return {
    voucher: textOf(row, 'voucher'),
    importId: textOf(row, 'import_id'),
    rowNumber: intOf(row, 'row_number'),
    creditCode: textOf(row, 'credit_code'),
    month: textOf(row, 'month'),
    amountFen: intOf(row, 'amount_fen'),
    paidOn: textOf(row, 'paid_on'),
    status: oneOf(row, 'status', ['matched', 'unmatched', 'rejected'] as const),
    unmatchedReason: oneOrNullOf(row, 'unmatched_reason', UNMATCHED_REASONS),
    employerId: textOrNullOf(row, 'employer_id'),
    matchMonth: textOrNullOf(row, 'match_month'),
    projectRef: textOrNullOf(row, 'project_ref'),
    projectId: textOrNullOf(row, 'project_id'),
    resolution: textOrNullOf(row, 'resolution'),
    postingId: textOrNullOf(row, 'posting_id'),
    appliedFen: intOrNullOf(row, 'applied_fen'),
    overpaidFen: intOrNullOf(row, 'overpaid_fen'),
  };
}

/** Records of a city (or the province), optionally of one employer or only the unmatched queue. */
export async function listCollectionRecords(
  db: Database,
  input: {
    regionCode: string;
    employerId?: string | undefined;
    queue?: boolean;
    unposted?: boolean;
    limit: number;
  },
): Promise<CollectionRecordView[]> {
  const conditions = [
    "($1::text LIKE '%0000' AND left(region_code, 2) = left($1, 2) OR region_code = $1)",
  ];
  const params: unknown[] = [input.regionCode, input.limit];
  if (input.employerId !== undefined) {
    params.push(input.employerId);
    conditions.push(`employer_id = $${params.length}`);
  }
  if (input.queue === true) conditions.push(`status = 'unmatched'`);
  if (input.unposted === true) conditions.push(`status = 'matched' AND posting_id IS NULL`);
  const r = await db.query(
    `SELECT ${RECORD_COLUMNS} FROM collection_records WHERE ${conditions.join(' AND ')}
      ORDER BY paid_on, voucher LIMIT $2`,
    params,
  );
  return rowsOf(r, recordViewOf);
}
