import { yuanToFen } from '../../format/money.ts';
import type { RetirementInput, RetirementPlan } from './retirement-api.ts';
import { fenIn, objectOf, parsedStored, textIn } from './stored-json.ts';

/**
 * The retirement form's pure parts (docs/benefits.md "Retirement"): the body it sends (the pension
 * typed in 元, sent in fen exactly), the plan's lines as the panel shows them before the approval,
 * whether the case shows the panel, and the ask kept in this browser until applied.
 */
export type RetirementDraft = { retiredOn: string; pensionYuan: string; evidence: string };

/**
 * The draft → the route's body, or the field the browser cannot read: a pension that is not an
 * amount of yuan with at most two decimals (the server refuses a negative or absurd one itself).
 */
export function retirementBodyOf(
  d: RetirementDraft,
): { ok: true; body: RetirementInput } | { ok: false; field: 'pensionYuan' } {
  const pensionFen = yuanToFen(d.pensionYuan);
  if (pensionFen === null) return { ok: false, field: 'pensionYuan' };
  return {
    ok: true,
    body: { retiredOn: d.retiredOn.trim(), pensionFen, evidence: d.evidence.trim() },
  };
}

export type PlanLine =
  | { kind: 'ended'; amountFen: number; endsOn: string }
  | { kind: 'topUp'; amountFen: number; startsOn: string }
  | { kind: 'noTopUp' }
  | { kind: 'overpaid'; amountFen: number };

/**
 * What the plan changes, in the order a handler reads it: the fund's 伤残津贴 that ends (paid to the
 * last day of the month of retirement), the fund's difference from the next month or none, and a
 * back-dated net to recover.
 */
export function planLines(plan: RetirementPlan): PlanLine[] {
  const lines: PlanLine[] = plan.ended.map((x) => ({
    kind: 'ended',
    amountFen: x.amountFen,
    endsOn: x.endsOn,
  }));
  if (plan.topUp !== null)
    lines.push({ kind: 'topUp', amountFen: plan.topUp.amountFen, startsOn: plan.topUp.startsOn });
  else if (plan.offset === undefined) lines.push({ kind: 'noTopUp' });
  if (plan.backDated !== undefined && plan.backDated.netFen > 0)
    lines.push({ kind: 'overpaid', amountFen: plan.backDated.netFen });
  return lines;
}

type Entitlement = {
  kind: string;
  payer: 'fund' | 'employer';
  status: 'active' | 'ended';
  dependantId: string | null;
};

/** Shown when the case pays the fund's 伤残津贴 (grades 1–4) to the worker, or he has retired. */
export function showsRetirementPanel(
  entitlements: readonly Entitlement[],
  retired: boolean,
): boolean {
  return (
    retired ||
    entitlements.some(
      (x) =>
        x.kind === 'disability_allowance' &&
        x.payer === 'fund' &&
        x.status === 'active' &&
        x.dependantId === null,
    )
  );
}

/** The ask sent from this browser, with the plan's lines the answer showed. */
export type RetirementAsked = { approvalId: string; body: RetirementInput; lines: PlanLine[] };

export function retirementAskedKey(regionCode: string, workerId: string): string {
  return `tongchou.retirement.${regionCode}.${workerId}`;
}

function lineOf(v: unknown): PlanLine | null {
  const o = objectOf(v);
  if (o === null) return null;
  const amountFen = fenIn(o, 'amountFen');
  const endsOn = textIn(o, 'endsOn');
  const startsOn = textIn(o, 'startsOn');
  if (o['kind'] === 'noTopUp') return { kind: 'noTopUp' };
  if (amountFen === null) return null;
  if (o['kind'] === 'overpaid') return { kind: 'overpaid', amountFen };
  if (o['kind'] === 'ended' && endsOn !== null) return { kind: 'ended', amountFen, endsOn };
  if (o['kind'] === 'topUp' && startsOn !== null) return { kind: 'topUp', amountFen, startsOn };
  return null;
}

/**
 * The stored ask read back with checks (another version of the page may have written it): the
 * body it sends again, and the plan's lines it shows (the server computes the plan anew on apply
 * and refuses a changed one).
 */
export function retirementAskedFromJson(text: string | null): RetirementAsked | null {
  const o = objectOf(parsedStored(text));
  const b = objectOf(o?.['body']);
  const stored = o?.['lines'];
  if (o === null || b === null || !Array.isArray(stored)) return null;
  const approvalId = textIn(o, 'approvalId');
  const retiredOn = textIn(b, 'retiredOn');
  const evidence = textIn(b, 'evidence');
  const pensionFen = fenIn(b, 'pensionFen');
  if (approvalId === null || retiredOn === null || evidence === null || pensionFen === null)
    return null;
  const lines = stored.map(lineOf).filter((l): l is PlanLine => l !== null);
  if (lines.length !== stored.length) return null;
  return { approvalId, body: { retiredOn, pensionFen, evidence }, lines };
}
