import {
  App,
  Button,
  Card,
  Checkbox,
  InputNumber,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { type Key, useState } from 'react';
import { caseStatuses } from '../../../domain/cases/index.ts';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { NextDueTag, StatusTag, statusKey, todayIso } from './case-format.tsx';
import { casesApi, type WorkListFilters, type WorkListItem } from './cases-api.ts';
import { casePath } from './cases-routes.ts';

/** The deadline dashboard of a region: per city and clock, overdue / today / within a week. */
export function DeadlineDashboard({ region }: { region: string }) {
  const { t } = useI18n();
  const load = useLoad(() => casesApi.dashboard(region), [region]);
  if (load.status !== 'ready') return null;
  return (
    <Card title={t('cases.dashboard.title')} size="small" data-testid="case-dashboard">
      <Space wrap size="large">
        {load.data.rows.map((r) => (
          <Card
            key={`${r.regionCode}-${r.dueKind}`}
            size="small"
            title={`${r.regionCode} · ${t(`cases.dueKind.${r.dueKind}`)}`}
          >
            <Space size="large">
              <Statistic
                title={t('cases.dashboard.overdue')}
                value={r.overdue}
                valueStyle={{ color: '#cf1322' }}
              />
              <Statistic title={t('cases.dashboard.dueToday')} value={r.dueToday} />
              <Statistic title={t('cases.dashboard.dueWithin7Days')} value={r.dueWithin7Days} />
              <Statistic title={t('cases.dashboard.running')} value={r.running} />
            </Space>
          </Card>
        ))}
      </Space>
    </Card>
  );
}

type Page = { items: WorkListItem[]; next: string | null };

function useWorkList(region: string, filters: WorkListFilters) {
  const [extra, setExtra] = useState<Page | null>(null);
  const load = useLoad(async () => {
    setExtra(null);
    return casesApi.workList(region, filters);
  }, [region, filters]);
  const first = load.status === 'ready' ? load.data : null;
  const items = [...(first?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (first?.next ?? null);
  const more = async () => {
    if (next === null) return;
    const page = await casesApi.workList(region, { ...filters, after: next });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next: page.next });
  };
  return { load, items, next, more };
}

/** The officer's work list: filters, deadline colours, keyset "load more", bulk acceptance. */
export function WorkList({ region, canWrite }: { region: string; canWrite: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<WorkListFilters>({ status: ['applied', 'accepted'] });
  const [selected, setSelected] = useState<string[]>([]);
  const { load, items, next, more } = useWorkList(region, filters);
  const today = todayIso();
  const bulk = async () => {
    try {
      const out = await casesApi.bulkAccept(region, selected, today);
      const ok = out.results.filter((r) => r.ok).length;
      message.info(t('cases.bulkDone', { ok, failed: out.results.length - ok }));
      setSelected([]);
      setFilters({ ...filters });
    } catch (error) {
      message.error(describeError(error));
    }
  };
  return (
    <Card data-testid="case-work-list">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          mode="multiple"
          style={{ minWidth: 280 }}
          placeholder={t('cases.filter.status')}
          value={filters.status ?? []}
          onChange={(status: string[]) => setFilters({ ...filters, status })}
          options={caseStatuses.map((s) => ({ value: s, label: t(statusKey(s)) }))}
          data-testid="case-filter-status"
        />
        <Checkbox
          checked={filters.overdue === true}
          onChange={(e) => setFilters({ ...filters, overdue: e.target.checked })}
          data-testid="case-filter-overdue"
        >
          {t('cases.filter.overdue')}
        </Checkbox>
        <InputNumber
          min={0}
          max={366}
          placeholder={t('cases.filter.dueWithin')}
          onChange={(n) => {
            const { dueWithinDays: _dropped, ...rest } = filters;
            setFilters(typeof n === 'number' ? { ...rest, dueWithinDays: n } : rest);
          }}
        />
        {canWrite && (
          <Button disabled={selected.length === 0} onClick={bulk} data-testid="case-bulk-accept">
            {t('cases.bulkAccept', { count: selected.length })}
          </Button>
        )}
      </Space>
      <Table<WorkListItem>
        rowKey="caseId"
        size="small"
        loading={load.status === 'loading'}
        dataSource={items}
        pagination={false}
        {...(canWrite
          ? {
              rowSelection: {
                selectedRowKeys: selected,
                onChange: (keys: Key[]) => setSelected(keys.map(String)),
                getCheckboxProps: (r: WorkListItem) => ({ disabled: r.status !== 'applied' }),
              },
            }
          : {})}
        columns={[
          {
            title: t('cases.col.case'),
            key: 'case',
            render: (_, r) => <Link to={casePath(r.regionCode, r.caseId)}>{r.caseId}</Link>,
          },
          {
            title: t('cases.col.worker'),
            key: 'worker',
            render: (_, r) => `${r.workerName} ${r.workerIdNumber}`,
          },
          { title: t('cases.col.employer'), dataIndex: 'employerName' },
          { title: t('cases.col.accident'), dataIndex: 'accidentDate' },
          {
            title: t('cases.col.status'),
            key: 'status',
            render: (_, r) => <StatusTag status={r.status} />,
          },
          {
            title: t('cases.col.due'),
            key: 'due',
            render: (_, r) => <NextDueTag item={r} today={today} />,
          },
        ]}
      />
      {load.status === 'failed' && (
        <Typography.Text type="danger">{describeError(load.error)}</Typography.Text>
      )}
      {next !== null && (
        <Button onClick={more} style={{ marginTop: 12 }} data-testid="case-more">
          {t('cases.more')}
        </Button>
      )}
    </Card>
  );
}
