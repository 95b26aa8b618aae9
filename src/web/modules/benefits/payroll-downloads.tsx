import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { type DownloadedFile, type PayrollRun, payrollApi } from './payroll-api.ts';
import type { RunActions } from './payroll-view.ts';

type Props = {
  city: string;
  run: PayrollRun;
  actions: RunActions;
  busy: boolean;
  /** The panel's action runner: a refusal shows the server's problem text under the buttons. */
  act: (fn: () => Promise<unknown>) => Promise<void>;
};

/**
 * The payment file (CSV, or the fixed-width GBK text of docs/benefits.md) for the handler, and the
 * reconciliation report (xlsx, PDF) for every reader of an approved run. Each is fetched, not
 * linked: a refused file (benefit.payroll_fixed_file_unfit names the lines a bank's layout cannot
 * carry) shows the server's text instead of saving the error as a file.
 */
export function PayrollDownloads({ city, run, actions, busy, act }: Props) {
  const { t } = useI18n();
  const get = (testId: string, label: string, fetchFile: () => Promise<DownloadedFile>) => (
    <Button
      key={testId}
      loading={busy}
      icon={<DownloadOutlined />}
      data-testid={testId}
      onClick={() => void act(async () => saveDownload(await fetchFile()))}
    >
      {label}
    </Button>
  );
  return (
    <Space wrap>
      {actions.download && [
        get('payroll-download', t('payroll.run.download'), () =>
          payrollApi.paymentFile(city, run.id, 'csv'),
        ),
        get('payroll-download-fixed', t('payroll.run.downloadFixed'), () =>
          payrollApi.paymentFile(city, run.id, 'fixed-gbk'),
        ),
      ]}
      {actions.report && [
        get('payroll-report-xlsx', t('payroll.run.reportXlsx'), () =>
          payrollApi.reconciliationReport(city, run.id, 'xlsx'),
        ),
        get('payroll-report-pdf', t('payroll.run.reportPdf'), () =>
          payrollApi.reconciliationReport(city, run.id, 'pdf'),
        ),
      ]}
    </Space>
  );
}

/** Hands the fetched file to the browser as a download (the server stored its sha256 already). */
export function saveDownload(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
