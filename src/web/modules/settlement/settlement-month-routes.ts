/**
 * The settlement pages: `/settlement` (an institution's months), `/settlement/review` (the
 * manual-review queue) and `/settlement/:institutionId/:month` (the institution's month).
 */
export type SettlementRoute =
  | { view: 'months' }
  | { view: 'review' }
  | { view: 'month'; institutionId: string; month: string };

export function parseSettlementPath(path: string): SettlementRoute | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'settlement') return null;
  if (parts.length === 1) return { view: 'months' };
  if (parts.length === 2 && parts[1] === 'review') return { view: 'review' };
  const [, institutionId, month] = parts;
  if (parts.length !== 3 || !institutionId || !month) return null;
  if (!/^INST-[0-9]{6}-[0-9]{4}$/.test(institutionId)) return null;
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  return { view: 'month', institutionId, month };
}

export function settlementMonthPath(institutionId: string, month: string): string {
  return `/settlement/${institutionId}/${month}`;
}
