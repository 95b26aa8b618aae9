import type { IsoDate } from '../../kernel/dates.ts';
import type { RoundingRule } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { makeContext, readRounding, sourceOf } from '../../rules/context.ts';
import { RATE_FORMULA_CITATION } from '../../rules/contributions/rate.ts';
import {
  assessContribution,
  type ContributionRefusalCode,
  type FloatGrade,
  type IndustryStandard,
  riskClassOf,
  riskClassTablePath,
} from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * The small tables a city-month's assessment joins in SQL (ADR 0010): each (risk class, grade) →
 * base rate, multiplier and rate as exact decimal strings with their citations, and each
 * (standard, division) of the city's employers → risk class. Built here by the same rule functions
 * as the rate calculator (`assessContribution`, `riskClassOf`), read on the month's first day, so
 * the set-based SQL cannot drift from the rules: the SQL only multiplies and rounds.
 */
export const FLOAT_GRADES: readonly FloatGrade[] = ['down2', 'down1', 'base', 'up1', 'up2'];

export type RateRow = {
  riskClass: number;
  grade: FloatGrade;
  baseRate: string;
  multiplier: string;
  rate: string;
  citations: string[];
};

export type DivisionRow = {
  standard: IndustryStandard;
  division: string;
  riskClass: number;
  /** The citation of the standard's class table in force. */
  citation: string | null;
};

export type AssessmentTables = {
  date: IsoDate;
  rounding: RoundingRule;
  rates: RateRow[];
  divisions: DivisionRow[];
  /** Divisions of the city's employers with no risk class (the run refuses, naming them). */
  unclassified: { standard: IndustryStandard; division: string; reason: string }[];
};

/** A rate string the SQL can take as `numeric`: a terminating decimal (all of 71号's are). */
const DECIMAL = /^\d+(\.\d+)?$/;

function rateRowsOf(rules: RuleSet, region: string, date: IsoDate) {
  const rows: RateRow[] = [];
  for (let riskClass = 1; riskClass <= 8; riskClass += 1)
    for (const grade of FLOAT_GRADES) {
      // Class 1 takes no downward grade (gradeAllowed): no row, the SQL then finds no rate.
      const ctx = makeContext(rules, region, {}, true);
      const r = assessContribution(ctx, { payrollFen: 0, riskClass, grade, date });
      if (!r.ok) {
        if (r.code === 'contribution.grade_not_allowed') continue;
        return r;
      }
      if (!DECIMAL.test(r.value.rate))
        throw new Error(`rate ${r.value.rate} of class ${riskClass} ${grade} is not a decimal`);
      const read = (ctx.traced ?? []).filter((t) => t.path.startsWith('contribution.'));
      rows.push({
        riskClass,
        grade,
        baseRate: r.value.baseRate,
        multiplier: r.value.multiplier,
        rate: r.value.rate,
        citations: [...new Set([RATE_FORMULA_CITATION, ...read.map((t) => t.citation)])],
      });
    }
  return ok(rows);
}

/** The tables of one city-month (date = the month's first day). */
export function assessmentTables(
  rules: RuleSet,
  region: string,
  date: IsoDate,
  industries: readonly { standard: IndustryStandard; division: string }[],
): Result<AssessmentTables, ContributionRefusalCode> {
  const ctx = makeContext(rules, region, {}, false);
  const rounding = readRounding(ctx, date);
  if (!rounding.ok) return rounding;
  const rates = rateRowsOf(rules, region, date);
  if (!rates.ok) return rates;
  const divisions: DivisionRow[] = [];
  const unclassified: AssessmentTables['unclassified'] = [];
  for (const { standard, division } of industries) {
    const c = riskClassOf(ctx, standard, division, date);
    if (c.ok)
      divisions.push({
        standard,
        division,
        riskClass: c.value,
        citation: sourceOf(ctx, riskClassTablePath(standard), date),
      });
    else if (c.code === 'rules.parameter_missing') return c;
    else unclassified.push({ standard, division, reason: c.message });
  }
  return ok({ date, rounding: rounding.value, rates: rates.value, divisions, unclassified });
}
