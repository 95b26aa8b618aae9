import type { Database } from '../../../db/client.ts';
import {
  type Alert,
  classify,
  denominatorAt,
  type MonthsOfExpenditure,
  monthsOfExpenditure,
  thresholdsAt,
} from '../../../domain/fund/indicators/indicator.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { ok, type Result } from '../../../kernel/result.ts';
import type {
  IndicatorParamSet,
  IndicatorParamValue,
} from '../../../rules/fund/indicators/indicator-params.ts';
import {
  defaultAsOf,
  type FlowRow,
  type FundRefusalCode,
  type FundScope,
  figuresOf,
  fundScope,
  readFlows,
  type SegmentFigures,
} from './indicator-figures.ts';

/**
 * Indicators the fund owns (issue 4 item 9): months of expenditure per city and for the province,
 * with the alert against the dated thresholds. The province figure sums every segment of the
 * province (province, adjustment fund, cities) with transfers between them eliminated.
 */
export type ThresholdView = {
  name: 'alert_below' | 'watch_below' | 'watch_above' | 'alert_above';
  months: string;
  status: IndicatorParamValue['status'];
  from: string;
  citation: IndicatorParamValue['citation'];
  note: string | null;
};

export type SegmentIndicator = {
  segment: string;
  name: string;
  nameEn: string;
  monthsOfExpenditure: MonthsOfExpenditure;
  alert: Alert;
};

export type IndicatorContext = {
  asOf: IsoDate;
  denominator: { value: 'own_expenditure' | 'benefits_only'; param: IndicatorParamValue | null };
  thresholds: ThresholdView[];
};

export type FundIndicators = IndicatorContext & {
  regionCode: string;
  scope: 'city' | 'province';
  /** The province as a whole (only when the region is the province). */
  province: SegmentIndicator | null;
  /** Every city in scope (one for a city). */
  cities: SegmentIndicator[];
};

function thresholdViews(t: ReturnType<typeof thresholdsAt>): ThresholdView[] {
  const out: ThresholdView[] = [];
  for (const [name, p] of [
    ['alert_below', t.alertBelow],
    ['watch_below', t.watchBelow],
    ['watch_above', t.watchAbove],
    ['alert_above', t.alertAbove],
  ] as const)
    if (p)
      out.push({
        name,
        months: p.value,
        status: p.status,
        from: p.from,
        citation: p.citation,
        note: p.note,
      });
  return out;
}

/** Everything the indicators and the overview need, read once. */
export type FundReading = {
  scope: FundScope;
  context: IndicatorContext;
  thresholds: ReturnType<typeof thresholdsAt>;
  rows: FlowRow[];
};

export async function readFund(
  db: Database,
  input: { regionCode: string; asOf?: IsoDate | undefined; today: IsoDate },
  params: IndicatorParamSet,
): Promise<Result<FundReading, FundRefusalCode>> {
  const scope = await fundScope(db, input.regionCode);
  if (!scope.ok) return scope;
  const asOf = input.asOf ?? (await defaultAsOf(db, scope.value.province, input.today));
  const thresholds = thresholdsAt(params, scope.value.province, asOf);
  const denominator = denominatorAt(params, scope.value.province, asOf);
  const rows = await readFlows(db, {
    province: scope.value.province,
    segments: scope.value.segments.map((s) => s.code),
    asOf,
  });
  return ok({
    scope: scope.value,
    context: { asOf, denominator, thresholds: thresholdViews(thresholds) },
    thresholds,
    rows,
  });
}

export function segmentFigures(
  reading: FundReading,
  segments: readonly string[] | 'all',
  eliminateTransfers: boolean,
): SegmentFigures {
  const set = segments === 'all' ? null : new Set(segments);
  return figuresOf(set ? reading.rows.filter((r) => set.has(r.segment)) : reading.rows, {
    asOf: reading.context.asOf,
    denominator: reading.context.denominator.value,
    eliminateTransfers,
  });
}

export function indicatorOf(
  reading: FundReading,
  figures: SegmentFigures,
  who: { segment: string; name: string; nameEn: string },
): SegmentIndicator {
  const m = monthsOfExpenditure({
    balanceFen: figures.balanceFen,
    expenditure12Fen: figures.expenditure12Fen,
    asOf: reading.context.asOf,
  });
  return { ...who, monthsOfExpenditure: m.view, alert: classify(m.exact, reading.thresholds) };
}

export async function fundIndicators(
  db: Database,
  input: { regionCode: string; asOf?: IsoDate | undefined; today: IsoDate },
  params: IndicatorParamSet,
): Promise<Result<FundIndicators, FundRefusalCode>> {
  const r = await readFund(db, input, params);
  if (!r.ok) return r;
  const reading = r.value;
  const { scope } = reading;
  const cities = scope.segments
    .filter((s) => s.kind === 'city')
    .map((s) =>
      indicatorOf(reading, segmentFigures(reading, [s.code], true), {
        segment: s.code,
        name: s.name,
        nameEn: s.nameEn,
      }),
    );
  const provinceSegment = scope.segments.find((s) => s.kind === 'province');
  const province =
    scope.kind === 'province' && provinceSegment
      ? indicatorOf(reading, segmentFigures(reading, 'all', true), {
          segment: scope.province,
          name: provinceSegment.name,
          nameEn: provinceSegment.nameEn,
        })
      : null;
  return ok({
    regionCode: input.regionCode,
    scope: scope.kind,
    ...reading.context,
    province,
    cities,
  });
}
