import { DownloadOutlined } from '@ant-design/icons';
import { Card, Select, Skeleton, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { fenToYuanText } from '../../../format/money.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { chartFontFamily, EChart, type EChartOption } from '../../../ui/echart.tsx';
import { executionXlsxUrl, fundApi } from '../fund-api.ts';
import { LoadError, useLoad, Yuan } from '../fund-common.tsx';
import { fenToWanYuan, ratioToPercent } from '../fund-format.ts';
import type {
  BudgetExecution,
  ExecutionLine,
  ExecutionMonth,
  ExecutionSegment,
  ExecutionTotals,
  Ratio,
} from '../fund-types.ts';

type T = ReturnType<typeof useI18n>['t'];

type RatioTextProps = { ratio: Ratio };

function RatioText({ ratio }: RatioTextProps) {
  if (ratio === null) return <span>—</span>;
  return <span title={ratio.exact}>{ratioToPercent(ratio.value)}</span>;
}

type VarianceProps = { fen: number };

function Variance({ fen }: VarianceProps) {
  return (
    <span className={fen < 0 ? 'neg' : fen > 0 ? 'pos' : undefined}>
      <Yuan fen={fen} />
    </span>
  );
}

function lineChart(line: ExecutionLine, t: T): EChartOption {
  return {
    textStyle: { fontFamily: chartFontFamily },
    title: {
      text: t('fund.exec.chartTitle', { account: line.account, name: line.name }),
      left: 'center',
      textStyle: { fontFamily: chartFontFamily, fontSize: 14 },
    },
    legend: { top: 30 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params)
          ? (params as {
              dataIndex: number;
              seriesIndex: number;
              marker: string;
              seriesName: string;
              name: string;
            }[])
          : [];
        const first = list[0];
        const month = first === undefined ? undefined : line.months[first.dataIndex];
        if (first === undefined || month === undefined) return '';
        const fenOf = [
          month.plannedFen,
          month.actualFen,
          month.cumulativePlannedFen,
          month.cumulativeActualFen,
        ];
        return [
          first.name,
          ...list.map(
            (p) =>
              `${p.marker}${p.seriesName}: ${fenToYuanText(fenOf[p.seriesIndex] ?? 0)} ${t('fund.yuanUnit')}`,
          ),
        ].join('<br/>');
      },
    },
    grid: { left: 80, right: 80, top: 76, bottom: 32 },
    xAxis: { type: 'category', data: line.months.map((m) => m.period) },
    yAxis: [
      { type: 'value', name: t('fund.wanYuan') },
      { type: 'value', name: t('fund.exec.cumulativeAxis'), splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: t('fund.exec.planned'),
        data: line.months.map((m) => fenToWanYuan(m.plannedFen)),
        itemStyle: { color: '#91caff' },
        barMaxWidth: 18,
      },
      {
        type: 'bar',
        name: t('fund.exec.actual'),
        data: line.months.map((m) => fenToWanYuan(m.actualFen)),
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 18,
      },
      {
        type: 'line',
        yAxisIndex: 1,
        name: t('fund.exec.cumPlanned'),
        data: line.months.map((m) => fenToWanYuan(m.cumulativePlannedFen)),
        itemStyle: { color: '#faad14' },
        lineStyle: { type: 'dashed' },
      },
      {
        type: 'line',
        yAxisIndex: 1,
        name: t('fund.exec.cumActual'),
        data: line.months.map((m) => fenToWanYuan(m.cumulativeActualFen)),
        itemStyle: { color: '#d4380d' },
      },
    ],
  };
}

type TotalsRowProps = { label: string; totals: ExecutionTotals; index: number };

function TotalsRow({ label, totals, index }: TotalsRowProps) {
  return (
    <Table.Summary.Row key={index}>
      <Table.Summary.Cell index={0} colSpan={2}>
        <strong>{label}</strong>
      </Table.Summary.Cell>
      <Table.Summary.Cell index={2} align="right">
        <Yuan fen={totals.annualBudgetFen} />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={3} align="right">
        <Yuan fen={totals.plannedToDateFen} />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={4} align="right">
        <Yuan fen={totals.actualToDateFen} />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={5} align="right">
        <Variance fen={totals.varianceFen} />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={6} align="right">
        <RatioText ratio={totals.varianceRatio} />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={7} align="right">
        <RatioText ratio={totals.executionRatio} />
      </Table.Summary.Cell>
    </Table.Summary.Row>
  );
}

type ExecutionPanelProps = { region: string; year: number };

/** Budget execution and variance per line and month (table + chart) and the Excel download. */
export function ExecutionPanel({ region, year }: ExecutionPanelProps) {
  const { t } = useI18n();
  const state = useLoad(() => fundApi.execution(region, year), [region, year]);
  const [segmentChoice, setSegmentChoice] = useState<string | null>(null);
  const [accountChoice, setAccountChoice] = useState<string | null>(null);
  const report = state.status === 'ready' ? state.data : null;
  const segment =
    report?.segments.find((s) => s.segment === segmentChoice) ??
    report?.segments.find((s) => s.segment === region) ??
    report?.segments[0];
  const line = segment?.lines.find((l) => l.account === accountChoice) ?? segment?.lines[0];
  const chooseSegment = (next: string) => {
    setSegmentChoice(next);
    setAccountChoice(null);
  };
  return (
    <Card
      title={t('fund.exec.title', { year })}
      data-testid="budget-execution"
      extra={
        <a href={executionXlsxUrl(region, year)} download data-testid="execution-xlsx">
          <DownloadOutlined /> {t('fund.exec.download')}
        </a>
      }
    >
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && <LoadError error={state.error} what="fund.exec.what" />}
      {report !== null && segment !== undefined && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <ExecutionHead report={report} segment={segment} onSegment={chooseSegment} />
          <ExecutionLinesTable segment={segment} selected={line} onSelect={setAccountChoice} />
          {line !== undefined && (
            <LineDetail segment={segment} line={line} onSelect={setAccountChoice} />
          )}
        </Space>
      )}
    </Card>
  );
}

type ExecutionHeadProps = {
  report: BudgetExecution;
  segment: ExecutionSegment;
  onSegment: (segment: string) => void;
};

function ExecutionHead({ report, segment, onSegment }: ExecutionHeadProps) {
  const { t, language } = useI18n();
  return (
    <Space wrap>
      {report.segments.length > 1 && (
        <Select
          data-testid="execution-segment"
          style={{ minWidth: 260 }}
          value={segment.segment}
          onChange={onSegment}
          options={report.segments.map((s) => ({
            value: s.segment,
            label: `${language === 'zh' ? s.name : s.nameEn} (${s.segment})`,
          }))}
        />
      )}
      <Typography.Text type="secondary">
        {t('fund.exec.through', { month: report.throughMonth })}
      </Typography.Text>
      <Tag>
        {segment.status === 'none'
          ? t('fund.budget.none')
          : t(`fund.budget.status.${segment.status}`)}
      </Tag>
    </Space>
  );
}

type ExecutionLinesTableProps = {
  segment: ExecutionSegment;
  selected: ExecutionLine | undefined;
  onSelect: (account: string) => void;
};

function ExecutionLinesTable({ segment, selected, onSelect }: ExecutionLinesTableProps) {
  const { t, language } = useI18n();
  return (
    <Table<ExecutionLine>
      data-testid="execution-table"
      rowKey="account"
      size="small"
      pagination={false}
      scroll={{ x: 1100 }}
      dataSource={segment.lines}
      rowClassName={(l) => (l.account === selected?.account ? 'row-selected' : '')}
      onRow={(l) => ({ onClick: () => onSelect(l.account) })}
      columns={[
        {
          title: t('fund.ledger.account'),
          dataIndex: 'account',
          width: 72,
          render: (v: string) => <span className="mono">{v}</span>,
        },
        {
          title: t('fund.exec.line'),
          key: 'name',
          render: (_, l) => (
            <span>
              {language === 'zh' ? l.name : l.nameEn}
              {!l.budgeted && <Tag className="tag-gap">{t('fund.exec.unbudgeted')}</Tag>}
            </span>
          ),
        },
        ...lineAmountColumns(t),
      ]}
      summary={() => (
        <Table.Summary>
          <TotalsRow label={t('fund.exec.incomeTotal')} totals={segment.totals.income} index={0} />
          <TotalsRow
            label={t('fund.exec.expenseTotal')}
            totals={segment.totals.expense}
            index={1}
          />
        </Table.Summary>
      )}
    />
  );
}

/** The amount columns of a line: budget, plan and actual to date, variance, the two ratios. */
function lineAmountColumns(t: T): TableColumnsType<ExecutionLine> {
  const yuan = (fen: number) => <Yuan fen={fen} />;
  return [
    { title: t('fund.exec.annual'), dataIndex: 'annualBudgetFen', align: 'right', render: yuan },
    {
      title: t('fund.exec.plannedToDate'),
      dataIndex: 'plannedToDateFen',
      align: 'right',
      render: yuan,
    },
    {
      title: t('fund.exec.actualToDate'),
      dataIndex: 'actualToDateFen',
      align: 'right',
      render: yuan,
    },
    {
      title: t('fund.exec.variance'),
      dataIndex: 'varianceFen',
      align: 'right',
      render: (fen: number) => <Variance fen={fen} />,
    },
    {
      title: t('fund.exec.varianceRatio'),
      key: 'vr',
      align: 'right',
      render: (_, l) => <RatioText ratio={l.varianceRatio} />,
    },
    {
      title: t('fund.exec.executionRatio'),
      key: 'er',
      align: 'right',
      render: (_, l) => <RatioText ratio={l.executionRatio} />,
    },
  ];
}

type LineDetailProps = {
  segment: ExecutionSegment;
  line: ExecutionLine;
  onSelect: (account: string) => void;
};

/** One line by month: the line chooser, the chart, and the month table. */
function LineDetail({ segment, line, onSelect }: LineDetailProps) {
  const { t, language } = useI18n();
  const option = useMemo(() => lineChart(line, t), [line, t]);
  return (
    <>
      <Space wrap>
        <span>{t('fund.exec.chooseLine')}</span>
        <Select
          data-testid="execution-line"
          style={{ minWidth: 280 }}
          value={line.account}
          onChange={(next: string) => onSelect(next)}
          options={segment.lines.map((l) => ({
            value: l.account,
            label: `${l.account} ${language === 'zh' ? l.name : l.nameEn}`,
          }))}
        />
      </Space>
      <EChart option={option} ariaLabel={t('fund.exec.chartAria')} data-testid="execution-chart" />
      <Table<ExecutionMonth>
        data-testid="execution-months"
        rowKey="period"
        size="small"
        pagination={false}
        scroll={{ x: 900 }}
        dataSource={line.months}
        columns={monthColumns(t)}
      />
    </>
  );
}

function monthColumns(t: T): TableColumnsType<ExecutionMonth> {
  const yuan = (fen: number) => <Yuan fen={fen} />;
  return [
    { title: t('fund.exec.period'), dataIndex: 'period', width: 90 },
    { title: t('fund.exec.planned'), dataIndex: 'plannedFen', align: 'right', render: yuan },
    { title: t('fund.exec.actual'), dataIndex: 'actualFen', align: 'right', render: yuan },
    {
      title: t('fund.exec.cumPlanned'),
      dataIndex: 'cumulativePlannedFen',
      align: 'right',
      render: yuan,
    },
    {
      title: t('fund.exec.cumActual'),
      dataIndex: 'cumulativeActualFen',
      align: 'right',
      render: yuan,
    },
    {
      title: t('fund.exec.variance'),
      dataIndex: 'varianceFen',
      align: 'right',
      render: (fen: number) => <Variance fen={fen} />,
    },
    {
      title: t('fund.exec.varianceRatio'),
      key: 'vr',
      align: 'right',
      render: (_, m) => <RatioText ratio={m.varianceRatio} />,
    },
  ];
}
