import type { Problem } from '../../api/types.ts';
import { yuanToFen } from '../../format/money.ts';
import type { ProjectMessageKey } from './project-messages.ts';
import type { ProjectRegisterInput } from './registry-api.ts';

/**
 * The project registration form's pure parts: the body sent (yuan typed → fen exactly) and the
 * server's answer placed on the form's fields (input problems by path, refusals by code), the
 * rest in the general box. Nothing here renders.
 */
export type ProjectFormValues = {
  name: string;
  siteAddress: string;
  contractValueYuan: string;
  standard: 'GB/T 4754-2011' | 'GB/T 4754-2017';
  division: string;
  startDate: string;
  endDate: string;
};

export type ProjectField = keyof ProjectFormValues;

/**
 * A registration's idempotency key, made when the form opens and kept until a project is
 * registered: a resubmission after a lost answer finds the project instead of charging twice.
 * getRandomValues, not randomUUID: the page may be served over plain HTTP inside the agency.
 */
export function newClientKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The request body, or the fields the browser already knows are wrong (nothing is sent). */
export function projectBodyOf(
  v: ProjectFormValues,
  clientKey: string,
): { ok: true; body: ProjectRegisterInput } | { ok: false; fields: ProjectField[] } {
  const contractValueFen = yuanToFen(v.contractValueYuan);
  if (contractValueFen === null || contractValueFen <= 0)
    return { ok: false, fields: ['contractValueYuan'] };
  return {
    ok: true,
    body: {
      name: v.name.trim(),
      siteAddress: v.siteAddress.trim(),
      contractValueFen,
      industry: { standard: v.standard, division: v.division.trim() },
      startDate: v.startDate,
      endDate: v.endDate,
      clientKey,
    },
  };
}

/** A message for a field: the server's own text, or one of the section's keys. */
export type FieldMessage = { text: string } | { key: ProjectMessageKey; detail: string };

export type PlacedProblems = {
  fields: { name: ProjectField; messages: FieldMessage[] }[];
  general: FieldMessage | null;
};

/** Body paths (input.invalid) → form fields. */
const FIELD_OF_PATH: Readonly<Record<string, ProjectField>> = {
  name: 'name',
  siteAddress: 'siteAddress',
  contractValueFen: 'contractValueYuan',
  'industry.standard': 'standard',
  'industry.division': 'division',
  startDate: 'startDate',
  endDate: 'endDate',
};

/** Refusal codes that belong to one field (the rest are shown in the general box). */
const FIELD_OF_CODE: Readonly<Record<string, { field: ProjectField; key: ProjectMessageKey }>> = {
  'project.invalid_dates': { field: 'endDate', key: 'refusal.invalid_dates' },
  'contribution.division_unknown': { field: 'division', key: 'refusal.division' },
  'contribution.division_unclassified': { field: 'division', key: 'refusal.division' },
};

const GENERAL_KEY_OF_CODE: Readonly<Record<string, ProjectMessageKey>> = {
  'ledger.period_not_open': 'refusal.period',
  'ledger.period_closed': 'refusal.period',
};

export function placeProblems(problem: Problem | null, fallback: string): PlacedProblems {
  if (problem === null) return { fields: [], general: { text: fallback } };
  const detail = problem.detail ?? problem.title;
  const byField = new Map<ProjectField, FieldMessage[]>();
  const add = (field: ProjectField, message: FieldMessage) =>
    byField.set(field, [...(byField.get(field) ?? []), message]);
  let general: FieldMessage | null = null;
  for (const e of problem.errors ?? []) {
    const field = FIELD_OF_PATH[e.path];
    if (field === undefined) general = { text: `${e.path}: ${e.message}` };
    else add(field, { text: e.message });
  }
  const byCode = FIELD_OF_CODE[problem.code];
  if (byCode !== undefined) add(byCode.field, { key: byCode.key, detail });
  else if ((problem.errors ?? []).length === 0) {
    const key = GENERAL_KEY_OF_CODE[problem.code];
    general = key === undefined ? { text: detail } : { key, detail };
  }
  return { fields: [...byField].map(([name, messages]) => ({ name, messages })), general };
}
