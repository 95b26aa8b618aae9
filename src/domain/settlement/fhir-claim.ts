import { isIsoDate } from '../../kernel/dates.ts';
import { type Ok, ok, type Refusal, refuse } from '../../kernel/result.ts';
import {
  codingOf,
  datePart,
  type FhirIssue,
  identifierValue,
  isRecord,
  type JsonRecord,
  listAt,
  numberAt,
  recordAt,
  recordsAt,
  scaledInteger,
  textAt,
} from './fhir-read.ts';
import { FHIR_SYSTEMS, type FhirVisitKind, isFhirVisitKind } from './fhir-systems.ts';

export type { FhirIssue } from './fhir-read.ts';

/** The R4 resources this area validates. */
export type FhirResourceType =
  | 'Claim'
  | 'ClaimResponse'
  | 'CapabilityStatement'
  | 'OperationOutcome';

/**
 * Validates a resource against the official R4 JSON schema; [] when valid. The domain cannot read
 * the schema file: src/runtime/fhir-schema.ts loads it and passes this function down.
 */
export type FhirValidate = (resourceType: FhirResourceType, resource: unknown) => FhirIssue[];

/**
 * One fee line of the native message (the contract's FeeLineInput, same fields: the domain floor
 * cannot import the contract; fhir-systems.contract.test.ts checks that each mapped line parses).
 */
export type ClaimFeeLine = {
  lineNo: number;
  ownCode: string;
  name: string;
  servedOn: string;
  quantityMilli: number;
  unitPriceFen: number;
  amountFen: number;
};

/** A FHIR Claim read as the native request: what the native settle or pre-settle takes. */
export type NativeClaim = {
  /** Claim.use: `claim` → 结算 (settle), `predetermination` → 预结算 (pre-settle, no record). */
  action: 'settle' | 'pre_settle';
  serial: string;
  patientIdNumber: string;
  caseId: string;
  visit: {
    hisVisitNo: string;
    kind: FhirVisitKind;
    openedOn: string;
    closedOn: string | null;
    diagnosisCode: string;
  };
  lines: ClaimFeeLine[];
};

/** A refusal of a Claim: the R4 schema's problems, or else the mapping's, all at once. */
export type ClaimRefusal = Refusal<'settlement.fhir_invalid'> & {
  readonly stage: 'schema' | 'mapping';
  readonly issues: readonly FhirIssue[];
};

const SERIAL = /^[A-Za-z0-9_-]{1,40}$/;
const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
const LINE_NO_MAX = 9999;
const QUANTITY_MILLI_MAX = 1_000_000_000;
const MONEY_FEN_MAX = 100_000_000_00;

/**
 * A FHIR R4 Claim → the native request (docs/fhir.md has the table). First the R4 schema; then
 * every field we need, each problem named by its path. Nothing of the worker's ID number is ever
 * put in a message.
 */
export function claimFromFhir(
  resource: unknown,
  validate: FhirValidate,
): Ok<NativeClaim> | ClaimRefusal {
  const schemaIssues = validate('Claim', resource);
  if (!isRecord(resource) || resource['resourceType'] !== 'Claim')
    schemaIssues.unshift({ path: 'resourceType', message: 'must be Claim' });
  if (schemaIssues.length > 0 || !isRecord(resource)) return refusal('schema', schemaIssues);
  const issues: FhirIssue[] = [];
  const need = <T>(value: T | undefined, path: string, message: string): T | undefined => {
    if (value === undefined) issues.push({ path, message });
    return value;
  };
  const ids = listAt(resource, 'identifier');
  const serial = need(serialOf(ids, issues), 'identifier', `needs ${FHIR_SYSTEMS.messageSerial}`);
  const hisVisitNo = need(
    identifierValue(ids, FHIR_SYSTEMS.hisVisitNo),
    'identifier',
    `needs ${FHIR_SYSTEMS.hisVisitNo}`,
  );
  const action = need(
    actionOf(textAt(resource, 'use')),
    'use',
    'must be claim or predetermination',
  );
  // draft, cancelled and entered-in-error claims ask nothing of the fund.
  if (textAt(resource, 'status') !== 'active')
    issues.push({ path: 'status', message: 'must be active' });
  const patientIdNumber = need(patientIdOf(resource), 'patient', patientMessage);
  const caseId = need(caseIdOf(resource), 'related', `needs reference of ${FHIR_SYSTEMS.caseId}`);
  const kind = need(kindOf(resource), 'subType', `needs a code of ${FHIR_SYSTEMS.visitKind}`);
  const period = periodOf(recordAt(resource, 'billablePeriod'), issues);
  const diagnosisCode = diagnosisOf(resource, issues);
  const lines = linesOf(resource, issues);
  totalCheck(resource, lines, issues);
  if (
    issues.length > 0 ||
    serial === undefined ||
    hisVisitNo === undefined ||
    action === undefined ||
    patientIdNumber === undefined ||
    caseId === undefined ||
    kind === undefined ||
    period === undefined ||
    diagnosisCode === undefined
  )
    return refusal('mapping', issues);
  return ok({
    action,
    serial,
    patientIdNumber,
    caseId,
    visit: { hisVisitNo, kind, ...period, diagnosisCode },
    lines,
  });
}

const patientMessage = `must reference a contained Patient with an identifier of ${FHIR_SYSTEMS.socialSecurityNumber}`;

function refusal(stage: ClaimRefusal['stage'], issues: readonly FhirIssue[]): ClaimRefusal {
  const message =
    stage === 'schema'
      ? `the Claim is not valid FHIR R4 (${issues.length} problems)`
      : `the Claim cannot be read as a settlement (${issues.length} problems)`;
  return { ...refuse('settlement.fhir_invalid', message, { stage, issues }), stage, issues };
}

function serialOf(ids: readonly unknown[], issues: FhirIssue[]): string | undefined {
  const serial = identifierValue(ids, FHIR_SYSTEMS.messageSerial);
  if (serial !== undefined && !SERIAL.test(serial)) {
    issues.push({ path: 'identifier', message: 'the serial is 1–40 letters, digits, _ or -' });
    return undefined;
  }
  return serial;
}

function actionOf(use: string | undefined): NativeClaim['action'] | undefined {
  if (use === 'claim') return 'settle';
  if (use === 'predetermination') return 'pre_settle';
  return undefined;
}

/** Claim.patient → `#id` → contained Patient → its 社会保障号码. */
function patientIdOf(claim: JsonRecord): string | undefined {
  const reference = textAt(recordAt(claim, 'patient'), 'reference');
  if (reference === undefined || !reference.startsWith('#')) return undefined;
  const patient = recordsAt(claim, 'contained').find(
    (c) => c.value['resourceType'] === 'Patient' && c.value['id'] === reference.slice(1),
  );
  if (patient === undefined) return undefined;
  return identifierValue(listAt(patient.value, 'identifier'), FHIR_SYSTEMS.socialSecurityNumber);
}

/** The case: Claim.related[].reference, the Identifier R4 gives for "the case or file". */
function caseIdOf(claim: JsonRecord): string | undefined {
  const references = recordsAt(claim, 'related').map((r) => r.value['reference']);
  return identifierValue(references, FHIR_SYSTEMS.caseId);
}

function kindOf(claim: JsonRecord): FhirVisitKind | undefined {
  const code = codingOf(recordAt(claim, 'subType'), FHIR_SYSTEMS.visitKind)?.code;
  return code !== undefined && isFhirVisitKind(code) ? code : undefined;
}

function periodOf(
  period: JsonRecord | undefined,
  issues: FhirIssue[],
): { openedOn: string; closedOn: string | null } | undefined {
  const openedOn = datePart(textAt(period, 'start'));
  const end = textAt(period, 'end');
  const closedOn = end === undefined ? null : (datePart(end) ?? '');
  if (openedOn === undefined || !isIsoDate(openedOn)) {
    issues.push({ path: 'billablePeriod.start', message: 'needs the visit’s first day' });
    return undefined;
  }
  if (closedOn !== null && (!isIsoDate(closedOn) || closedOn < openedOn)) {
    issues.push({ path: 'billablePeriod.end', message: 'must be a day on or after the start' });
    return undefined;
  }
  return { openedOn, closedOn };
}

/** The diagnosis of lowest sequence (the principal one), as an ICD-10 code. */
function diagnosisOf(claim: JsonRecord, issues: FhirIssue[]): string | undefined {
  const sorted = recordsAt(claim, 'diagnosis').sort(
    (a, b) => (numberAt(a.value, 'sequence') ?? 0) - (numberAt(b.value, 'sequence') ?? 0),
  );
  const first = sorted[0];
  const path = first === undefined ? 'diagnosis' : `diagnosis[${first.index}]`;
  const concept = recordAt(first?.value, 'diagnosisCodeableConcept');
  const code = codingOf(concept, FHIR_SYSTEMS.icd10)?.code;
  if (code === undefined || !ICD10.test(code)) {
    issues.push({ path, message: `needs an ICD-10 code (${FHIR_SYSTEMS.icd10}) like S62.3` });
    return undefined;
  }
  return code;
}

function linesOf(claim: JsonRecord, issues: FhirIssue[]): ClaimFeeLine[] {
  const items = recordsAt(claim, 'item');
  if (items.length === 0) issues.push({ path: 'item', message: 'needs at least one fee line' });
  const lines: ClaimFeeLine[] = [];
  const seen = new Set<number>();
  for (const { index, value } of items) {
    const line = lineOf(value, `item[${index}]`, issues);
    if (line === undefined) continue;
    if (seen.has(line.lineNo))
      issues.push({ path: `item[${index}].sequence`, message: 'repeats another item’s' });
    seen.add(line.lineNo);
    lines.push(line);
  }
  return lines;
}

function lineOf(item: JsonRecord, at: string, issues: FhirIssue[]): ClaimFeeLine | undefined {
  const before = issues.length;
  const lineNo = numberAt(item, 'sequence');
  if (lineNo === undefined || !Number.isInteger(lineNo) || lineNo < 1 || lineNo > LINE_NO_MAX)
    issues.push({ path: `${at}.sequence`, message: `must be 1–${LINE_NO_MAX}` });
  const product = recordAt(item, 'productOrService');
  const coding = codingOf(product, FHIR_SYSTEMS.institutionItem);
  const ownCode = coding?.code.trim();
  if (ownCode === undefined || ownCode.length < 1 || ownCode.length > 60)
    issues.push({
      path: `${at}.productOrService`,
      message: `needs a code of ${FHIR_SYSTEMS.institutionItem} (1–60 characters)`,
    });
  const name = (coding?.display ?? textAt(product, 'text'))?.trim();
  if (name === undefined || name.length < 1 || name.length > 200)
    issues.push({ path: `${at}.productOrService`, message: 'needs a display or text (1–200)' });
  const servedOn = datePart(textAt(item, 'servicedDate'));
  if (servedOn === undefined || !isIsoDate(servedOn))
    issues.push({ path: `${at}.servicedDate`, message: 'needs the day the item was served' });
  const quantityMilli = amountOf(recordAt(item, 'quantity'), `${at}.quantity`, 3, issues);
  if (quantityMilli !== undefined && (quantityMilli < 1 || quantityMilli > QUANTITY_MILLI_MAX))
    issues.push({ path: `${at}.quantity.value`, message: 'must be above 0 and at most 1 000 000' });
  const unitPriceFen = moneyOf(recordAt(item, 'unitPrice'), `${at}.unitPrice`, issues);
  const amountFen = moneyOf(recordAt(item, 'net'), `${at}.net`, issues);
  if (issues.length > before) return undefined;
  return {
    lineNo: lineNo ?? 0,
    ownCode: ownCode ?? '',
    name: name ?? '',
    servedOn: servedOn ?? '',
    quantityMilli: quantityMilli ?? 0,
    unitPriceFen: unitPriceFen ?? 0,
    amountFen: amountFen ?? 0,
  };
}

/** A Quantity's or Money's value at `scale` decimals, exactly. */
function amountOf(
  record: JsonRecord | undefined,
  at: string,
  scale: number,
  issues: FhirIssue[],
): number | undefined {
  const value = numberAt(record, 'value');
  if (value === undefined) {
    issues.push({ path: `${at}.value`, message: 'is required' });
    return undefined;
  }
  const scaled = scaledInteger(value, scale);
  if (typeof scaled === 'string') {
    issues.push({ path: `${at}.value`, message: scaled });
    return undefined;
  }
  return scaled;
}

/** Money in CNY → fen, refusing a fraction of a fen and a negative amount. */
function moneyOf(money: JsonRecord | undefined, at: string, issues: FhirIssue[]) {
  if (textAt(money, 'currency') !== 'CNY')
    issues.push({ path: `${at}.currency`, message: 'must be CNY' });
  const fen = amountOf(money, at, 2, issues);
  if (fen !== undefined && (fen < 0 || fen > MONEY_FEN_MAX)) {
    issues.push({ path: `${at}.value`, message: 'must be 0 to 100 000 000 yuan' });
    return undefined;
  }
  return fen;
}

/** Claim.total, when sent, must be the sum of the lines' net (a check the institution asked for). */
function totalCheck(claim: JsonRecord, lines: readonly ClaimFeeLine[], issues: FhirIssue[]) {
  const total = recordAt(claim, 'total');
  if (total === undefined) return;
  const fen = moneyOf(total, 'total', issues);
  const sum = lines.reduce((s, l) => s + l.amountFen, 0);
  if (fen !== undefined && fen !== sum)
    issues.push({ path: 'total.value', message: 'is not the sum of the items’ net' });
}
