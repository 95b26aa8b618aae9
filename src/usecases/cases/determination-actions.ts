import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { textOf, withColumns } from '../../db/rows.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import { type LetterFacts, letterFor } from '../../domain/cases/determination-letters.ts';
import {
  applyDetermination,
  type CaseStatus,
  type DeterminationCommand,
  type DeterminationRefusalCode,
} from '../../domain/cases/index.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { issueLetter, type LetterRenderer } from '../letters/issue-letter.ts';
import { loadCaseClock } from './case-clock.ts';
import {
  type CaseRow,
  columnsOf,
  dueFlagColumns,
  lastEventOfKind,
  lastEventOn,
  lockCase,
  recordCaseChange,
  stateOf,
} from './case-store.ts';

/** Every command but `apply` (which carries the application: case-report.ts). */
export type OfficerCommand = Exclude<DeterminationCommand, { kind: 'apply' }>;

export type ActionRefusal = DeterminationRefusalCode | 'case.not_found' | 'case.version_conflict';

export type ActionTarget = {
  regionCode: string;
  caseId: string;
  /** The version the officer saw; a case changed since is refused (optimistic concurrency). */
  expectedVersion?: number | undefined;
};

export type ActionResult = {
  regionCode: string;
  caseId: string;
  status: CaseStatus;
  version: number;
  eventSeq: number;
};

/**
 * One step of the determination procedure on one case: locks the row, asks the state machine,
 * writes the new state (with its running deadline), the timeline event and the audit event in one
 * transaction. A refusal writes nothing.
 */
export type ActionOptions = {
  /** The PDF renderer of the letters (a test of the procedure alone passes a cheap one). */
  render?: LetterRenderer | undefined;
};

export async function actOnCase(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  target: ActionTarget,
  command: OfficerCommand,
  options: ActionOptions = {},
): Promise<Result<ActionResult, ActionRefusal>> {
  return db.transaction((tx) => actInTx(tx, actor, rules, target, command, options));
}

export async function actInTx(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  target: ActionTarget,
  command: OfficerCommand,
  options: ActionOptions = {},
): Promise<Result<ActionResult, ActionRefusal>> {
  const row = await lockCase(tx, target.regionCode, target.caseId);
  if (!row) return refuse('case.not_found', `no case ${target.caseId} in ${target.regionCode}`);
  if (target.expectedVersion !== undefined && target.expectedVersion !== row.version)
    return refuse(
      'case.version_conflict',
      `the case changed since you loaded it (version ${row.version}, you saw ${target.expectedVersion}); reload`,
      { version: row.version },
    );
  const clock = await loadCaseClock(tx, rules, row.regionCode, command.on);
  const state = stateOf(row, await lastEventOn(tx, row.regionCode, row.id));
  const step = applyDetermination(state, await withTimelineFacts(tx, row, command), clock);
  if (!step.ok) return step;
  const version = row.version + 1;
  await tx.orm
    .update(caseDetermination)
    .set({
      ...columnsOf(step.value.state),
      ...dueFlagColumns(row, step.value.state, clock),
      ...(command.kind === 'accept' ? { acceptedOn: command.on } : {}),
      version,
      updatedAt: new Date(),
    })
    .where(and(eq(caseDetermination.regionCode, row.regionCode), eq(caseDetermination.id, row.id)));
  const eventSeq = await recordCaseChange(tx, actor, row, {
    kind: step.value.event.kind,
    occurredOn: command.on,
    data: step.value.event.data,
  });
  await issueStepLetter(tx, actor, row, command, options);
  return ok({
    regionCode: row.regionCode,
    caseId: row.id,
    status: step.value.state.status,
    version,
    eventSeq,
  });
}

/**
 * What the command needs from the timeline, read here and never taken from the request: a refusal
 * learns when the asked-for materials arrived (《浙江省工伤保险条例》第十六条第二款's three days).
 */
async function withTimelineFacts(
  tx: Executor,
  row: CaseRow,
  command: OfficerCommand,
): Promise<OfficerCommand> {
  if (command.kind !== 'refuse_acceptance') return command;
  const { materialsCompletedOn: _ignored, ...rest } = command;
  const completed = await lastEventOfKind(
    tx,
    row.regionCode,
    row.id,
    'determination.materials_completed',
  );
  return completed === null ? rest : { ...rest, materialsCompletedOn: completed };
}

/** The letter the step requires in writing (determination-letters.ts), issued in the same transaction. */
async function issueStepLetter(
  tx: Executor,
  actor: Actor,
  row: CaseRow,
  command: OfficerCommand,
  options: ActionOptions,
): Promise<void> {
  const facts = await letterFactsOf(tx, row);
  const letter = letterFor(command, facts);
  if (!letter) return;
  await issueLetter(
    tx,
    {
      ...letter,
      regionCode: row.regionCode,
      issuedOn: command.on,
      caseId: row.id,
      recipient: `${facts.workerName}、${facts.employerName}`,
      issuer: facts.cityAgency,
      recordedBy: actor.userId,
      actor,
    },
    options.render,
  );
}

async function letterFactsOf(tx: Executor, row: CaseRow): Promise<LetterFacts> {
  const r = withColumns(
    await tx.query(
      `SELECT w.name AS worker, e.name AS employer, g.name AS city
         FROM workers w, employers e, regions g
        WHERE w.id = $1 AND e.region_code = $2 AND e.id = $3 AND g.code = $4`,
      [row.workerId, row.employerRegionCode, row.employerId, row.regionCode],
    ),
    { worker: textOf, employer: textOf, city: textOf },
  );
  const f = r.rows[0];
  if (!f) throw new Error(`case ${row.id}: worker, employer or city row missing`);
  return {
    workerName: f.worker,
    employerName: f.employer,
    accidentDate: row.accidentDate,
    cityAgency: `${f.city}人力资源和社会保障局`,
  };
}

export type BulkItem = { caseId: string; expectedVersion?: number | undefined };
export type BulkItemResult =
  | { caseId: string; ok: true; status: string; version: number }
  | { caseId: string; ok: false; code: string; message: string };

/** The most cases one bulk action takes (a limit on everything). */
export const BULK_MAX = 100;

/**
 * One command on several cases of a city (e.g. accept a batch of clean applications): each case in
 * its own transaction, validated by the same state machine, with a result per case; one refusal
 * does not stop the others.
 */
export async function bulkAct(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  regionCode: string,
  items: readonly BulkItem[],
  command: OfficerCommand,
): Promise<BulkItemResult[]> {
  if (items.length > BULK_MAX) throw new Error(`bulkAct: ${items.length} > ${BULK_MAX} cases`);
  const results: BulkItemResult[] = [];
  for (const item of items) {
    const out = await actOnCase(db, actor, rules, { regionCode, ...item }, command);
    results.push(
      out.ok
        ? { caseId: item.caseId, ok: true, status: out.value.status, version: out.value.version }
        : { caseId: item.caseId, ok: false, code: out.code, message: out.message },
    );
  }
  return results;
}
