import { Alert, Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type PayrollRun, payrollApi } from './payroll-api.ts';
import { RECOMPUTE_REASON_MAX, recomputeReasonOf } from './payroll-view.ts';

type RecomputeProps = {
  city: string;
  run: PayrollRun;
  /** The run as the server computed it anew (the panel shows it and reloads). */
  onDone: (run: PayrollRun) => void;
};

/**
 * 重新计算 (docs/benefits.md, "Recomputing a run"): a computed run not yet approved is a draft, so
 * when an event recorded since changed what its month owes (the review's entitlement_not_in_force)
 * the handler computes it again, with a reason for the audit. The server answers the new run, or
 * refuses (an approved run: benefit.payroll_run_not_recomputable) and the dialog shows its text.
 */
export function RecomputeButton({ city, run, onDone }: RecomputeProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reason = recomputeReasonOf(text);
  const close = () => {
    setOpen(false);
    setError(null);
  };
  const send = async () => {
    if (reason === null) return;
    setBusy(true);
    setError(null);
    try {
      const again = await payrollApi.recompute(city, run.id, reason);
      setOpen(false);
      setText('');
      onDone(again);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button data-testid="payroll-recompute" onClick={() => setOpen(true)}>
        {t('payroll.run.recompute')}
      </Button>
      <Modal
        open={open}
        title={t('payroll.recompute.title')}
        okText={t('payroll.run.recompute')}
        cancelText={t('payroll.recompute.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: reason === null, 'data-testid': 'payroll-recompute-submit' }}
        onOk={() => void send()}
        onCancel={close}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">
            {t('payroll.recompute.hint')}
          </Typography.Paragraph>
          <Input.TextArea
            data-testid="payroll-recompute-reason"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('payroll.recompute.reason')}
            maxLength={RECOMPUTE_REASON_MAX}
          />
          {error !== null && (
            <Alert
              type="error"
              showIcon
              data-testid="payroll-recompute-error"
              title={describeError(error)}
            />
          )}
        </Space>
      </Modal>
    </>
  );
}

/** What the recomputation gave: the new count and total, to be approved again. */
export function RecomputeDone({ run }: { run: PayrollRun }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      data-testid="payroll-recomputed"
      title={t('payroll.recompute.done', {
        lines: run.lineCount,
        amount: fenToYuanText(run.totalFen),
      })}
    />
  );
}
