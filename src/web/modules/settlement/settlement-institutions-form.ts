import type { Problem } from '../../api/types.ts';
import type { CatalogueKind } from './settlement-catalogue-api.ts';
import type {
  AgreementSignInput,
  AgreementTerminateInput,
  CodeMapSetInput,
  InstitutionCreateInput,
  InstitutionStatusInput,
} from './settlement-institutions-api.ts';

/**
 * The reference forms' pure parts: the input checked as the contract's schema checks it before it
 * is sent (every problem at once, nothing sent), and the server's answer placed on the fields it
 * concerns — input problems by path, refusals by code — the rest in the form's general box.
 */
export type PlacedErrors = { fields: Record<string, string[]>; general: string | null };

function addTo(fields: Record<string, string[]>, name: string, message: string): void {
  fields[name] = [...(fields[name] ?? []), message];
}

/** The forms' raw values (antd's store): strings, string lists, booleans. */
export type RawValues = Readonly<Record<string, unknown>>;

export type Checked<B> = { ok: true; body: B } | { ok: false; errors: PlacedErrors };

/**
 * Reads a form's values the way the contract's schema will (zod stays out of the browser bundle:
 * tests/tidy.test.ts): every problem at once, keyed by field; the server's answer stays the rule.
 */
class Reader {
  readonly fields: Record<string, string[]> = {};
  constructor(private readonly values: RawValues) {}

  text(name: string, max: number, optional = false): string | undefined {
    const raw = this.values[name];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      if (!optional) addTo(this.fields, name, 'required');
      return undefined;
    }
    if (value.length > max) addTo(this.fields, name, `at most ${max} characters`);
    return value;
  }

  date(name: string): string {
    const value = this.text(name, 10) ?? '';
    if (value !== '' && !isIsoDate(value)) addTo(this.fields, name, 'a date YYYY-MM-DD');
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const raw = this.values[name];
    const found = allowed.find((a) => a === raw);
    if (found === undefined) addTo(this.fields, name, `one of ${allowed.join(', ')}`);
    return found ?? allowed[0]!;
  }

  done<B>(body: B): Checked<B> {
    if (Object.keys(this.fields).length > 0)
      return { ok: false, errors: { fields: this.fields, general: null } };
    return { ok: true, body };
  }
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const institutionKinds = [
  'hospital',
  'rehabilitation',
  'device',
] as const satisfies readonly InstitutionCreateInput['kind'][];
export const institutionLevels = [
  'tertiary',
  'secondary',
  'primary',
  'none',
] as const satisfies readonly InstitutionCreateInput['level'][];
export const institutionStatuses = [
  'active',
  'suspended',
  'terminated',
] as const satisfies readonly InstitutionStatusInput['status'][];
export const agreementScopes = [
  'outpatient',
  'inpatient',
  'rehabilitation',
  'device',
] as const satisfies readonly AgreementSignInput['scopes'][number][];
export const catalogueKinds = [
  'drug',
  'service',
  'rehabilitation',
  'device',
] as const satisfies readonly CatalogueKind[];

export function checkInstitution(v: RawValues): Checked<InstitutionCreateInput> {
  const r = new Reader(v);
  const id = r.text('id', 16, true);
  if (id !== undefined && !/^INST-\d{6}-\d{4}$/.test(id))
    addTo(r.fields, 'id', 'an institution id INST-<6-digit city>-<4 digits>');
  const creditCode = r.text('creditCode', 18, true);
  if (creditCode !== undefined && creditCode.length !== 18)
    addTo(r.fields, 'creditCode', '18 characters');
  const body: InstitutionCreateInput = {
    name: r.text('name', 200) ?? '',
    kind: r.oneOf('kind', institutionKinds),
    level: r.oneOf('level', institutionLevels),
    createdOn: r.date('createdOn'),
  };
  if (id !== undefined) body.id = id;
  if (creditCode !== undefined) body.creditCode = creditCode;
  return r.done(body);
}

export function checkStatusChange(v: RawValues): Checked<InstitutionStatusInput> {
  const r = new Reader(v);
  return r.done({
    status: r.oneOf('status', institutionStatuses),
    effectiveFrom: r.date('effectiveFrom'),
    reason: r.text('reason', 500) ?? '',
  });
}

export function checkAgreement(v: RawValues): Checked<AgreementSignInput> {
  const r = new Reader(v);
  const raw = Array.isArray(v['scopes']) ? v['scopes'] : [];
  const scopes = agreementScopes.filter((s) => raw.includes(s));
  if (scopes.length === 0 || scopes.length !== raw.length)
    addTo(r.fields, 'scopes', 'one or more scopes');
  const validFrom = r.date('validFrom');
  const validTo = r.date('validTo');
  if (
    r.fields['validFrom'] === undefined &&
    r.fields['validTo'] === undefined &&
    validTo < validFrom
  )
    addTo(r.fields, 'validTo', 'validTo is on or after validFrom');
  return r.done({ scopes, validFrom, validTo, crossProvince: v['crossProvince'] === true });
}

export function checkTermination(v: RawValues): Checked<AgreementTerminateInput> {
  const r = new Reader(v);
  return r.done({ effectiveFrom: r.date('effectiveFrom'), reason: r.text('reason', 500) ?? '' });
}

export function checkCodeMap(v: RawValues): Checked<CodeMapSetInput> {
  const r = new Reader(v);
  return r.done({
    ownCode: r.text('ownCode', 60) ?? '',
    catalogueCode: r.text('catalogueCode', 40) ?? '',
    validFrom: r.date('validFrom'),
  });
}

/** Refusal codes that belong to one field of the reference forms (the rest go to the box). */
const FIELD_OF_CODE: Readonly<Record<string, string>> = {
  'settlement.institution_invalid_credit_code': 'creditCode',
  'settlement.institution_id_mismatch': 'id',
  'settlement.institution_exists': 'id',
  'settlement.institution_status_unchanged': 'status',
  'settlement.institution_change_out_of_order': 'effectiveFrom',
  'settlement.agreement_dates_invalid': 'validTo',
  'settlement.agreement_overlaps': 'validFrom',
  'settlement.agreement_termination_out_of_range': 'effectiveFrom',
  'settlement.code_map_catalogue_unknown': 'catalogueCode',
  'settlement.code_map_not_after_current': 'validFrom',
};

/** The server's problem on the form's fields (`known`: the fields the form shows). */
export function placeServerProblem(
  problem: Problem | null,
  fallback: string,
  known: readonly string[],
): PlacedErrors {
  if (problem === null) return { fields: {}, general: fallback };
  const fields: Record<string, string[]> = {};
  let general: string | null = null;
  for (const e of problem.errors ?? []) {
    const name = e.path.split('.')[0] ?? '';
    if (known.includes(name)) addTo(fields, name, e.message);
    else general = `${e.path}: ${e.message}`;
  }
  const detail = problem.detail ?? problem.title;
  const byCode = FIELD_OF_CODE[problem.code];
  if (byCode !== undefined && known.includes(byCode)) addTo(fields, byCode, detail);
  else if ((problem.errors ?? []).length === 0) general = detail;
  return { fields, general };
}

/** A refused catalogue file's row report, named in the refusal's details. */
export function refusedImportId(problem: Problem | null): string | null {
  if (problem === null || problem.code !== 'settlement.catalogue_file_refused') return null;
  const id = problem.details?.['importId'];
  return typeof id === 'string' ? id : null;
}

/** Cursor paging over `next`: the cursors of the pages before the one shown. */
export type Pages = { cursors: readonly (string | undefined)[]; current: string | undefined };

export const firstPage: Pages = { cursors: [], current: undefined };

export function nextPage(pages: Pages, next: string): Pages {
  return { cursors: [...pages.cursors, pages.current], current: next };
}

export function previousPage(pages: Pages): Pages {
  if (pages.cursors.length === 0) return pages;
  return { cursors: pages.cursors.slice(0, -1), current: pages.cursors.at(-1) };
}

/** A price cap in fen shown in yuan, "—" when the item has none. */
export function capText(fen: number | null, yuan: (fen: number) => string): string {
  return fen === null ? '—' : yuan(fen);
}
