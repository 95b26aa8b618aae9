import { Alert, Button, Card, Space, Table, type TableColumnsType, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { type Load, useLoad } from '../fund/fund-common.tsx';
import { type ReissueBatchItem, reissueApi } from './payroll-reissue-api.ts';
import { batchStatusColors } from './payroll-reissue-view.ts';
import { type ReleaseItem, releaseApi } from './payroll-release-api.ts';

type T = ReturnType<typeof useI18n>['t'];
type Page<I> = { items: I[]; nextAfter: string | null };

type CardProps = {
  city: string;
  /** Bumped by the page when a batch or a release was proposed or changed: the lists load again. */
  version: number;
};

/**
 * 补发批次 / 冲回: the city's reissue batches and releases, newest first (GET …/payroll-reissues,
 * GET …/payroll-releases), each a link to its address /payroll/<id>, so a handler who left the page
 * after proposing finds the batch or the release again without its id.
 */
export function ByHandCard({ city, version }: CardProps) {
  const { t } = useI18n();
  const [batchesAfter, setBatchesAfter] = useState<string | null>(null);
  const [releasesAfter, setReleasesAfter] = useState<string | null>(null);
  const batches = useLoad(() => reissueApi.list(city, batchesAfter), [city, batchesAfter, version]);
  const releases = useLoad(
    () => releaseApi.list(city, releasesAfter),
    [city, releasesAfter, version],
  );
  const tabs = [
    {
      key: 'batches',
      label: t('byHand.batches'),
      children: (
        <ListTable
          load={batches}
          after={batchesAfter}
          onPage={setBatchesAfter}
          columns={batchColumns(t)}
          testId="by-hand-batches"
        />
      ),
    },
    {
      key: 'releases',
      label: t('byHand.releases'),
      children: (
        <ListTable
          load={releases}
          after={releasesAfter}
          onPage={setReleasesAfter}
          columns={releaseColumns(t)}
          testId="by-hand-releases"
        />
      ),
    },
  ];
  return (
    <Card title={t('byHand.title')} data-testid="by-hand">
      <Tabs items={tabs} data-testid="by-hand-tabs" />
    </Card>
  );
}

type ListProps<I extends { id: string }> = {
  load: Load<Page<I>>;
  after: string | null;
  onPage: (after: string | null) => void;
  columns: TableColumnsType<I>;
  testId: string;
};

function ListTable<I extends { id: string }>(props: ListProps<I>) {
  const { t } = useI18n();
  const { load, after, onPage } = props;
  const nextAfter = load.status === 'ready' ? load.data.nextAfter : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
      <Table<I>
        rowKey="id"
        size="small"
        columns={props.columns}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.items : []}
        pagination={false}
        locale={{ emptyText: t('byHand.none') }}
        data-testid={props.testId}
      />
      {(after !== null || nextAfter !== null) && (
        <Space>
          <Button size="small" disabled={after === null} onClick={() => onPage(null)}>
            {t('reissue.failed.first')}
          </Button>
          <Button size="small" disabled={nextAfter === null} onClick={() => onPage(nextAfter)}>
            {t('reissue.failed.next')}
          </Button>
        </Space>
      )}
    </Space>
  );
}

/** The approval, shown only when it has ended the proposal (rejected, or its time ran out). */
function approvalTag(t: T, status: ReissueBatchItem['approvalStatus']) {
  return status === 'rejected' || status === 'expired' ? (
    <Tag color="red">{t(`byHand.approval.${status}`)}</Tag>
  ) : null;
}

function commonColumns<I extends ReissueBatchItem | ReleaseItem>(t: T): TableColumnsType<I> {
  return [
    {
      title: t('byHand.col.id'),
      dataIndex: 'id',
      render: (id: string) => (
        <Link to={`/payroll/${id}`} data-testid={`by-hand-open-${id}`}>
          {id}
        </Link>
      ),
    },
    { title: t('byHand.col.day'), dataIndex: 'proposedOn' },
    { title: t('payroll.col.lines'), dataIndex: 'lineCount', align: 'right' },
    {
      title: t('payroll.col.total'),
      dataIndex: 'totalFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    { title: t('byHand.col.proposedBy'), dataIndex: 'proposedBy' },
  ];
}

function batchColumns(t: T): TableColumnsType<ReissueBatchItem> {
  return [
    ...commonColumns<ReissueBatchItem>(t),
    {
      title: t('payroll.col.status'),
      key: 'status',
      render: (_: unknown, b: ReissueBatchItem) => (
        <span data-testid={`by-hand-status-${b.id}`}>
          <Tag color={batchStatusColors[b.status]}>{t(`reissue.status.${b.status}`)}</Tag>
          {approvalTag(t, b.approvalStatus)}
        </span>
      ),
    },
    {
      title: t('byHand.col.bank'),
      key: 'bank',
      render: (_: unknown, b: ReissueBatchItem) =>
        b.fileSha256 === null
          ? t('byHand.noFile')
          : t('byHand.answers', {
              confirmed: b.confirmedLines,
              failed: b.failedLines,
              outstanding: b.outstandingLines,
            }),
    },
  ];
}

function releaseColumns(t: T): TableColumnsType<ReleaseItem> {
  return [
    ...commonColumns<ReleaseItem>(t),
    {
      title: t('payroll.col.status'),
      key: 'status',
      render: (_: unknown, r: ReleaseItem) => (
        <span data-testid={`by-hand-status-${r.id}`}>
          <Tag color={r.status === 'applied' ? 'green' : 'gold'}>
            {t(`release.status.${r.status}`)}
          </Tag>
          {approvalTag(t, r.approvalStatus)}
        </span>
      ),
    },
    {
      title: t('byHand.col.transaction'),
      dataIndex: 'transactionId',
      render: (v: string | null) => v ?? '',
    },
  ];
}
