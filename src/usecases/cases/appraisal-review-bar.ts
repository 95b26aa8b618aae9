import { and, desc, eq, exists, lte, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { cases } from '../../db/schema-cases.ts';
import { employmentSpells } from '../../db/schema-registry.ts';
import { benefitSeparationCases, benefitSeparations } from '../../db/schema-separation.ts';
import type { ReviewBarFacts } from '../../domain/cases/appraisal-procedure.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { reviewBarRule } from '../../rules/cases/review-bar.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { AppraisalRow } from './appraisal-store.ts';

/**
 * What the review bar of the region (`appraisal.review_bar`) needs to know of the case on the day
 * a review is applied for: the revisited conclusion's grade, the case's approved separation and the
 * end of the worker's employment with the case's employer. Read only where the bar is not `none`.
 */
export async function reviewBarFacts(
  ex: Executor,
  rules: RuleSet,
  kase: { regionCode: string; id: string },
  previous: AppraisalRow,
  appliedOn: IsoDate,
): Promise<Result<ReviewBarFacts, 'rules.parameter_missing'>> {
  const rule = reviewBarRule(rules, kase.regionCode, appliedOn);
  if (!rule.ok) return rule;
  const grade = previous.conclusion === 'graded' ? previous.disabilityGrade : null;
  const facts = { ...rule.value, grade, separationApprovedOn: null, employmentEndedOn: null };
  if (rule.value.bar === 'none') return ok(facts);
  return ok({
    ...facts,
    separationApprovedOn: await separationApprovedOn(ex, kase, appliedOn),
    employmentEndedOn: await employmentEndedOn(ex, kase, appliedOn),
  });
}

async function separationApprovedOn(
  ex: Executor,
  kase: { regionCode: string; id: string },
  appliedOn: IsoDate,
): Promise<IsoDate | null> {
  const [row] = await ex.orm
    .select({ approvedOn: benefitSeparations.approvedOn })
    .from(benefitSeparations)
    .where(
      and(
        eq(benefitSeparations.regionCode, kase.regionCode),
        // The case's own separation, or a combined one covering it (《浙江省工伤保险条例》第二十八条,
        // migration 0048): either ends the worker's labour relationship.
        or(
          eq(benefitSeparations.caseId, kase.id),
          exists(
            ex.orm
              .select({ caseId: benefitSeparationCases.caseId })
              .from(benefitSeparationCases)
              .where(
                and(
                  eq(benefitSeparationCases.regionCode, benefitSeparations.regionCode),
                  eq(benefitSeparationCases.separationId, benefitSeparations.id),
                  eq(benefitSeparationCases.caseId, kase.id),
                ),
              ),
          ),
        ),
        eq(benefitSeparations.status, 'approved'),
        lte(benefitSeparations.approvedOn, appliedOn),
      ),
    )
    .orderBy(desc(benefitSeparations.approvedOn))
    .limit(1);
  return row?.approvedOn ?? null;
}

/**
 * The day the worker's latest spell with the case's employer ended, when it ended on or before the
 * application; null while a spell with that employer is open (a worker taken back on is employed).
 */
async function employmentEndedOn(
  ex: Executor,
  kase: { regionCode: string; id: string },
  appliedOn: IsoDate,
): Promise<IsoDate | null> {
  const [owner] = await ex.orm
    .select({
      workerId: cases.workerId,
      employerRegionCode: cases.employerRegionCode,
      employerId: cases.employerId,
    })
    .from(cases)
    .where(and(eq(cases.regionCode, kase.regionCode), eq(cases.id, kase.id)));
  invariant(owner !== undefined, `case ${kase.id} is locked, so it exists`);
  const [latest] = await ex.orm
    .select({ endDate: employmentSpells.endDate })
    .from(employmentSpells)
    .where(
      and(
        eq(employmentSpells.regionCode, owner.employerRegionCode),
        eq(employmentSpells.employerId, owner.employerId),
        eq(employmentSpells.workerId, owner.workerId),
        lte(employmentSpells.startDate, appliedOn),
      ),
    )
    .orderBy(desc(employmentSpells.startDate))
    .limit(1);
  const ended = latest?.endDate ?? null;
  return ended !== null && ended <= appliedOn ? ended : null;
}
