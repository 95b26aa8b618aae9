import type { Database } from '../../../db/client.ts';
import type { Alert, MonthsOfExpenditure } from '../../../domain/fund/indicators/indicator.ts';
import type { SegmentKind } from '../../../domain/fund/ledger/accounts.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { ok, type Result } from '../../../kernel/result.ts';
import type { IndicatorParamSet } from '../../../rules/fund/indicators/indicator-params.ts';
import type { FundRefusalCode, MonthFlow } from '../indicators/indicator-figures.ts';
import {
  type IndicatorContext,
  indicatorOf,
  readFund,
  segmentFigures,
} from '../indicators/indicators.ts';

/**
 * The fund overview of a city, or of the province (the province as a whole plus each of its
 * segments): balance, reserve, income and expenditure of the year to date, the monthly series of
 * the year (for charts), months of expenditure and the alert. Read-only, one ledger query.
 */
export type SegmentOverview = {
  segment: string;
  kind: SegmentKind | 'province_total';
  name: string;
  nameEn: string;
  balanceFen: Fen;
  reserveFen: Fen;
  incomeYtdFen: Fen;
  expenditureYtdFen: Fen;
  months: MonthFlow[];
  monthsOfExpenditure: MonthsOfExpenditure;
  alert: Alert;
};

export type FundOverview = IndicatorContext & {
  regionCode: string;
  scope: 'city' | 'province';
  year: number;
  /** The city itself, or the province as a whole (transfers between segments eliminated). */
  total: SegmentOverview;
  /** For the province: the province segment, the adjustment fund and every city; else empty. */
  segments: SegmentOverview[];
};

export async function fundOverview(
  db: Database,
  input: { regionCode: string; asOf?: IsoDate | undefined; today: IsoDate },
  params: IndicatorParamSet,
): Promise<Result<FundOverview, FundRefusalCode>> {
  const r = await readFund(db, input, params);
  if (!r.ok) return r;
  const reading = r.value;
  const { scope } = reading;
  const view = (
    who: { segment: string; name: string; nameEn: string; kind: SegmentOverview['kind'] },
    segments: readonly string[] | 'all',
    eliminate: boolean,
  ): SegmentOverview => {
    const f = segmentFigures(reading, segments, eliminate);
    const ind = indicatorOf(reading, f, who);
    return {
      segment: who.segment,
      kind: who.kind,
      name: who.name,
      nameEn: who.nameEn,
      balanceFen: f.balanceFen,
      reserveFen: f.reserveFen,
      incomeYtdFen: f.incomeYtdFen,
      expenditureYtdFen: f.expenditureYtdFen,
      months: f.months,
      monthsOfExpenditure: ind.monthsOfExpenditure,
      alert: ind.alert,
    };
  };
  // A segment's income and expenditure are its own flows: transfers between fund segments (a unified
  // sweep 5302, an allocation 4104) would otherwise make a city's "expenditure" mirror its income.
  // Its balance includes them.
  const segmentViews = scope.segments.map((s) =>
    view({ segment: s.code, name: s.name, nameEn: s.nameEn, kind: s.kind }, [s.code], true),
  );
  const own = scope.segments.find((s) => s.code === scope.regionCode)!;
  const total =
    scope.kind === 'province'
      ? view(
          { segment: scope.province, name: own.name, nameEn: own.nameEn, kind: 'province_total' },
          'all',
          true,
        )
      : segmentViews.find((s) => s.segment === scope.regionCode)!;
  return ok({
    regionCode: scope.regionCode,
    scope: scope.kind,
    year: Number(reading.context.asOf.slice(0, 4)),
    ...reading.context,
    total,
    segments: scope.kind === 'province' ? segmentViews : [],
  });
}
