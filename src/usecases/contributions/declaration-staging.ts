import type { Executor } from '../../db/client.ts';
import { intOf, numberOf, oneOf, textArrayOf, textOf, withColumns } from '../../db/rows.ts';
import type { DeclarationDiffJson } from '../../db/schema.ts';
import {
  DECLARATION_PROBLEMS_KEPT,
  type DeclarationColumn,
  type DeclarationProblem,
  type RowProblemCode,
  rowProblem,
} from '../../domain/contributions/declaration-problems.ts';
import type { DeclaredLine } from '../../domain/contributions/declaration-rows.ts';

/**
 * The set-based half of a declaration import, inside its transaction. Lines that passed their own
 * checks are loaded into a temporary table in chunks (one multi-row INSERT … SELECT FROM unnest per
 * chunk: a handful of round trips for 10 000 rows, not 10 000); the checks that need the register
 * or the other rows — duplicates, unknown workers, workers not employed in the month, names that
 * differ from the roster — are then one query each over the whole set, and the version's lines are
 * one INSERT … SELECT joining the workers. Hand SQL, read through typed row mappers (rows.ts): these
 * are the set-based statements ADR 0006 keeps out of Drizzle.
 */
export const STAGING_CHUNK_ROWS = 5000;

export type StagedLine = DeclaredLine & { baseFen: number };

export async function createStaging(tx: Executor): Promise<void> {
  await tx.query(
    `CREATE TEMP TABLE declaration_staging (
       row_number integer NOT NULL, id_number text NOT NULL, name text NOT NULL,
       wage_fen bigint NOT NULL, base_fen bigint NOT NULL) ON COMMIT DROP`,
  );
}

/** Loads one chunk of checked lines. */
export async function stageChunk(tx: Executor, lines: readonly StagedLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `INSERT INTO declaration_staging (row_number, id_number, name, wage_fen, base_fen)
     SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])`,
    [
      lines.map((l) => l.row),
      lines.map((l) => l.idNumber),
      lines.map((l) => l.name),
      lines.map((l) => l.wageFen),
      lines.map((l) => l.baseFen),
    ],
  );
}

export type Scope = {
  regionCode: string;
  employerId: string;
  monthStart: string;
  monthEnd: string;
};

const REGISTER_CODES: readonly RowProblemCode[] = [
  'declaration.id_number_duplicate',
  'declaration.worker_not_registered',
  'declaration.worker_not_employed',
  'declaration.name_mismatch',
];
const COLUMN_NAMES: readonly DeclarationColumn[] = ['id_number', 'name', 'wage'];

/**
 * The problems only the whole set and the register can show, in row order: the first
 * DECLARATION_PROBLEMS_KEPT of them, and how many there are. A duplicate is reported on each row
 * after the first; the other checks read the first row of a number only.
 */
export async function registerProblems(
  tx: Executor,
  scope: Scope,
): Promise<{ problems: DeclarationProblem[]; count: number }> {
  await tx.query('ANALYZE declaration_staging');
  const result = await tx.query(
    `WITH s AS (
       SELECT st.row_number, st.name, w.id AS worker_id,
              row_number() OVER (PARTITION BY st.id_number ORDER BY st.row_number) AS k
         FROM declaration_staging st LEFT JOIN workers w ON w.id_number = st.id_number),
     e AS (
       SELECT s.*, EXISTS (
         SELECT 1 FROM employment_spells sp
          WHERE sp.region_code = $1 AND sp.employer_id = $2 AND sp.worker_id = s.worker_id
            AND sp.start_date <= $4::date AND (sp.end_date IS NULL OR sp.end_date >= $3::date)
       ) AS employed, EXISTS (
         SELECT 1 FROM employment_spells sp
          WHERE sp.region_code = $1 AND sp.employer_id = $2 AND sp.worker_id = s.worker_id
            AND sp.start_date <= $4::date AND (sp.end_date IS NULL OR sp.end_date >= $3::date)
            AND sp.worker_name = s.name
       ) AS named
       FROM s WHERE s.k = 1 AND s.worker_id IS NOT NULL),
     p AS (
       SELECT row_number, 'id_number' AS col, 'declaration.id_number_duplicate' AS code FROM s WHERE k > 1
       UNION ALL
       SELECT row_number, 'id_number', 'declaration.worker_not_registered' FROM s
        WHERE k = 1 AND worker_id IS NULL
       UNION ALL
       SELECT row_number, 'id_number', 'declaration.worker_not_employed' FROM e WHERE NOT employed
       UNION ALL
       SELECT row_number, 'name', 'declaration.name_mismatch' FROM e WHERE employed AND NOT named)
     SELECT row_number, col, code, count(*) OVER () AS total FROM p
      ORDER BY row_number, col LIMIT $5`,
    [
      scope.regionCode,
      scope.employerId,
      scope.monthStart,
      scope.monthEnd,
      DECLARATION_PROBLEMS_KEPT,
    ],
  );
  const rows = withColumns(result, {
    row_number: intOf,
    col: (r, n) => oneOf(r, n, COLUMN_NAMES),
    code: (r, n) => oneOf(r, n, REGISTER_CODES),
    total: numberOf,
  }).rows;
  return {
    problems: rows.map((r) => rowProblem(r.row_number, r.col, r.code)),
    count: rows[0]?.total ?? 0,
  };
}

const DIFF_IDS_MAX = 1000;
const DIFF_KINDS = ['added', 'removed', 'changed'] as const;

/** The staged set against the lines of `previousId` (none for a first version). */
export async function diffAgainst(
  tx: Executor,
  regionCode: string,
  previousId: string | null,
): Promise<DeclarationDiffJson> {
  const result = await tx.query(
    `WITH cur AS (
       SELECT w.id AS worker_id, s.wage_fen FROM declaration_staging s
         JOIN workers w ON w.id_number = s.id_number),
     prev AS (
       SELECT worker_id, wage_fen FROM declaration_lines
        WHERE region_code = $1 AND declaration_id = $2),
     d AS (
       SELECT 'added' AS kind, cur.worker_id FROM cur LEFT JOIN prev USING (worker_id)
        WHERE prev.worker_id IS NULL
       UNION ALL
       SELECT 'removed', prev.worker_id FROM prev LEFT JOIN cur USING (worker_id)
        WHERE cur.worker_id IS NULL
       UNION ALL
       SELECT 'changed', cur.worker_id FROM cur JOIN prev USING (worker_id)
        WHERE cur.wage_fen <> prev.wage_fen)
     SELECT kind, count(*) AS n, (array_agg(worker_id ORDER BY worker_id))[1:$3] AS ids
       FROM d GROUP BY kind`,
    [regionCode, previousId ?? '', DIFF_IDS_MAX],
  );
  const rows = withColumns(result, {
    kind: (r, n) => oneOf(r, n, DIFF_KINDS),
    n: numberOf,
    ids: textArrayOf,
  }).rows;
  const of = (kind: (typeof DIFF_KINDS)[number]) => rows.find((r) => r.kind === kind);
  return {
    added: of('added')?.n ?? 0,
    removed: of('removed')?.n ?? 0,
    changed: of('changed')?.n ?? 0,
    addedWorkerIds: of('added')?.ids ?? [],
    removedWorkerIds: of('removed')?.ids ?? [],
    changedWorkerIds: of('changed')?.ids ?? [],
    idsTruncated: rows.some((r) => r.n > r.ids.length),
  };
}

/** The version's lines: the staged rows joined to their workers, one statement. */
export async function insertLines(
  tx: Executor,
  regionCode: string,
  declarationId: string,
): Promise<number> {
  const result = await tx.query(
    `INSERT INTO declaration_lines (region_code, declaration_id, worker_id, row_number, wage_fen, base_fen)
     SELECT $1, $2, w.id, s.row_number, s.wage_fen, s.base_fen
       FROM declaration_staging s JOIN workers w ON w.id_number = s.id_number`,
    [regionCode, declarationId],
  );
  return result.rowCount;
}

/** The current version of (employer, month): its id, number and file hash. */
export async function currentVersion(
  tx: Executor,
  scope: Pick<Scope, 'regionCode' | 'employerId' | 'monthStart'>,
): Promise<{ id: string; version: number; sha256: string } | null> {
  const result = await tx.query(
    `SELECT id, version, file_sha256 FROM declarations
      WHERE region_code = $1 AND employer_id = $2 AND month = $3::date
      ORDER BY version DESC LIMIT 1`,
    [scope.regionCode, scope.employerId, scope.monthStart],
  );
  const row = withColumns(result, { id: textOf, version: intOf, file_sha256: textOf }).rows[0];
  return row ? { id: row.id, version: row.version, sha256: row.file_sha256 } : null;
}
