/**
 * The case pages: `/cases` (the officer's work list and dashboard), `/cases/:region/:caseId` (the
 * case page), `/my/cases` (the portal: report, apply, my cases) and `/my/cases/:caseId`.
 */
export type CasesRoute =
  | { view: 'work-list' }
  | { view: 'case'; region: string; caseId: string }
  | { view: 'portal' }
  | { view: 'own-case'; caseId: string };

const caseIdPattern = /^cas_\d{6}_[0-9a-f]{16}$/;

/** `/cases/…` or `/my/cases/…` → the page it names; null for anything else. */
export function parseCasesPath(path: string): CasesRoute | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] === 'my' && parts[1] === 'cases') {
    if (parts.length === 2) return { view: 'portal' };
    const caseId = parts[2];
    return parts.length === 3 && caseId && caseIdPattern.test(caseId)
      ? { view: 'own-case', caseId }
      : null;
  }
  if (parts[0] !== 'cases') return null;
  if (parts.length === 1) return { view: 'work-list' };
  const [, region, caseId] = parts;
  if (parts.length !== 3 || !region || !caseId) return null;
  if (!/^\d{6}$/.test(region) || !caseIdPattern.test(caseId)) return null;
  return { view: 'case', region, caseId };
}

export function casePath(region: string, caseId: string): string {
  return `/cases/${region}/${caseId}`;
}

export function ownCasePath(caseId: string): string {
  return `/my/cases/${caseId}`;
}
