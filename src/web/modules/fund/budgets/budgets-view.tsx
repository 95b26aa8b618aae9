import { Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import type { SessionUser } from '../../../api/types.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { fundApi } from '../fund-api.ts';
import { FundHeader, LoadError, useLoad, useRegionNames } from '../fund-common.tsx';
import { BudgetDetail } from './budget-detail.tsx';
import { ExecutionPanel } from './execution-panel.tsx';
import { ProvinceBudgets } from './province-budgets.tsx';

function yearOptions(around: number): { value: number; label: string }[] {
  const out: { value: number; label: string }[] = [];
  for (let y = around + 1; y >= around - 2; y -= 1) out.push({ value: y, label: String(y) });
  return out;
}

type BudgetsBodyProps = { user: SessionUser; region: string; defaultYear: number };

function BudgetsBody({ user, region, defaultYear }: BudgetsBodyProps) {
  const { t } = useI18n();
  const { nameOf } = useRegionNames(user);
  const [year, setYear] = useState(defaultYear);
  const province = region.endsWith('0000');
  const [segment, setSegment] = useState<string>(region);
  return (
    <>
      <Space wrap>
        <span>{t('fund.budget.year')}</span>
        <Select<number>
          data-testid="budget-year"
          value={year}
          style={{ width: 120 }}
          onChange={setYear}
          options={yearOptions(defaultYear)}
        />
      </Space>
      {province && <ProvinceBudgets user={user} region={region} year={year} onOpen={setSegment} />}
      {province && (
        <Typography.Text type="secondary">
          {t('fund.budget.showing', { name: nameOf(segment) })}
        </Typography.Text>
      )}
      <BudgetDetail user={user} region={province ? segment : region} year={year} />
      <ExecutionPanel region={region} year={year} />
    </>
  );
}

type BudgetsViewProps = { user: SessionUser; region: string };

/**
 * Budgets of a year: the city's (or, for the province, every segment's) lines, the draft editor
 * for the segment's own staff, consolidation and approval, execution and variance, Excel download.
 * The default year is the year of the region's latest posted data (the overview's `year`).
 */
export function BudgetsView({ user, region }: BudgetsViewProps) {
  const overview = useLoad(() => fundApi.overview(region), [region]);
  return (
    <div className="page" data-testid="fund-budgets">
      <FundHeader user={user} view="budgets" region={region} />
      {overview.status === 'loading' && <Skeleton active />}
      {overview.status === 'failed' && <LoadError error={overview.error} what="nav.fundBudgets" />}
      {overview.status === 'ready' && (
        <BudgetsBody key={region} user={user} region={region} defaultYear={overview.data.year} />
      )}
    </div>
  );
}
