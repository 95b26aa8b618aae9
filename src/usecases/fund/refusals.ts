import { createHash } from 'node:crypto';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Refusal } from '../../kernel/result.ts';

export type LedgerRefusal = Refusal<LedgerRefusalCode>;

/** Thrown inside a database transaction to roll it back and hand a typed refusal to the caller. */
export class RefusalSignal extends Error {
  override name = 'RefusalSignal';
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const DATABASE_CODES: ReadonlySet<string> = new Set<LedgerRefusalCode>([
  'ledger.unbalanced',
  'ledger.unknown_account',
  'ledger.period_closed',
  'ledger.period_not_open',
  'ledger.not_pending',
  'ledger.invalid_request',
]);

/**
 * The database's own checks raise `ledger.<code>: message`. When one fires through the write path
 * (e.g. a period closed between the write path's check and its INSERT), it becomes the same typed
 * refusal; anything else stays an error.
 */
export function refusalFromDatabaseError(err: unknown): LedgerRefusal | null {
  const message = (err as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const m = /^(ledger\.[a-z_]+): (.*)$/s.exec(message);
  if (!m || !DATABASE_CODES.has(m[1]!)) return null;
  return {
    ok: false,
    code: m[1] as LedgerRefusalCode,
    message: m[2]!,
    details: { raisedBy: 'database' },
  };
}

export function hashIds(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (const id of ids) h.update(id).update('\n');
  return h.digest('hex');
}
