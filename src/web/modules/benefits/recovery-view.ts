import type { Permission } from '../../../identity/roles.ts';
import type { ApprovalSummary } from '../../api/types.ts';
import { yuanToFen } from '../../format/money.ts';
import type { OverpaymentItem, RecoveryBody, RepaymentBody } from './recovery-api.ts';
import { storedEntries } from './stored-json.ts';

/**
 * The recoveries page's pure parts (多领待遇追回, docs/benefits.md "Recovering overpayments"): which
 * actions a row offers, the bodies the forms send, and the pending approval of a row. The server
 * decides (it refuses the maker's approval, an offset with no later payment …); the page only
 * leaves out what cannot apply to the row's state.
 */
export type RowActions = { decide: boolean; repay: boolean };

export function rowActionsFor(
  item: OverpaymentItem,
  permissions: readonly Permission[],
): RowActions {
  const writes = permissions.includes('fund:write');
  const r = item.recovery;
  return {
    decide: writes && item.status === 'open' && r === null,
    repay: writes && r !== null && r.method === 'order' && r.status === 'active',
  };
}

export type DecideForm = { method: 'offset' | 'order'; monthlyYuan: string; reason: string };
export type RepayForm = { amountYuan: string; paidOn: string; reference: string };
export type FormProblem = 'amount' | 'reason' | 'reference' | 'date';
type Built<B> = { ok: true; body: B } | { ok: false; problem: FormProblem };

/** An offset takes its monthly amount in yuan (→ fen); an order takes none. */
export function decideBodyOf(form: DecideForm): Built<RecoveryBody> {
  const reason = form.reason.trim();
  if (reason === '') return { ok: false, problem: 'reason' };
  if (form.method === 'order') return { ok: true, body: { method: 'order', reason } };
  const monthlyFen = yuanToFen(form.monthlyYuan);
  if (monthlyFen === null || monthlyFen <= 0) return { ok: false, problem: 'amount' };
  return { ok: true, body: { method: 'offset', monthlyFen, reason } };
}

export function repaymentBodyOf(form: RepayForm): Built<RepaymentBody> {
  const amountFen = yuanToFen(form.amountYuan);
  if (amountFen === null || amountFen <= 0) return { ok: false, problem: 'amount' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.paidOn)) return { ok: false, problem: 'date' };
  const reference = form.reference.trim();
  if (reference === '') return { ok: false, problem: 'reference' };
  return { ok: true, body: { amountFen, paidOn: form.paidOn, reference } };
}

/** A payload's text field, read with checks: an approval's payload is untyped JSON. */
function fieldOf(payload: unknown, name: string): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const o: Record<string, unknown> = { ...payload };
  const v = o[name];
  return typeof v === 'string' ? v : null;
}

/**
 * The pending approvals (for the checker) that ask to decide this row's recovery or to record a
 * repayment of it: the payloads name the overpayment or the recovery.
 */
export function pendingApprovalsOf(
  approvals: readonly ApprovalSummary[],
  item: OverpaymentItem,
): ApprovalSummary[] {
  return approvals.filter(
    (a) =>
      a.status === 'pending' &&
      (fieldOf(a.payload, 'overpaymentId') === item.overpaymentId ||
        (item.recovery !== null && fieldOf(a.payload, 'recoveryId') === item.recovery.id)),
  );
}

/**
 * An approval the maker asked from this browser, kept (localStorage) until it is applied: the
 * apply sends the same body with the approval's id, and the asking answer is the only place the
 * maker learns the id (the approvals list is the checker's).
 */
export type Asked =
  | { kind: 'decide'; target: string; approvalId: string; body: RecoveryBody }
  | { kind: 'repay'; target: string; approvalId: string; body: RepaymentBody };

/** Stored asks read back with checks (another version of the page may have written them). */
export function askedFromJson(text: string | null): Asked[] {
  return storedEntries(text).flatMap((entry: unknown): Asked[] => {
    const kind = fieldOf(entry, 'kind');
    const target = fieldOf(entry, 'target');
    const approvalId = fieldOf(entry, 'approvalId');
    if (target === null || approvalId === null || typeof entry !== 'object' || entry === null)
      return [];
    const raw: Record<string, unknown> = { ...entry };
    const body = raw['body'];
    if (kind === 'decide') {
      const built = decideBodyOf({
        method: fieldOf(body, 'method') === 'offset' ? 'offset' : 'order',
        monthlyYuan: yuanOf(body, 'monthlyFen'),
        reason: fieldOf(body, 'reason') ?? '',
      });
      return built.ok ? [{ kind, target, approvalId, body: built.body }] : [];
    }
    if (kind !== 'repay') return [];
    const built = repaymentBodyOf({
      amountYuan: yuanOf(body, 'amountFen'),
      paidOn: fieldOf(body, 'paidOn') ?? '',
      reference: fieldOf(body, 'reference') ?? '',
    });
    return built.ok ? [{ kind, target, approvalId, body: built.body }] : [];
  });
}

/** A stored fen amount back as the yuan text the form builders read ('' when absent). */
function yuanOf(payload: unknown, name: string): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const o: Record<string, unknown> = { ...payload };
  const v = o[name];
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0
    ? `${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`
    : '';
}
