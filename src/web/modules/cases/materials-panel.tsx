import {
  Alert,
  Button,
  Card,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { itemKey, materialItemText } from './material-labels.ts';
import {
  type MaterialItemCode,
  type MaterialResponse,
  type MaterialsListResponse,
  type MaterialsVia,
  materialsApi,
} from './materials-api.ts';

/**
 * A case's materials (《工伤保险条例》第十八条): the checklist with each item present or missing, an
 * upload (PDF, JPG or PNG — the server decides the type by content; a progress bar while the bytes
 * go up) and the list of files with their downloads (a survivor's paper named in the law's words with
 * its dependant's number and relation: material-labels.ts). Staff use it on the case page (via 'staff'),
 * the employer and the worker on their own case (via 'self').
 */
export type MaterialsPanelProps = {
  regionCode: string;
  caseId: string;
  canUpload: boolean;
  via?: MaterialsVia;
};

const ITEM_CODES: readonly MaterialItemCode[] = [
  'application_form',
  'labour_relation_proof',
  'medical_diagnosis',
  'occupational_disease_diagnosis',
  'death_certificate',
  'other',
];

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; page: MaterialsListResponse }
  | { kind: 'failed'; error: unknown };

export function MaterialsPanel({
  regionCode,
  caseId,
  canUpload,
  via = 'staff',
}: MaterialsPanelProps) {
  const { t } = useI18n();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const reload = useCallback(() => {
    materialsApi
      .list(via, regionCode, caseId)
      .then((page) => setLoad({ kind: 'ready', page }))
      .catch((error: unknown) => setLoad({ kind: 'failed', error }));
  }, [via, regionCode, caseId]);
  useEffect(reload, [reload]);
  return (
    <Card title={t('materials.title')} data-testid="materials-panel">
      {load.kind === 'loading' && <Typography.Text>{t('app.loading')}</Typography.Text>}
      {load.kind === 'failed' && <Alert type="error" showIcon title={describeError(load.error)} />}
      {load.kind === 'ready' && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Checklist page={load.page} />
          {canUpload && (
            <UploadForm
              target={{ via, regionCode, caseId }}
              bytesMax={load.page.bytesMax}
              onDone={reload}
            />
          )}
          <MaterialsTable
            materials={load.page.materials}
            fileUrl={(id) => materialsApi.fileUrl(via, regionCode, caseId, id)}
          />
        </Space>
      )}
    </Card>
  );
}

function Checklist({ page }: { page: MaterialsListResponse }) {
  const { t } = useI18n();
  const { checklist } = page;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="materials-checklist">
      <Alert
        type={checklist.complete ? 'success' : 'warning'}
        showIcon
        title={
          checklist.complete
            ? t('materials.complete')
            : t('materials.missing', {
                items: checklist.missing.map((c) => t(itemKey(c))).join('、'),
              })
        }
      />
      {checklist.items.map((item) => (
        <Space key={item.code} data-testid={`materials-item-${item.code}`}>
          {item.present ? (
            <Tag color="green">{t('materials.present', { count: item.count })}</Tag>
          ) : (
            <Tag color={item.when === 'death' ? 'default' : 'red'}>{t('materials.absent')}</Tag>
          )}
          <span>{t(itemKey(item.code))}</span>
          {item.when === 'death' && (
            <Typography.Text type="secondary">{t('materials.whenDeath')}</Typography.Text>
          )}
        </Space>
      ))}
    </Space>
  );
}

type Sending =
  | { kind: 'idle' }
  | { kind: 'sending'; percent: number }
  | { kind: 'done'; name: string }
  | { kind: 'failed'; message: string };

function UploadForm({
  target,
  bytesMax,
  onDone,
}: {
  target: { via: MaterialsVia; regionCode: string; caseId: string };
  bytesMax: number;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [itemCode, setItemCode] = useState<MaterialItemCode>('application_form');
  const [file, setFile] = useState<File | null>(null);
  const [sending, setSending] = useState<Sending>({ kind: 'idle' });
  const megabytes = Math.round(bytesMax / (1024 * 1024));
  const send = async () => {
    if (file === null) return;
    if (file.size > bytesMax)
      return setSending({ kind: 'failed', message: t('materials.tooLarge', { mb: megabytes }) });
    setSending({ kind: 'sending', percent: 0 });
    try {
      const stored = await materialsApi.upload(target, itemCode, file, (sent, total) =>
        setSending({ kind: 'sending', percent: total > 0 ? Math.round((sent / total) * 100) : 0 }),
      );
      setSending({ kind: 'done', name: stored.fileName });
      onDone();
    } catch (error) {
      setSending({ kind: 'failed', message: describeError(error) });
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="materials-upload">
      <Typography.Text type="secondary">{t('materials.rules', { mb: megabytes })}</Typography.Text>
      <Space wrap>
        <Select
          value={itemCode}
          onChange={setItemCode}
          style={{ minWidth: 240 }}
          data-testid="materials-item"
          options={ITEM_CODES.map((code) => ({ value: code, label: t(itemKey(code)) }))}
        />
        <input
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          aria-label={t('materials.file')}
          data-testid="materials-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <Button
          type="primary"
          disabled={file === null || sending.kind === 'sending'}
          onClick={() => void send()}
          data-testid="materials-send"
        >
          {t('materials.send')}
        </Button>
      </Space>
      {sending.kind === 'sending' && (
        <Progress percent={sending.percent} data-testid="materials-progress" />
      )}
      {sending.kind === 'done' && (
        <Alert type="success" showIcon title={t('materials.uploaded', { name: sending.name })} />
      )}
      {sending.kind === 'failed' && (
        <Alert type="error" showIcon data-testid="materials-error" title={sending.message} />
      )}
    </Space>
  );
}

function MaterialsTable({
  materials,
  fileUrl,
}: {
  materials: MaterialResponse[];
  fileUrl: (id: string) => string;
}) {
  const { t, language } = useI18n();
  const columns: TableColumnsType<MaterialResponse> = [
    {
      title: t('materials.col.item'),
      dataIndex: 'itemCode',
      render: (_: string, m) => materialItemText(language, m),
    },
    {
      title: t('materials.col.file'),
      dataIndex: 'fileName',
      render: (name: string, m) =>
        m.withdrawn ? (
          <Typography.Text delete>{name}</Typography.Text>
        ) : (
          <a href={fileUrl(m.id)} download data-testid="materials-download">
            {name}
          </a>
        ),
    },
    { title: t('materials.col.type'), dataIndex: 'mediaType' },
    {
      title: t('materials.col.size'),
      dataIndex: 'byteSize',
      render: (n: number) => `${(n / 1024).toFixed(1)} KB`,
    },
    { title: t('materials.col.uploadedAt'), dataIndex: 'uploadedAt' },
    {
      title: t('materials.col.state'),
      dataIndex: 'withdrawn',
      render: (w: MaterialResponse['withdrawn']) =>
        w ? <Tag>{t('materials.withdrawn', { reason: w.reason })}</Tag> : null,
    },
  ];
  return (
    <Table
      size="small"
      rowKey="id"
      data-testid="materials-list"
      columns={columns}
      dataSource={materials}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
    />
  );
}
