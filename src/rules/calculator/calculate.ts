import type { z } from 'zod';
import { ok, type Result } from '../../kernel/result.ts';
import { type FieldError, inputProblem, issuesToFieldErrors } from '../../kernel/validation.ts';
import {
  deathLumpSum,
  deathLumpSumApplies,
  funeralGrant,
  survivorPensions,
} from '../benefits/death.ts';
import { disabilityAllowance, disabilityLumpSum } from '../benefits/disability.ts';
import type { CalculationItem, ItemResult } from '../benefits/item.ts';
import { nursingAllowance } from '../benefits/nursing.ts';
import { assignPayers, type CaseDates, type Liability } from '../benefits/payers.ts';
import { benefitRegime } from '../benefits/regime.ts';
import { separationGrants } from '../benefits/separation.ts';
import { survivorOneOff } from '../benefits/survivor-one-off.ts';
import { baseWage } from '../benefits/wage-base.ts';
import {
  makeContext,
  type Overrides,
  overrideWarnings,
  type RulesRefusalCode,
} from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';
import {
  type RefusalProblem as RulesRefusalProblem,
  type RulesResponse,
  refusalResponse,
} from '../problems.ts';
import { applyOverlay, type ParameterOverlay } from '../reform/overlay.ts';
import type { Trace } from '../trace.ts';
import {
  type CalculationInput,
  calculationInputSchema,
  type calculationResultSchema,
} from './schema.ts';

export type CalculationResult = Omit<
  z.output<typeof calculationResultSchema>,
  'items' | 'trace'
> & {
  items: CalculationItem[];
  trace: Trace | null;
};

/** The refusals a calculation can end in (HTTP 422 / CLI exit 3). */
export type CalculationRefusalCode = Extract<
  RulesRefusalCode,
  'rules.parameter_missing' | 'rules.reform_invalid' | 'rules.not_applicable'
>;

export type CalculateOptions = {
  reform?: ParameterOverlay;
  /** Default true: the explanation trace is built. False skips all formatting (the fast path). */
  withTrace?: boolean;
};

type Collected = Result<ItemResult[], CalculationRefusalCode>;

function disabilityItems(
  ctx: ReturnType<typeof makeContext>,
  input: CalculationInput,
  w: number,
): Collected {
  const grade = input.disabilityGrade ?? 0;
  const decisionDate = input.decisionDate ?? input.injuryDate;
  const out: ItemResult[] = [];
  const lump = disabilityLumpSum(ctx, w, grade, input.injuryDate);
  if (!lump.ok) return lump;
  out.push(lump.value);
  const separation = input.separation ?? null;
  // Grades 1–4 always draw the allowance (《工伤保险条例》第三十五条); grades 5–6 only while employed
  // without work (《工伤保险条例》第三十六条第一款第（二）项).
  if (grade <= 4 || (grade <= 6 && !input.employerArrangedWork && separation === null)) {
    const allowance = disabilityAllowance(ctx, w, grade, decisionDate);
    if (!allowance.ok) return allowance;
    out.push(allowance.value);
  }
  if (input.nursingLevel != null) {
    const nursing = nursingAllowance(ctx, input.nursingLevel, decisionDate);
    if (!nursing.ok) return nursing;
    out.push(nursing.value);
  }
  if (separation !== null && grade >= 5) {
    const grants = separationGrants(ctx, grade, separation, {
      occupationalDisease: input.occupationalDisease,
    });
    if (!grants.ok) return grants;
    out.push(...grants.value);
  }
  return ok(out);
}

function deathItems(
  ctx: ReturnType<typeof makeContext>,
  input: CalculationInput,
  w: number,
): Collected {
  const deathDate = input.deathDate ?? input.injuryDate;
  const circumstance = input.deathCircumstance ?? 'injury';
  const out: ItemResult[] = [];
  const funeral = funeralGrant(ctx, deathDate, circumstance);
  if (!funeral.ok) return funeral;
  out.push(funeral.value);
  const pensions = survivorPensions(ctx, w, input.dependants, deathDate, circumstance, {
    monthlyWagesFen: input.monthlyWagesFen,
    givenFen: input.preDeathMonthlyWageFen ?? null,
  });
  if (!pensions.ok) return pensions;
  out.push(...pensions.value);
  if (deathLumpSumApplies(circumstance)) {
    const lump = deathLumpSum(ctx, deathDate, circumstance);
    if (!lump.ok) return lump;
    out.push(lump.value);
  }
  return ok(out);
}

/**
 * 《浙江省工伤保险条例》第三十五条第二款、第三款: each dependant paid once gets one employer-paid item
 * in place of the monthly pension. Called only when some dependant asks for it, so the usual path
 * does no work; after the payers, which an uninsured employer leaves with every monthly pension as
 * one item.
 */
function withOneOffPayments(
  ctx: ReturnType<typeof makeContext>,
  input: CalculationInput,
  results: ItemResult[],
): Collected {
  const deathDate = input.deathDate ?? input.injuryDate;
  const out: ItemResult[] = [];
  for (const r of results) {
    const index = r.item.code === 'survivor_pension' ? r.item.dependantIndex : undefined;
    const payment = index === undefined ? undefined : input.dependants[index]?.oneOffPayment;
    if (payment === undefined) {
      out.push(r);
      continue;
    }
    const once = survivorOneOff(ctx, r, payment, deathDate);
    if (!once.ok) return once;
    out.push(once.value);
  }
  return ok(out);
}

function overridesOf(input: CalculationInput): Overrides {
  const o = input.overrides;
  if (o === undefined) return {};
  const out: Overrides = {};
  if (o.averageMonthlyWageFen !== undefined) out.averageMonthlyWageFen = o.averageMonthlyWageFen;
  if (o.provincialAverageMonthlyWageFen !== undefined)
    out.provincialAverageMonthlyWageFen = o.provincialAverageMonthlyWageFen;
  if (o.minimumMonthlyWageFen !== undefined) out.minimumMonthlyWageFen = o.minimumMonthlyWageFen;
  if (o.nationalUrbanDisposableIncomeFen !== undefined)
    out.nationalUrbanDisposableIncomeFen = o.nationalUrbanDisposableIncomeFen;
  if (o.averageMonthlyWageFenByYear !== undefined)
    out.averageMonthlyWageFenByYear = o.averageMonthlyWageFenByYear;
  if (o.provincialAverageMonthlyWageFenByYear !== undefined)
    out.provincialAverageMonthlyWageFenByYear = o.provincialAverageMonthlyWageFenByYear;
  if (o.minimumMonthlyWageFenByYear !== undefined)
    out.minimumMonthlyWageFenByYear = o.minimumMonthlyWageFenByYear;
  return out;
}

function liabilityOf(input: CalculationInput): Liability {
  return {
    employerInsured: input.employerInsured,
    applicationDate: input.applicationDate ?? null,
    applicationDeadlineExtendedTo: input.applicationDeadlineExtendedTo ?? null,
  };
}

function caseDatesOf(input: CalculationInput): CaseDates {
  return {
    injuryDate: input.injuryDate,
    decisionDate: input.decisionDate ?? null,
    deathDate: input.deathDate ?? null,
    separationDate: input.separation?.date ?? null,
  };
}

/**
 * Computes every benefit of one case under the parameters in force on its dates. Pure given the
 * rule set: the same input and snapshot give the same output. A missing parameter is a typed
 * refusal, never a throw.
 *
 * @example calculate({ region: '330000', kind: 'disability', injuryDate: '2024-03-01',
 *   decisionDate: '2024-09-01', monthlyWagesFen: [600000], disabilityGrade: 7,
 *   employerArrangedWork: false, dependants: [], employerInsured: true }, book.benefits) // → disability_lump_sum 7,800,000 fen
 */
export function calculate(
  input: CalculationInput,
  ruleSet: RuleSet,
  options: CalculateOptions = {},
): Result<CalculationResult, CalculationRefusalCode> {
  let rules = ruleSet;
  if (options.reform !== undefined) {
    const reformed = applyOverlay(ruleSet, options.reform);
    if (!reformed.ok) return reformed;
    rules = reformed.value;
  }
  const withTrace = options.withTrace ?? true;
  const overrides = overridesOf(input);
  const ctx = makeContext(rules, input.region, overrides, withTrace);
  const regime = benefitRegime(ctx, input.injuryDate);
  if (!regime.ok) return regime;
  const wage = baseWage(ctx, input.monthlyWagesFen, input.injuryDate);
  if (!wage.ok) return wage;
  const w = wage.value.baseWageFen;
  const computed =
    input.kind === 'disability' ? disabilityItems(ctx, input, w) : deathItems(ctx, input, w);
  if (!computed.ok) return computed;
  const assigned = assignPayers(ctx, computed.value, liabilityOf(input), caseDatesOf(input));
  if (!assigned.ok) return assigned;
  const collected = input.dependants.some((d) => d.oneOffPayment !== undefined)
    ? withOneOffPayments(ctx, input, assigned.value)
    : assigned;
  if (!collected.ok) return collected;
  const items = collected.value.map((r) => r.item);
  let trace: Trace | null = null;
  if (withTrace && wage.value.trace !== null) {
    const warnings: string[] = [];
    if (ctx.demoUsed !== null && ctx.demoUsed.size > 0) {
      warnings.push(
        `demo (placeholder) parameters used, not official figures: ${[...ctx.demoUsed].sort().join(', ')}`,
      );
    }
    warnings.push(...overrideWarnings(ctx));
    if (rules.reform !== undefined)
      warnings.push(
        `reform "${rules.reform.name}" applied over snapshot ${rules.reform.baseSnapshotId}`,
      );
    trace = {
      baseWage: wage.value.trace,
      items: collected.value.flatMap((r) => (r.trace === null ? [] : [r.trace])),
      warnings,
      ...(rules.reform === undefined ? {} : { reform: { ...rules.reform } }),
    };
  }
  return ok({ baseWageFen: w, items, snapshotId: rules.snapshotId, trace });
}

/** RFC 9457 problem for a business refusal of the calculator (HTTP 422, CLI exit 3). */
export type RefusalProblem = RulesRefusalProblem<CalculationRefusalCode>;

export type CalculationResponse = RulesResponse<CalculationResult, CalculationRefusalCode>;

const REFUSAL_TITLES: Record<CalculationRefusalCode, string> = {
  'rules.parameter_missing': '缺少适用的参数 / No parameter in force',
  'rules.reform_invalid': '改革方案无法应用 / Reform cannot be applied',
  'rules.not_applicable': '规则不适用 / Rule not applicable',
};

/** Field errors with each unknown field named at its own path ("overrides.foo"), not at its parent. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return issuesToFieldErrors([issue]);
    const prefix = issue.path.map(String).join('.');
    return issue.keys.map((key) => ({
      path: prefix === '' ? key : `${prefix}.${key}`,
      code: issue.code,
      message: `unknown field ${key}; remove it`,
    }));
  });
}

/**
 * Parses an untrusted body and calculates: the one entry point the API route and the CLI share.
 * Never throws on bad input: 400 with every bad field by path, or 422 with the refusal.
 */
export function calculateFromUnknown(
  body: unknown,
  ruleSet: RuleSet,
  options: CalculateOptions = {},
): CalculationResponse {
  const parsed = calculationInputSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, status: 400, body: inputProblem(fieldErrors(parsed.error.issues)) };
  const result = calculate(parsed.data, ruleSet, options);
  if (result.ok) return { ok: true, status: 200, body: result.value };
  return refusalResponse(result, REFUSAL_TITLES);
}
