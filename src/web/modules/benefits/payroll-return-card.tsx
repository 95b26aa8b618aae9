import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { BankReturn } from './payroll-api.ts';
import { returnProblemsOf } from './payroll-view.ts';

type Outcome = { kind: 'idle' } | { kind: 'sending' } | { kind: 'failed'; error: unknown };

/** What an import did, a run's or a reissue batch's (the same parser and plan). */
export type ReturnCounts = Pick<BankReturn, 'confirmed' | 'failed' | 'replayed'>;

type ReturnProps<A extends ReturnCounts> = {
  /** Sends the file's text to the run's or the batch's bank-return route. */
  sendText: (text: string) => Promise<A>;
  onDone: (answer: A) => void;
  /** The test ids' prefix: `payroll-return` (a run) or `reissue-return` (a batch). */
  testId?: string;
};

/**
 * The bank's return file (text/CSV) read in the browser and sent as `{text}`. The run reloads
 * after an import (it may be reconciled and this card gone), so the panel shows the counts.
 */
export function PayrollReturnCard<A extends ReturnCounts>(props: ReturnProps<A>) {
  const { sendText, onDone, testId = 'payroll-return' } = props;
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const send = async () => {
    if (file === null) return;
    setOutcome({ kind: 'sending' });
    try {
      const answer = await sendText(await file.text());
      setOutcome({ kind: 'idle' });
      onDone(answer);
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
  };
  return (
    <Card size="small" title={t('payroll.return.title')} data-testid={testId}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('payroll.return.layout')}</Typography.Text>
        <Space wrap>
          <input
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-label={t('payroll.return.file')}
            data-testid={`${testId}-file`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Button
            type="primary"
            disabled={file === null}
            loading={outcome.kind === 'sending'}
            onClick={() => void send()}
            data-testid={`${testId}-send`}
          >
            {t('payroll.return.send')}
          </Button>
        </Space>
        {outcome.kind === 'failed' && <ReturnRefusal error={outcome.error} testId={testId} />}
      </Space>
    </Card>
  );
}

function ReturnRefusal({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useI18n();
  const problems = error instanceof ApiError ? returnProblemsOf(error.problem?.details) : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid={`${testId}-error`}
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
export function ReturnDone({
  answer,
  testId = 'payroll-return',
}: {
  answer: ReturnCounts;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      data-testid={`${testId}-done`}
      title={t('payroll.return.done', {
        confirmed: answer.confirmed,
        failed: answer.failed,
        replayed: answer.replayed,
      })}
    />
  );
}
