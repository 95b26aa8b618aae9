import { invariant } from '../../kernel/assert.ts';
import { ok, type Result } from '../../kernel/result.ts';

/**
 * The skeleton of a resumable run (load → compute → post → report), idempotent by its run key and
 * safe to kill at any point: each step's outcome is stored before the next starts, so a rerun
 * resumes from the stored status and never does a step twice.
 *
 * 1. load — the stored run of the key, if any. Stored runs are never recomputed.
 * 2. compute — only when nothing is stored: compute and store (status `computed`); `true` when this
 *    call stored it (`false`: another process stored it first). The stored run is then read back.
 * 3. accept — checks the stored run against this call's request (a conflict is a refusal).
 * 4. post — only while `computed`: submit the run's effects (deterministic ids, so a resubmission
 *    is recognised) and mark it `posted`; returns how many were created now.
 * 5. report — always: write or re-check the report files and mark it `reported`.
 *
 * A concrete run (the year-end runs in src/usecases/fund/pooling/) supplies the steps.
 */
export type RunStatus = 'computed' | 'posted' | 'reported';

export type ResumableRun<S, A extends { status: RunStatus }, C extends string, F> = {
  load: () => Promise<S | undefined>;
  compute: () => Promise<Result<boolean, C>>;
  accept: (stored: S) => Result<A, C>;
  post: (run: A) => Promise<Result<number, C>>;
  report: (run: A) => Promise<F>;
};

export type ResumableRunOutcome<A, F> = {
  run: A;
  /** True when this call computed the run (false: it resumed or re-checked a stored one). */
  computedNow: boolean;
  /** Effects created during this call (0 on a rerun of a posted run). */
  postedNow: number;
  reports: F;
};

export async function runResumable<S, A extends { status: RunStatus }, C extends string, F>(
  steps: ResumableRun<S, A, C, F>,
): Promise<Result<ResumableRunOutcome<A, F>, C>> {
  let stored = await steps.load();
  let computedNow = false;
  if (stored === undefined) {
    const computed = await steps.compute();
    if (!computed.ok) return computed;
    computedNow = computed.value;
    stored = await steps.load();
    invariant(stored !== undefined, 'the run vanished after it was stored');
  }
  const accepted = steps.accept(stored);
  if (!accepted.ok) return accepted;
  const run = accepted.value;
  let postedNow = 0;
  if (run.status === 'computed') {
    const posted = await steps.post(run);
    if (!posted.ok) return posted;
    postedNow = posted.value;
  }
  const reports = await steps.report(run);
  return ok({ run, computedNow, postedNow, reports });
}
