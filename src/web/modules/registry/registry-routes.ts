/**
 * The register's pages: `/registry` (the employer search of the user's region; for an employer's
 * own user, its roster) and `/registry/:region/:employerId` (one employer). The server decides
 * whether the user may see a region (404 outside the scope).
 */
export type RegistryRoute =
  | { view: 'search' }
  | { view: 'employer'; region: string; employerId: string };

const employerIdPattern = /^emp_\d{6}_[0-9a-f]{16}$/;

/** `/registry/…` → the page it names; null for anything that is not a register page. */
export function parseRegistryPath(path: string): RegistryRoute | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'registry') return null;
  if (parts.length === 1) return { view: 'search' };
  const [, region, employerId] = parts;
  if (parts.length !== 3 || region === undefined || employerId === undefined) return null;
  if (!/^\d{6}$/.test(region) || !employerIdPattern.test(employerId)) return null;
  return { view: 'employer', region, employerId };
}

export function employerPath(region: string, employerId: string): string {
  return `/registry/${region}/${employerId}`;
}
