import { yuanToFen } from '../../format/money.ts';

/**
 * The calculator form ↔ the calculator contract (issue 3, item 6). Only yuan → fen conversion is
 * checked here; every other rule (required fields, date order, grade range…) is the server's, and
 * its problem paths are mapped back onto the form fields by `formTargetForPath`.
 */
export const regionCodes = ['330000', '410000', '000000'] as const;
export const caseKinds = ['disability', 'death'] as const;
export const nursingLevels = ['none', 'complete', 'mostly', 'partly'] as const;
export const deathCircumstances = [
  'injury',
  'within_suspension',
  'grade1to4_after_suspension',
] as const;
export const relations = [
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
] as const;
/** How the form gives the time to retirement: one of the contract's three ways. */
export const retirementBases = ['years', 'retirementDate', 'birthDate'] as const;
export const overrideKeys = [
  'averageMonthlyWageFen',
  'provincialAverageMonthlyWageFen',
  'minimumMonthlyWageFen',
  'nationalUrbanDisposableIncomeFen',
] as const;
export type OverrideKey = (typeof overrideKeys)[number];
/** Overrides keyed by the year the figure is in force (docs/calculator.md, "Overrides by year"). */
export const byYearOverrideKeys = [
  'averageMonthlyWageFenByYear',
  'provincialAverageMonthlyWageFenByYear',
  'minimumMonthlyWageFenByYear',
] as const;
export type ByYearOverrideKey = (typeof byYearOverrideKeys)[number];
export type YearAmountRow = { year?: string | null; amount?: string } | undefined;

export type CalculatorFormValues = {
  region?: string;
  kind?: (typeof caseKinds)[number];
  injuryDate?: string | null;
  decisionDate?: string | null;
  deathDate?: string | null;
  wages?: (string | undefined)[];
  disabilityGrade?: number | null;
  nursingLevel?: (typeof nursingLevels)[number];
  employerArrangedWork?: boolean;
  separationEnabled?: boolean;
  separationDate?: string | null;
  yearsToRetirement?: number | null;
  retirementBasis?: (typeof retirementBases)[number];
  retirementDate?: string | null;
  birthDate?: string | null;
  retirementAgeYears?: number | null;
  retirementAgeMonths?: number | null;
  occupationalDisease?: boolean;
  deathCircumstance?: (typeof deathCircumstances)[number];
  dependants?: (DependantValues | undefined)[];
  overrides?: Partial<Record<OverrideKey, string | undefined>>;
  overridesByYear?: Partial<Record<ByYearOverrideKey, YearAmountRow[] | undefined>>;
  /** 因工死亡职工生前的月工资 (yuan), death cases; blank = the average of the wages. */
  preDeathWage?: string | null;
  /** 条例 第六十二条第二款: unchecked = the employer was not insured and pays every item. */
  employerInsured?: boolean;
  /** 条例 第十七条: the day the 工伤认定 application was filed, and an approved extension. */
  applicationDate?: string | null;
  applicationDeadlineExtendedTo?: string | null;
};

/**
 * One dependant on the form. `oneOff`: the uninsured employer pays this dependant once
 * (《浙江省工伤保险条例》第三十五条第二款), with the birth date, the flag and, after monthly payments,
 * the months received (第三款).
 */
export type DependantValues = {
  relation?: string;
  orphanOrSoleElder?: boolean;
  oneOff?: boolean;
  birthDate?: string | null;
  withoutLabourCapacityOrIncome?: boolean;
  monthsReceived?: number | null;
};

/** The contract's dependant: `oneOffPayment` only when ticked, so other inputs stay as they were. */
function dependantInput(d: DependantValues | undefined): Record<string, unknown> {
  const dependant: Record<string, unknown> = { orphanOrSoleElder: d?.orphanOrSoleElder === true };
  if (present(d?.relation)) dependant['relation'] = d.relation;
  if (d?.oneOff !== true) return dependant;
  const oneOff: Record<string, unknown> = {
    withoutLabourCapacityOrIncome: d.withoutLabourCapacityOrIncome === true,
  };
  if (present(d.birthDate)) oneOff['birthDate'] = d.birthDate;
  if (present(d.monthsReceived)) oneOff['monthsReceived'] = d.monthsReceived;
  dependant['oneOffPayment'] = oneOff;
  return dependant;
}

export type FormFieldName = (string | number)[];

export type BuildResult =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; invalidYuan: FormFieldName[] };

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined && value !== '';
}

/** The fields of the chosen way to the retirement age (the server names what is missing). */
function retirementTiming(values: CalculatorFormValues): Record<string, unknown> {
  const basis = values.retirementBasis ?? 'years';
  if (basis === 'years')
    return present(values.yearsToRetirement) ? { yearsToRetirement: values.yearsToRetirement } : {};
  if (basis === 'retirementDate')
    return present(values.retirementDate) ? { retirementDate: values.retirementDate } : {};
  const timing: Record<string, unknown> = {};
  if (present(values.birthDate)) timing['birthDate'] = values.birthDate;
  if (present(values.retirementAgeYears))
    timing['retirementAge'] = {
      years: values.retirementAgeYears,
      months: values.retirementAgeMonths ?? 0,
    };
  return timing;
}

/** The year rows of one by-year override: blank rows are skipped, the year is the server's to check. */
function yearRecord(
  key: ByYearOverrideKey,
  rows: readonly YearAmountRow[],
  invalidYuan: FormFieldName[],
): Record<string, number> | null {
  const record: Record<string, number> = {};
  rows.forEach((row, index) => {
    const year = String(row?.year ?? '').trim();
    const amount = row?.amount ?? '';
    if (year === '' && amount.trim() === '') return;
    const fen = yuanToFen(amount);
    if (fen === null) invalidYuan.push(['overridesByYear', key, index, 'amount']);
    else record[year] = fen;
  });
  return Object.keys(record).length > 0 ? record : null;
}

export function buildCalculationInput(values: CalculatorFormValues): BuildResult {
  const invalidYuan: FormFieldName[] = [];
  const monthlyWagesFen: number[] = [];
  (values.wages ?? []).forEach((text, index) => {
    const fen = yuanToFen(text ?? '');
    if (fen === null) invalidYuan.push(['wages', index]);
    else monthlyWagesFen.push(fen);
  });
  const overrides: Partial<Record<OverrideKey, number>> = {};
  for (const key of overrideKeys) {
    const text = values.overrides?.[key];
    if (!present(text) || text.trim() === '') continue;
    const fen = yuanToFen(text);
    if (fen === null) invalidYuan.push(['overrides', key]);
    else overrides[key] = fen;
  }
  const byYear: Partial<Record<ByYearOverrideKey, Record<string, number>>> = {};
  for (const key of byYearOverrideKeys) {
    const record = yearRecord(key, values.overridesByYear?.[key] ?? [], invalidYuan);
    if (record !== null) byYear[key] = record;
  }
  const preDeathText = values.kind === 'death' ? (values.preDeathWage ?? '').trim() : '';
  const preDeathFen = preDeathText === '' ? null : yuanToFen(preDeathText);
  if (preDeathText !== '' && preDeathFen === null) invalidYuan.push(['preDeathWage']);
  if (invalidYuan.length > 0) return { ok: false, invalidYuan };

  const input: Record<string, unknown> = {};
  if (present(values.region)) input['region'] = values.region;
  if (present(values.kind)) input['kind'] = values.kind;
  if (present(values.injuryDate)) input['injuryDate'] = values.injuryDate;
  input['monthlyWagesFen'] = monthlyWagesFen;
  if (present(values.disabilityGrade)) input['disabilityGrade'] = values.disabilityGrade;
  if (values.kind === 'death') {
    if (present(values.deathDate)) input['deathDate'] = values.deathDate;
    if (present(values.deathCircumstance)) input['deathCircumstance'] = values.deathCircumstance;
    input['dependants'] = (values.dependants ?? []).map(dependantInput);
    if (preDeathFen !== null) input['preDeathMonthlyWageFen'] = preDeathFen;
  } else {
    if (present(values.decisionDate)) input['decisionDate'] = values.decisionDate;
    const level = values.nursingLevel ?? 'none';
    input['nursingLevel'] = level === 'none' ? null : level;
    input['employerArrangedWork'] = values.employerArrangedWork === true;
    // Sent only when ticked: the contract's default (false) keeps other inputs as they were.
    if (values.occupationalDisease === true) input['occupationalDisease'] = true;
    if (values.separationEnabled === true) {
      const separation: Record<string, unknown> = {};
      if (present(values.separationDate)) separation['date'] = values.separationDate;
      Object.assign(separation, retirementTiming(values));
      input['separation'] = separation;
    } else {
      input['separation'] = null;
    }
  }
  // Insured is the contract's default: only an uninsured employer is sent.
  if (values.employerInsured === false) input['employerInsured'] = false;
  if (present(values.applicationDate)) input['applicationDate'] = values.applicationDate;
  if (present(values.applicationDeadlineExtendedTo))
    input['applicationDeadlineExtendedTo'] = values.applicationDeadlineExtendedTo;
  const allOverrides = { ...overrides, ...byYear };
  if (Object.keys(allOverrides).length > 0) input['overrides'] = allOverrides;
  return { ok: true, input };
}

/** Where a server problem path ("monthlyWagesFen.3") shows on the form. */
export type FormTarget =
  | { kind: 'field'; name: FormFieldName }
  | { kind: 'list'; list: 'wages' | 'dependants' }
  | { kind: 'general' };

const scalarFields = new Set([
  'region',
  'kind',
  'injuryDate',
  'decisionDate',
  'deathDate',
  'disabilityGrade',
  'nursingLevel',
  'employerArrangedWork',
  'occupationalDisease',
  'deathCircumstance',
  'employerInsured',
  'applicationDate',
  'applicationDeadlineExtendedTo',
]);

/** Where a problem under `separation.` shows: the form field of each contract field. */
const separationFields: Record<string, string> = {
  yearsToRetirement: 'yearsToRetirement',
  retirementDate: 'retirementDate',
  birthDate: 'birthDate',
  retirementAge: 'retirementAgeYears',
  'retirementAge.years': 'retirementAgeYears',
  'retirementAge.months': 'retirementAgeMonths',
};
/** Where a problem under `dependants.<i>.` shows (default: the relation). */
const dependantFields: Readonly<Record<string, string>> = {
  orphanOrSoleElder: 'orphanOrSoleElder',
  oneOffPayment: 'oneOff',
  'oneOffPayment.birthDate': 'birthDate',
  'oneOffPayment.withoutLabourCapacityOrIncome': 'withoutLabourCapacityOrIncome',
  'oneOffPayment.monthsReceived': 'monthsReceived',
  'oneOffPayment.receivedFen': 'monthsReceived',
};
/** Input fields whose form field has another name. */
const renamedFields: Readonly<Record<string, string>> = { preDeathMonthlyWageFen: 'preDeathWage' };

export function formTargetForPath(path: string): FormTarget {
  const parts = path.split('.').filter((part) => part !== '');
  const [head, second, third] = parts;
  const index = second !== undefined && /^\d+$/.test(second) ? Number(second) : null;
  if (head === undefined) return { kind: 'general' };
  if (scalarFields.has(head) && parts.length === 1) return { kind: 'field', name: [head] };
  const renamed = renamedFields[head];
  if (renamed !== undefined && parts.length === 1) return { kind: 'field', name: [renamed] };
  if (head === 'monthlyWagesFen') {
    return index === null
      ? { kind: 'list', list: 'wages' }
      : { kind: 'field', name: ['wages', index] };
  }
  if (head === 'separation') {
    if (second === 'date') return { kind: 'field', name: ['separationDate'] };
    const leaf = separationFields[`${second}${third === undefined ? '' : `.${third}`}`];
    if (leaf !== undefined) return { kind: 'field', name: [leaf] };
    return { kind: 'field', name: ['separationEnabled'] };
  }
  if (head === 'dependants') {
    if (index === null) return { kind: 'list', list: 'dependants' };
    const leaf = dependantFields[parts.slice(2).join('.')] ?? 'relation';
    return { kind: 'field', name: ['dependants', index, leaf] };
  }
  if (
    head === 'overrides' &&
    second !== undefined &&
    (overrideKeys as readonly string[]).includes(second)
  ) {
    return { kind: 'field', name: ['overrides', second] };
  }
  return { kind: 'general' };
}
