import { addMonths, daysInMonth, type IsoDate } from '../../../kernel/dates.ts';
import { citizenIdFacts, type Sex } from '../../../kernel/ids.ts';
import { seededRandom } from '../../../kernel/random.ts';
import type { EmployerCategory } from '../../../rules/contributions/rate-policy.ts';
import {
  hash32,
  SERIAL_MAX,
  syntheticCreditCode,
  syntheticHex16,
  syntheticIdNumber,
  syntheticPersonName,
  syntheticTradeName,
} from './synthetic-ids.ts';
import { INDUSTRY_MIX, type IndustryChoice, STREAM, type SyntheticPlan } from './synthetic-plan.ts';

/**
 * The synthetic province's register, streamed: employers, workers and employment spells are
 * generators over indices, each record rebuilt from (seed, index) alone, so nothing but the plan's
 * per-employer headcount array is held while tens of millions of rows go by. Workers are numbered
 * in blocks, one block per employer (their first employer); a tenth of them move to employer
 * (e + moverOffset) mod N, so an employer's roster is its own block plus the movers of one other
 * block, found again by the same pure functions.
 */

export type PayerProfile = 'prompt' | 'late' | 'partial' | 'stops' | 'never';

export type SyntheticEmployer = {
  index: number;
  regionCode: string;
  id: string;
  creditCode: string;
  name: string;
  address: string;
  division: string;
  riskClass: number;
  category: EmployerCategory;
  registeredOn: IsoDate;
  /** Month index of the registration relative to the window's first month (≤ 0: before it). */
  registeredMonth: number;
  payer: PayerProfile;
  /** For `stops`: the first month index it no longer pays. */
  stopsAt: number;
};

export type SyntheticWorker = {
  index: number;
  id: string;
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: IsoDate;
  /** The worker's wage as a multiple of the average wage. */
  wageLevel: number;
};

export type SyntheticSpell = {
  regionCode: string;
  id: string;
  employerIndex: number;
  employerId: string;
  workerIndex: number;
  workerId: string;
  workerName: string;
  /** Month indices relative to the window's first month; spells run whole months. */
  startMonth: number;
  endMonth: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
};

/** The first day of month `index` relative to the window (negative: before it). */
export function monthFirstDay(plan: SyntheticPlan, index: number): IsoDate {
  return addMonths(`${plan.config.from}-01`, index);
}

export function monthLastDay(plan: SyntheticPlan, index: number): IsoDate {
  const first = monthFirstDay(plan, index);
  const days = daysInMonth(Number(first.slice(0, 4)), Number(first.slice(5, 7)));
  return `${first.slice(0, 8)}${String(days).padStart(2, '0')}`;
}

function pickIndustry(u: number): number {
  const total = INDUSTRY_MIX.reduce((s, i) => s + i.weight, 0);
  let at = u * total;
  for (const [i, industry] of INDUSTRY_MIX.entries()) {
    at -= industry.weight;
    if (at < 0) return i;
  }
  return INDUSTRY_MIX.length - 1;
}

function pickPayer(u: number): PayerProfile {
  if (u < 0.82) return 'prompt';
  if (u < 0.9) return 'late';
  if (u < 0.95) return 'partial';
  if (u < 0.98) return 'stops';
  return 'never';
}

/** Months back to 2018-01 (the earliest registration the 2017 risk table classifies). */
function monthsSince2018(plan: SyntheticPlan): number {
  const [y, m] = plan.config.from.split('-').map(Number);
  return ((y ?? 2018) - 2018) * 12 + ((m ?? 1) - 1);
}

/** Registration month: most employers before the window, the rest during it (≥ 12 months left). */
function registrationMonth(plan: SyntheticPlan, rand: () => number): number {
  const months = plan.config.months;
  if (months > 12 && rand() < 0.35) return 1 + Math.floor(rand() * (months - 12));
  const back = Math.min(60, monthsSince2018(plan));
  return -Math.floor(rand() * (back + 1));
}

function categoryOf(industry: IndustryChoice, u: number): EmployerCategory {
  if (industry.division === '92') return 'public_body';
  return u < 0.06 ? 'large' : 'sme';
}

/** Employer `e`, from its own random source (its first draw is its headcount weight, in the plan). */
export function syntheticEmployer(plan: SyntheticPlan, e: number): SyntheticEmployer {
  const { seed, cities } = plan.config;
  const rand = seededRandom(hash32(seed, STREAM.employer, e));
  rand();
  const city = cities[Math.floor(rand() * cities.length)] ?? cities[0]!;
  const industryIndex = pickIndustry(rand());
  const industry = INDUSTRY_MIX[industryIndex]!;
  const category = categoryOf(industry, rand());
  const trade = syntheticTradeName(rand);
  const short = city.name.slice(0, 2);
  const suffix =
    category === 'public_body' ? '' : category === 'large' ? '集团有限公司' : '有限公司';
  const registeredMonth = registrationMonth(plan, rand);
  const payer = pickPayer(rand());
  const stopsAt = Math.max(0, registeredMonth) + Math.floor(rand() * plan.config.months);
  return {
    index: e,
    regionCode: city.code,
    id: `emp_${city.code}_${syntheticHex16(seed, STREAM.employer, e)}`,
    creditCode: syntheticCreditCode(
      city.code,
      'MB',
      (e + plan.serialOffset) % SERIAL_MAX,
      category === 'public_body',
    ),
    name: `${short}${trade}${industry.word}${suffix}`,
    address: `${city.name}${trade}路${1 + Math.floor(rand() * 999)}号`,
    division: industry.division,
    riskClass: plan.riskClasses[industryIndex]!,
    category,
    registeredOn: monthFirstDay(plan, registeredMonth),
    registeredMonth,
    payer,
    stopsAt,
  };
}

/** A standard normal draw (Box–Muller) from a seeded source. */
export function normalDraw(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Most wages near the average, 2 % far above the 300 % ceiling, 4 % below the 60 % floor. */
function wageLevelOf(rand: () => number): number {
  const u = rand();
  if (u < 0.02) return 3.2 + rand() * 3;
  if (u < 0.06) return 0.35 + rand() * 0.22;
  return Math.min(2.9, Math.max(0.62, 0.95 * Math.exp(0.3 * normalDraw(rand))));
}

/** Worker `w` of the block of employer `employer` (its city gives the number's district). */
export function syntheticWorker(
  plan: SyntheticPlan,
  w: number,
  employer: SyntheticEmployer,
): SyntheticWorker {
  const rand = seededRandom(hash32(plan.config.seed, STREAM.worker, w));
  const idNumber = syntheticIdNumber(plan.idSpace, employer.regionCode, w);
  const facts = citizenIdFacts(idNumber);
  return {
    index: w,
    id: `wkr_${syntheticHex16(plan.config.seed, STREAM.worker, w)}`,
    idNumber,
    name: syntheticPersonName(rand),
    sex: facts.sex,
    birthDate: facts.birthDate,
    wageLevel: wageLevelOf(rand),
  };
}

function spellOf(
  plan: SyntheticPlan,
  at: { employer: SyntheticEmployer; worker: SyntheticWorker; ordinal: number },
  startMonth: number,
  endMonth: number | null,
): SyntheticSpell {
  const { employer, worker } = at;
  const spellIndex = worker.index * 2 + at.ordinal;
  return {
    regionCode: employer.regionCode,
    id: `spl_${employer.regionCode}_${syntheticHex16(plan.config.seed, STREAM.spell, spellIndex)}`,
    employerIndex: employer.index,
    employerId: employer.id,
    workerIndex: worker.index,
    workerId: worker.id,
    workerName: worker.name,
    startMonth,
    endMonth,
    startDate: monthFirstDay(plan, startMonth),
    endDate: endMonth === null ? null : monthLastDay(plan, endMonth),
  };
}

/**
 * A worker's spells: at its block's employer from a month on or after the registration (most
 * before the window), then one of three fates: still employed (85 %), left (5 %), or moved to the
 * partner employer — often in another city — from the month after leaving (10 %).
 */
export function workerSpells(
  plan: SyntheticPlan,
  worker: SyntheticWorker,
  employer: SyntheticEmployer,
): SyntheticSpell[] {
  const months = plan.config.months;
  const rand = seededRandom(hash32(plan.config.seed, STREAM.spell, worker.index));
  const r = employer.registeredMonth;
  const start =
    rand() < 0.8
      ? r + Math.floor(rand() * (Math.max(r, 0) - r + 1))
      : Math.max(r, 0) + Math.floor(rand() * (months - Math.max(r, 0)));
  const fate = rand();
  const from = Math.max(start, 0);
  const first = { employer, worker, ordinal: 0 };
  const canMove = plan.config.employers > 1 && from <= months - 2;
  if (fate < 0.1 && canMove) {
    const left = from + Math.floor(rand() * (months - 1 - from));
    const next = syntheticEmployer(
      plan,
      (employer.index + plan.moverOffset) % plan.config.employers,
    );
    const nextStart = Math.max(left + 1, next.registeredMonth);
    const spells = [spellOf(plan, first, start, left)];
    if (nextStart <= months - 1)
      spells.push(spellOf(plan, { employer: next, worker, ordinal: 1 }, nextStart, null));
    return spells;
  }
  if (fate < 0.15)
    return [spellOf(plan, first, start, from + Math.floor(rand() * (months - from)))];
  return [spellOf(plan, first, start, null)];
}

/** Every employer in index order. */
export function* syntheticEmployers(plan: SyntheticPlan): Generator<SyntheticEmployer> {
  for (let e = 0; e < plan.config.employers; e++) yield syntheticEmployer(plan, e);
}

/** The workers of employer e's block with that employer. */
export function* blockWorkers(
  plan: SyntheticPlan,
  employer: SyntheticEmployer,
): Generator<SyntheticWorker> {
  const end = plan.blockStart[employer.index + 1]!;
  for (let w = plan.blockStart[employer.index]!; w < end; w++)
    yield syntheticWorker(plan, w, employer);
}

/** Every worker in index order (block by block). */
export function* syntheticWorkers(plan: SyntheticPlan): Generator<SyntheticWorker> {
  for (const employer of syntheticEmployers(plan)) yield* blockWorkers(plan, employer);
}

/** Every spell, worker by worker. */
export function* syntheticSpells(plan: SyntheticPlan): Generator<SyntheticSpell> {
  for (const employer of syntheticEmployers(plan))
    for (const worker of blockWorkers(plan, employer)) yield* workerSpells(plan, worker, employer);
}

export type RosterMember = { worker: SyntheticWorker; spell: SyntheticSpell };

/** An employer's spells over the window: its own block's, then the movers arriving from its partner. */
export function rosterOf(plan: SyntheticPlan, employer: SyntheticEmployer): RosterMember[] {
  const out: RosterMember[] = [];
  for (const worker of blockWorkers(plan, employer))
    for (const spell of workerSpells(plan, worker, employer))
      if (spell.employerIndex === employer.index) out.push({ worker, spell });
  const n = plan.config.employers;
  if (n === 1) return out;
  const partner = syntheticEmployer(plan, (employer.index - plan.moverOffset + n) % n);
  for (const worker of blockWorkers(plan, partner))
    for (const spell of workerSpells(plan, worker, partner))
      if (spell.employerIndex === employer.index) out.push({ worker, spell });
  return out;
}
