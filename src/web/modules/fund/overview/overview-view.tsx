import {
  Alert,
  Card,
  Col,
  Descriptions,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import type { SessionUser } from '../../../api/types.ts';
import { fenToYuanText } from '../../../format/money.ts';
import type { Language } from '../../../i18n/dictionary.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { Link } from '../../../router/router.tsx';
import { chartFontFamily, EChart, type EChartOption } from '../../../ui/echart.tsx';
import { fundApi } from '../fund-api.ts';
import { AlertTag, FundHeader, LoadError, useLoad, Yuan } from '../fund-common.tsx';
import { fenToWanYuan } from '../fund-format.ts';
import { fundPath } from '../fund-routes.ts';
import type { FundOverview, SegmentOverview } from '../fund-types.ts';

type T = ReturnType<typeof useI18n>['t'];

function segmentName(s: SegmentOverview, language: Language): string {
  return language === 'zh' ? s.name : s.nameEn;
}

/** Short city name for chart axes: 杭州市工伤保险基金 → 杭州市. */
function shortName(s: SegmentOverview, language: Language): string {
  if (language === 'zh') return s.name.replace(/工伤保险基金$/, '');
  return s.nameEn.replace(/ work-injury insurance fund$/, '');
}

type AxisParam = {
  dataIndex: number;
  seriesIndex: number;
  marker: string;
  seriesName: string;
  name: string;
};

function axisParams(params: unknown): AxisParam[] {
  return Array.isArray(params) ? (params as AxisParam[]) : [];
}

function citiesChart(cities: SegmentOverview[], language: Language, t: T): EChartOption {
  const series = [
    { key: 'balanceFen', name: t('fund.balance'), color: '#1677ff' },
    { key: 'incomeYtdFen', name: t('fund.incomeYtd'), color: '#52c41a' },
    { key: 'expenditureYtdFen', name: t('fund.expenditureYtd'), color: '#fa8c16' },
  ] as const;
  return {
    textStyle: { fontFamily: chartFontFamily },
    title: {
      text: t('fund.chartCities'),
      left: 'center',
      textStyle: { fontFamily: chartFontFamily, fontSize: 14 },
    },
    legend: { top: 30 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = axisParams(params);
        const first = list[0];
        if (first === undefined) return '';
        const city = cities[first.dataIndex];
        if (city === undefined) return '';
        return [
          first.name,
          ...list.map((p) => {
            const key = series[p.seriesIndex]?.key ?? 'balanceFen';
            return `${p.marker}${p.seriesName}: ${fenToYuanText(city[key])} ${t('fund.yuanUnit')}`;
          }),
        ].join('<br/>');
      },
    },
    grid: { left: 80, right: 16, top: 76, bottom: 48 },
    xAxis: {
      type: 'category',
      data: cities.map((c) => shortName(c, language)),
      axisLabel: { interval: 0, rotate: cities.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', name: t('fund.wanYuan') },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: cities.map((c) => fenToWanYuan(c[s.key])),
      itemStyle: { color: s.color },
      barMaxWidth: 18,
    })),
  };
}

function monthlyChart(segment: SegmentOverview, t: T): EChartOption {
  return {
    textStyle: { fontFamily: chartFontFamily },
    title: {
      text: t('fund.chartMonthly'),
      left: 'center',
      textStyle: { fontFamily: chartFontFamily, fontSize: 14 },
    },
    legend: { top: 30 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = axisParams(params);
        const first = list[0];
        const month = first === undefined ? undefined : segment.months[first.dataIndex];
        if (first === undefined || month === undefined) return '';
        return [
          first.name,
          ...list.map(
            (p) =>
              `${p.marker}${p.seriesName}: ${fenToYuanText(p.seriesIndex === 0 ? month.incomeFen : month.expenditureFen)} ${t('fund.yuanUnit')}`,
          ),
        ].join('<br/>');
      },
    },
    grid: { left: 80, right: 16, top: 76, bottom: 32 },
    xAxis: { type: 'category', data: segment.months.map((m) => m.period) },
    yAxis: { type: 'value', name: t('fund.wanYuan') },
    series: [
      {
        type: 'bar',
        name: t('fund.income'),
        data: segment.months.map((m) => fenToWanYuan(m.incomeFen)),
        itemStyle: { color: '#52c41a' },
        barMaxWidth: 24,
      },
      {
        type: 'line',
        name: t('fund.expenditure'),
        data: segment.months.map((m) => fenToWanYuan(m.expenditureFen)),
        itemStyle: { color: '#fa8c16' },
      },
    ],
  };
}

type HeadlineProps = { total: SegmentOverview; asOf: string };

function Headline({ total, asOf }: HeadlineProps) {
  const { t, language } = useI18n();
  const months = total.monthsOfExpenditure.months;
  return (
    <>
      <Typography.Text type="secondary" data-testid="fund-asof">
        {t('fund.asOf', { date: asOf, name: segmentName(total, language) })}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('fund.inYuan', { label: t('fund.balance') })}
              value={fenToYuanText(total.balanceFen)}
              data-testid="fund-total-balance"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('fund.inYuan', { label: t('fund.incomeYtd') })}
              value={fenToYuanText(total.incomeYtdFen)}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('fund.inYuan', { label: t('fund.expenditureYtd') })}
              value={fenToYuanText(total.expenditureYtdFen)}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('fund.monthsOfExpenditure')}
              value={months ?? '—'}
              suffix={months === null ? undefined : t('fund.monthsUnit')}
            />
            <AlertTag level={total.alert.level} demo={total.alert.demoThreshold} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

type SegmentTableProps = { segments: SegmentOverview[]; testId: string; linkCities: boolean };

function SegmentTable({ segments, testId, linkCities }: SegmentTableProps) {
  const { t, language } = useI18n();
  return (
    <Table<SegmentOverview>
      data-testid={testId}
      rowKey="segment"
      size="small"
      pagination={false}
      dataSource={segments}
      scroll={{ x: 960 }}
      columns={[
        { title: t('fund.colSegment'), dataIndex: 'segment', width: 110 },
        {
          title: t('fund.colName'),
          key: 'name',
          render: (_, s) =>
            linkCities && s.kind === 'city' ? (
              <Link to={fundPath('overview', s.segment)} data-testid={`city-link-${s.segment}`}>
                {segmentName(s, language)}
              </Link>
            ) : (
              segmentName(s, language)
            ),
        },
        {
          title: t('fund.balance'),
          dataIndex: 'balanceFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.reserve'),
          dataIndex: 'reserveFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.incomeYtd'),
          dataIndex: 'incomeYtdFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.expenditureYtd'),
          dataIndex: 'expenditureYtdFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.monthsOfExpenditure'),
          key: 'months',
          align: 'right',
          render: (_, s) => s.monthsOfExpenditure.months ?? '—',
        },
        {
          title: t('fund.alertLevel'),
          key: 'alert',
          render: (_, s) => <AlertTag level={s.alert.level} demo={s.alert.demoThreshold} />,
        },
      ]}
    />
  );
}

type ThresholdsProps = { overview: FundOverview };

function Thresholds({ overview }: ThresholdsProps) {
  const { t } = useI18n();
  if (overview.thresholds.length === 0)
    return <Alert type="info" showIcon title={t('fund.noThresholds')} />;
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="fund-thresholds">
      {overview.thresholds.map((th) => (
        <Descriptions.Item key={th.name} label={t(`fund.threshold.${th.name}`)}>
          {t('fund.thresholdValue', { months: th.months, from: th.from })}{' '}
          <Tag color={th.status === 'demo' ? 'orange' : 'blue'}>
            {t(`fund.paramStatus.${th.status}`)}
          </Tag>
          <div className="muted small">{th.citation.instrument}</div>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

type OverviewViewProps = { user: SessionUser; region: string };

export function OverviewView({ user, region }: OverviewViewProps) {
  const { t, language } = useI18n();
  const state = useLoad(() => fundApi.overview(region), [region]);
  const data = state.status === 'ready' ? state.data : null;
  const cities = useMemo(() => (data?.segments ?? []).filter((s) => s.kind === 'city'), [data]);
  const provincial = useMemo(() => (data?.segments ?? []).filter((s) => s.kind !== 'city'), [data]);
  const citiesOption = useMemo(
    () => (cities.length === 0 ? null : citiesChart(cities, language, t)),
    [cities, language, t],
  );
  const monthlyOption = useMemo(
    () => (data === null ? null : monthlyChart(data.total, t)),
    [data, t],
  );

  return (
    <div className="page" data-testid="fund-overview">
      <FundHeader user={user} view="overview" region={region} />
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && <LoadError error={state.error} what="nav.fundOverview" />}
      {data !== null && (
        <>
          <Headline total={data.total} asOf={data.asOf} />
          {data.scope === 'province' && citiesOption !== null && (
            <Card title={t('fund.cities')}>
              <EChart
                option={citiesOption}
                ariaLabel={t('fund.chartCities')}
                data-testid="fund-cities-chart"
                style={{ height: 360 }}
              />
              <SegmentTable segments={cities} testId="fund-cities-table" linkCities />
            </Card>
          )}
          {data.scope === 'province' && provincial.length > 0 && (
            <Card title={t('fund.provincialSegments')}>
              <SegmentTable segments={provincial} testId="fund-province-table" linkCities={false} />
            </Card>
          )}
          {monthlyOption !== null && (
            <Card title={t('fund.monthlyTitle', { year: data.year })}>
              <EChart
                option={monthlyOption}
                ariaLabel={t('fund.chartMonthly')}
                data-testid="fund-monthly-chart"
              />
            </Card>
          )}
          <Card title={t('fund.thresholds')}>
            <Typography.Paragraph type="secondary">
              {t('fund.monthsExplained', {
                denominator: t(`fund.denominator.${data.denominator.value}`),
              })}
            </Typography.Paragraph>
            <Thresholds overview={data} />
          </Card>
        </>
      )}
    </div>
  );
}
