import { addDays, type IsoDate } from '../../kernel/dates.ts';

/**
 * Pure look-ups over direct settlement's reference data (docs/settlement.md): which agreement
 * (服务协议) covers a scope on a day, which catalogue row (目录) is in force on a day, and which
 * catalogue code an institution's own code maps to on a day. The transaction helper calls these
 * with rows it has loaded; nothing here reads the database.
 */
export type AgreementScope = 'outpatient' | 'inpatient' | 'rehabilitation' | 'device';
export type CatalogueKind = 'drug' | 'service' | 'rehabilitation' | 'device';

export type AgreementFacts = {
  id: string;
  institutionId: string;
  scopes: readonly AgreementScope[];
  validFrom: IsoDate;
  validTo: IsoDate;
  /** A terminated agreement covers the days before this one, none from it on. */
  terminatedFrom: IsoDate | null;
};

/** The last day an agreement covers: its valid_to, or the day before its termination. */
export function lastCoveredDay(a: Pick<AgreementFacts, 'validTo' | 'terminatedFrom'>): IsoDate {
  if (a.terminatedFrom === null) return a.validTo;
  // ISO dates order as strings, so the earlier of the two is the smaller string.
  const before = addDays(a.terminatedFrom, -1);
  return [before, a.validTo].sort()[0] ?? a.validTo;
}

/**
 * The agreement whose covered days (valid_from … valid_to, cut at a termination) hold `onDate` and whose scopes include `scope`, or null. Active
 * agreements of one institution never overlap (the use case refuses it under a lock), so at most
 * one matches; should two ever match, the later-starting one is returned, deterministically.
 */
export function agreementInForce<A extends AgreementFacts>(
  agreements: readonly A[],
  onDate: IsoDate,
  scope: AgreementScope,
): A | null {
  let found: A | null = null;
  for (const a of agreements) {
    if (onDate < a.validFrom || onDate > lastCoveredDay(a)) continue;
    if (!a.scopes.includes(scope)) continue;
    if (found === null || a.validFrom > found.validFrom) found = a;
  }
  return found;
}

/** Whether two date ranges (both ends inclusive; null = open end) share at least one day. */
export function rangesOverlap(
  a: { validFrom: IsoDate; validTo: IsoDate | null },
  b: { validFrom: IsoDate; validTo: IsoDate | null },
): boolean {
  const aEndsBeforeB = a.validTo !== null && a.validTo < b.validFrom;
  const bEndsBeforeA = b.validTo !== null && b.validTo < a.validFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

export type DatedRow = { validFrom: IsoDate; validTo: IsoDate | null };

/** The row in force on `date`: the latest valid_from <= date whose valid_to is open or >= date. */
function inForce<R extends DatedRow>(rows: readonly R[], date: IsoDate): R | null {
  let found: R | null = null;
  for (const r of rows) {
    if (r.validFrom > date) continue;
    if (r.validTo !== null && r.validTo < date) continue;
    if (found === null || r.validFrom > found.validFrom) found = r;
  }
  return found;
}

/** The catalogue row of `code` in force on `date`, or null (not in the catalogue that day). */
export function catalogueItemOn<I extends DatedRow & { code: string }>(
  items: readonly I[],
  code: string,
  date: IsoDate,
): I | null {
  return inForce(
    items.filter((i) => i.code === code),
    date,
  );
}

/** The catalogue code an institution's own code maps to on `date`, or null (unmapped). */
export function mappedCode<M extends DatedRow & { ownCode: string; catalogueCode: string }>(
  maps: readonly M[],
  ownCode: string,
  date: IsoDate,
): string | null {
  return (
    inForce(
      maps.filter((m) => m.ownCode === ownCode),
      date,
    )?.catalogueCode ?? null
  );
}
