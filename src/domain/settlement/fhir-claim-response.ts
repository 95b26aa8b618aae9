import { maskIdNumber } from '../../identity/masking.ts';
import type { FhirIssue, NativeClaim } from './fhir-claim.ts';
import { yuanOf } from './fhir-read.ts';
import {
  FHIR_LINE_REASONS,
  FHIR_SYSTEMS,
  FHIR_VISIT_KINDS,
  type FhirLineReason,
} from './fhir-systems.ts';

/** The fund's answer for one line (the contract's LineAdjudication, same fields). */
export type LineOutcome = {
  lineNo: number;
  outcome: 'payable' | 'partial' | 'rejected';
  claimedFen: number;
  payableFen: number;
  reasons: readonly FhirLineReason[];
  catalogueCode: string | null;
};

/** What the native settle (or pre-settle) answered, as claimResponseOf needs it. */
export type ClaimOutcome = {
  /** The settlement's id; null for a pre-settlement (no record) or a refusal. */
  settlementId: string | null;
  status: 'settled' | 'pre_settled' | 'refused';
  lines: readonly LineOutcome[];
  totals: { claimedFen: number; payableFen: number };
  /** When the fund answered (an instant, e.g. 2025-03-04T10:00:00+08:00): the domain has no clock. */
  respondedAt: string;
  /** The region code of the fund that answers (ClaimResponse.insurer). */
  fundRegion: string;
  /** Why the whole claim was refused (status refused): the native refusal's code and message. */
  refusal?: { code: string; message: string };
};

type Concept = { coding: Array<{ system: string; code: string; display?: string }>; text?: string };

const cny = (fen: number) => ({ value: yuanOf(fen), currency: 'CNY' });
const hl7Category = (code: 'submitted' | 'eligible' | 'benefit'): Concept => ({
  coding: [{ system: FHIR_SYSTEMS.hl7Adjudication, code }],
});
const reasonConcept = (code: FhirLineReason): Concept => ({
  coding: [{ system: FHIR_SYSTEMS.lineReason, code, display: FHIR_LINE_REASONS[code] }],
});

/**
 * The R4 ClaimResponse of a claim and the native outcome (docs/fhir.md). Each item has
 * `submitted` (what was claimed) and `benefit` (what the fund pays, with the first reason when
 * not all is paid); each further reason is one more adjudication of our category `reason`.
 * Totals likewise; `payment` only for a settlement, whose amount is the fund's share.
 */
export function claimResponseOf(claim: NativeClaim, outcome: ClaimOutcome) {
  const kind = FHIR_VISIT_KINDS[claim.visit.kind];
  const complete = outcome.status !== 'refused';
  return {
    resourceType: 'ClaimResponse' as const,
    ...(outcome.settlementId === null
      ? {}
      : { identifier: [{ system: FHIR_SYSTEMS.settlementId, value: outcome.settlementId }] }),
    status: 'active',
    type: { coding: [{ system: FHIR_SYSTEMS.hl7ClaimType, code: kind.claimType }] },
    subType: {
      coding: [{ system: FHIR_SYSTEMS.visitKind, code: claim.visit.kind, display: kind.zh }],
    },
    use: claim.action === 'settle' ? 'claim' : 'predetermination',
    // Never the full ID number in an answer (only a staff reveal carries one): the institution
    // matches the response to its Claim by `request`, so the patient is named masked.
    patient: { display: maskIdNumber(claim.patientIdNumber) },
    created: outcome.respondedAt,
    insurer: {
      identifier: { system: FHIR_SYSTEMS.fund, value: outcome.fundRegion },
      display: '工伤保险基金',
    },
    request: { identifier: { system: FHIR_SYSTEMS.messageSerial, value: claim.serial } },
    outcome: complete ? 'complete' : 'error',
    disposition: dispositionOf(outcome),
    ...(complete ? { item: outcome.lines.map(itemOf) } : {}),
    ...(complete ? { total: totalsOf(outcome) } : {}),
    ...(outcome.status === 'settled'
      ? {
          payment: {
            type: { coding: [{ system: FHIR_SYSTEMS.hl7PaymentType, code: 'complete' }] },
            amount: cny(outcome.totals.payableFen),
          },
        }
      : {}),
    ...(outcome.refusal === undefined
      ? {}
      : { error: [{ code: refusalConcept(outcome.refusal) }] }),
  };
}

function dispositionOf(outcome: ClaimOutcome): string {
  if (outcome.status === 'refused')
    return `结算被拒绝 / refused: ${outcome.refusal?.message ?? ''}`;
  return outcome.status === 'settled' ? '已结算 / settled' : '预结算 / pre-settled (no record)';
}

function itemOf(line: LineOutcome) {
  const [first, ...rest] = line.reasons;
  return {
    itemSequence: line.lineNo,
    adjudication: [
      { category: hl7Category('submitted'), amount: cny(line.claimedFen) },
      {
        category: hl7Category('benefit'),
        ...(first === undefined ? {} : { reason: reasonConcept(first) }),
        amount: cny(line.payableFen),
      },
      ...rest.map((code) => ({
        category: {
          coding: [
            { system: FHIR_SYSTEMS.adjudicationCategory, code: 'reason', display: '拒付原因' },
          ],
        },
        reason: reasonConcept(code),
      })),
    ],
  };
}

function totalsOf(outcome: ClaimOutcome) {
  return [
    { category: hl7Category('submitted'), amount: cny(outcome.totals.claimedFen) },
    { category: hl7Category('benefit'), amount: cny(outcome.totals.payableFen) },
  ];
}

function refusalConcept(refusal: { code: string; message: string }): Concept {
  return {
    coding: [{ system: FHIR_SYSTEMS.settlementRefusal, code: refusal.code }],
    text: refusal.message,
  };
}

/**
 * An R4 OperationOutcome listing the problems of a refused Claim (the answer of POST /fhir/Claim
 * to a body that is not valid R4 or cannot be mapped). `expression` is the field path in the Claim.
 */
export function operationOutcomeOf(issues: readonly FhirIssue[]) {
  return {
    resourceType: 'OperationOutcome' as const,
    issue: issues.map((i) => ({
      severity: 'error',
      code: 'invalid',
      diagnostics: i.message,
      expression: [i.path === '(resource)' ? 'Claim' : `Claim.${i.path}`],
    })),
  };
}
