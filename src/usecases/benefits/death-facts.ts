import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { caseDeathFacts, caseDependants, workerDeaths } from '../../db/schema.ts';
import {
  type DeathCircumstance,
  type DeathFactsEntry,
  type DeathFactsRefusalCode,
  type DependantRelation,
  deathFactsRefusal,
} from '../../domain/benefits/death-case.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { supersedeOpen } from './benefit-decision-propose.ts';

/**
 * The handler records the facts of a death case (因工死亡): the date of death, the circumstance
 * (《工伤保险条例》第三十九条's paragraph), the pre-death wage where known, and the 供养亲属. A
 * re-recording replaces the facts and the dependant list (earlier rows kept as replaced) and
 * supersedes the case's open proposal, whose approval then no longer fits; once a decision of the
 * case is approved the facts are refused (a correction is a new procedure, not built). One
 * transaction; a refusal changes nothing.
 */
export type DeathFactsCode =
  | 'benefit.case_not_found'
  | 'benefit.decision_already_approved'
  | 'benefit.death_date_mismatch'
  | DeathFactsRefusalCode;

export type RecordDeathFactsRequest = DeathFactsEntry & {
  regionCode: string;
  caseId: string;
  /** The day of recording (China's calendar): a death after it is refused. */
  today: IsoDate;
};

export type DependantView = {
  id: string;
  ordinal: number;
  name: string;
  relation: DependantRelation;
  /**
   * Always masked (330102********1234), whoever reads: as everywhere, only the audited reveal
   * answers a full number (`revealDependantIdNumber`, pii:reveal, action pii.reveal).
   */
  idNumberMasked: string;
  birthDate: IsoDate;
  orphanOrSoleElder: boolean;
  adoptive: boolean;
};

export type DeathFactsView = {
  caseId: string;
  diedOn: IsoDate;
  circumstance: DeathCircumstance;
  preDeathMonthlyWageFen: number | null;
  recordedBy: string;
  dependants: DependantView[];
};

export async function recordDeathFacts(
  db: Database,
  actor: Actor,
  request: RecordDeathFactsRequest,
): Promise<Result<DeathFactsView, DeathFactsCode>> {
  return db
    .transaction(async (tx) => {
      const refused = await checkFacts(tx, request);
      if (refused !== null) throw new Refused(refused);
      const blocked = await supersedeOpen(tx, { ...request, on: request.today });
      if (blocked !== null) throw new Refused(blocked);
      await writeFacts(tx, actor, request);
      await appendCaseEvent(tx, {
        regionCode: request.regionCode,
        caseId: request.caseId,
        kind: 'benefit.death_facts_recorded',
        occurredOn: request.today,
        data: {
          diedOn: request.diedOn,
          circumstance: request.circumstance,
          dependants: request.dependants.length,
        },
        recordedBy: actor.userId,
      });
      // No ID number in the audit trail: the count and relations say what changed.
      await appendAudit(
        tx,
        okEventOf(
          actor,
          'benefits.death_facts.record',
          `case/${request.regionCode}/${request.caseId}/death-facts`,
          {
            diedOn: request.diedOn,
            circumstance: request.circumstance,
            relations: request.dependants.map((d) => d.relation),
          },
        ),
      );
      const view = await deathFactsOf(tx, request.regionCode, request.caseId);
      if (view === null) throw new Error('the death facts vanished in their own transaction');
      return ok(view);
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return err.refusal;
      throw err;
    });
}

/** The case, its state, and the worker's recorded death (one date for one person). */
async function checkFacts(
  tx: Executor,
  request: RecordDeathFactsRequest,
): Promise<Refusal<DeathFactsCode> | null> {
  const c = await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  if (c === null)
    return refuse(
      'benefit.case_not_found',
      `case ${request.caseId} not found in ${request.regionCode}`,
    );
  const facts = deathFactsRefusal(c, request, request.today);
  if (!facts.ok) return facts;
  const [death] = await tx.orm
    .select({ diedOn: workerDeaths.diedOn })
    .from(workerDeaths)
    .where(eq(workerDeaths.workerId, c.workerId));
  if (death !== undefined && death.diedOn !== request.diedOn)
    return refuse(
      'benefit.death_date_mismatch',
      `the worker's death is recorded on ${death.diedOn}, not ${request.diedOn}: use the recorded date or correct the record first`,
      { field: 'diedOn', recordedDiedOn: death.diedOn },
    );
  return null;
}

async function writeFacts(tx: Executor, actor: Actor, request: RecordDeathFactsRequest) {
  const key = { regionCode: request.regionCode, caseId: request.caseId };
  const values = {
    diedOn: request.diedOn,
    circumstance: request.circumstance,
    preDeathMonthlyWageFen: request.preDeathMonthlyWageFen,
    recordedBy: actor.username,
  };
  await tx.orm
    .insert(caseDeathFacts)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [caseDeathFacts.regionCode, caseDeathFacts.caseId],
      set: values,
    });
  await tx.orm
    .update(caseDependants)
    .set({ status: 'replaced' })
    .where(
      and(
        eq(caseDependants.regionCode, request.regionCode),
        eq(caseDependants.caseId, request.caseId),
        eq(caseDependants.status, 'current'),
      ),
    );
  if (request.dependants.length === 0) return;
  await tx.orm.insert(caseDependants).values(
    request.dependants.map((d, ordinal) => ({
      ...key,
      id: `dep_${request.regionCode}_${randomBytes(8).toString('hex')}`,
      ordinal,
      name: d.name,
      relation: d.relation,
      idNumber: d.idNumber.trim().toUpperCase(),
      birthDate: d.birthDate,
      orphanOrSoleElder: d.orphanOrSoleElder,
      adoptive: d.adoptive === true,
      status: 'current' as const,
      recordedBy: actor.username,
    })),
  );
}

/** The case's death facts with the current dependants in order, ID numbers masked (null: none). */
export async function deathFactsOf(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<DeathFactsView | null> {
  const [facts] = await ex.orm
    .select()
    .from(caseDeathFacts)
    .where(and(eq(caseDeathFacts.regionCode, regionCode), eq(caseDeathFacts.caseId, caseId)));
  if (facts === undefined) return null;
  const rows = await ex.orm
    .select({
      id: caseDependants.id,
      ordinal: caseDependants.ordinal,
      name: caseDependants.name,
      relation: caseDependants.relation,
      idNumber: caseDependants.idNumber,
      birthDate: caseDependants.birthDate,
      orphanOrSoleElder: caseDependants.orphanOrSoleElder,
      adoptive: caseDependants.adoptive,
    })
    .from(caseDependants)
    .where(
      and(
        eq(caseDependants.regionCode, regionCode),
        eq(caseDependants.caseId, caseId),
        eq(caseDependants.status, 'current'),
      ),
    )
    .orderBy(asc(caseDependants.ordinal));
  return {
    caseId,
    diedOn: facts.diedOn,
    circumstance: facts.circumstance,
    preDeathMonthlyWageFen: facts.preDeathMonthlyWageFen,
    recordedBy: facts.recordedBy,
    dependants: rows.map(({ idNumber, ...d }) => ({
      ...d,
      idNumberMasked: maskIdNumber(idNumber),
    })),
  };
}

/** Carries a refusal out of the transaction so it rolls back. */
class Refused extends Error {
  constructor(readonly refusal: Refusal<DeathFactsCode>) {
    super(refusal.message);
  }
}
