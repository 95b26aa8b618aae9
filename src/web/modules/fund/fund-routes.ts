/**
 * The fund pages' paths. The menu links to the region-neutral paths (`/fund`, `/fund/ledger`,
 * `/fund/budgets`, `/fund/year-end`), which open the signed-in user's own region; a region can
 * be named in the path (`/fund/330100`, `/fund/330200/ledger`) — the server decides whether the
 * user may see it (404 outside the scope).
 */
export const fundViews = ['overview', 'ledger', 'budgets', 'year-end'] as const;
export type FundView = (typeof fundViews)[number];

export type FundRoute = { view: FundView; region: string | null };

const regionPattern = /^\d{6}$/;

function viewOf(part: string | undefined): FundView | null {
  if (part === undefined) return 'overview';
  return part === 'ledger' || part === 'budgets' || part === 'year-end' ? part : null;
}

/** `/fund/…` → the view and region it names; null for anything that is not a fund page. */
export function parseFundPath(path: string): FundRoute | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'fund' || parts.length > 3) return null;
  const second = parts[1];
  if (second === undefined) return { view: 'overview', region: null };
  if (regionPattern.test(second)) {
    const view = viewOf(parts[2]);
    return view === null ? null : { view, region: second };
  }
  if (parts.length > 2) return null;
  const view = viewOf(second);
  return view === null || view === 'overview' ? null : { view, region: null };
}

/** The path of a view for a region (null: the user's own region, the menu's form). */
export function fundPath(view: FundView, region: string | null): string {
  const suffix = view === 'overview' ? '' : `/${view}`;
  return region === null ? `/fund${suffix}` : `/fund/${region}${suffix}`;
}
