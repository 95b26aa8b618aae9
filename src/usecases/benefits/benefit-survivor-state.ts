import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { boolOf, intOf, oneOf, textOf } from '../../db/rows.ts';
import {
  benefitDecisions,
  benefitEntitlements,
  benefitSurvivorChanges,
  caseDependants,
  payrollRuns,
} from '../../db/schema.ts';
import type { PartialMonthRule } from '../../domain/benefits/payroll-lines.ts';
import {
  BONUS_EVENT,
  endsForGood,
  type SurvivorChangePlan,
  type SurvivorChangeRefusalCode,
  type SurvivorDependant,
  type SurvivorEvent,
  type SurvivorPaidLine,
  type SurvivorPension,
  survivorChangePlan,
} from '../../domain/benefits/survivor-change.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { survivorBonusAfterDeath } from '../../rules/benefits/death.ts';
import { endAgeBirthday } from '../../rules/benefits/survivor-end.ts';
import { makeContext } from '../../rules/context.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { arrearsPaidOf } from './benefit-decision-arrears.ts';
import { payrollSettings } from './payroll-run.ts';
import { snapshotRules } from './snapshot-rules.ts';

/**
 * What a survivor's change reads from the database (docs/benefits.md, "Survivors' pensions end"):
 * the decision the dependant's pension belongs to, every dependant of it with their pension, their
 * applied ends and suspensions, and the lines paying them (posted runs, applied reissue batches). The
 * proposal and, again, the apply compute the plan from it (the apply under row locks).
 */
export type SurvivorStateRefusalCode =
  | SurvivorChangeRefusalCode
  | 'benefit.survivor_bonus_not_in_province'
  | 'benefit.survivor_change_run_pending'
  | 'benefit.payroll_parameter_missing'
  | 'benefit.snapshot_invalid'
  | 'rules.parameter_missing';

export type SurvivorDecision = {
  id: string;
  caseId: string;
  workerId: string;
  snapshotId: string;
  calculationInput: unknown;
};

type PensionRow = {
  id: string;
  dependantId: string | null;
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  status: 'active' | 'ended';
};

/** The decision of the dependant's pension (any survivor_pension row names it). */
export async function survivorDecisionOf(
  ex: Executor,
  regionCode: string,
  dependantId: string,
): Promise<SurvivorDecision | null> {
  const [pension] = await ex.orm
    .select({ decisionId: benefitEntitlements.decisionId })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.dependantId, dependantId),
        eq(benefitEntitlements.kind, 'survivor_pension'),
      ),
    )
    .limit(1);
  if (pension === undefined) return null;
  const [d] = await ex.orm
    .select({
      id: benefitDecisions.id,
      caseId: benefitDecisions.caseId,
      workerId: benefitDecisions.workerId,
      snapshotId: benefitDecisions.snapshotId,
      calculationInput: benefitDecisions.calculationInput,
    })
    .from(benefitDecisions)
    .where(
      and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.id, pension.decisionId)),
    );
  return d ?? null;
}

/** The decision's survivor pensions, locked when asked (the apply replaces some of them). */
async function pensionsOf(ex: Executor, regionCode: string, decisionId: string, lock: boolean) {
  const query = ex.orm
    .select({
      id: benefitEntitlements.id,
      dependantId: benefitEntitlements.dependantId,
      amountFen: benefitEntitlements.amountFen,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      status: benefitEntitlements.status,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.decisionId, decisionId),
        eq(benefitEntitlements.kind, 'survivor_pension'),
      ),
    )
    .orderBy(asc(benefitEntitlements.id));
  const rows: PensionRow[] = lock ? await query.for('update') : await query;
  return rows;
}

/** The applied changes of the decision, oldest first. */
async function appliedChanges(ex: Executor, regionCode: string, decisionId: string) {
  return ex.orm
    .select({
      dependantId: benefitSurvivorChanges.dependantId,
      kind: benefitSurvivorChanges.kind,
      endedEntitlementId: benefitSurvivorChanges.endedEntitlementId,
      plan: benefitSurvivorChanges.plan,
    })
    .from(benefitSurvivorChanges)
    .where(
      and(
        eq(benefitSurvivorChanges.regionCode, regionCode),
        eq(benefitSurvivorChanges.decisionId, decisionId),
        eq(benefitSurvivorChanges.status, 'applied'),
      ),
    )
    .orderBy(asc(benefitSurvivorChanges.appliedOn), asc(benefitSurvivorChanges.proposedAt));
}

function asPension(p: PensionRow): SurvivorPension {
  return { id: p.id, amountFen: p.amountFen, startsOn: p.startsOn, endsOn: p.endsOn };
}

type Changes = Awaited<ReturnType<typeof appliedChanges>>;

/** The pension a suspension ended, as it was (null: the last change of the dependant is no suspension). */
function suspendedOf(changes: Changes, dependantId: string): SurvivorPension | null {
  const own = changes.filter((c) => c.dependantId === dependantId);
  const last = own[own.length - 1];
  if (last === undefined || last.kind !== 'imprisoned') return null;
  const e = last.plan.ended.find((x) => x.entitlementId === last.endedEntitlementId);
  if (e === undefined) return null;
  return {
    id: e.entitlementId,
    amountFen: e.amountFen,
    startsOn: e.startsOn,
    endsOn: e.endsOnBefore,
  };
}

export type SurvivorPerson = {
  id: string;
  caseId: string;
  ordinal: number;
  relation: string;
  idNumber: string;
};

/** The decision's dependants (those its survivor pensions name), each with the state of their pension. */
export async function survivorDependants(
  ex: Executor,
  regionCode: string,
  decisionId: string,
  lock: boolean,
): Promise<{ persons: SurvivorPerson[]; dependants: SurvivorDependant[]; pensionIds: string[] }> {
  const pensions = await pensionsOf(ex, regionCode, decisionId, lock);
  const ids = [
    ...new Set(pensions.flatMap((p) => (p.dependantId === null ? [] : [p.dependantId]))),
  ];
  const persons =
    ids.length === 0
      ? []
      : await ex.orm
          .select({
            id: caseDependants.id,
            caseId: caseDependants.caseId,
            ordinal: caseDependants.ordinal,
            relation: caseDependants.relation,
            idNumber: caseDependants.idNumber,
          })
          .from(caseDependants)
          .where(and(eq(caseDependants.regionCode, regionCode), inArray(caseDependants.id, ids)))
          .orderBy(asc(caseDependants.ordinal));
  const changes = await appliedChanges(ex, regionCode, decisionId);
  const dependants = persons.map((p) => {
    const active = pensions.find((e) => e.dependantId === p.id && e.status === 'active');
    return {
      dependantId: p.id,
      ordinal: p.ordinal,
      relation: p.relation,
      endedForGood: changes.some((c) => c.dependantId === p.id && endsForGood(c.kind)),
      suspended: suspendedOf(changes, p.id),
      pension: active === undefined ? null : asPension(active),
      bonusByChange: changes.some((c) => c.dependantId === p.id && c.kind === BONUS_EVENT),
    };
  });
  return { persons, dependants, pensionIds: pensions.map((p) => p.id) };
}

/**
 * The lines paying the pensions: the month lines and reissue lines of the city's posted runs, and
 * the lines of its reissue batches once applied (written, to be sent), as death-record.ts
 * `linesAfter` reads them. A reissue line counts for the month it was owed for (`reissue_month`,
 * migration 0066), any other for its run's: a failed month line reissued and paid is then paid for
 * that month once (the failed line is not counted, its reissue is). A run computed and not approved
 * refuses: its lines pay the old amounts for a month the plan cannot count yet.
 */
async function paidOf(
  ex: Executor,
  regionCode: string,
  pensionIds: readonly string[],
): Promise<Result<{ runMonths: string[]; paid: SurvivorPaidLine[] }, SurvivorStateRefusalCode>> {
  const runs = await ex.orm
    .select({ id: payrollRuns.id, month: payrollRuns.month, status: payrollRuns.status })
    .from(payrollRuns)
    .where(eq(payrollRuns.regionCode, regionCode))
    .orderBy(asc(payrollRuns.month));
  const pending = runs.find((r) => r.status === 'computing' || r.status === 'computed');
  if (pending !== undefined)
    return refuse(
      'benefit.survivor_change_run_pending',
      `the payroll run of ${pending.month} is ${pending.status}: approve it first, then record the change`,
      { runId: pending.id },
    );
  const paid = pensionIds.length === 0 ? [] : await pensionLines(ex, regionCode, pensionIds);
  // Months the death decision paid with its arrears (approved after the payroll ran them): paid,
  // by the decision's payment (a failed one is reissued by hand for the same liability).
  const arrears = await arrearsPaidOf(ex, { regionCode, entitlementIds: pensionIds });
  for (const a of arrears)
    paid.push({
      id: a.paymentId,
      entitlementId: a.entitlementId,
      month: a.month,
      paidFen: a.amountFen,
      status: 'paid',
      reissue: false,
    });
  return ok({ runMonths: runs.map((r) => r.month), paid });
}

/** Hand SQL (the month owed is a coalesce over two joins), read through the rows.ts mappers. */
async function pensionLines(
  ex: Executor,
  regionCode: string,
  pensionIds: readonly string[],
): Promise<SurvivorPaidLine[]> {
  const r = await ex.query(
    `SELECT l.id, l.entitlement_id, l.amount_fen + l.offset_fen AS paid_fen, l.status,
       coalesce(l.reissue_month, r.month)::text AS month, l.reissue_of IS NOT NULL AS reissue
     FROM payroll_lines l
     LEFT JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
     LEFT JOIN payroll_reissue_batches b ON b.region_code = l.region_code AND b.id = l.batch_id
     WHERE l.region_code = $1 AND l.entitlement_id = ANY($2::text[])
       AND (r.status IN ('approved', 'file_issued', 'reconciled')
            OR b.status IN ('applied', 'file_issued', 'reconciled'))
     ORDER BY l.id`,
    [regionCode, [...pensionIds]],
  );
  return r.rows.map(
    (row): SurvivorPaidLine => ({
      id: textOf(row, 'id'),
      entitlementId: textOf(row, 'entitlement_id'),
      month: textOf(row, 'month'),
      paidFen: intOf(row, 'paid_fen'),
      status: oneOf(row, 'status', ['issued', 'paid', 'failed']),
      reissue: boolOf(row, 'reissue'),
    }),
  );
}

export type SurvivorState = {
  decision: SurvivorDecision;
  person: SurvivorPerson;
  plan: SurvivorChangePlan;
};

/** The city's partial-month rule per posted month. */
function monthRules(
  rules: RuleSet,
  regionCode: string,
  months: readonly string[],
): Result<Map<string, PartialMonthRule>, SurvivorStateRefusalCode> {
  const out = new Map<string, PartialMonthRule>();
  for (const month of months) {
    const settings = payrollSettings(rules, regionCode, month);
    if (!settings.ok)
      return refuse('benefit.payroll_parameter_missing', settings.message, { month });
    out.set(month, settings.value.rule);
  }
  return ok(out);
}

/** The end-age birthday of the dependant (from the ID number's birth date, GB 11643). */
function agedOutOn(rules: RuleSet, regionCode: string, person: SurvivorPerson, on: IsoDate) {
  const birthDate = citizenIdFacts(person.idNumber).birthDate;
  return endAgeBirthday(rules, regionCode, birthDate, on);
}

/**
 * A raise of 10 % is the province's to allow (`death.survivor_bonus_after_death`, read from the
 * current rules at the event: the decision's pinned snapshot predates the parameter).
 */
export function bonusAllowed(
  rules: RuleSet,
  regionCode: string,
  event: SurvivorEvent,
): Result<null, SurvivorStateRefusalCode> {
  if (event.kind !== BONUS_EVENT) return ok(null);
  const rule = survivorBonusAfterDeath(makeContext(rules, regionCode, {}, false), event.eventOn);
  if (!rule.ok) return rule;
  if (rule.value === 'fixed_at_death')
    return refuse(
      'benefit.survivor_bonus_not_in_province',
      `the province fixes the survivors' conditions at the death (death.survivor_bonus_after_death = fixed_at_death): becoming an orphan or a 孤寡老人 later adds no 10 %`,
      { rule: rule.value },
    );
  return ok(null);
}

/** The plan as the database reads now (`lock`: under the apply's row locks). */
export async function survivorStateNow(
  ex: Executor,
  rules: RuleSet,
  input: { regionCode: string; changeId: string; event: SurvivorEvent; lock: boolean },
): Promise<Result<SurvivorState, SurvivorStateRefusalCode>> {
  const { regionCode, event } = input;
  const decision = await survivorDecisionOf(ex, regionCode, event.dependantId);
  if (decision === null)
    return refuse('benefit.dependant_not_found', `no survivor's pension of ${event.dependantId}`);
  const read = await survivorDependants(ex, regionCode, decision.id, input.lock);
  const person = read.persons.find((p) => p.id === event.dependantId);
  if (person === undefined)
    return refuse('benefit.dependant_not_found', `no dependant ${event.dependantId}`);
  const pinned = await snapshotRules(ex, decision.snapshotId);
  if (!pinned.ok) return pinned;
  const paid = await paidOf(ex, regionCode, read.pensionIds);
  if (!paid.ok) return paid;
  const ruleOf = monthRules(rules, regionCode, paid.value.runMonths);
  if (!ruleOf.ok) return ruleOf;
  const bonus = bonusAllowed(rules, regionCode, event);
  if (!bonus.ok) return bonus;
  const birthday =
    event.kind === 'aged_out' ? agedOutOn(rules, regionCode, person, event.eventOn) : null;
  if (birthday !== null && !birthday.ok) return birthday;
  const plan = survivorChangePlan({
    regionCode,
    changeId: input.changeId,
    event,
    dependants: read.dependants,
    calculationInput: decision.calculationInput,
    rules: pinned.value,
    agedOutOn: birthday?.value.on ?? null,
    ...paid.value,
    ruleOf: (month) => ruleOf.value.get(month) ?? 'full_month',
  });
  if (!plan.ok) return plan;
  return ok({ decision, person, plan: plan.value });
}
