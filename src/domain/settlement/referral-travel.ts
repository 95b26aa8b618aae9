import { type IsoDate, toDayNumber } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { add, fromInt, min, mul, type Rational, rational } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  makeContext,
  type RuleContext,
  readNumber,
  readRounding,
  sourceOf,
} from '../../rules/context.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * 转诊 交通、食宿费 (《浙江省工伤保险条例》第二十四条第二款, 《工伤保险条例》第三十条第四款): the travel of a
 * worker referred, with the agency's consent, outside the city or county, paid by the 差旅费标准. Per
 * trip: the fares as receipted, the lodging paid up to the cap per night times the nights, and the
 * per-diem (meal + city transport) times the travel days (departure and return both counted).
 * Each trip reads the parameters in force on its departure day; the total is rounded once, to the
 * fen, by rounding.money (in force on the first departure).
 */
export const LODGING_CAP_PATH = 'settlement.referral_travel.lodging_cap_per_night_fen';
export const MEAL_PER_DAY_PATH = 'settlement.referral_travel.meal_allowance_per_day_fen';
export const TRANSPORT_PER_DAY_PATH = 'settlement.referral_travel.city_transport_per_day_fen';

export type TravelTrip = {
  departOn: IsoDate;
  returnOn: IsoDate;
  faresFen: Fen;
  /** 票据张数: a fare is paid only against receipts. */
  fareReceipts: number;
  nights: number;
  lodgingPaidFen: Fen;
};

export type TripAmount = {
  departOn: IsoDate;
  days: number;
  faresFen: Fen;
  lodgingAllowedFen: Fen;
  perDiemFen: Fen;
};

export type TravelAmount = {
  trips: TripAmount[];
  faresFen: Fen;
  lodgingPaidFen: Fen;
  lodgingAllowedFen: Fen;
  perDiemFen: Fen;
  payableFen: Fen;
  citations: string[];
};

export type TravelProblem = { trip: number; code: string; message: string };

export type TravelRefusal = 'settlement.travel_claim_invalid' | 'rules.parameter_missing';

/** Days of a trip: departure and return both counted (a same-day trip is one day). */
export function tripDays(trip: Pick<TravelTrip, 'departOn' | 'returnOn'>): number {
  return toDayNumber(trip.returnOn) - toDayNumber(trip.departOn) + 1;
}

/** Every problem of the trips at once (none: an empty list). */
export function travelProblems(trips: readonly TravelTrip[], referredOn: IsoDate): TravelProblem[] {
  const problems: TravelProblem[] = [];
  trips.forEach((t, i) => {
    const at = (code: string, message: string) => problems.push({ trip: i + 1, code, message });
    if (t.returnOn < t.departOn)
      at('return_before_departure', 'the return is before the departure');
    if (t.departOn < referredOn)
      at('before_referral', `the trip departs before the referral (${referredOn})`);
    if (t.returnOn >= t.departOn && t.nights > tripDays(t) - 1)
      at('too_many_nights', 'more nights than the trip has (days − 1)');
    if (t.faresFen > 0 && t.fareReceipts < 1) at('fare_without_receipt', 'fares need receipts');
    if (t.lodgingPaidFen > 0 && t.nights < 1)
      at('lodging_without_night', 'lodging paid with no night');
  });
  return problems;
}

type Rates = { cap: Rational; perDay: Rational };

function ratesOn(ctx: RuleContext, on: IsoDate): Result<Rates, 'rules.parameter_missing'> {
  const cap = readNumber(ctx, LODGING_CAP_PATH, on);
  if (!cap.ok) return cap;
  const meal = readNumber(ctx, MEAL_PER_DAY_PATH, on);
  if (!meal.ok) return meal;
  const transport = readNumber(ctx, TRANSPORT_PER_DAY_PATH, on);
  if (!transport.ok) return transport;
  return ok({ cap: cap.value, perDay: add(meal.value, transport.value) });
}

/** The payable travel and lodging of a referral's trips, with the parameters' citations. */
export function referralTravel(
  rules: RuleSet,
  region: string,
  input: { referredOn: IsoDate; trips: readonly TravelTrip[] },
): Result<TravelAmount, TravelRefusal> {
  const first = input.trips[0];
  const problems = travelProblems(input.trips, input.referredOn);
  if (first === undefined || problems.length > 0)
    return refuse('settlement.travel_claim_invalid', 'the travel claim has problems', {
      problems: first === undefined ? [{ trip: 0, code: 'no_trip', message: 'no trip' }] : problems,
    });
  const ctx = makeContext(rules, region, {}, false);
  const rule = readRounding(ctx, first.departOn);
  if (!rule.ok) return rule;
  const trips: TripAmount[] = [];
  let exact = rational(0n);
  const citations = new Set<string>();
  for (const t of input.trips) {
    const rates = ratesOn(ctx, t.departOn);
    if (!rates.ok) return rates;
    const days = tripDays(t);
    const lodging = min(fromInt(t.lodgingPaidFen), mul(rates.value.cap, fromInt(t.nights)));
    const perDiem = mul(rates.value.perDay, fromInt(days));
    exact = add(exact, add(fromInt(t.faresFen), add(lodging, perDiem)));
    trips.push({
      departOn: t.departOn,
      days,
      faresFen: t.faresFen,
      lodgingAllowedFen: roundFen(lodging, rule.value),
      perDiemFen: roundFen(perDiem, rule.value),
    });
    for (const path of [LODGING_CAP_PATH, MEAL_PER_DAY_PATH, TRANSPORT_PER_DAY_PATH]) {
      const source = sourceOf(ctx, path, t.departOn);
      if (source !== null) citations.add(source);
    }
  }
  const sum = (f: (t: TripAmount) => Fen) => trips.reduce((s, t) => s + f(t), 0);
  return ok({
    trips,
    faresFen: sum((t) => t.faresFen),
    lodgingPaidFen: input.trips.reduce((s, t) => s + t.lodgingPaidFen, 0),
    lodgingAllowedFen: sum((t) => t.lodgingAllowedFen),
    perDiemFen: sum((t) => t.perDiemFen),
    payableFen: roundFen(exact, rule.value),
    citations: [...citations],
  });
}
