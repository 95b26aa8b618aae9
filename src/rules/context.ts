import type { IsoDate } from '../kernel/dates.ts';
import { fromInt, type Rational, type RoundingRule, toDecimalString } from '../kernel/rational.ts';
import { ok, type Refusal, type Result, refuse } from '../kernel/result.ts';
import { lookupIn, memoFor } from './parameters/lookup.ts';
import type { ParameterValue, ResolvedParameter, RuleSet } from './parameters/model.ts';
import type { TraceParameter } from './trace.ts';

/** Business refusals of the rules: typed, never thrown. */
export type RulesRefusalCode =
  | 'rules.parameter_missing'
  | 'rules.reform_invalid'
  | 'rules.not_applicable'
  | 'rules.benefits_stopped';

/** A year ("2024") → fen record of input overrides: the figure in force during that year. */
export type YearRecord = Readonly<Record<string, number>>;

/**
 * Input overrides. A single value replaces the named parameter on every date of the case; a
 * by-year record replaces it with the entry of the year of the date read (docs/calculator.md,
 * "Overrides by year"). The schema refuses both forms for the same parameter.
 */
export type Overrides = {
  averageMonthlyWageFen?: number;
  provincialAverageMonthlyWageFen?: number;
  minimumMonthlyWageFen?: number;
  nationalUrbanDisposableIncomeFen?: number;
  averageMonthlyWageFenByYear?: YearRecord;
  provincialAverageMonthlyWageFenByYear?: YearRecord;
  minimumMonthlyWageFenByYear?: YearRecord;
};

type SingleOverrideKey =
  | 'averageMonthlyWageFen'
  | 'provincialAverageMonthlyWageFen'
  | 'minimumMonthlyWageFen'
  | 'nationalUrbanDisposableIncomeFen';
type ByYearOverrideKey = Exclude<keyof Overrides, SingleOverrideKey>;

export const OVERRIDE_PATHS = {
  'wage.average_monthly_fen': 'averageMonthlyWageFen',
  'wage.provincial_average_monthly_fen': 'provincialAverageMonthlyWageFen',
  'wage.minimum_monthly_fen': 'minimumMonthlyWageFen',
  'death.national_urban_disposable_income_fen': 'nationalUrbanDisposableIncomeFen',
} as const satisfies Record<string, SingleOverrideKey>;

/**
 * The parameters an override keyed by year may replace. The key is the year of use, the year of
 * the date the rule reads the parameter on, as the YAML values are dated: the value of
 * wage.average_monthly_fen `from: 2024-01-01` is the 上年度 (2023) average in force during 2024, so
 * `averageMonthlyWageFenByYear["2024"]` is that same figure.
 */
export const OVERRIDE_BY_YEAR_PATHS = {
  'wage.average_monthly_fen': 'averageMonthlyWageFenByYear',
  'wage.provincial_average_monthly_fen': 'provincialAverageMonthlyWageFenByYear',
  'wage.minimum_monthly_fen': 'minimumMonthlyWageFenByYear',
} as const satisfies Record<string, ByYearOverrideKey>;

type YearOverrideUse = {
  key: ByYearOverrideKey;
  year: string;
  path: string;
  fen: number;
  dates: Set<IsoDate>;
};

/** What a rule function reads parameters through. `traced` is null when no trace is wanted. */
export type RuleContext = {
  readonly rules: RuleSet;
  readonly region: string;
  readonly overrides: Overrides;
  readonly traced: TraceParameter[] | null;
  /** Demo values touched, for the trace's warnings (only filled when tracing). */
  readonly demoUsed: Set<string> | null;
  /** Entries of by-year overrides read, for the trace's warnings (only filled when tracing). */
  readonly yearOverridesUsed: Map<string, YearOverrideUse> | null;
  /** The memo of the date last read: most reads of a case share a handful of dates. */
  memoDate: IsoDate | null;
  memo: Map<string, ResolvedParameter | null> | null;
};

export function makeContext(
  rules: RuleSet,
  region: string,
  overrides: Overrides,
  withTrace: boolean,
): RuleContext {
  return {
    rules,
    region,
    overrides,
    traced: withTrace ? [] : null,
    demoUsed: withTrace ? new Set() : null,
    yearOverridesUsed: withTrace ? new Map() : null,
    memoDate: null,
    memo: null,
  };
}

export function citationText(v: ParameterValue): string {
  const c = v.citation;
  if (c === undefined) return '(no citation)';
  // Chinese titles in 《》 (or with a bracketed number after them) run straight into an article
  // numbered 第…条 (《…》第…条); anything else takes a space, so a source ending in "(…)" followed
  // by a description does not glue to it.
  return /[》)）]$/.test(c.instrument) && c.article.startsWith('第')
    ? `${c.instrument}${c.article}`
    : `${c.instrument} ${c.article}`;
}

function missing(
  ctx: RuleContext,
  path: string,
  date: IsoDate,
): Refusal<'rules.parameter_missing'> {
  const override = (OVERRIDE_PATHS as Record<string, string>)[path];
  const byYear = (OVERRIDE_BY_YEAR_PATHS as Record<string, string>)[path];
  const hint =
    override === undefined
      ? ''
      : byYear === undefined
        ? `; give overrides.${override} to supply it`
        : `; give overrides.${override} or overrides.${byYear} to supply it`;
  return refuse(
    'rules.parameter_missing',
    `no value of ${path} is in force for region ${ctx.region} on ${date} (looked in ${ctx.region}, its province and 000000)${hint}`,
    { path, region: ctx.region, date },
  );
}

function record(
  ctx: RuleContext,
  r: ResolvedParameter,
  key: string | undefined,
  shown: string,
): void {
  if (ctx.traced === null) return;
  const v = r.value;
  ctx.traced.push({
    path: r.path,
    ...(key === undefined ? {} : { key }),
    region: r.region,
    value: shown,
    from: v.from,
    ...(v.until === undefined ? {} : { until: v.until }),
    status: v.status,
    citation: citationText(v),
    ...(v.note === undefined ? {} : { note: v.note }),
  });
  if (v.status === 'demo') ctx.demoUsed?.add(`${r.path}@${r.region}`);
}

function resolve(
  ctx: RuleContext,
  path: string,
  date: IsoDate,
): Result<ResolvedParameter, 'rules.parameter_missing'> {
  if (ctx.memoDate !== date || ctx.memo === null) {
    ctx.memo = memoFor(ctx.rules, ctx.region, date);
    ctx.memoDate = date;
  }
  const found = lookupIn(ctx.memo, ctx.rules, ctx.region, path, date);
  return found === null ? missing(ctx, path, date) : ok(found);
}

/**
 * The by-year override of `path` for the year of `date`: null when no record is given for the
 * path; a refusal naming the year when the record lacks it. A handler who gives a record states
 * the figures of the case, so a missing year is asked for rather than filled from the table.
 */
function yearOverride(
  ctx: RuleContext,
  path: string,
  date: IsoDate,
): Result<Rational, 'rules.parameter_missing'> | null {
  const key = (OVERRIDE_BY_YEAR_PATHS as Record<string, ByYearOverrideKey>)[path];
  const record = key === undefined ? undefined : ctx.overrides[key];
  if (key === undefined || record === undefined) return null;
  const year = date.slice(0, 4);
  const fen = record[year];
  if (fen === undefined) {
    const given = Object.keys(record).sort().join(', ');
    return refuse(
      'rules.parameter_missing',
      `overrides.${key} has no entry for ${year}: ${path} is read on ${date} (the key is the year the figure is in force, the year of that date); years given: ${given === '' ? 'none' : given}. Add "${year}" or leave out the record to use the parameter table`,
      { path, region: ctx.region, date, override: key, year },
    );
  }
  if (ctx.traced !== null) {
    ctx.traced.push({
      path,
      region: ctx.region,
      value: String(fen),
      from: `${year}-01-01`,
      until: `${year}-12-31`,
      status: 'override',
      citation: `input overrides.${key}["${year}"]`,
    });
    const tag = `${key}["${year}"]`;
    const used = ctx.yearOverridesUsed?.get(tag) ?? { key, year, path, fen, dates: new Set() };
    used.dates.add(date);
    ctx.yearOverridesUsed?.set(tag, used);
  }
  return ok(fromInt(fen));
}

/** A scalar number parameter (ratio, months, fen…), honouring input overrides. */
export function readNumber(
  ctx: RuleContext,
  path: string,
  date: IsoDate,
): Result<Rational, 'rules.parameter_missing'> {
  const overrideKey = (OVERRIDE_PATHS as Record<string, SingleOverrideKey>)[path];
  const override = overrideKey === undefined ? undefined : ctx.overrides[overrideKey];
  if (override !== undefined) {
    ctx.traced?.push({
      path,
      region: ctx.region,
      value: String(override),
      from: date,
      status: 'override',
      citation: `input overrides.${overrideKey}`,
    });
    return ok(fromInt(override));
  }
  const byYear = yearOverride(ctx, path, date);
  if (byYear !== null) return byYear;
  const r = resolve(ctx, path, date);
  if (!r.ok) return r;
  const scalar = r.value.value.scalar;
  if (scalar === undefined) return missing(ctx, path, date);
  if (ctx.traced !== null) record(ctx, r.value, undefined, toDecimalString(scalar));
  return ok(scalar);
}

/**
 * The trace's override warnings: each single override given (it applies to every date), then each
 * entry of a by-year record that was read, naming its year and the dates it served.
 */
export function overrideWarnings(ctx: RuleContext): string[] {
  const warnings: string[] = [];
  for (const key of Object.values(OVERRIDE_PATHS)) {
    const v = ctx.overrides[key];
    if (v !== undefined) warnings.push(`override ${key} = ${v} fen replaced the parameter value`);
  }
  const used = [...(ctx.yearOverridesUsed ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [, u] of used) {
    const dates = [...u.dates].sort().join(', ');
    warnings.push(
      `override ${u.key}["${u.year}"] = ${u.fen} fen (the figure in force in ${u.year}) replaced ${u.path} on ${dates}`,
    );
  }
  return warnings;
}

/** One entry of a table parameter (by grade, level, class…). */
export function readEntry(
  ctx: RuleContext,
  path: string,
  key: string,
  date: IsoDate,
): Result<Rational, 'rules.parameter_missing'> {
  const r = resolve(ctx, path, date);
  if (!r.ok) return r;
  const entry = r.value.value.table?.get(key);
  if (entry === undefined || entry === null) return missing(ctx, `${path}[${key}]`, date);
  if (ctx.traced !== null) record(ctx, r.value, key, toDecimalString(entry));
  return ok(entry);
}

/**
 * One entry of a table parameter that may be null on purpose (its `nullReason` says why, e.g. a
 * text with no under-one-year share): null is an answer here, not a missing value.
 */
export function readOptionalEntry(
  ctx: RuleContext,
  path: string,
  key: string,
  date: IsoDate,
): Result<Rational | null, 'rules.parameter_missing'> {
  const r = resolve(ctx, path, date);
  if (!r.ok) return r;
  const entry = r.value.value.table?.get(key);
  if (entry === undefined) return missing(ctx, `${path}[${key}]`, date);
  if (ctx.traced !== null)
    record(ctx, r.value, key, entry === null ? 'null' : toDecimalString(entry));
  return ok(entry);
}

/** A word parameter (rounding rule, which base a grant uses…). */
export function readText(
  ctx: RuleContext,
  path: string,
  date: IsoDate,
): Result<string, 'rules.parameter_missing'> {
  const r = resolve(ctx, path, date);
  if (!r.ok) return r;
  const text = r.value.value.text;
  if (text === undefined) return missing(ctx, path, date);
  if (ctx.traced !== null) record(ctx, r.value, undefined, text);
  return ok(text);
}

export function readRounding(
  ctx: RuleContext,
  date: IsoDate,
): Result<RoundingRule, 'rules.parameter_missing'> {
  return readText(ctx, 'rounding.money', date) as Result<RoundingRule, 'rules.parameter_missing'>;
}

/** Takes the parameters traced since `mark` (so each item lists only what it read). */
export function tracedSince(ctx: RuleContext, mark: number): TraceParameter[] {
  return ctx.traced === null ? [] : ctx.traced.slice(mark);
}
export function traceMark(ctx: RuleContext): number {
  return ctx.traced === null ? 0 : ctx.traced.length;
}

/** The citation of the value in force (for items whose legal basis is a provincial text). */
export function sourceOf(ctx: RuleContext, path: string, date: IsoDate): string | null {
  // Through the context's memo of the date, as `resolve` reads: no memo key is built per call.
  if (ctx.memoDate !== date || ctx.memo === null) {
    ctx.memo = memoFor(ctx.rules, ctx.region, date);
    ctx.memoDate = date;
  }
  const found = lookupIn(ctx.memo, ctx.rules, ctx.region, path, date);
  return found?.value.citation === undefined ? null : citationText(found.value);
}
