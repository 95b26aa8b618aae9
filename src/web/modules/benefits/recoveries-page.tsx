import { Alert, Card, Segmented, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { api, describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { payrollCityOf } from './payroll-view.ts';
import { type OverpaymentFilter, type OverpaymentItem, recoveryApi } from './recovery-api.ts';
import { RecoveryRow } from './recovery-row.tsx';
import { type Asked, askedFromJson } from './recovery-view.ts';

type T = ReturnType<typeof useI18n>['t'];
const filters: readonly OverpaymentFilter[] = ['open', 'recovered', 'waived', 'all'];
const statusColors = {
  open: 'gold',
  recovered: 'green',
  waived: 'default',
  cancelled: 'default',
} as const;

/**
 * `/benefits/recoveries`: the city's overpayments (多领待遇, 《社会保险经办条例》第四十六条) with their
 * recovery — decide an offset or an order, approve (a second person), apply, record an order's
 * repayments. Each action is the existing route; the server refuses what the law or the
 * maker-checker rule forbids, and the row shows its text.
 */
export function RecoveriesPage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const city = payrollCityOf(user);
  if (city === null) return <Alert type="info" showIcon title={t('recovery.noCity')} />;
  return <CityRecoveries user={user} city={city} />;
}

function useAsked(city: string) {
  const key = `tongchou.recoveries.${city}`;
  const [asked, setAsked] = useState<Asked[]>(() => askedFromJson(localStorage.getItem(key)));
  const update = (next: Asked[]) => {
    setAsked(next);
    localStorage.setItem(key, JSON.stringify(next));
  };
  return {
    asked,
    add: (a: Asked) => update([...asked.filter((x) => x.target !== a.target), a]),
    drop: (approvalId: string) => update(asked.filter((x) => x.approvalId !== approvalId)),
  };
}

function CityRecoveries({ user, city }: { user: SessionUser; city: string }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<OverpaymentFilter>('open');
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const checker = user.permissions.includes('fund:approve');
  const load = useLoad(() => recoveryApi.list(city, filter), [city, filter, version]);
  const pending = useLoad(
    () => (checker ? api.approvals(city, 'pending') : Promise.resolve({ approvals: [] })),
    [city, checker, version],
  );
  const asks = useAsked(city);
  const approvals = pending.status === 'ready' ? pending.data.approvals : [];
  return (
    <Card title={t('recovery.title')} data-testid="recoveries-page">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Segmented<OverpaymentFilter>
          value={filter}
          onChange={setFilter}
          data-testid="recoveries-filter"
          options={filters.map((f) => ({ value: f, label: t(`recovery.filter.${f}`) }))}
        />
        {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
        <Table<OverpaymentItem>
          rowKey="overpaymentId"
          size="small"
          loading={load.status === 'loading'}
          dataSource={load.status === 'ready' ? load.data.items : []}
          columns={columnsOf(t)}
          locale={{ emptyText: t('recovery.none') }}
          data-testid="recoveries-table"
          expandable={{
            expandedRowRender: (item) => (
              <RecoveryRow
                user={user}
                city={city}
                item={item}
                approvals={approvals}
                asks={asks}
                onChanged={refresh}
              />
            ),
          }}
        />
      </Space>
    </Card>
  );
}

function columnsOf(t: T): TableColumnsType<OverpaymentItem> {
  const yuan = (v: number) => fenToYuanText(v);
  return [
    { title: t('recovery.col.id'), dataIndex: 'overpaymentId' },
    { title: t('recovery.col.worker'), dataIndex: 'workerId' },
    {
      title: t('recovery.col.reason'),
      dataIndex: 'reason',
      render: (r: OverpaymentItem['reason']) => t(`recovery.reason.${r}`),
    },
    { title: t('recovery.col.months'), dataIndex: 'months', render: (m: string[]) => m.join('、') },
    { title: t('recovery.col.amount'), dataIndex: 'amountFen', align: 'right', render: yuan },
    {
      title: t('recovery.col.status'),
      dataIndex: 'status',
      render: (s: OverpaymentItem['status']) => (
        <Tag color={statusColors[s]}>{t(`recovery.status.${s}`)}</Tag>
      ),
    },
    {
      title: t('recovery.col.recovery'),
      dataIndex: 'recovery',
      render: (r: OverpaymentItem['recovery']) =>
        r === null
          ? t('recovery.notDecided')
          : t(`recovery.method.${r.method}`) +
            (r.monthlyFen === null ? '' : ` ${yuan(r.monthlyFen)}/${t('recovery.month')}`),
    },
    {
      title: t('recovery.col.balance'),
      dataIndex: 'recovery',
      align: 'right',
      render: (r: OverpaymentItem['recovery']) => (r === null ? '—' : yuan(r.balanceFen)),
    },
  ];
}
