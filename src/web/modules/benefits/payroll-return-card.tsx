import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type BankReturn, payrollApi } from './payroll-api.ts';
import { returnProblemsOf } from './payroll-view.ts';

type Outcome = { kind: 'idle' } | { kind: 'sending' } | { kind: 'failed'; error: unknown };

type ReturnProps = { city: string; runId: string; onDone: (answer: BankReturn) => void };

/**
 * The bank's return file (text/CSV) read in the browser and sent as `{text}`. The run reloads
 * after an import (it may be reconciled and this card gone), so the panel shows the counts.
 */
export function PayrollReturnCard({ city, runId, onDone }: ReturnProps) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const send = async () => {
    if (file === null) return;
    setOutcome({ kind: 'sending' });
    try {
      const answer = await payrollApi.bankReturn(city, runId, await file.text());
      setOutcome({ kind: 'idle' });
      onDone(answer);
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };
  return (
    <Card size="small" title={t('payroll.return.title')} data-testid="payroll-return">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('payroll.return.layout')}</Typography.Text>
        <Space wrap>
          <input
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-label={t('payroll.return.file')}
            data-testid="payroll-return-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Button
            type="primary"
            disabled={file === null}
            loading={outcome.kind === 'sending'}
            onClick={() => void send()}
            data-testid="payroll-return-send"
          >
            {t('payroll.return.send')}
          </Button>
        </Space>
        {outcome.kind === 'failed' && <ReturnRefusal error={outcome.error} />}
      </Space>
    </Card>
  );
}

function ReturnRefusal({ error }: { error: unknown }) {
  const { t } = useI18n();
  const problems = error instanceof ApiError ? returnProblemsOf(error.problem?.details) : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="payroll-return-error"
      title={describeError(error)}
      description={
        problems.length === 0 ? undefined : (
          <ul>
            {problems.map((p) => (
              <li key={`${p.row}:${p.field}`}>{t('payroll.return.problem', p)}</li>
            ))}
          </ul>
        )
      }
    />
  );
}

/** What the last import did: lines confirmed, failed and replayed. */
export function ReturnDone({ answer }: { answer: BankReturn }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      data-testid="payroll-return-done"
      title={t('payroll.return.done', {
        confirmed: answer.confirmed,
        failed: answer.failed,
        replayed: answer.replayed,
      })}
    />
  );
}
