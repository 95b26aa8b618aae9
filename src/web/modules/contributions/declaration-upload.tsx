import {
  Alert,
  Button,
  Card,
  DatePicker,
  Progress,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  contributionsApi,
  type DeclarationProblem,
  type DeclarationReport,
  type DeclarationUpload,
  type EmployerRef,
} from './contributions-api.ts';

/**
 * 缴费工资申报 upload: a month, a CSV or xlsx file, a progress bar while the bytes go up, then the
 * answer — a new version, the same file again (nothing stored twice), or the file refused whole
 * with its row report (row, column, code, message) shown and downloadable as xlsx.
 */
type Outcome =
  | { kind: 'idle' }
  | { kind: 'sending'; percent: number }
  | { kind: 'done'; answer: DeclarationUpload }
  | { kind: 'refused'; report: DeclarationReport }
  | { kind: 'failed'; error: unknown };

function importIdOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'declaration.refused') return null;
  const id = error.problem?.details?.['importId'];
  return typeof id === 'string' ? id : null;
}

function problemColumns(t: ReturnType<typeof useI18n>['t']): TableColumnsType<DeclarationProblem> {
  return [
    {
      title: t('contributions.report.row'),
      dataIndex: 'row',
      render: (r: number | null) => r ?? '—',
    },
    {
      title: t('contributions.report.column'),
      dataIndex: 'column',
      render: (c: string | null) => c ?? '—',
    },
    { title: t('contributions.report.code'), dataIndex: 'code' },
    { title: t('contributions.report.zh'), dataIndex: 'zh' },
    { title: t('contributions.report.en'), dataIndex: 'en' },
  ];
}

function RefusedReport({ target, report }: { target: EmployerRef; report: DeclarationReport }) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="declaration-refused">
      <Alert
        type="error"
        showIcon
        title={t('contributions.upload.refused', { count: report.problemCount })}
      />
      <a
        href={contributionsApi.reportXlsxUrl(target, report.id)}
        data-testid="declaration-report-download"
        download
      >
        {t('contributions.upload.downloadReport')}
      </a>
      <Table
        data-testid="declaration-report"
        size="small"
        rowKey={(p) => `${p.row ?? 0}|${p.column ?? ''}|${p.code}`}
        columns={problemColumns(t)}
        dataSource={report.problems}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </Space>
  );
}

function Accepted({ answer }: { answer: DeclarationUpload }) {
  const { t } = useI18n();
  const d = answer.declaration;
  return (
    <Alert
      type={answer.status === 'accepted' ? 'success' : 'info'}
      showIcon
      data-testid="declaration-accepted"
      title={
        answer.status === 'accepted'
          ? t('contributions.upload.accepted', { month: d.month, version: d.version })
          : t('contributions.upload.exists', { month: d.month, version: d.version })
      }
      description={t('contributions.upload.summary', {
        workers: d.workerCount,
        wage: fenToYuanText(d.wageTotalFen),
        base: fenToYuanText(d.baseTotalFen),
      })}
    />
  );
}

type UploadProps = { target: EmployerRef; onDone: () => void };

export function DeclarationUploadCard({ target, onDone }: UploadProps) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const send = async () => {
    if (file === null) return;
    setOutcome({ kind: 'sending', percent: 0 });
    try {
      const answer = await contributionsApi.uploadDeclaration(
        target,
        month.format('YYYY-MM'),
        file,
        (sent, total) =>
          setOutcome({
            kind: 'sending',
            percent: total > 0 ? Math.round((sent / total) * 100) : 0,
          }),
      );
      setOutcome({ kind: 'done', answer });
      onDone();
    } catch (error) {
      const importId = importIdOf(error);
      if (importId === null) return setOutcome({ kind: 'failed', error });
      try {
        setOutcome({
          kind: 'refused',
          report: await contributionsApi.importReport(target, importId),
        });
      } catch (readError) {
        setOutcome({ kind: 'failed', error: readError });
      }
      onDone();
    }
  };
  return (
    <Card title={t('contributions.upload.title')} data-testid="declaration-upload">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('contributions.upload.layout')}</Typography.Text>
        <Space wrap>
          <span>{t('contributions.upload.month')}</span>
          <DatePicker
            picker="month"
            allowClear={false}
            value={month}
            onChange={(m) => m !== null && setMonth(m)}
            data-testid="declaration-month"
          />
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-label={t('contributions.upload.file')}
            data-testid="declaration-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Button
            type="primary"
            disabled={file === null || outcome.kind === 'sending'}
            onClick={() => void send()}
            data-testid="declaration-send"
          >
            {t('contributions.upload.send')}
          </Button>
        </Space>
        {outcome.kind === 'sending' && (
          <Progress percent={outcome.percent} data-testid="declaration-progress" />
        )}
        {outcome.kind === 'done' && <Accepted answer={outcome.answer} />}
        {outcome.kind === 'refused' && <RefusedReport target={target} report={outcome.report} />}
        {outcome.kind === 'failed' && (
          <Alert
            type="error"
            showIcon
            data-testid="declaration-error"
            title={describeError(outcome.error)}
          />
        )}
      </Space>
    </Card>
  );
}
