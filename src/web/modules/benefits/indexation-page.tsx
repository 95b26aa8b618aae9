import { Alert, Button, Card, InputNumber, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import type { IndexationListResponse } from '../../../contract/benefits/indexation-contract.ts';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router/router.tsx';
import { type Load, useLoad } from '../fund/fund-common.tsx';
import { type IndexationItem, indexationApi } from './indexation-api.ts';
import { IndexationBatchPanel } from './indexation-batch-panel.tsx';
import { approvalColors, batchStatusColors, beijingYearOf } from './indexation-view.ts';
import { payrollCityOf } from './payroll-view.ts';

type T = ReturnType<typeof useI18n>['t'];

type PageProps = { user: SessionUser; batchId: string | null };

/**
 * `/payroll/indexation`: the city's indexation batches (待遇调整, docs/benefits.md "Indexation") —
 * the list, a proposal of a year's batch for the handler; `/payroll/indexation/<batch id>` the
 * same with that batch opened (its before/after lines, the report, the approval and the apply), so
 * a checker can be sent its address. Nothing is shown before the server answered.
 */
export function IndexationPage(props: PageProps) {
  const { t } = useI18n();
  const city = payrollCityOf(props.user);
  if (city === null) return <Alert type="info" showIcon title={t('indexation.noCity')} />;
  return <CityIndexation {...props} city={city} />;
}

const openBatch = (id: string | null) =>
  navigate(id === null ? '/payroll/indexation' : `/payroll/indexation/${id}`);

function CityIndexation({ user, city, batchId }: PageProps & { city: string }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const load = useLoad(() => indexationApi.list(city), [city, version]);
  const refresh = () => setVersion((v) => v + 1);
  const items = load.status === 'ready' ? load.data.items : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="indexation-page">
      {user.permissions.includes('fund:write') && (
        <ProposeCard
          city={city}
          onProposed={(id) => {
            openBatch(id);
            refresh();
          }}
        />
      )}
      {batchId !== null && (
        <IndexationBatchPanel
          key={batchId}
          user={user}
          city={city}
          batchId={batchId}
          item={items.find((item) => item.batchId === batchId) ?? null}
          onChanged={refresh}
          onClose={() => openBatch(null)}
        />
      )}
      <BatchesCard load={load} onOpen={openBatch} t={t} />
    </Space>
  );
}

function ProposeCard({ city, onProposed }: { city: string; onProposed: (id: string) => void }) {
  const { t } = useI18n();
  const [year, setYear] = useState<number>(beijingYearOf(new Date()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const propose = async () => {
    setBusy(true);
    setError(null);
    try {
      const batch = await indexationApi.propose(city, year);
      onProposed(batch.batchId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('indexation.propose.title')} data-testid="indexation-propose">
      <Space wrap>
        <span>{t('indexation.propose.year')}</span>
        <InputNumber<number>
          min={2011}
          max={2100}
          precision={0}
          value={year}
          onChange={(v) => v !== null && setYear(v)}
          data-testid="indexation-year"
        />
        <Button
          type="primary"
          loading={busy}
          onClick={() => void propose()}
          data-testid="indexation-propose-submit"
        >
          {t('indexation.propose.submit')}
        </Button>
      </Space>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="indexation-propose-error"
          title={describeError(error)}
        />
      )}
    </Card>
  );
}

const yuan = (v: number) => fenToYuanText(v);

function batchColumns(t: T, onOpen: (id: string) => void): TableColumnsType<IndexationItem> {
  return [
    { title: t('indexation.col.year'), dataIndex: 'year' },
    {
      title: t('indexation.col.status'),
      dataIndex: 'status',
      render: (s: IndexationItem['status']) => (
        <Tag color={batchStatusColors[s]}>{t(`indexation.status.${s}`)}</Tag>
      ),
    },
    {
      title: t('indexation.col.approval'),
      dataIndex: 'approvalStatus',
      render: (s: IndexationItem['approvalStatus']) =>
        s === null ? (
          t('indexation.approval.none')
        ) : (
          <Tag color={approvalColors[s]}>{t(`indexation.approval.${s}`)}</Tag>
        ),
    },
    { title: t('indexation.col.lines'), dataIndex: 'lineCount', align: 'right' },
    { title: t('indexation.col.before'), dataIndex: 'beforeFen', align: 'right', render: yuan },
    { title: t('indexation.col.after'), dataIndex: 'afterFen', align: 'right', render: yuan },
    { title: t('indexation.col.proposedBy'), dataIndex: 'proposedBy' },
    {
      title: t('indexation.col.checker'),
      dataIndex: 'checkerUsername',
      render: (v: string | null) => v ?? '',
    },
    {
      title: '',
      key: 'open',
      render: (_: unknown, item: IndexationItem) => (
        <Button
          size="small"
          data-testid={`indexation-open-${item.year}`}
          onClick={() => onOpen(item.batchId)}
        >
          {t('indexation.open')}
        </Button>
      ),
    },
  ];
}

type BatchesProps = { load: Load<IndexationListResponse>; onOpen: (id: string) => void; t: T };

function BatchesCard({ load, onOpen, t }: BatchesProps) {
  return (
    <Card title={t('indexation.title')} data-testid="indexation-batches">
      {load.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(load.error)} />
      )}
      <Table<IndexationItem>
        rowKey="batchId"
        size="small"
        columns={batchColumns(t, onOpen)}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.items : []}
        locale={{ emptyText: t('indexation.none') }}
        pagination={false}
      />
    </Card>
  );
}
