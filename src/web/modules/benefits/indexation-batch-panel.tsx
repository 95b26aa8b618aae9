import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useLoad } from '../fund/fund-common.tsx';
import {
  type IndexationBatch,
  type IndexationItem,
  type IndexationLine,
  indexationApi,
} from './indexation-api.ts';
import {
  approvalColors,
  type BatchActions,
  batchActionsFor,
  batchStatusColors,
  currentCursor,
  nextCursors,
  payloadTotalsOf,
  previousCursors,
} from './indexation-view.ts';
import { saveDownload } from './payroll-downloads.tsx';
import { payrollKindLabel } from './payroll-view.ts';

type T = ReturnType<typeof useI18n>['t'];
type ItemTotal = IndexationBatch['payload']['totals'][number];
const yuan = (v: number) => fenToYuanText(v);

/** Lines a page: a city's batch has thousands; the route allows up to 1 000. */
const LINES_PAGE = 50;

type PanelProps = {
  user: SessionUser;
  city: string;
  batchId: string;
  /** The batch's row in the list: its approval's state and checker (the batch view has neither). */
  item: IndexationItem | null;
  onChanged: () => void;
  onClose: () => void;
};

/** A batch as the handler and the checker see it, with the buttons its state and the user allow. */
export function IndexationBatchPanel(props: PanelProps) {
  const { user, city, batchId, item, onChanged, onClose } = props;
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [cursors, setCursors] = useState<string[]>(['']);
  const after = currentCursor(cursors);
  const load = useLoad(
    () => indexationApi.show(city, batchId, { after, limit: LINES_PAGE }),
    [city, batchId, after, version],
  );
  if (load.status === 'loading') return <Card loading />;
  if (load.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        data-testid="indexation-error"
        title={describeError(load.error)}
      />
    );
  const batch = load.data;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const actions = batchActionsFor(batch.status, item?.approvalStatus ?? null, user.permissions);
  return (
    <Card
      data-testid="indexation-batch"
      title={t('indexation.batch.title', { year: batch.year, batchId: batch.batchId })}
      extra={<Button onClick={onClose}>{t('indexation.batch.close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <BatchSummary batch={batch} item={item} t={t} />
        <BatchButtons city={city} batch={batch} actions={actions} onChanged={changed} />
        <ItemTable batch={batch} t={t} />
        <LinesTable
          batch={batch}
          t={t}
          first={cursors.length === 1}
          onNext={() => setCursors((c) => nextCursors(c, batch.nextAfter))}
          onPrevious={() => setCursors(previousCursors)}
        />
      </Space>
    </Card>
  );
}

type SummaryProps = { batch: IndexationBatch; item: IndexationItem | null; t: T };

function BatchSummary({ batch, item, t }: SummaryProps) {
  const totals = payloadTotalsOf(batch.payload.totals);
  const { skipped } = batch.payload;
  const approval = item?.approvalStatus ?? null;
  return (
    <Space orientation="vertical">
      <Space wrap size="large">
        <Tag color={batchStatusColors[batch.status]} data-testid="indexation-status">
          {t(`indexation.status.${batch.status}`)}
        </Tag>
        <Tag
          color={approval === null ? 'default' : approvalColors[approval]}
          data-testid="indexation-approval"
        >
          {approval === null ? t('indexation.approval.none') : t(`indexation.approval.${approval}`)}
        </Tag>
        <Typography.Text strong data-testid="indexation-totals">
          {t('indexation.batch.totals', {
            lines: totals.lines,
            before: yuan(totals.beforeFen),
            after: yuan(totals.afterFen),
            increase: yuan(totals.increaseFen),
          })}
        </Typography.Text>
      </Space>
      <Typography.Text type="secondary" data-testid="indexation-skipped">
        {t('indexation.batch.skipped', {
          notAdjusted: skipped.not_adjusted,
          noKey: skipped.no_key,
          unchanged: skipped.unchanged,
        })}
      </Typography.Text>
      <Space wrap size="large">
        <Typography.Text>
          {t('indexation.batch.proposedBy', { maker: batch.proposedBy })}
        </Typography.Text>
        {item?.checkerUsername != null && (
          <Typography.Text data-testid="indexation-checker">
            {t('indexation.batch.checker', { checker: item.checkerUsername })}
          </Typography.Text>
        )}
        {batch.notice !== null && (
          <Typography.Text data-testid="indexation-notice">
            {t('indexation.batch.notice', { documentNumber: batch.notice.documentNumber })}
          </Typography.Text>
        )}
      </Space>
    </Space>
  );
}

type ButtonsProps = {
  city: string;
  batch: IndexationBatch;
  actions: BatchActions;
  onChanged: () => void;
};

/**
 * Approve, ask again (a rejected or expired approval: the same proposal route), apply, the report;
 * a refusal (the maker approving…) shows the server's text.
 */
function BatchButtons({ city, batch, actions, onChanged }: ButtonsProps) {
  const { t } = useI18n();
  const { busy, error, act } = useAction(onChanged);
  const id = batch.batchId;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {actions.approve && (
          <Button
            type="primary"
            loading={busy}
            data-testid="indexation-approve"
            onClick={() => void act(() => indexationApi.approve(city, id))}
          >
            {t('indexation.batch.approve')}
          </Button>
        )}
        {actions.askAgain && (
          <Button
            type="primary"
            loading={busy}
            data-testid="indexation-ask-again"
            onClick={() => void act(() => indexationApi.propose(city, batch.year))}
          >
            {t('indexation.batch.askAgain')}
          </Button>
        )}
        {actions.apply && (
          <Button
            type="primary"
            loading={busy}
            data-testid="indexation-apply"
            onClick={() => void act(() => indexationApi.apply(city, id))}
          >
            {t('indexation.batch.apply')}
          </Button>
        )}
        {actions.report && (
          <Button
            loading={busy}
            icon={<DownloadOutlined />}
            data-testid="indexation-report"
            onClick={() => void act(async () => saveDownload(await indexationApi.report(city, id)))}
          >
            {t('indexation.batch.report')}
          </Button>
        )}
      </Space>
      {error !== null && (
        <Alert type="error" showIcon data-testid="indexation-error" title={describeError(error)} />
      )}
    </Space>
  );
}

function ItemTable({ batch, t }: { batch: IndexationBatch; t: T }) {
  const columns: TableColumnsType<ItemTotal> = [
    {
      title: t('indexation.col.kind'),
      dataIndex: 'kind',
      render: (k: string) => payrollKindLabel(t, k),
    },
    {
      title: t('indexation.col.payer'),
      dataIndex: 'payer',
      render: (p: ItemTotal['payer']) => t(`indexation.payer.${p}`),
    },
    { title: t('indexation.col.lines'), dataIndex: 'lines', align: 'right' },
    { title: t('indexation.col.before'), dataIndex: 'beforeFen', align: 'right', render: yuan },
    { title: t('indexation.col.after'), dataIndex: 'afterFen', align: 'right', render: yuan },
  ];
  return (
    <Table<ItemTotal>
      title={() => t('indexation.batch.byItem')}
      rowKey={(r) => `${r.kind}:${r.payer}`}
      size="small"
      pagination={false}
      columns={columns}
      dataSource={batch.payload.totals}
      data-testid="indexation-by-item"
    />
  );
}

function lineColumns(t: T): TableColumnsType<IndexationLine> {
  return [
    { title: t('indexation.col.entitlement'), dataIndex: 'entitlementId' },
    { title: t('indexation.col.worker'), dataIndex: 'workerId' },
    {
      title: t('indexation.col.kind'),
      dataIndex: 'kind',
      render: (k: string) => payrollKindLabel(t, k),
    },
    {
      title: t('indexation.col.payer'),
      dataIndex: 'payer',
      render: (p: IndexationLine['payer']) => t(`indexation.payer.${p}`),
    },
    { title: t('indexation.col.rule'), dataIndex: 'ruleKey' },
    { title: t('indexation.col.effectiveOn'), dataIndex: 'effectiveOn' },
    { title: t('indexation.col.before'), dataIndex: 'beforeFen', align: 'right', render: yuan },
    { title: t('indexation.col.after'), dataIndex: 'afterFen', align: 'right', render: yuan },
    {
      title: t('indexation.col.increase'),
      key: 'increase',
      align: 'right',
      render: (_: unknown, line: IndexationLine) => yuan(line.afterFen - line.beforeFen),
    },
  ];
}

type LinesProps = {
  batch: IndexationBatch;
  t: T;
  first: boolean;
  onNext: () => void;
  onPrevious: () => void;
};

/** One page of the before/after lines, paged by the server's cursor (no ID numbers: ids only). */
function LinesTable({ batch, t, first, onNext, onPrevious }: LinesProps) {
  return (
    <Table<IndexationLine>
      title={() => t('indexation.batch.lines', { size: LINES_PAGE })}
      rowKey="entitlementId"
      size="small"
      pagination={false}
      columns={lineColumns(t)}
      dataSource={batch.lines}
      data-testid="indexation-lines"
      footer={() => (
        <Space>
          <Button
            size="small"
            disabled={first}
            onClick={onPrevious}
            data-testid="indexation-previous"
          >
            {t('indexation.page.previous')}
          </Button>
          <Button
            size="small"
            disabled={batch.nextAfter === null}
            onClick={onNext}
            data-testid="indexation-next"
          >
            {t('indexation.page.next')}
          </Button>
        </Space>
      )}
    />
  );
}
