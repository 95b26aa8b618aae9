import { openDatabase } from '../../../db/client.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { runYearEndJob, summarizeYearEnd } from './year-end-run-job.ts';
import {
  SCENARIO_MANAGEMENT_GAPS,
  SCENARIO_PROVINCE,
  SCENARIO_YEAR,
} from './year-end-run-scenario.ts';

/**
 * The child of the kill test (src/jobs/year-end-year-end run.db.test.ts): runs the year-end run job on
 * the PostgreSQL database TC_KILL_DB_URL, writing reports to TC_KILL_REPORTS_DIR. It tells the
 * parent `ready` (database open, job about to start) and `done` through the IPC channel; the parent
 * SIGKILLs it at a random moment in between.
 */
const url = process.env['TC_KILL_DB_URL'];
const reportsDir = process.env['TC_KILL_REPORTS_DIR'];
const approvalId = process.env['TC_KILL_APPROVAL_ID'];
if (!url || !reportsDir || !approvalId)
  throw new Error('TC_KILL_DB_URL, TC_KILL_REPORTS_DIR and TC_KILL_APPROVAL_ID are required');
const { pooling } = loadRuleBook();
const db = await openDatabase({ backend: 'pg', url, poolMax: 4 });
process.send?.({ type: 'ready' });
const r = await runYearEndJob(
  db,
  {
    province: SCENARIO_PROVINCE,
    year: SCENARIO_YEAR,
    managementGapsFen: SCENARIO_MANAGEMENT_GAPS,
    reportsDir,
    approvalId,
  },
  pooling,
);
await db.close();
process.send?.({
  type: 'done',
  ok: r.ok,
  summary: r.ok ? summarizeYearEnd(r.value) : r.message,
});
process.disconnect?.();
