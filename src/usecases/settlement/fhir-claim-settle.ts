import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import type { NativeClaim } from '../../domain/settlement/fhir-claim.ts';
import type { ClaimOutcome, LineOutcome } from '../../domain/settlement/fhir-claim-response.ts';
import { FHIR_LINE_REASONS, type FhirLineReason } from '../../domain/settlement/fhir-systems.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { MessageAnswer } from './his-messages.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { preSettle } from './his-settle.ts';
import { settle } from './his-settle-batch.ts';
import { amendVisit, openVisit, uploadLines } from './his-visits.ts';

/**
 * A FHIR R4 `Claim` (docs/fhir.md) settled through the native transaction set: the same use cases
 * an institution's HIS calls one by one — 9001 sign-in, 1101 identify, 2201 open, 2203 discharge
 * day, 2204 lines, then 2207 settle (Claim.use claim) or 2206 pre-settle (predetermination) — each
 * under the Claim's serial (the key is institution, transaction code and serial, so one serial
 * serves every step). A Claim sent again replays every step: nothing twice. So the adjudication of
 * a Claim is the native one by construction; a refused step answers the Claim `refused`.
 */
const reasonCodes = Object.keys(FHIR_LINE_REASONS).filter((k): k is FhirLineReason =>
  Object.hasOwn(FHIR_LINE_REASONS, k),
);
const answerLines = z.array(
  z.object({
    lineNo: z.number().int(),
    outcome: z.enum(['payable', 'partial', 'rejected']),
    claimedFen: z.number().int(),
    payableFen: z.number().int(),
    reasons: z.array(
      z.string().refine((r): r is FhirLineReason => reasonCodes.some((c) => c === r)),
    ),
    catalogueCode: z.string().nullable(),
  }),
);
const identifiedCases = z.array(z.object({ caseId: z.string() }));
const answerTotals = z.object({ claimedFen: z.number().int(), payableFen: z.number().int() });

type Step = Result<MessageAnswer, string>;

export async function settleFhirClaim(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  claim: NativeClaim,
  context: { respondedAt: string },
): Promise<ClaimOutcome> {
  const refused = (step: Step & { ok: false }, fundRegion: string) =>
    ({
      settlementId: null,
      status: 'refused',
      lines: [],
      totals: { claimedFen: claim.lines.reduce((s, l) => s + l.amountFen, 0), payableFen: 0 },
      respondedAt: context.respondedAt,
      fundRegion,
      refusal: { code: step.code, message: step.message },
    }) satisfies ClaimOutcome;
  const base = { version: 1 as const, serial: claim.serial };
  const signed = await signIn(db, actor, base, { operator: 'FHIR' });
  if (!signed.ok) return refused(signed, '');
  const env = { ...base, signInId: String(signed.value.body['signInId']) };
  const who = await identifyPatient(db, actor, env, { idNumber: claim.patientIdNumber });
  if (!who.ok) return refused(who, '');
  if (!casesOf(who.value).includes(claim.caseId))
    return refused(
      refuse(
        'settlement.patient_not_identified',
        `case ${claim.caseId} is not an accepted case of the Claim's patient`,
      ),
      '',
    );
  const opened = await openVisit(db, actor, env, {
    caseId: claim.caseId,
    hisVisitNo: claim.visit.hisVisitNo,
    kind: claim.visit.kind,
    openedOn: claim.visit.openedOn,
    diagnosisCode: claim.visit.diagnosisCode,
  });
  if (!opened.ok) return refused(opened, '');
  const visitId = String(opened.value.body['visitId']);
  const fundRegion = String(opened.value.body['regionCode']);
  if (claim.visit.closedOn !== null) {
    const amended = await amendVisit(db, actor, env, { visitId, closedOn: claim.visit.closedOn });
    if (!amended.ok) return refused(amended, fundRegion);
  }
  const uploaded = await uploadLines(db, actor, env, { visitId, lines: claim.lines });
  if (!uploaded.ok) return refused(uploaded, fundRegion);
  const totals = {
    visitId,
    lineCount: claim.lines.length,
    claimedFen: claim.lines.reduce((s, l) => s + l.amountFen, 0),
  };
  const done =
    claim.action === 'settle'
      ? await settle(db, rules, actor, env, totals)
      : await preSettle(db, rules, actor, env, totals);
  if (!done.ok) return refused(done, fundRegion);
  return outcomeOf(done.value, claim.action, fundRegion, context.respondedAt);
}

/** The case ids a 1101 answer lists: the patient's accepted cases. */
function casesOf(answer: MessageAnswer): string[] {
  return identifiedCases.parse(answer.body['cases']).map((c) => c.caseId);
}

/** The native answer as the ClaimResponse needs it (parsed: the stored answer is JSON). */
function outcomeOf(
  answer: MessageAnswer,
  action: NativeClaim['action'],
  fundRegion: string,
  respondedAt: string,
): ClaimOutcome {
  const lines: LineOutcome[] = answerLines.parse(answer.body['lines']);
  const totals = answerTotals.parse(answer.body['totals']);
  const settlementId = answer.body['settlementId'];
  return {
    settlementId: action === 'settle' && typeof settlementId === 'string' ? settlementId : null,
    status: action === 'settle' ? 'settled' : 'pre_settled',
    lines,
    totals,
    respondedAt,
    fundRegion,
  };
}
