import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import type { Actor } from '../../identity/actor.ts';
import { type AppraisalView, currentConclusion, listCaseAppraisals } from './appraisal-read.ts';
import { regionOfCaseId, selfOwns, selfScopeOf } from './case-page.ts';

/**
 * The city of one of the reader's own cases (portal), or null: another's case, or no such case, is
 * "not found" alike (docs/adr/0012-injury-cases.md). Reads only the case's parties.
 */
export async function ownCaseRegion(
  ex: Executor,
  actor: Actor,
  caseId: string,
): Promise<string | null> {
  const region = regionOfCaseId(caseId);
  const scope = await selfScopeOf(ex, actor);
  if (!region || !scope) return null;
  const rows = await ex.orm
    .select({ workerId: caseDetermination.workerId, employerId: caseDetermination.employerId })
    .from(caseDetermination)
    .where(and(eq(caseDetermination.regionCode, region), eq(caseDetermination.id, caseId)));
  const row = rows[0];
  return row && selfOwns(scope, row) ? region : null;
}

/** An appraisal as its parties see it: applied, due, concluded; not the committee's panel draw. */
export type OwnAppraisal = Pick<
  AppraisalView,
  | 'id'
  | 'kind'
  | 'committeeLevel'
  | 'status'
  | 'appliedOn'
  | 'effectiveDueOn'
  | 'dueProvisional'
  | 'concludedOn'
  | 'conclusion'
  | 'disabilityGrade'
  | 'nursingLevel'
  | 'stopWorkExtensionMonths'
  | 'servedOn'
>;

export type OwnAppraisals = {
  appraisals: OwnAppraisal[];
  current: {
    appraisalId: string;
    concludedOn: string;
    conclusion: 'graded' | 'not_graded';
    disabilityGrade: number | null;
    nursingLevel: OwnAppraisal['nursingLevel'];
  } | null;
};

function ownAppraisalOf(a: AppraisalView): OwnAppraisal {
  return {
    id: a.id,
    kind: a.kind,
    committeeLevel: a.committeeLevel,
    status: a.status,
    appliedOn: a.appliedOn,
    effectiveDueOn: a.effectiveDueOn,
    dueProvisional: a.dueProvisional,
    concludedOn: a.concludedOn,
    conclusion: a.conclusion,
    disabilityGrade: a.disabilityGrade,
    nursingLevel: a.nursingLevel,
    stopWorkExtensionMonths: a.stopWorkExtensionMonths,
    servedOn: a.servedOn,
  };
}

/**
 * The appraisals of one of the reader's own cases (劳动能力鉴定, oldest first) and the conclusion in
 * force, or null when the case is not the reader's.
 */
export async function myCaseAppraisals(
  ex: Executor,
  actor: Actor,
  caseId: string,
): Promise<OwnAppraisals | null> {
  const regionCode = await ownCaseRegion(ex, actor, caseId);
  if (regionCode === null) return null;
  const all = await listCaseAppraisals(ex, { regionCode, caseId });
  const current = await currentConclusion(ex, regionCode, caseId);
  return {
    appraisals: all.map(ownAppraisalOf),
    current:
      current === null
        ? null
        : {
            appraisalId: current.appraisalId,
            concludedOn: current.concludedOn,
            conclusion: current.conclusion,
            disabilityGrade: current.disabilityGrade,
            nursingLevel: current.nursingLevel,
          },
  };
}
