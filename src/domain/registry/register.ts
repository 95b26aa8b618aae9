import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * The register's pure rules: which status changes an employer may make, and when two employment
 * spells overlap. The use cases apply them; the database holds the same spell rule by trigger.
 */
export type EmployerStatus = 'registered' | 'suspended' | 'cancelled';

export type StatusRefusal = 'employer.status_unchanged' | 'employer.cancelled';

/**
 * 参保登记 → 暂停 and back, and 注销 from either; a cancelled employer is closed for good (a
 * legal entity that comes back registers anew, under its credit code, after the old record is
 * archived — not modelled here).
 */
export function checkStatusChange(
  current: EmployerStatus,
  next: EmployerStatus,
): Result<EmployerStatus, StatusRefusal> {
  if (current === 'cancelled')
    return refuse('employer.cancelled', 'the employer is cancelled (注销): its status is final');
  if (current === next)
    return refuse('employer.status_unchanged', `the employer is already ${current}`, {
      status: current,
    });
  return ok(next);
}

/** A spell from its 增员 date to its 减员 date (the last day employed, inclusive; null: employed). */
export type SpellDates = { startDate: IsoDate; endDate: IsoDate | null };

/** Whether two spells share at least one day (the rule the database trigger enforces too). */
export function spellsOverlap(a: SpellDates, b: SpellDates): boolean {
  const aEndsBeforeB = a.endDate !== null && a.endDate < b.startDate;
  const bEndsBeforeA = b.endDate !== null && b.endDate < a.startDate;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/** Whether a spell covers a date (on the roster that day). */
export function spellCovers(s: SpellDates, date: IsoDate): boolean {
  return s.startDate <= date && (s.endDate === null || s.endDate >= date);
}
