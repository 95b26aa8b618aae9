import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { employers, persons, workers } from '../../db/schema.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import { allowedCommands, type DeterminationCommandKind } from '../../domain/cases/index.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { letterPdf } from '../letters/issue-letter.ts';
import { type CaseEvent, caseTimeline } from './case-events.ts';
import type { CaseRow } from './case-store.ts';

export type CasePage = {
  facts: Omit<CaseRow, 'updatedAt' | 'nextDueBasis'> & {
    workerName: string;
    workerIdNumber: string;
    employerName: string;
    /** 浙江's limit on refusing after 补正, while it runs (refusalDueOf). */
    refusalDueOn: string | null;
  };
  /** The commands the case's status allows (the page shows only these buttons). */
  allowed: DeterminationCommandKind[];
  timeline: CaseEvent[];
  /** The letters issued on the case (timeline events letter.*), newest last. */
  letters: CaseEvent[];
};

/**
 * The limit on refusing an application whose asked-for materials arrived
 * (《浙江省工伤保险条例》第十六条第二款), recorded on the materials_completed event: shown while the case
 * waits for acceptance after that event, null otherwise (always outside 浙江: no event records one).
 */
function refusalDueOf(status: string, timeline: readonly CaseEvent[]): string | null {
  if (status !== 'applied') return null;
  const last = timeline.findLast((e) => e.kind.startsWith('determination.'));
  const due = last?.kind === 'determination.materials_completed' ? last.data['refusalDueOn'] : null;
  return typeof due === 'string' ? due : null;
}

/** The city a case id names (cas_<region>_<hex>): where a self-service reader finds it. */
export function regionOfCaseId(caseId: string): string | null {
  const m = /^cas_([0-9]{6})_[0-9a-f]{16}$/.exec(caseId);
  return m?.[1] ?? null;
}

/** The case page's data, or null when the case is not in that region. */
export async function casePage(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CasePage | null> {
  const rows = await ex.orm
    .select({
      c: caseDetermination,
      workerName: workers.name,
      idNumber: workers.idNumber,
      employerName: employers.name,
    })
    .from(caseDetermination)
    .innerJoin(workers, eq(workers.id, caseDetermination.workerId))
    .innerJoin(
      employers,
      and(
        eq(employers.regionCode, caseDetermination.employerRegionCode),
        eq(employers.id, caseDetermination.employerId),
      ),
    )
    .where(and(eq(caseDetermination.regionCode, regionCode), eq(caseDetermination.id, caseId)));
  const row = rows[0];
  if (!row) return null;
  // The basis of a provisional due date is kept for the recompute, not shown.
  const { updatedAt: _updated, nextDueBasis: _basis, ...facts } = row.c;
  const timeline = await caseTimeline(ex, regionCode, caseId);
  return {
    facts: {
      ...facts,
      workerName: row.workerName,
      // Masked for every reader: the audited reveal route is the one place a full number is shown.
      workerIdNumber: maskIdNumber(row.idNumber),
      employerName: row.employerName,
      refusalDueOn: refusalDueOf(facts.status, timeline),
    },
    allowed: [...allowedCommands[facts.status]],
    timeline,
    letters: timeline.filter((e) => e.kind.startsWith('letter.')),
  };
}

/**
 * Self-service scope (docs/adr/0012-injury-cases.md): an employer user sees the cases of the
 * employer its credit code names; a worker user's scope is a row of `persons`, matched to the register's `workers` by
 * ID number (both carry the 18-character 公民身份号码, unique in `workers`).
 */
export type SelfScope = { employerId: string; regionCode: string } | { workerIds: string[] };

export async function selfScopeOf(ex: Executor, actor: Actor): Promise<SelfScope | null> {
  if (actor.scopeCode === null) return null;
  if (actor.scopeKind === 'employer') {
    // An employer user's scope names its 统一社会信用代码 (as the register's self routes read it).
    const rows = await ex.orm
      .select({ id: employers.id, regionCode: employers.regionCode })
      .from(employers)
      .where(eq(employers.creditCode, actor.scopeCode));
    const e = rows[0];
    return e ? { employerId: e.id, regionCode: e.regionCode } : null;
  }
  if (actor.scopeKind !== 'self') return null;
  const rows = await ex.orm
    .select({ id: workers.id })
    .from(persons)
    .innerJoin(workers, eq(workers.idNumber, persons.idNumber))
    .where(eq(persons.id, actor.scopeCode));
  return { workerIds: rows.map((r) => r.id) };
}

/** Whether a self-service user may see this case (the scope check of every self route). */
export function selfOwns(scope: SelfScope, c: { employerId: string; workerId: string }): boolean {
  return 'employerId' in scope
    ? scope.employerId === c.employerId
    : scope.workerIds.includes(c.workerId);
}

/** A letter issued on this case (its stored PDF as issued), or null when the case has no such letter. */
export async function caseLetter(
  ex: Executor,
  regionCode: string,
  caseId: string,
  letterId: string,
) {
  const letter = await letterPdf(ex, { regionCode, letterId });
  return letter && letter.caseId === caseId ? letter : null;
}
