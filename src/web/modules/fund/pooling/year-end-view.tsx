import { PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../../api/client.ts';
import type { ApprovalSummary, SessionUser } from '../../../api/types.ts';
import { formatShanghaiDateTime } from '../../../format/date-time.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { fundApi } from '../fund-api.ts';
import {
  ActionError,
  FundHeader,
  isProvinceUser,
  LoadError,
  useLoad,
  Yuan,
} from '../fund-common.tsx';
import { ratioToPercent } from '../fund-format.ts';
import type {
  AdjustmentFundYearEnd,
  UnifiedYearEnd,
  UnifiedYearEndCity,
  YearEnd,
  YearEndCity,
  YearEndRun,
} from '../fund-types.ts';

const firstYear = 2023;

function yearsUpTo(last: number): number[] {
  const out: number[] = [];
  for (let y = last; y >= firstYear; y -= 1) out.push(y);
  return out;
}

type MoneyColumn =
  | 'contributionIncomeFen'
  | 'remittanceFen'
  | 'reserveFen'
  | 'closingBeforeCoverageFen'
  | 'gapFen'
  | 'coverageFen'
  | 'cityGovernmentShareFen'
  | 'closingAfterCoverageFen';

type UnifiedMoneyColumn =
  | 'budgetedIncomeFen'
  | 'budgetedExpenditureFen'
  | 'actualIncomeFen'
  | 'actualExpenditureFen'
  | 'gapFen'
  | 'managementPartFen'
  | 'policyPartFen'
  | 'deviationFen'
  | 'provinceShareFen'
  | 'cityGovernmentShareFen'
  | 'transfersNetFen'
  | 'trueUpFen';

type Shown = { yearEnd: YearEnd; run: YearEndRun | null };

type MetaProps = { s: YearEnd };

function Meta({ s }: MetaProps) {
  const { t, language } = useI18n();
  const rules =
    s.mode === 'adjustment_fund'
      ? t('fund.settle.rulesText', {
          remittance: ratioToPercent(s.rules.remittanceRate),
          reserve: ratioToPercent(s.rules.reserveRate),
          coverage: ratioToPercent(s.rules.policyGapCoverageShare),
        })
      : t('fund.settle.unifiedRulesText', {
          surplus: ratioToPercent(s.rules.baseProvinceShare.budgetedSurplus),
          deficit: ratioToPercent(s.rules.baseProvinceShare.budgetedDeficit),
          bands: s.rules.bands
            .map((b) =>
              t('fund.settle.band', {
                above: ratioToPercent(b.deviationAbove),
                share: ratioToPercent(b.provinceShare),
              }),
            )
            .join(language === 'zh' ? '；' : '; '),
          management: ratioToPercent(s.rules.managementGapCityShare),
        });
  return (
    <Card size="small">
      <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="year-end-meta">
        <Descriptions.Item label={t('fund.settle.year')}>{s.year}</Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.mode')}>
          <span data-testid="year-end-mode" data-mode={s.mode}>
            {t(`fund.settle.mode.${s.mode}`)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.status')}>
          <Tag color="green">{t(`fund.settle.status.${s.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.maker')}>
          <span data-testid="year-end-maker">{s.actor}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.computedAt')}>
          {s.computedAt === null ? '—' : formatShanghaiDateTime(s.computedAt, language)}
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.transactions')}>
          {s.transactionCount}
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.rules')} span={2}>
          {rules}
          {s.demoParameters && (
            <Tag color="orange" className="tag-gap">
              {t('fund.settle.demoParameters')}
            </Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('fund.settle.reports')}>
          {s.reportFiles.length === 0 ? '—' : s.reportFiles.map((f) => f.name).join('、')}
          <div className="muted small">{t('fund.settle.reportsNote')}</div>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

type CityCellProps = { name: string; code: string };

function CityCell({ name, code }: CityCellProps) {
  return (
    <span className="nowrap">
      {name} <span className="muted small">{code}</span>
    </span>
  );
}

type AdjustmentResultProps = { s: AdjustmentFundYearEnd };

function AdjustmentResult({ s }: AdjustmentResultProps) {
  const { t } = useI18n();
  const money = (key: MoneyColumn) => ({
    title: t(`fund.settle.${key}`),
    dataIndex: key,
    align: 'right' as const,
    render: (fen: number) => <Yuan fen={fen} />,
  });
  return (
    <>
      <Card title={t('fund.settle.perCity')}>
        <Table<YearEndCity>
          data-testid="year-end-table"
          rowKey="code"
          size="small"
          pagination={false}
          scroll={{ x: 1500 }}
          dataSource={s.cities}
          columns={[
            {
              title: t('fund.settle.city'),
              key: 'city',
              fixed: 'left',
              width: 130,
              render: (_, c) => <CityCell name={c.name} code={c.code} />,
            },
            money('contributionIncomeFen'),
            money('remittanceFen'),
            money('reserveFen'),
            money('closingBeforeCoverageFen'),
            money('gapFen'),
            money('coverageFen'),
            money('cityGovernmentShareFen'),
            money('closingAfterCoverageFen'),
          ]}
        />
      </Card>
      {s.adjustmentFund !== null && (
        <Card title={t('fund.settle.adjustmentFund')} size="small">
          <Descriptions size="small" column={{ xs: 1, md: 4 }} data-testid="year-end-adjustment">
            <Descriptions.Item label={t('fund.settle.adjOpening')}>
              <Yuan fen={s.adjustmentFund.openingFen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.settle.adjAvailable')}>
              <Yuan fen={s.adjustmentFund.availableFen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.settle.adjClosing')}>
              <Yuan fen={s.adjustmentFund.closingFen} testId="year-end-adj-closing" />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.settle.coverageBasis')}>
              {t(`fund.settle.basis.${s.adjustmentFund.coverageBasis}`)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </>
  );
}

type UnifiedResultProps = { s: UnifiedYearEnd };

function UnifiedResult({ s }: UnifiedResultProps) {
  const { t } = useI18n();
  const money = (key: UnifiedMoneyColumn) => ({
    title: t(`fund.settle.u.${key}`),
    dataIndex: key,
    align: 'right' as const,
    render: (fen: number) => <Yuan fen={fen} />,
  });
  return (
    <>
      <Card title={t('fund.settle.perCity')}>
        <Typography.Paragraph type="secondary">
          {t('fund.settle.unifiedIntro')}
        </Typography.Paragraph>
        <Table<UnifiedYearEndCity>
          data-testid="year-end-table"
          rowKey="code"
          size="small"
          pagination={false}
          scroll={{ x: 2000 }}
          dataSource={s.cities}
          columns={[
            {
              title: t('fund.settle.city'),
              key: 'city',
              fixed: 'left',
              width: 130,
              render: (_, c) => <CityCell name={c.name} code={c.code} />,
            },
            {
              title: t('fund.settle.u.budgetType'),
              dataIndex: 'budgetType',
              render: (v: UnifiedYearEndCity['budgetType']) => t(`fund.settle.u.type.${v}`),
            },
            money('budgetedIncomeFen'),
            money('budgetedExpenditureFen'),
            money('actualIncomeFen'),
            money('actualExpenditureFen'),
            money('gapFen'),
            money('managementPartFen'),
            money('policyPartFen'),
            money('deviationFen'),
            {
              title: t('fund.settle.u.deviationRatio'),
              dataIndex: 'deviationRatio',
              align: 'right',
              render: (v: string) => ratioToPercent(v),
            },
            money('provinceShareFen'),
            money('cityGovernmentShareFen'),
            money('transfersNetFen'),
            money('trueUpFen'),
          ]}
        />
      </Card>
      {s.totals !== null && (
        <Card title={t('fund.settle.totals')} size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="year-end-totals">
            <Descriptions.Item label={t('fund.settle.u.gapFen')}>
              <Yuan fen={s.totals.gapFen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.settle.u.provinceShareFen')}>
              <Yuan fen={s.totals.provinceShareFen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.settle.u.cityGovernmentShareFen')}>
              <Yuan fen={s.totals.cityGovernmentShareFen} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </>
  );
}

type YearEndResultProps = { shown: Shown };

function YearEndResult({ shown }: YearEndResultProps) {
  const { t } = useI18n();
  const { yearEnd: s, run } = shown;
  return (
    <>
      {run !== null && (
        <Alert
          type={run.computedNow ? 'success' : 'info'}
          showIcon
          data-testid="year-end-run-outcome"
          data-computed-now={String(run.computedNow)}
          title={
            run.computedNow
              ? t('fund.settle.ranNow', { count: run.postedNow })
              : t('fund.settle.alreadyRun')
          }
        />
      )}
      <Meta s={s} />
      {s.mode === 'adjustment_fund' ? <AdjustmentResult s={s} /> : <UnifiedResult s={s} />}
    </>
  );
}

type YearEndViewProps = { user: SessionUser; region: string };

/** An approved, unused approval of this year's run (without management gaps), if any. */
function approvedRunOf(list: ApprovalSummary[], year: number): ApprovalSummary | undefined {
  return list.find(
    (a) =>
      a.action === 'pooling.year_end_run' &&
      a.status === 'approved' &&
      typeof a.payload === 'object' &&
      a.payload !== null &&
      'year' in a.payload &&
      a.payload.year === year,
  );
}

/**
 * The maker's side of the run (maker-checker): ask for approval of the year's run, see whether
 * another role approved it. Only the province's fund staff see it.
 */
function useRunApproval(region: string, year: number, enabled: boolean) {
  const [reloads, setReloads] = useState(0);
  const [requested, setRequested] = useState<{ year: number; id: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const approvals = useLoad(
    () => (enabled ? api.approvals(region, 'approved') : Promise.resolve({ approvals: [] })),
    [region, enabled, reloads],
  );
  const approved =
    approvals.status === 'ready' ? approvedRunOf(approvals.data.approvals, year) : undefined;
  const request = async () => {
    setError(null);
    try {
      const r = await api.requestApproval(region, { action: 'pooling.year_end_run', year });
      setRequested({ year, id: r.id });
    } catch (e) {
      setError(e);
    }
  };
  return {
    approved,
    requested: requested !== null && requested.year === year ? requested.id : null,
    error,
    request,
    reload: () => setReloads((n) => n + 1),
  };
}

function RunApprovalNote({ approval }: { approval: ReturnType<typeof useRunApproval> }) {
  const { t } = useI18n();
  if (approval.error !== null)
    return <ActionError error={approval.error} testId="year-end-approval-error" />;
  if (approval.approved !== undefined)
    return (
      <Alert
        type="success"
        showIcon
        data-testid="year-end-approval-ready"
        title={t('fund.settle.approvalReady', { id: approval.approved.id })}
      />
    );
  if (approval.requested !== null)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="year-end-approval-requested"
        data-approval-id={approval.requested}
        title={t('fund.settle.approvalRequested', { id: approval.requested })}
      />
    );
  return (
    <Typography.Text type="secondary" data-testid="year-end-approval-missing">
      {t('fund.settle.approvalMissing')}
    </Typography.Text>
  );
}

/**
 * Year-end pooling year-end run (调剂金 mode). Everyone with fund:read sees the stored result of
 * their scope (a city: its own row); the province's fund staff (fund:write) run it. The run is
 * idempotent by (province, year): a rerun returns the stored figures and posts nothing.
 */
export function YearEndView({ user, region }: YearEndViewProps) {
  const { t } = useI18n();
  const lastYear = Number(new Date().getFullYear()) - 1;
  const [year, setYear] = useState(Math.max(lastYear, firstYear));
  const [reloads, setReloads] = useState(0);
  const [run, setRun] = useState<{ year: number; result: YearEndRun } | null>(null);
  const [runError, setRunError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const canRun = isProvinceUser(user) && user.permissions.includes('fund:write');
  const stored = useLoad(() => fundApi.yearEnd(region, year), [region, year, reloads]);
  const approval = useRunApproval(region, year, canRun);

  const onRun = async () => {
    if (approval.approved === undefined) return;
    setRunning(true);
    setRunError(null);
    try {
      const result = await fundApi.runYearEnd(region, year, approval.approved.id);
      approval.reload();
      setRun({ year, result });
      setReloads((n) => n + 1);
    } catch (error) {
      setRunError(error);
    } finally {
      setRunning(false);
    }
  };

  const notRun =
    stored.status === 'failed' &&
    stored.error instanceof ApiError &&
    stored.error.code === 'fund.year_end_not_found';
  const shown: Shown | null =
    stored.status === 'ready'
      ? { yearEnd: stored.data, run: run !== null && run.year === year ? run.result : null }
      : null;

  return (
    <div className="page" data-testid="fund-year-end">
      <FundHeader user={user} view="year-end" region={region} />
      <Typography.Paragraph type="secondary">{t('fund.settle.intro')}</Typography.Paragraph>
      <Space wrap>
        <span>{t('fund.settle.year')}</span>
        <Select<number>
          data-testid="year-end-year"
          value={year}
          style={{ width: 120 }}
          onChange={(next) => {
            setYear(next);
            setRunError(null);
          }}
          options={yearsUpTo(Math.max(lastYear, firstYear)).map((y) => ({
            value: y,
            label: String(y),
          }))}
        />
        {canRun && (
          <Button
            onClick={() => void approval.request()}
            disabled={approval.approved !== undefined}
            data-testid="year-end-request-approval"
          >
            {t('fund.settle.requestApproval', { year })}
          </Button>
        )}
        {canRun && (
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={running}
            disabled={approval.approved === undefined}
            onClick={() => void onRun()}
            data-testid="year-end-run"
          >
            {t('fund.settle.run', { year })}
          </Button>
        )}
        <Typography.Text type="secondary">
          {t('fund.settle.runningAs', { user: user.username })}
        </Typography.Text>
      </Space>
      {canRun && <RunApprovalNote approval={approval} />}
      {runError !== null && <ActionError error={runError} testId="year-end-run-error" />}
      {stored.status === 'loading' && <Skeleton active />}
      {notRun && (
        <Alert
          type="info"
          showIcon
          data-testid="year-end-not-run"
          title={t('fund.settle.notRun', { year })}
          description={canRun ? t('fund.settle.notRunCanRun') : t('fund.settle.notRunWait')}
        />
      )}
      {stored.status === 'failed' && !notRun && (
        <LoadError error={stored.error} what="nav.fundYearEnd" />
      )}
      {shown !== null && <YearEndResult shown={shown} />}
    </div>
  );
}
