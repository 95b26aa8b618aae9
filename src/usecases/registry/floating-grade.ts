import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import {
  checkGradeChange,
  type EmployerRefusal,
  type EmployerView,
  employerView,
  type GradeChange,
  writeGradeChange,
} from './employers.ts';

/**
 * A single employer's floating grade (浮动费率档次) changed by hand, outside the yearly review: a
 * change of the employer's contribution rate, so a change of money rules, and like every such
 * change it needs a second person (docs/security.md, "Maker-checker"). The maker asks (every check
 * of the change is run first, so a change that would be refused is never put to the checker), a
 * holder of the approval permission approves the exact change (employer, grade, date, reason), and
 * the maker's second call with the approval's id writes it. The yearly review keeps its own
 * approval of the whole list (floating-review.ts); both write through `writeGradeChange`.
 */
export const FLOATING_GRADE_ACTION = 'registry.employer.floating_grade';

export type FloatingGradeRefusal = EmployerRefusal | ApprovalRefusal;

export type FloatingGradeOutcome = {
  status: 'approval_requested' | 'changed';
  /** The employer as it stands after the call (unchanged while the approval is pending). */
  employer: EmployerView;
  /** The approval asked for, when `status` is approval_requested. */
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/** What the checker approves: the change itself, nothing the server fills in. */
export function floatingGradePayload(input: GradeChange): Record<string, string> {
  return {
    regionCode: input.regionCode,
    employerId: input.employerId,
    grade: input.grade,
    effectiveFrom: input.effectiveFrom,
    reason: input.reason,
  };
}

/**
 * Without `approvalId`: checks the change and asks for its approval, changing nothing else. With
 * it: in one transaction, the employer locked, checks the change again (the register may have moved
 * since the request), consumes the approval bound to this exact change, and writes it. A refused
 * check or approval writes nothing; a used approval cannot change the grade twice.
 */
export async function setFloatingGrade(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: GradeChange & { approvalId?: string | undefined; policy: ApprovalPolicy },
): Promise<Result<FloatingGradeOutcome, FloatingGradeRefusal>> {
  const change: GradeChange = {
    regionCode: input.regionCode,
    employerId: input.employerId,
    grade: input.grade,
    effectiveFrom: input.effectiveFrom,
    reason: input.reason,
  };
  const payload = floatingGradePayload(change);
  return db.transaction(async (tx): Promise<Result<FloatingGradeOutcome, FloatingGradeRefusal>> => {
    const checked = await checkGradeChange(tx, rules, change);
    if (!checked.ok) return checked;
    if (input.approvalId === undefined) {
      const a = await requestApproval(tx, actor, {
        regionCode: change.regionCode,
        action: FLOATING_GRADE_ACTION,
        payload,
        amountFen: null,
        policy: input.policy,
      });
      return ok({
        status: 'approval_requested',
        employer: employerView(rules, checked.value, change.effectiveFrom),
        approval: { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt },
      });
    }
    const used = await consumeApproval(tx, {
      regionCode: change.regionCode,
      id: input.approvalId,
      action: FLOATING_GRADE_ACTION,
      payload,
    });
    if (!used.ok) return used;
    const employer = await writeGradeChange(tx, actor, rules, checked.value, change);
    return ok({ status: 'changed', employer, approval: null });
  });
}
