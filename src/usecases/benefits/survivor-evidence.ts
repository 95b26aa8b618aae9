import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { caseDependants } from '../../db/schema-benefits.ts';
import { caseMaterials, caseMaterialWithdrawals } from '../../db/schema-materials.ts';
import type { DecisionDeath } from '../../domain/benefits/death-case.ts';
import {
  type DependantEvidence,
  evidenceKindOfItem,
  evidenceOfDependant,
  missingEvidence,
  missingEvidenceMessage,
  type SurvivorEvidenceKind,
  survivorEvidenceRule,
} from '../../domain/benefits/survivor-evidence.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { type Refusal, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * Before a death decision is approved, every 供养亲属 it pays must have handed in the papers the
 * province asks for (《河南省工伤保险条例》第三十四条第二款, src/domain/benefits/survivor-evidence.ts).
 * Checked at the approval, not the proposal: the handler may propose while the papers come in, and
 * the approval is what makes money move, so the last paper withdrawn before it still counts. Read
 * from the decision's pinned rule set on the date of death; a region without the rule is not held
 * up. A paper counts for the person (the ID number of the dependant it is tagged to), so a
 * re-recording of the dependants does not lose the papers handed in before it.
 */
export async function survivorEvidenceRefusal(
  tx: Executor,
  rules: RuleSet,
  decision: { regionCode: string; caseId: string; death: DecisionDeath | null },
): Promise<Refusal<'benefit.survivor_evidence_missing'> | null> {
  const { death } = decision;
  if (death === null || death.dependants.length === 0) return null;
  const rule = survivorEvidenceRule(rules, decision.regionCode, death.diedOn);
  if (rule === null) return null;
  const paid = await dependantRows(
    tx,
    decision.regionCode,
    death.dependants.map((d) => d.id),
  );
  const papers = await papersOf(tx, decision.regionCode, decision.caseId);
  const dependants = death.dependants.map((d) => {
    const row = paid.get(d.id);
    if (row === undefined) throw new Error(`dependant ${d.id} of the decision is not stored`);
    return { ...d, ...row };
  });
  const missing = missingEvidence(rule, dependants, papers);
  if (missing.length === 0) return null;
  return refuse('benefit.survivor_evidence_missing', missingEvidenceMessage(missing), {
    dependants: missing,
    citation: rule.citation,
  });
}

/** The papers of each current dependant, as the death decision's approval will reckon them. */
export type SurvivorEvidenceView = { citation: string; dependants: DependantEvidence[] };

/**
 * The case page's view of the survivors' evidence: for each current dependant, the papers the
 * province asks of him on the date of death, those on file for the person (not withdrawn) and those
 * still missing; null where the region asks none. The same rule and the same papers as
 * `survivorEvidenceRefusal`, read with the rule book in force (the approval reads the decision's
 * pinned one, which is the same unless the rules changed in between). No ID number leaves here.
 */
export async function survivorEvidenceOf(
  ex: Executor,
  rules: RuleSet,
  at: { regionCode: string; caseId: string; diedOn: IsoDate },
): Promise<SurvivorEvidenceView | null> {
  const rule = survivorEvidenceRule(rules, at.regionCode, at.diedOn);
  if (rule === null) return null;
  const dependants = await ex.orm
    .select({
      id: caseDependants.id,
      ordinal: caseDependants.ordinal,
      relation: caseDependants.relation,
      orphanOrSoleElder: caseDependants.orphanOrSoleElder,
      adoptive: caseDependants.adoptive,
      person: caseDependants.idNumber,
    })
    .from(caseDependants)
    .where(
      and(
        eq(caseDependants.regionCode, at.regionCode),
        eq(caseDependants.caseId, at.caseId),
        eq(caseDependants.status, 'current'),
      ),
    )
    .orderBy(asc(caseDependants.ordinal));
  const papers = await papersOf(ex, at.regionCode, at.caseId);
  return {
    citation: rule.citation,
    dependants: dependants.map((d) => evidenceOfDependant(rule, d, papers)),
  };
}

async function dependantRows(tx: Executor, regionCode: string, ids: readonly string[]) {
  const rows = await tx.orm
    .select({
      id: caseDependants.id,
      orphanOrSoleElder: caseDependants.orphanOrSoleElder,
      adoptive: caseDependants.adoptive,
      person: caseDependants.idNumber,
    })
    .from(caseDependants)
    .where(and(eq(caseDependants.regionCode, regionCode), inArray(caseDependants.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The case's survivors' papers not withdrawn, each with the person (ID number) it is tagged to. */
async function papersOf(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<{ person: string; kind: SurvivorEvidenceKind }[]> {
  const tagged = alias(caseDependants, 'tagged');
  const rows = await tx.orm
    .select({ itemCode: caseMaterials.itemCode, person: tagged.idNumber })
    .from(caseMaterials)
    .innerJoin(
      tagged,
      and(
        eq(tagged.regionCode, caseMaterials.regionCode),
        eq(tagged.id, caseMaterials.dependantId),
      ),
    )
    .leftJoin(
      caseMaterialWithdrawals,
      and(
        eq(caseMaterialWithdrawals.regionCode, caseMaterials.regionCode),
        eq(caseMaterialWithdrawals.materialId, caseMaterials.id),
      ),
    )
    .where(
      and(
        eq(caseMaterials.regionCode, regionCode),
        eq(caseMaterials.caseId, caseId),
        isNotNull(caseMaterials.dependantId),
        isNull(caseMaterialWithdrawals.materialId),
      ),
    );
  return rows.flatMap((r) => {
    const kind = evidenceKindOfItem(r.itemCode);
    return kind === null ? [] : [{ person: r.person, kind }];
  });
}
