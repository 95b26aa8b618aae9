import { addMonths, daysInMonth, type IsoDate } from '../../../kernel/dates.ts';
import { seededRandom } from '../../../kernel/random.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { makeContext, readNumber } from '../../../rules/context.ts';
import { contributionBaseBounds } from '../../../rules/contributions/base-clamp.ts';
import { riskClassOf } from '../../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../../rules/parameters/model.ts';
import { hash32, type IdSpace, idSpaceOf, SERIAL_MAX, serialOffsetOf } from './synthetic-ids.ts';

/**
 * What a synthetic province is drawn from, and the small tables computed once before streaming:
 * the months with their wage figures, each employer's headcount (the only per-employer array, 4
 * bytes an employer) and the first worker index of each employer's block.
 */
export type SyntheticCity = { code: string; name: string };

export type SyntheticConfig = {
  seed: number;
  employers: number;
  workers: number;
  months: number;
  /** The first declared month, YYYY-MM. */
  from: string;
  cities: readonly SyntheticCity[];
};

export const SYNTHETIC_LIMITS = {
  employersMax: 5_000_000,
  workersMax: 100_000_000,
  monthsMax: 120,
  /** GB/T 4754-2017's risk-class table is in force from 2017-10-01; windows start after it. */
  fromEarliest: '2018-01',
} as const;

export type SyntheticMonth = {
  index: number;
  month: string;
  firstDay: IsoDate;
  lastDay: IsoDate;
  averageWageFen: number;
  clamp: BaseClamp;
};

/** The contribution base's bounds for a month: declared wages are clamped into [floor, ceiling]. */
export type BaseClamp = { floorFen: number; ceilingFen: number };

/**
 * The contribution base clamp (缴费基数上下限) of a month: the declarations' own rule
 * (`contributionBaseBounds`, dated provincial parameters), so generated collections are what the
 * assessment of the generated declarations will ask.
 */
export function syntheticBaseClamp(
  rules: RuleSet,
  region: string,
  date: IsoDate,
): Result<BaseClamp, 'rules.parameter_missing'> {
  const bounds = contributionBaseBounds(makeContext(rules, region, {}, false), date);
  if (!bounds.ok) return bounds;
  return ok({ floorFen: bounds.value.floorFen, ceilingFen: bounds.value.ceilingFen });
}

export { clampBase } from '../../../rules/contributions/base-clamp.ts';

export type IndustryChoice = { division: string; word: string; weight: number };

/**
 * The industry mix (GB/T 4754-2017 divisions) with rough shares of a coastal province's employers:
 * trade and services most, then light and machinery manufacturing, construction and transport, a
 * few mines, so that every risk class 1–8 occurs. The classes themselves come from the rules.
 */
export const INDUSTRY_MIX: readonly IndustryChoice[] = [
  { division: '51', word: '商贸', weight: 12 },
  { division: '52', word: '超市', weight: 7 },
  { division: '62', word: '餐饮', weight: 6 },
  { division: '72', word: '商务服务', weight: 6 },
  { division: '65', word: '软件科技', weight: 6 },
  { division: '34', word: '机械', weight: 8 },
  { division: '33', word: '金属制品', weight: 5 },
  { division: '17', word: '纺织', weight: 5 },
  { division: '18', word: '服装', weight: 4 },
  { division: '39', word: '电子', weight: 4 },
  { division: '38', word: '电气', weight: 3 },
  { division: '36', word: '汽车配件', weight: 3 },
  { division: '47', word: '建设', weight: 5 },
  { division: '50', word: '装饰工程', weight: 2 },
  { division: '48', word: '土木工程', weight: 2 },
  { division: '54', word: '运输', weight: 3 },
  { division: '59', word: '仓储物流', weight: 2 },
  { division: '70', word: '房地产', weight: 2 },
  { division: '61', word: '酒店', weight: 2 },
  { division: '26', word: '化工', weight: 2 },
  { division: '30', word: '建材', weight: 2 },
  { division: '13', word: '食品', weight: 2 },
  { division: '66', word: '金融服务', weight: 1 },
  { division: '75', word: '科技推广', weight: 1 },
  { division: '01', word: '农业', weight: 1 },
  { division: '25', word: '石化', weight: 0.4 },
  { division: '12', word: '矿产', weight: 0.3 },
  { division: '10', word: '石料开采', weight: 0.4 },
  { division: '08', word: '矿业', weight: 0.2 },
  { division: '92', word: '服务中心', weight: 1 },
];

export type SyntheticPlanRefusal =
  | 'synthetic.invalid_config'
  | 'synthetic.no_wage'
  | 'synthetic.no_risk_class';

export type SyntheticPlan = {
  config: SyntheticConfig;
  months: readonly SyntheticMonth[];
  /** Risk class of each INDUSTRY_MIX entry, read from the rules on the window's first day. */
  riskClasses: readonly number[];
  idSpace: IdSpace;
  /** Added to an employer's index for its credit code's serial (see serialOffsetOf). */
  serialOffset: number;
  /** Workers of employer e's own block: [blockStart[e], blockStart[e + 1]). */
  blockStart: Float64Array;
  /** Each employer's movers go to employer (e + moverOffset) mod N (≠ e when N > 1). */
  moverOffset: number;
};

export const STREAM = {
  employer: 1,
  worker: 2,
  spell: 3,
  wage: 4,
  collection: 5,
  declaration: 6,
} as const;

function monthsOf(
  config: SyntheticConfig,
  rules: RuleSet,
): Result<SyntheticMonth[], SyntheticPlanRefusal> {
  const out: SyntheticMonth[] = [];
  const region = `${config.cities[0]?.code.slice(0, 2) ?? '33'}0000`;
  for (let i = 0; i < config.months; i++) {
    const firstDay = addMonths(`${config.from}-01`, i);
    const [y, m] = [Number(firstDay.slice(0, 4)), Number(firstDay.slice(5, 7))];
    const lastDay = `${firstDay.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, '0')}`;
    const ctx = makeContext(rules, region, {}, false);
    const average = readNumber(ctx, 'wage.average_monthly_fen', firstDay);
    const clamp = syntheticBaseClamp(rules, region, firstDay);
    if (!average.ok || !clamp.ok)
      return refuse('synthetic.no_wage', `no average wage in force on ${firstDay} (${region})`);
    const averageWageFen = Number(average.value.num / average.value.den);
    out.push({
      index: i,
      month: firstDay.slice(0, 7),
      firstDay,
      lastDay,
      averageWageFen,
      clamp: clamp.value,
    });
  }
  return ok(out);
}

function checkConfig(config: SyntheticConfig): string | null {
  const L = SYNTHETIC_LIMITS;
  if (!Number.isSafeInteger(config.seed)) return 'seed must be an integer';
  if (!(config.employers >= 1 && config.employers <= L.employersMax))
    return `employers must be 1–${L.employersMax}`;
  if (!(config.workers >= 0 && config.workers <= L.workersMax))
    return `workers must be 0–${L.workersMax}`;
  if (!(config.months >= 1 && config.months <= L.monthsMax))
    return `months must be 1–${L.monthsMax}`;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(config.from) || config.from < L.fromEarliest)
    return `from must be a month YYYY-MM from ${L.fromEarliest}`;
  if (config.cities.length === 0) return 'at least one city is needed';
  if (config.employers > SERIAL_MAX) return 'too many employers for one code series';
  return null;
}

/** Checks the configuration and computes the plan; a bad value is named, nothing is drawn. */
export function planSyntheticProvince(
  config: SyntheticConfig,
  rules: RuleSet,
): Result<SyntheticPlan, SyntheticPlanRefusal> {
  const problem = checkConfig(config);
  if (problem !== null) return refuse('synthetic.invalid_config', problem);
  const months = monthsOf(config, rules);
  if (!months.ok) return months;
  const first = months.value[0]!.firstDay;
  const riskClasses: number[] = [];
  for (const industry of INDUSTRY_MIX) {
    const ctx = makeContext(rules, config.cities[0]!.code, {}, false);
    const risk = riskClassOf(ctx, 'GB/T 4754-2017', industry.division, first);
    if (!risk.ok) return refuse('synthetic.no_risk_class', `${industry.division}: ${risk.message}`);
    riskClasses.push(risk.value);
  }
  // Born 1960–2005, and at least 16 in the window's first year (no child labour in the data).
  const lastBirth = `${Math.min(2005, Number(config.from.slice(0, 4)) - 16)}-12-31`;
  const rand = seededRandom(hash32(config.seed, 0, 0));
  return ok({
    config,
    months: months.value,
    riskClasses,
    idSpace: idSpaceOf('1960-01-01', lastBirth, config.seed),
    serialOffset: serialOffsetOf(config.seed),
    blockStart: blockStarts(config),
    moverOffset: config.employers > 1 ? 1 + Math.floor(rand() * (config.employers - 1)) : 0,
  });
}

/**
 * Headcounts: a heavy tail (most employers have a handful of workers, a few have thousands), each
 * employer at least one worker while there are enough, the total exactly `workers`.
 */
function blockStarts(config: SyntheticConfig): Float64Array {
  const n = config.employers;
  const weights = new Float64Array(n);
  let total = 0;
  for (let e = 0; e < n; e++) {
    const u = seededRandom(hash32(config.seed, STREAM.employer, e))();
    weights[e] = Math.min(2000, (1 - u) ** -0.9);
    total += weights[e]!;
  }
  const floor = config.workers >= n ? 1 : 0;
  const spread = config.workers - floor * n;
  const starts = new Float64Array(n + 1);
  let given = 0;
  let carry = 0;
  for (let e = 0; e < n; e++) {
    starts[e] = Math.min(given, config.workers);
    const exact = (spread * weights[e]!) / total + carry;
    const whole = Math.floor(exact);
    carry = exact - whole;
    given += floor + whole;
  }
  starts[n] = config.workers;
  return starts;
}
