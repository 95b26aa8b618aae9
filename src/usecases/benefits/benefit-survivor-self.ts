import type { Executor } from '../../db/client.ts';
import { intOf, oneOf, textArrayOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { DependantRelation } from '../../domain/benefits/death-case.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { letterPdf } from '../letters/issue-letter.ts';
import { type MonthlyPayment, monthlyPaymentsOf } from './benefit-self.ts';
import { type OwnAdjustment, ownAdjustmentsOf } from './indexation-notice.ts';

/**
 * A survivor's own view (portal, issue 12): the 供养亲属 of a death (or missing-worker) case sees,
 * for each case that records her, her own entitlements (供养亲属抚恤金), each month's payroll line
 * paid to her and the letters of the decisions that concern her. The tie is the 公民身份号码: the
 * log-in's person row (scope `self`) and the dependant rows holding the same number, as a worker's
 * log-in is tied to its register row (selfScopeOf). A co-survivor's amounts, ID number and account,
 * the ledger's ids and the worker's medical record are never in it (docs/benefits.md, "Survivor
 * self-service").
 */
export type OwnSurvivorCase = {
  caseId: string;
  /** The deceased (or missing) worker, as the decision letter names him. */
  workerName: string;
  /** Null on a missing-worker case (下落不明: no death recorded). */
  diedOn: string | null;
  relation: DependantRelation;
  entitlements: {
    kind: string;
    amountFen: number;
    payer: 'fund' | 'employer';
    startsOn: string;
    endsOn: string | null;
    status: 'active' | 'ended';
  }[];
  monthlyPayments: MonthlyPayment[];
  letters: { id: string; documentNumber: string; title: string; issuedOn: string }[];
  /** The indexation of her pension: before, after, from when, and the notice's number. */
  adjustments: OwnAdjustment[];
};

export type OwnSurvivorBenefits = { cases: OwnSurvivorCase[] };

export type SurvivorRefusal = 'benefit.survivor_view_self_only';

const RELATIONS: readonly DependantRelation[] = [
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
];

/** One case where the person is recorded as a dependant: her rows of it (current and replaced). */
type SurvivorOf = {
  regionCode: string;
  caseId: string;
  dependantIds: string[];
  relation: DependantRelation;
  workerName: string;
  diedOn: string | null;
};

/**
 * The cases that record the log-in's person as a 供养亲属, by ID number. A replaced row counts too:
 * an entitlement approved before a re-recording still names it, and it is still her money.
 */
async function survivorCases(ex: Executor, personId: string): Promise<SurvivorOf[]> {
  const r = await ex.query(
    `SELECT d.region_code, d.case_id, array_agg(d.id ORDER BY d.id) AS dependant_ids,
            (array_agg(d.relation ORDER BY d.status = 'current' DESC, d.recorded_at DESC))[1]
              AS relation,
            w.name AS worker_name, f.died_on::text AS died_on
       FROM persons p
       JOIN case_dependants d ON d.id_number = p.id_number
       JOIN cases c ON c.region_code = d.region_code AND c.id = d.case_id
       JOIN workers w ON w.id = c.worker_id
       LEFT JOIN case_death_facts f ON f.region_code = d.region_code AND f.case_id = d.case_id
      WHERE p.id = $1
      GROUP BY d.region_code, d.case_id, w.name, f.died_on
      ORDER BY d.case_id`,
    [personId],
  );
  return r.rows.map((row) => ({
    regionCode: textOf(row, 'region_code'),
    caseId: textOf(row, 'case_id'),
    dependantIds: textArrayOf(row, 'dependant_ids'),
    relation: oneOf(row, 'relation', RELATIONS),
    workerName: textOf(row, 'worker_name'),
    diedOn: textOrNullOf(row, 'died_on'),
  }));
}

const ENTITLEMENT_STATUSES = ['active', 'ended'] as const;
const PAYERS = ['fund', 'employer'] as const;

async function ownEntitlements(
  ex: Executor,
  s: SurvivorOf,
): Promise<OwnSurvivorCase['entitlements']> {
  const r = await ex.query(
    `SELECT kind, amount_fen, payer, starts_on::text AS starts_on, ends_on::text AS ends_on, status
       FROM benefit_entitlements
      WHERE region_code = $1 AND dependant_id = ANY($2::text[])
      ORDER BY starts_on, kind, payer, id`,
    [s.regionCode, s.dependantIds],
  );
  return r.rows.map((row) => ({
    kind: textOf(row, 'kind'),
    amountFen: intOf(row, 'amount_fen'),
    payer: oneOf(row, 'payer', PAYERS),
    startsOn: textOf(row, 'starts_on'),
    endsOn: textOrNullOf(row, 'ends_on'),
    status: oneOf(row, 'status', ENTITLEMENT_STATUSES),
  }));
}

/**
 * The letters of the case's decisions that concern her: a decision that pays her (an entitlement
 * names one of her rows) or a death decision whose dependants name her; and the 供养亲属抚恤金变更通知书
 * of the case's survivors' changes (change-letters.ts). Both are addressed to the 近亲属 jointly
 * (deathLetterText, changeLetterText) and are served as issued. And the notice of an indexation
 * batch that adjusted her pension (indexation-notice.ts: one per batch, no case of its own).
 */
async function ownLetters(ex: Executor, s: SurvivorOf): Promise<OwnSurvivorCase['letters']> {
  const r = await ex.query(
    `SELECT l.id, l.document_number, l.title, l.issued_on::text AS issued_on
       FROM benefit_decisions d
       JOIN letters l ON l.region_code = d.region_code AND l.id = d.letter_id
      WHERE d.region_code = $1 AND d.case_id = $2
        AND (EXISTS (SELECT 1 FROM benefit_entitlements e
                      WHERE e.region_code = d.region_code AND e.decision_id = d.id
                        AND e.dependant_id = ANY($3::text[]))
             OR EXISTS (SELECT 1 FROM jsonb_array_elements(
                          CASE WHEN d.death IS NULL THEN '[]'::jsonb ELSE d.death->'dependants' END) x
                         WHERE x->>'id' = ANY($3::text[])))
     UNION
     SELECT l.id, l.document_number, l.title, l.issued_on::text AS issued_on
       FROM benefit_change_letters c
       JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
      WHERE c.region_code = $1 AND c.case_id = $2 AND c.event_kind = 'survivor'
     UNION
     SELECT l.id, l.document_number, l.title, l.issued_on::text AS issued_on
       FROM benefit_decisions d
       JOIN benefit_entitlements e ON e.region_code = d.region_code AND e.decision_id = d.id
       JOIN benefit_indexation_lines il
         ON il.region_code = e.region_code AND il.new_entitlement_id = e.id
       JOIN benefit_indexation_notices n ON n.region_code = il.region_code AND n.batch_id = il.batch_id
       JOIN letters l ON l.region_code = n.region_code AND l.id = n.letter_id
      WHERE d.region_code = $1 AND d.case_id = $2 AND e.dependant_id = ANY($3::text[])
      ORDER BY issued_on, id`,
    [s.regionCode, s.caseId, s.dependantIds],
  );
  return r.rows.map((row) => ({
    id: textOf(row, 'id'),
    documentNumber: textOf(row, 'document_number'),
    title: textOf(row, 'title'),
    issuedOn: textOf(row, 'issued_on'),
  }));
}

/**
 * Every case where the reader is a survivor, with what is hers. A person's log-in that no case
 * records answers no cases; an employer's log-in (which holds self:read for its own records) is
 * refused: a survivor is a person.
 */
export async function mySurvivorBenefits(
  ex: Executor,
  actor: Actor,
): Promise<Result<OwnSurvivorBenefits, SurvivorRefusal>> {
  if (actor.scopeKind !== 'self' || actor.scopeCode === null)
    return refuse(
      'benefit.survivor_view_self_only',
      'the survivor’s view is a person’s own: this log-in is not a person’s',
    );
  const cases: OwnSurvivorCase[] = [];
  for (const s of await survivorCases(ex, actor.scopeCode))
    cases.push({
      caseId: s.caseId,
      workerName: s.workerName,
      diedOn: s.diedOn,
      relation: s.relation,
      entitlements: await ownEntitlements(ex, s),
      monthlyPayments: await monthlyPaymentsOf(ex, {
        regionCode: s.regionCode,
        caseId: s.caseId,
        beneficiary: { dependantIds: s.dependantIds },
      }),
      letters: await ownLetters(ex, s),
      adjustments: await ownAdjustmentsOf(ex, {
        regionCode: s.regionCode,
        caseId: s.caseId,
        dependantIds: s.dependantIds,
      }),
    });
  return ok({ cases });
}

/**
 * A letter of a case where the reader is a survivor, when it is one of hers (ownLetters); null
 * otherwise ("not found", as for any letter outside one's scope).
 */
export async function mySurvivorLetter(
  ex: Executor,
  actor: Actor,
  caseId: string,
  letterId: string,
) {
  if (actor.scopeKind !== 'self' || actor.scopeCode === null) return null;
  const mine = (await survivorCases(ex, actor.scopeCode)).find((s) => s.caseId === caseId);
  if (mine === undefined) return null;
  const letters = await ownLetters(ex, mine);
  if (!letters.some((l) => l.id === letterId)) return null;
  // Hers (ownLetters says so): a case's letter or an indexation notice, which has no case.
  return letterPdf(ex, { regionCode: mine.regionCode, letterId });
}
