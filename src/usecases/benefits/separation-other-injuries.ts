import { and, eq, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appraisals, benefitDecisions, cases, employmentSpells } from '../../db/schema.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { type Refusal, refuse } from '../../kernel/result.ts';
import { multipleInjuriesRule } from '../../rules/benefits/separation.ts';
import type { RuleSet } from '../../rules/calculator/index.ts';
import type { BenefitCase } from './benefit-case-facts.ts';

/**
 * 《浙江省工伤保险条例》第二十八条: "职工在同一用人单位连续工作期间多次发生工伤…一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发。"
 * The separation is decided per case, which would pay the two grants once per injury; until a
 * combined decision is built, a worker with another graded case (an approved disability decision)
 * at the same employer in the same continuous employment is refused, with the other cases named,
 * so no grant is paid twice or at a lower grade than the highest. Continuous employment: the other
 * injury is counted unless the register shows it in another spell than this one (a spell with the
 * employer holds this injury's day and not the other's); without spells both count.
 */
export async function otherInjuriesAtEmployer(
  tx: Executor,
  rules: RuleSet,
  regionCode: string,
  benefitCase: BenefitCase,
  separationDate: IsoDate,
): Promise<Refusal<'benefit.separation_multiple_injuries'> | null> {
  const rule = multipleInjuriesRule(rules, regionCode, separationDate);
  if (rule === null) return null;
  const others = await tx.orm
    .select({ caseId: cases.id, regionCode: cases.regionCode, grade: appraisals.disabilityGrade })
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
  if (others.length === 0) return null;
  return refuse(
    'benefit.separation_multiple_injuries',
    `the worker has ${others.length} other graded case(s) at this employer (${others.map((o) => `${o.caseId} grade ${o.grade}`).join(', ')}): ${rule.citation} grants the 一次性工伤医疗补助金 and 一次性伤残就业补助金 once, at the highest grade; a combined separation is not built — decide it by hand`,
    { otherCases: others, citation: rule.citation },
  );
}

/** The spell does not hold the other case's day of injury: that injury was in another spell. */
function notHolding(): SQL {
  return sql`NOT (${employmentSpells.startDate} <= ${cases.accidentDate}
    AND coalesce(${employmentSpells.endDate}, 'infinity'::date) >= ${cases.accidentDate})`;
}
