import { and, eq, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appraisals, benefitDecisions, cases, employmentSpells } from '../../db/schema.ts';
import type { CoveredCase } from '../../domain/benefits/separation-decision.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { multipleInjuriesRule } from '../../rules/benefits/separation.ts';
import type { RuleSet } from '../../rules/calculator/index.ts';
import { type BenefitCase, loadBenefitCase } from './benefit-case-facts.ts';

/** Another graded case of the worker the combined separation covers. */
export type OtherInjury = CoveredCase & { regionCode: string; accidentDate: IsoDate };

export type OtherInjuries = { others: OtherInjury[]; citation: string; quote: string };

/**
 * 《浙江省工伤保险条例》第二十八条: "职工在同一用人单位连续工作期间多次发生工伤…一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发。"
 * The worker's other graded cases (an approved disability decision) at the same employer in the
 * same continuous employment, which one separation covers with this case; null where the province
 * has no such rule or there is none. Continuous employment: the other injury is counted unless the
 * register shows it in another spell than this one (a spell with the employer holds this injury's
 * day and not the other's); without spells both count. A case kept by another city cannot be
 * covered (a separation and its cases are one city's records): refused, to be decided by hand.
 */
export async function otherInjuriesAtEmployer(
  tx: Executor,
  rules: RuleSet,
  regionCode: string,
  benefitCase: BenefitCase,
  separationDate: IsoDate,
): Promise<Result<OtherInjuries | null, 'benefit.separation_multiple_injuries'>> {
  const rule = multipleInjuriesRule(rules, regionCode, separationDate);
  if (rule === null) return ok(null);
  const others = await otherGradedCases(tx, regionCode, benefitCase);
  if (others.length === 0) return ok(null);
  const elsewhere = others.filter((o) => o.regionCode !== regionCode);
  if (elsewhere.length > 0)
    return refuse(
      'benefit.separation_multiple_injuries',
      `the worker has graded case(s) at this employer kept by another city (${elsewhere.map((o) => `${o.caseId} grade ${o.grade}`).join(', ')}): ${rule.citation} grants the 一次性工伤医疗补助金 and 一次性伤残就业补助金 once, at the highest grade; a separation covering cases of two cities is not built — decide it by hand`,
      {
        otherCases: others.map((o) => ({
          caseId: o.caseId,
          regionCode: o.regionCode,
          grade: o.grade,
        })),
        citation: rule.citation,
      },
    );
  return ok({ others, citation: rule.citation, quote: rule.quote });
}

/**
 * Locks the other cases (after the requested one, by id: one lock order with the case use cases)
 * and reads them again. They were read before their locks, so a regrade applied or a decision
 * replaced in between would leave the proposal on a decision that is no longer approved; every
 * use case that changes a case's decision holds the case's lock, so the list read under the locks
 * stands until commit. A list that changed is refused: propose again.
 */
export async function lockOtherInjuries(
  tx: Executor,
  regionCode: string,
  benefitCase: BenefitCase,
  read: readonly OtherInjury[],
): Promise<Result<OtherInjury[], 'benefit.separation_cases_changed'>> {
  for (const o of read) await loadBenefitCase(tx, o.regionCode, o.caseId, { lock: true });
  const now = await otherGradedCases(tx, regionCode, benefitCase);
  if (now.length === read.length && now.every((c, i) => sameCase(c, read[i]))) return ok(now);
  const shown = (list: readonly OtherInjury[]) =>
    list.map((c) => ({ caseId: c.caseId, decisionId: c.decisionId, grade: c.grade }));
  return refuse(
    'benefit.separation_cases_changed',
    "the worker's graded cases at this employer changed while this separation was being proposed (a regrade applied or a decision replaced): propose again",
    { read: shown(read), now: shown(now) },
  );
}

function sameCase(a: OtherInjury, b: OtherInjury | undefined): boolean {
  return (
    b !== undefined &&
    a.regionCode === b.regionCode &&
    a.caseId === b.caseId &&
    a.decisionId === b.decisionId &&
    a.grade === b.grade
  );
}

async function otherGradedCases(
  tx: Executor,
  regionCode: string,
  benefitCase: BenefitCase,
): Promise<OtherInjury[]> {
  const rows = await tx.orm
    .select({
      caseId: cases.id,
      regionCode: cases.regionCode,
      accidentDate: cases.accidentDate,
      decisionId: benefitDecisions.id,
      grade: appraisals.disabilityGrade,
    })
    .from(cases)
    .innerJoin(
      benefitDecisions,
      and(
        eq(benefitDecisions.regionCode, cases.regionCode),
        eq(benefitDecisions.caseId, cases.id),
        eq(benefitDecisions.status, 'approved'),
        eq(benefitDecisions.kind, 'disability'),
      ),
    )
    .innerJoin(
      appraisals,
      and(
        eq(appraisals.regionCode, benefitDecisions.regionCode),
        eq(appraisals.id, benefitDecisions.appraisalId),
      ),
    )
    .where(
      and(
        eq(cases.workerId, benefitCase.workerId),
        eq(cases.employerRegionCode, benefitCase.employerRegionCode),
        eq(cases.employerId, benefitCase.employerId),
        or(ne(cases.regionCode, regionCode), ne(cases.id, benefitCase.id)),
        notExists(
          tx.orm
            .select({ id: employmentSpells.id })
            .from(employmentSpells)
            .where(
              and(
                eq(employmentSpells.regionCode, benefitCase.employerRegionCode),
                eq(employmentSpells.employerId, benefitCase.employerId),
                eq(employmentSpells.workerId, benefitCase.workerId),
                sql`${employmentSpells.startDate} <= ${benefitCase.accidentDate}`,
                sql`coalesce(${employmentSpells.endDate}, 'infinity'::date) >= ${benefitCase.accidentDate}`,
                notHolding(),
              ),
            ),
        ),
      ),
    )
    .orderBy(cases.id);
  return rows.map((r) => {
    invariant(r.grade !== null, `approved decision ${r.decisionId} rests on an ungraded appraisal`);
    return { ...r, grade: r.grade };
  });
}

/** The spell does not hold the other case's day of injury: that injury was in another spell. */
function notHolding(): SQL {
  return sql`NOT (${employmentSpells.startDate} <= ${cases.accidentDate}
    AND coalesce(${employmentSpells.endDate}, 'infinity'::date) >= ${cases.accidentDate})`;
}
