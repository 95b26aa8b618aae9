import { Alert, Card, Skeleton, Table, type TableColumnsType, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import {
  type ArrearsLine,
  type AssessmentLine,
  type CollectionRecord,
  contributionsApi,
  type DeclarationSummary,
  type EmployerRef,
} from './contributions-api.ts';
import { DeclarationUploadCard } from './declaration-upload.tsx';
import { ExcessCard } from './excess-card.tsx';

type Translate = ReturnType<typeof useI18n>['t'];

const yuan = (fen: number) => fenToYuanText(fen);

function declarationColumns(t: Translate): TableColumnsType<DeclarationSummary> {
  return [
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.declaration.version'), dataIndex: 'version' },
    { title: t('contributions.declaration.workers'), dataIndex: 'workerCount' },
    { title: t('contributions.declaration.wage'), dataIndex: 'wageTotalFen', render: yuan },
    { title: t('contributions.declaration.base'), dataIndex: 'baseTotalFen', render: yuan },
    { title: t('contributions.declaration.file'), dataIndex: 'fileName' },
    { title: t('contributions.declaration.at'), dataIndex: 'declaredAt' },
  ];
}

function assessmentColumns(t: Translate): TableColumnsType<AssessmentLine> {
  return [
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.assessment.version'), dataIndex: 'version' },
    { title: t('contributions.declaration.workers'), dataIndex: 'workerCount' },
    { title: t('contributions.declaration.base'), dataIndex: 'baseTotalFen', render: yuan },
    { title: t('contributions.assessment.class'), dataIndex: 'riskClass' },
    { title: t('contributions.assessment.grade'), dataIndex: 'floatingGrade' },
    { title: t('contributions.assessment.rate'), dataIndex: 'rate' },
    { title: t('contributions.assessment.amount'), dataIndex: 'amountFen', render: yuan },
  ];
}

function collectionColumns(t: Translate): TableColumnsType<CollectionRecord> {
  return [
    { title: t('contributions.collection.voucher'), dataIndex: 'voucher' },
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.collection.paidOn'), dataIndex: 'paidOn' },
    { title: t('contributions.collection.amount'), dataIndex: 'amountFen', render: yuan },
    {
      title: t('contributions.collection.status'),
      dataIndex: 'status',
      render: (s: CollectionRecord['status'], r: CollectionRecord) => (
        <Tag color={s === 'matched' ? 'green' : s === 'rejected' ? 'default' : 'orange'}>
          {s}
          {r.postingId === null ? '' : ` · ${t('contributions.collection.posted')}`}
        </Tag>
      ),
    },
  ];
}

function arrearsColumns(t: Translate): TableColumnsType<ArrearsLine> {
  return [
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.arrears.assessed'), dataIndex: 'assessedFen', render: yuan },
    { title: t('contributions.arrears.collected'), dataIndex: 'collectedFen', render: yuan },
    { title: t('contributions.arrears.outstanding'), dataIndex: 'outstandingFen', render: yuan },
    { title: t('contributions.arrears.due'), dataIndex: 'dueDate' },
    { title: t('contributions.arrears.daysLate'), dataIndex: 'daysLate' },
    { title: t('contributions.arrears.lateFee'), dataIndex: 'lateFeeFen', render: yuan },
  ];
}

/** A table that loads its own rows, shows a skeleton meanwhile and the server's refusal if any. */
function Loaded<T extends object>(props: {
  load: () => Promise<T[]>;
  deps: readonly unknown[];
  columns: TableColumnsType<T>;
  rowKey: (row: T) => string;
  testId: string;
  empty: string;
}) {
  const state = useLoad(props.load, props.deps);
  if (state.status === 'loading') return <Skeleton active />;
  if (state.status === 'failed')
    return <Alert type="error" showIcon title={describeError(state.error)} />;
  return (
    <Table
      data-testid={props.testId}
      size="small"
      rowKey={props.rowKey}
      columns={props.columns}
      dataSource={state.data}
      pagination={{ pageSize: 24, hideOnSinglePage: true }}
      locale={{ emptyText: props.empty }}
    />
  );
}

type Props = { target: EmployerRef; canUpload: boolean };

/**
 * An employer's contributions in one place: its declarations (and the upload, for whoever may
 * write), what was assessed, what the tax bureau collected, what is outstanding with the late fee
 * for reference. The same component serves the employer's own page and a handler's view of it.
 */
export function EmployerContributions({ target, canUpload }: Props) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const deps = [JSON.stringify(target), version];
  const tabs = [
    {
      key: 'declarations',
      label: t('contributions.tab.declarations'),
      children: (
        <Loaded
          load={async () => (await contributionsApi.declarations(target)).declarations}
          deps={deps}
          columns={declarationColumns(t)}
          rowKey={(d) => d.id}
          testId="contributions-declarations"
          empty={t('contributions.empty')}
        />
      ),
    },
    {
      key: 'assessments',
      label: t('contributions.tab.assessments'),
      children: (
        <Loaded
          load={async () => (await contributionsApi.assessments(target)).assessments}
          deps={deps}
          columns={assessmentColumns(t)}
          rowKey={(a) => `${a.month}|${a.version}`}
          testId="contributions-assessments"
          empty={t('contributions.empty')}
        />
      ),
    },
    {
      key: 'collections',
      label: t('contributions.tab.collections'),
      children: (
        <Loaded
          load={async () => (await contributionsApi.collections(target)).records}
          deps={deps}
          columns={collectionColumns(t)}
          rowKey={(c) => c.voucher}
          testId="contributions-collections"
          empty={t('contributions.empty')}
        />
      ),
    },
    {
      key: 'arrears',
      label: t('contributions.tab.arrears'),
      children: (
        <Loaded
          load={async () => (await contributionsApi.arrears(target)).arrears}
          deps={deps}
          columns={arrearsColumns(t)}
          rowKey={(a) => a.month}
          testId="contributions-arrears"
          empty={t('contributions.arrears.none')}
        />
      ),
    },
  ];
  // The excess and its movements are the city's staff's (the routes are region routes).
  if (target.kind === 'staff')
    tabs.push({
      key: 'excess',
      label: t('contributions.tab.excess'),
      children: (
        <ExcessCard region={target.region} employerId={target.employerId} canWrite={canUpload} />
      ),
    });
  return (
    <>
      {canUpload && (
        <DeclarationUploadCard target={target} onDone={() => setVersion((v) => v + 1)} />
      )}
      <Card title={t('contributions.title')} style={{ marginTop: 16 }}>
        <Tabs items={tabs} data-testid="contributions-tabs" />
      </Card>
    </>
  );
}
