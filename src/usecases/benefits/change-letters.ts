import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  benefitChangeLetters,
  benefitDecisions,
  benefitEntitlements,
  type ChangeEventKind,
} from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import { type ChangeLetterFacts, changeLetterText } from '../../domain/benefits/change-letter.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { caseLetterFacts, issueBenefitLetter } from './benefit-letters.ts';

/**
 * The letters of a change to benefits already decided (docs/letters.md, `benefit_change`): one per
 * case whose decision the changed entitlements rest on, issued inside the transaction that applies
 * the change (after its approval is consumed), so a refused or rolled-back apply issues nothing and
 * leaves no gap in the series; each linked to its event (`benefit_change_letters`). The letter is on
 * the case's timeline, so the handler's case page and the worker's own case list it and download it
 * by the case's letter routes.
 */
export type IssuedChangeLetter = { caseId: string; letterId: string; documentNumber: string };

/** The cases of the entitlements, each with its entitlement ids (in the order given). */
async function casesOf(
  tx: Executor,
  regionCode: string,
  entitlementIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (entitlementIds.length === 0) return new Map();
  const rows = await tx.orm
    .select({ id: benefitEntitlements.id, caseId: benefitDecisions.caseId })
    .from(benefitEntitlements)
    .innerJoin(
      benefitDecisions,
      and(
        eq(benefitDecisions.regionCode, benefitEntitlements.regionCode),
        eq(benefitDecisions.id, benefitEntitlements.decisionId),
      ),
    )
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        inArray(benefitEntitlements.id, [...entitlementIds]),
      ),
    );
  const caseOf = new Map(rows.map((r) => [r.id, r.caseId]));
  const byCase = new Map<string, string[]>();
  for (const id of entitlementIds) {
    const caseId = caseOf.get(id);
    if (caseId === undefined) continue;
    byCase.set(caseId, [...(byCase.get(caseId) ?? []), id]);
  }
  return byCase;
}

export async function issueChangeLetters(
  tx: Executor,
  actor: Actor,
  input: {
    regionCode: string;
    event: { kind: ChangeEventKind; id: string };
    on: IsoDate;
    entitlementIds: readonly string[];
    /** The letter's facts for one case's entitlements; `workerName` is the case's worker. */
    factsOf: (workerName: string, entitlementIds: readonly string[]) => ChangeLetterFacts;
    /** The addressee, when not the worker himself (a survivor's change: his 近亲属). */
    recipient?: (workerName: string) => string;
  },
): Promise<IssuedChangeLetter[]> {
  const issued: IssuedChangeLetter[] = [];
  for (const [caseId, ids] of await casesOf(tx, input.regionCode, input.entitlementIds)) {
    const facts = await caseLetterFacts(tx, input.regionCode, caseId);
    const letter = await issueBenefitLetter(tx, actor, {
      regionCode: input.regionCode,
      caseId,
      letterType: 'benefit_change',
      on: input.on,
      facts,
      recipient: input.recipient?.(facts.workerName),
      text: changeLetterText(input.factsOf(facts.workerName, ids)),
    });
    await tx.orm.insert(benefitChangeLetters).values({
      regionCode: input.regionCode,
      letterId: letter.id,
      eventKind: input.event.kind,
      eventId: input.event.id,
      caseId,
    });
    issued.push({ caseId, letterId: letter.id, documentNumber: letter.documentNumber });
  }
  return issued;
}

/** The letters an event issued, in the order of their numbers. */
export async function changeLettersOf(
  ex: Executor,
  regionCode: string,
  event: { kind: ChangeEventKind; id: string },
): Promise<IssuedChangeLetter[]> {
  return ex.orm
    .select({
      caseId: benefitChangeLetters.caseId,
      letterId: benefitChangeLetters.letterId,
      documentNumber: letters.documentNumber,
    })
    .from(benefitChangeLetters)
    .innerJoin(
      letters,
      and(
        eq(letters.regionCode, benefitChangeLetters.regionCode),
        eq(letters.id, benefitChangeLetters.letterId),
      ),
    )
    .where(
      and(
        eq(benefitChangeLetters.regionCode, regionCode),
        eq(benefitChangeLetters.eventKind, event.kind),
        eq(benefitChangeLetters.eventId, event.id),
      ),
    )
    .orderBy(letters.year, letters.number);
}
