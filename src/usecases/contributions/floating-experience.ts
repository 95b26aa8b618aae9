import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employerExperience, employers } from '../../db/schema.ts';
import {
  type ExperienceProblem,
  type ExperienceRow,
  parseExperienceCsv,
} from '../../domain/contributions/floating-experience-csv.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { withinRegion } from '../registry/employers.ts';

/**
 * Experience import (docs/adr/0011-floating-rate-review.md): the cases and benefits areas do not
 * exist yet, so an employer's yearly figures come from the province's old system as a file. The
 * file is checked whole: any bad row (or an employer not registered in the region) refuses it with
 * every problem listed, and nothing is written; a good file replaces the rows of the years it
 * holds, so importing it twice is importing it once.
 */
export type ExperienceRefusal = 'experience.import_invalid';

export type ExperienceImport = { rows: number; employers: number; years: number[] };

/** At most this many problems are returned (the count says how many there were). */
const PROBLEMS_SHOWN_MAX = 1_000;
const INSERT_CHUNK = 1_000;

function invalid(problems: ExperienceProblem[]): Result<never, ExperienceRefusal> {
  return refuse(
    'experience.import_invalid',
    `the experience file has ${problems.length} problem(s); nothing was imported: fix each row listed and import the whole file again`,
    { problemCount: problems.length, problems: problems.slice(0, PROBLEMS_SHOWN_MAX) },
  );
}

export async function importExperience(
  db: Database,
  actor: Actor,
  input: { regionCode: string; csv: string; today: IsoDate },
): Promise<Result<ExperienceImport, ExperienceRefusal>> {
  const lastYear = Number(input.today.slice(0, 4)) - 1;
  const parsed = parseExperienceCsv(input.csv, lastYear);
  if (parsed.problems.length > 0) return invalid(parsed.problems);
  return db.transaction(async (tx) => {
    const codes = [...new Set(parsed.rows.map((r) => r.creditCode))];
    const found =
      codes.length === 0
        ? []
        : await tx.orm
            .select({
              regionCode: employers.regionCode,
              id: employers.id,
              code: employers.creditCode,
            })
            .from(employers)
            .where(
              and(
                withinRegion(employers.regionCode, input.regionCode),
                inArray(employers.creditCode, codes),
              ),
            )
            .for('share');
    const byCode = new Map(found.map((e) => [e.code, e]));
    const problems = parsed.rows
      .filter((r) => !byCode.has(r.creditCode))
      .map(
        (r): ExperienceProblem => ({
          row: r.row,
          column: 'credit_code',
          code: 'employer',
          message: `no employer with credit code ${r.creditCode} is registered in ${input.regionCode}: register it first, or import the row in its city`,
        }),
      );
    if (problems.length > 0) return invalid(problems);
    await writeRows(tx, actor, parsed.rows, byCode);
    const years = [...new Set(parsed.rows.map((r) => r.year))].sort();
    await appendAudit(
      tx,
      okEventOf(actor, 'contributions.experience.import', `experience/${input.regionCode}`, {
        rows: parsed.rows.length,
        employers: byCode.size,
        years: years.join(','),
      }),
    );
    return ok({ rows: parsed.rows.length, employers: byCode.size, years });
  });
}

async function writeRows(
  tx: Executor,
  actor: Actor,
  rows: readonly ExperienceRow[],
  byCode: ReadonlyMap<string, { regionCode: string; id: string }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const values = rows.slice(i, i + INSERT_CHUNK).map((r) => {
      const e = byCode.get(r.creditCode);
      if (!e) throw new Error(`employer of ${r.creditCode} vanished after the check`);
      return {
        regionCode: e.regionCode,
        employerId: e.id,
        year: r.year,
        contributionsFen: r.contributionsFen,
        benefitCostsFen: r.benefitCostsFen,
        injuries: r.injuries,
        averageHeadcount: r.averageHeadcount,
        source: 'import' as const,
        recordedBy: actor.userId,
      };
    });
    await tx.orm
      .insert(employerExperience)
      .values(values)
      .onConflictDoUpdate({
        target: [
          employerExperience.regionCode,
          employerExperience.employerId,
          employerExperience.year,
          employerExperience.source,
        ],
        set: {
          contributionsFen: sql`excluded.contributions_fen`,
          benefitCostsFen: sql`excluded.benefit_costs_fen`,
          injuries: sql`excluded.injuries`,
          averageHeadcount: sql`excluded.average_headcount`,
          recordedBy: sql`excluded.recorded_by`,
          recordedAt: sql`now()`,
        },
      });
  }
}

export type ExperienceView = {
  year: number;
  contributionsFen: number;
  benefitCostsFen: number;
  injuries: number;
  averageHeadcount: number;
  source: 'import' | 'system';
};

/** An employer's experience, oldest year first; a year with both sources lists both. */
export async function listExperience(
  db: Database,
  input: { regionCode: string; employerId: string },
): Promise<ExperienceView[]> {
  const e = employerExperience;
  return db.withConnection((ex) =>
    ex.orm
      .select({
        year: e.year,
        contributionsFen: e.contributionsFen,
        benefitCostsFen: e.benefitCostsFen,
        injuries: e.injuries,
        averageHeadcount: e.averageHeadcount,
        source: e.source,
      })
      .from(e)
      .where(and(withinRegion(e.regionCode, input.regionCode), eq(e.employerId, input.employerId)))
      // A year may hold an import and a system row (migration 0046): import first, as the review reads it.
      .orderBy(asc(e.year), asc(e.source)),
  );
}
