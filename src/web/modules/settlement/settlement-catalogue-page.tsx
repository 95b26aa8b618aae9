import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Input,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Upload,
} from 'antd';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import {
  type CatalogueFilter,
  type CatalogueImport,
  type CatalogueItem,
  type CatalogueKind,
  catalogueApi,
} from './settlement-catalogue-api.ts';
import {
  capText,
  catalogueKinds,
  firstPage,
  type Pages,
  refusedImportId,
} from './settlement-institutions-form.ts';
import { Pager } from './settlement-institutions-pager.tsx';

type T = ReturnType<typeof useI18n>['t'];
const PAGE_SIZE = 20;
const yuan = (fen: number) => fenToYuanText(fen);

/** 目录: the catalogue items in force on a day, by code or name prefix and kind; and its import. */
export function SettlementCataloguePage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const canWrite = user.permissions.includes('settlement:write');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <CatalogueBrowser t={t} />
      {canWrite && <CatalogueImportCard />}
    </Space>
  );
}

function itemColumns(t: T): TableColumnsType<CatalogueItem> {
  return [
    { title: t('settlementRef.cat.code'), dataIndex: 'code' },
    { title: t('settlementRef.col.name'), dataIndex: 'name' },
    {
      title: t('settlementRef.col.kind'),
      dataIndex: 'kind',
      render: (k: CatalogueKind) => t(`settlementRef.catKind.${k}`),
    },
    {
      title: t('settlementRef.cat.class'),
      dataIndex: 'drugClass',
      render: (c: 'A' | 'B' | null) => (c === null ? '—' : t(`settlementRef.cat.class${c}`)),
    },
    { title: t('settlementRef.cat.unit'), dataIndex: 'unit' },
    {
      title: t('settlementRef.cat.cap'),
      dataIndex: 'priceCapFen',
      align: 'right',
      render: (f: number | null) => capText(f, yuan),
    },
    {
      title: t('settlementRef.cat.limit'),
      dataIndex: 'quantityLimit',
      align: 'right',
      render: (q: number | null) => q ?? '—',
    },
    { title: t('settlementRef.col.validFrom'), dataIndex: 'validFrom' },
    {
      title: t('settlementRef.col.validTo'),
      dataIndex: 'validTo',
      render: (v: string | null) => v ?? '—',
    },
  ];
}

function CatalogueBrowser({ t }: { t: T }) {
  const [draft, setDraft] = useState<CatalogueFilter>({});
  const [filter, setFilter] = useState<CatalogueFilter>({});
  const [pages, setPages] = useState<Pages>(firstPage);
  const load = useLoad(
    () => catalogueApi.search(filter, pages.current, PAGE_SIZE),
    [filter, pages],
  );
  const search = () => {
    setFilter({
      ...draft,
      prefix: draft.prefix?.trim() || undefined,
      date: draft.date?.trim() || undefined,
    });
    setPages(firstPage);
  };
  return (
    <Card title={t('settlementRef.cat.title')} data-testid="catalogue-card">
      <Space style={{ marginBottom: 12 }} wrap>
        <Input
          data-testid="catalogue-prefix"
          placeholder={t('settlementRef.cat.prefix')}
          style={{ width: 220 }}
          onChange={(e) => setDraft({ ...draft, prefix: e.target.value })}
          onPressEnter={search}
        />
        <Select
          data-testid="catalogue-kind"
          allowClear
          placeholder={t('settlementRef.col.kind')}
          style={{ width: 140 }}
          onChange={(k: CatalogueKind | undefined) => setDraft({ ...draft, kind: k })}
          options={catalogueKinds.map((k) => ({
            value: k,
            label: t(`settlementRef.catKind.${k}`),
          }))}
        />
        <Input
          data-testid="catalogue-date"
          placeholder={t('settlementRef.cat.date')}
          style={{ width: 160 }}
          maxLength={10}
          onChange={(e) => setDraft({ ...draft, date: e.target.value })}
          onPressEnter={search}
        />
        <Button type="primary" data-testid="catalogue-search" onClick={search}>
          {t('settlementRef.search')}
        </Button>
      </Space>
      {load.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid="catalogue-error"
          title={describeError(load.error)}
        />
      )}
      <Table<CatalogueItem>
        data-testid="catalogue-table"
        rowKey={(i) => `${i.code}:${i.validFrom}`}
        size="small"
        pagination={false}
        columns={itemColumns(t)}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.items : []}
        locale={{ emptyText: t('settlementRef.empty') }}
      />
      <Pager
        pages={pages}
        next={load.status === 'ready' ? load.data.next : null}
        onChange={setPages}
      />
    </Card>
  );
}

type Outcome =
  | { kind: 'imported'; answer: CatalogueImport }
  | { kind: 'refused'; message: string; importId: string | null };

/** The file goes as the body; a refused file names its row report, offered as a download. */
function CatalogueImportCard() {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const send = async (file: File) => {
    setOutcome(null);
    setProgress(0);
    try {
      const answer = await catalogueApi.import(file, (sent, total) =>
        setProgress(total === 0 ? 100 : Math.round((sent / total) * 100)),
      );
      setOutcome({ kind: 'imported', answer });
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : null;
      setOutcome({
        kind: 'refused',
        message: describeError(error),
        importId: refusedImportId(problem),
      });
    } finally {
      setProgress(null);
    }
  };
  return (
    <Card title={t('settlementRef.import.title')} data-testid="catalogue-import-card">
      <Upload
        accept=".csv,.xlsx"
        showUploadList={false}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="catalogue-import-pick">
          {t('settlementRef.import.pick')}
        </Button>
      </Upload>
      {progress !== null && <Progress percent={progress} size="small" />}
      {outcome !== null && <ImportOutcome outcome={outcome} />}
    </Card>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  if (outcome.kind === 'imported') {
    const a = outcome.answer;
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginTop: 12 }}
        data-testid="catalogue-import-done"
        title={t(a.repeated ? 'settlementRef.import.repeated' : 'settlementRef.import.done', {
          rows: a.rows,
          accepted: a.accepted,
          file: a.fileName,
        })}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 12 }}
      data-testid="catalogue-import-refused"
      title={outcome.message}
      description={
        outcome.importId !== null && (
          <a
            href={catalogueApi.reportXlsxUrl(outcome.importId)}
            data-testid="catalogue-import-report"
            download
          >
            {t('settlementRef.import.report')}
          </a>
        )
      }
    />
  );
}
