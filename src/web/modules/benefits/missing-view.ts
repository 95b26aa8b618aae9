import type { DeterminationGround, DeterminationOutcome } from '../../../domain/cases/index.ts';
import { yuanToFen } from '../../format/money.ts';
import type {
  AdvanceInput,
  DeclaredInput,
  Missing,
  MissingInput,
  ReappearedInput,
} from './missing-api.ts';
import { type Json, objectOf, storedEntries, textIn } from './stored-json.ts';

/**
 * The missing-worker panel's pure parts (下落不明, 《工伤保险条例》第四十一条; docs/benefits.md
 * "Whereabouts unknown"): whether the case shows the panel, which step its state allows next, the
 * bodies the forms send, and the approvals the maker asked from this browser. The server decides
 * (it refuses a case without the ground, an advance after the declared death …); the panel only
 * leaves out what cannot apply to the state.
 */
export type MissingStep = 'record' | 'advance' | 'declared' | 'reappeared';
export type MissingStage = 'none' | 'recorded' | 'declared' | 'reappeared';

/** 第十四条第（五）项 and 第十五条第（二）项: the two circumstances of 第四十一条. */
const MISSING_GROUNDS: readonly DeterminationGround[] = ['art14_5', 'art15_2'];

export type CaseGround = {
  grounds: readonly DeterminationGround[];
  outcome: DeterminationOutcome | null;
};

/** A recognised (or deemed) case on a business trip or in a rescue: the event may be recorded. */
export function missingMayApply(c: CaseGround): boolean {
  const accepted = c.outcome === 'recognised' || c.outcome === 'deemed';
  return accepted && c.grounds.some((g) => MISSING_GROUNDS.includes(g));
}

export function missingStage(view: Missing | null): MissingStage {
  if (view === null) return 'none';
  if (view.reappeared !== null) return 'reappeared';
  if (view.declared !== null) return 'declared';
  return 'recorded';
}

/**
 * The steps the state allows next, for a user holding fund:write: the record on a case of the
 * ground; after it the advance (once), the declared death and the reappearance; nothing after
 * either end. The reappearance waits for the advance's bank answer (benefit.missing_advance_unsettled:
 * what the family received must be known before it is asked back). A step already asked from this
 * browser is applied from its ask, not asked twice.
 */
export function missingSteps(
  view: Missing | null,
  c: CaseGround,
  asked: readonly Asked[],
): MissingStep[] {
  const open = (s: MissingStep) => !asked.some((a) => a.step === s);
  const stage = missingStage(view);
  if (view === null) return missingMayApply(c) && open('record') ? ['record'] : [];
  if (stage !== 'recorded') return [];
  const settled = view.advance === null || view.advance.paymentStatus === 'paid';
  const steps: MissingStep[] = [];
  if (view.advance === null) steps.push('advance');
  steps.push('declared');
  if (settled) steps.push('reappeared');
  return steps.filter(open);
}

/** The panel is shown on a case of the ground, or on any case that has the event. */
export function showsMissingPanel(view: Missing | null, c: CaseGround): boolean {
  return view !== null || missingMayApply(c);
}

/** One request asked from this browser, kept (localStorage) until applied or discarded. */
export type Asked =
  | { step: 'record'; approvalId: string; body: MissingInput }
  | { step: 'advance'; approvalId: string; body: AdvanceInput }
  | { step: 'declared'; approvalId: string; body: DeclaredInput }
  | { step: 'reappeared'; approvalId: string; body: ReappearedInput };

export function askedKey(regionCode: string, caseId: string): string {
  return `tongchou.missing.${regionCode}.${caseId}`;
}

/** Stored asks read back with checks (another version of the page may have written them). */
export function askedFromJson(text: string | null): Asked[] {
  return storedEntries(text).flatMap((entry: unknown): Asked[] => {
    const o = objectOf(entry);
    const body = objectOf(o?.['body']);
    const approvalId = o === null ? null : textIn(o, 'approvalId');
    if (o === null || body === null || approvalId === null) return [];
    const read = askedBody(textIn(o, 'step'), approvalId, body);
    return read === null ? [] : [read];
  });
}

function askedBody(step: string | null, approvalId: string, b: Json): Asked | null {
  const reason = textIn(b, 'reason');
  if (step === 'advance' && reason !== null) return { step, approvalId, body: { reason } };
  const deadOn = textIn(b, 'deadOn');
  if (step === 'declared' && reason !== null && deadOn !== null)
    return { step, approvalId, body: { deadOn, reason } };
  const reappearedOn = textIn(b, 'reappearedOn');
  const evidence = textIn(b, 'evidence');
  if (step === 'reappeared' && reappearedOn !== null && evidence !== null)
    return { step, approvalId, body: { reappearedOn, evidence } };
  if (step !== 'record') return null;
  const record = recordBodyFrom(b);
  return record === null ? null : { step, approvalId, body: record };
}

function recordBodyFrom(b: Json): MissingInput | null {
  const reason = textIn(b, 'reason');
  const wage = b['monthlyWageFen'];
  const wages = b['enteredWages'];
  const dependants = b['dependants'];
  if (reason === null || typeof wage !== 'number') return null;
  if (!Array.isArray(wages) || !Array.isArray(dependants)) return null;
  const enteredWages = wages.flatMap((w: unknown) => {
    const o = objectOf(w);
    const month = o === null ? null : textIn(o, 'month');
    const wageFen = o?.['wageFen'];
    return month !== null && typeof wageFen === 'number' ? [{ month, wageFen }] : [];
  });
  const rows = dependants.flatMap((d: unknown) => {
    const o = objectOf(d);
    return o === null ? [] : [dependantFrom(o)].flatMap((r) => (r === null ? [] : [r]));
  });
  if (enteredWages.length !== wages.length || rows.length !== dependants.length) return null;
  const wageEvidence = textIn(b, 'wageEvidence');
  return { reason, monthlyWageFen: wage, enteredWages, wageEvidence, dependants: rows };
}

type DependantInput = MissingInput['dependants'][number];
const RELATIONS: readonly DependantInput['relation'][] = [
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
];

function dependantFrom(o: Json): DependantInput | null {
  const name = textIn(o, 'name');
  const relation = RELATIONS.find((r) => r === o['relation']);
  const idNumber = textIn(o, 'idNumber');
  const birthDate = textIn(o, 'birthDate');
  if (name === null || relation === undefined || idNumber === null || birthDate === null)
    return null;
  return {
    name,
    relation,
    idNumber,
    birthDate,
    orphanOrSoleElder: o['orphanOrSoleElder'] === true,
    adoptive: o['adoptive'] === true,
  };
}

/** The record form as typed: the wage and the wage months in yuan, the dependants' rows. */
export type RecordDraft = {
  reason: string;
  monthlyWageYuan: string;
  wages: { month: string; yuan: string }[];
  wageEvidence: string;
  dependants: DependantInput[];
};

/**
 * The record form → the route's body. The wage in yuan → fen (0 when unreadable: the server then
 * names the field); wage months without a valid amount are left out; the rest is sent as typed
 * (trimmed): the server checks every field and answers every problem.
 */
export function recordBodyOf(d: RecordDraft): MissingInput {
  const enteredWages = d.wages.flatMap((r) => {
    const fen = yuanToFen(r.yuan);
    return /^\d{4}-\d{2}$/.test(r.month) && fen !== null ? [{ month: r.month, wageFen: fen }] : [];
  });
  return {
    reason: d.reason.trim(),
    monthlyWageFen: yuanToFen(d.monthlyWageYuan) ?? 0,
    enteredWages,
    wageEvidence: d.wageEvidence.trim() === '' ? null : d.wageEvidence.trim(),
    dependants: d.dependants.map((r) => ({
      ...r,
      name: r.name.trim(),
      idNumber: r.idNumber.trim(),
      // Only a child or a parent is adoptive: a tick left on after changing the relation is dropped.
      adoptive: r.adoptive === true && (r.relation === 'child' || r.relation === 'parent'),
    })),
  };
}

type Relation = DependantInput['relation'];

/** A pension's relation as the server sends it (text) → the dependants' relation, or null. */
export function relationOf(text: string | null): Relation | null {
  return RELATIONS.find((r) => r === text) ?? null;
}

/**
 * The asks as kept in localStorage: a record's dependants without their ID numbers (公民身份号码
 * never rest in the browser's storage; the panel asks them again to apply an ask read back).
 */
export function askedForStorage(asked: readonly Asked[]): Asked[] {
  return asked.map((a) =>
    a.step === 'record'
      ? {
          ...a,
          body: { ...a.body, dependants: a.body.dependants.map((d) => ({ ...d, idNumber: '' })) },
        }
      : a,
  );
}

/** A record ask read back from storage: its dependants' ID numbers are to be typed again. */
export function idNumbersMissing(a: Asked): boolean {
  return a.step === 'record' && a.body.dependants.some((d) => d.idNumber === '');
}

/** The record ask with the ID numbers typed again, in the dependants' order. */
export function withIdNumbers(a: Asked, idNumbers: readonly string[]): Asked {
  if (a.step !== 'record') return a;
  const dependants = a.body.dependants.map((d, i) => ({
    ...d,
    idNumber: (idNumbers[i] ?? '').trim(),
  }));
  return { ...a, body: { ...a.body, dependants } };
}
