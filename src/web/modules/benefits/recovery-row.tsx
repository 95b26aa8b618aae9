import { Alert, Button, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, describeError } from '../../api/client.ts';
import type { ApprovalSummary, SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { beijingToday } from '../fund/fund-format.ts';
import { type OverpaymentItem, recoveryApi } from './recovery-api.ts';
import {
  type Asked,
  type DecideForm,
  decideBodyOf,
  type FormProblem,
  pendingApprovalsOf,
  type RepayForm,
  repaymentBodyOf,
  rowActionsFor,
} from './recovery-view.ts';

type Asks = { asked: Asked[]; add: (a: Asked) => void; drop: (approvalId: string) => void };
type Act = (fn: () => Promise<unknown>) => Promise<void>;
type RowProps = {
  user: SessionUser;
  city: string;
  item: OverpaymentItem;
  approvals: readonly ApprovalSummary[];
  asks: Asks;
  onChanged: () => void;
};

/** One overpayment's actions: its pending approvals, the maker's asks to apply, the two forms. */
export function RecoveryRow({ user, city, item, approvals, asks, onChanged }: RowProps) {
  const { t } = useI18n();
  const { busy, error, act } = useAction(onChanged);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const actions = rowActionsFor(item, user.permissions);
  const recoveryId = item.recovery?.id ?? '';
  const mine = asks.asked.filter((a) => a.target === item.overpaymentId || a.target === recoveryId);
  const approve = (id: string) => act(() => api.decideApproval(city, id, 'approved'));
  const apply = (a: Asked) =>
    act(async () => {
      if (a.kind === 'decide')
        await recoveryApi.decide(city, a.target, { ...a.body, approvalId: a.approvalId });
      else await recoveryApi.repay(city, a.target, { ...a.body, approvalId: a.approvalId });
      asks.drop(a.approvalId);
    });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="recovery-row">
      {pendingApprovalsOf(approvals, item).map((a) => (
        <Space key={a.id} wrap>
          <Typography.Text>{t('recovery.pending', { id: a.id, maker: a.maker })}</Typography.Text>
          <Button loading={busy} data-testid="recovery-approve" onClick={() => void approve(a.id)}>
            {t('recovery.approve')}
          </Button>
        </Space>
      ))}
      {mine.map((a) => (
        <Space key={a.approvalId} wrap data-testid="recovery-asked">
          <Typography.Text>{t(`recovery.asked.${a.kind}`, { id: a.approvalId })}</Typography.Text>
          <Button
            loading={busy}
            data-testid="recovery-approve-own"
            onClick={() => void approve(a.approvalId)}
          >
            {t('recovery.approve')}
          </Button>
          <Button
            type="primary"
            loading={busy}
            data-testid="recovery-apply"
            onClick={() => void apply(a)}
          >
            {t('recovery.apply')}
          </Button>
          {/* A rejected or expired approval can never be applied: the maker drops it and asks anew. */}
          <Button
            type="link"
            data-testid="recovery-discard"
            onClick={() => asks.drop(a.approvalId)}
          >
            {t('recovery.discard')}
          </Button>
        </Space>
      ))}
      {actions.decide && (
        <DecideFields
          busy={busy}
          act={act}
          onProblem={setProblem}
          onAsk={(body) =>
            recoveryApi.decide(city, item.overpaymentId, body).then((out) => {
              if (out.approval !== null)
                asks.add({
                  kind: 'decide',
                  target: item.overpaymentId,
                  approvalId: out.approval.id,
                  body,
                });
            })
          }
        />
      )}
      {actions.repay && recoveryId !== '' && (
        <RepayFields
          busy={busy}
          act={act}
          onProblem={setProblem}
          onAsk={(body) =>
            recoveryApi.repay(city, recoveryId, body).then((out) => {
              if (out.approval !== null)
                asks.add({ kind: 'repay', target: recoveryId, approvalId: out.approval.id, body });
            })
          }
        />
      )}
      {problem !== null && (
        <Alert type="warning" showIcon title={t(`recovery.problem.${problem}`)} />
      )}
      {error !== null && (
        <Alert type="error" showIcon data-testid="recovery-error" title={describeError(error)} />
      )}
    </Space>
  );
}

type FieldsProps<B> = {
  busy: boolean;
  act: Act;
  onProblem: (p: FormProblem | null) => void;
  onAsk: (body: B) => Promise<void>;
};

/** Offset (a monthly amount, in yuan) or order, and why: asks the approval. */
function DecideFields({
  busy,
  act,
  onProblem,
  onAsk,
}: FieldsProps<Parameters<typeof recoveryApi.decide>[2]>) {
  const { t } = useI18n();
  const [form, setForm] = useState<DecideForm>({ method: 'order', monthlyYuan: '', reason: '' });
  const ask = () => {
    const built = decideBodyOf(form);
    onProblem(built.ok ? null : built.problem);
    if (built.ok) void act(() => onAsk(built.body));
  };
  return (
    <Space wrap data-testid="recovery-decide">
      <Select<DecideForm['method']>
        value={form.method}
        style={{ width: 160 }}
        data-testid="recovery-method"
        onChange={(method) => setForm({ ...form, method })}
        options={[
          { value: 'order', label: t('recovery.method.order') },
          { value: 'offset', label: t('recovery.method.offset') },
        ]}
      />
      {form.method === 'offset' && (
        <Input
          placeholder={t('recovery.form.monthly')}
          value={form.monthlyYuan}
          data-testid="recovery-monthly"
          onChange={(e) => setForm({ ...form, monthlyYuan: e.target.value })}
        />
      )}
      <Input
        placeholder={t('recovery.form.reason')}
        value={form.reason}
        style={{ width: 280 }}
        data-testid="recovery-reason"
        onChange={(e) => setForm({ ...form, reason: e.target.value })}
      />
      <Button type="primary" loading={busy} data-testid="recovery-decide-ask" onClick={ask}>
        {t('recovery.decide')}
      </Button>
    </Space>
  );
}

/** A repayment of an order: amount in yuan, the day it reached the fund, the bank's reference. */
function RepayFields({
  busy,
  act,
  onProblem,
  onAsk,
}: FieldsProps<Parameters<typeof recoveryApi.repay>[2]>) {
  const { t } = useI18n();
  const [form, setForm] = useState<RepayForm>({
    amountYuan: '',
    paidOn: beijingToday(),
    reference: '',
  });
  const ask = () => {
    const built = repaymentBodyOf(form);
    onProblem(built.ok ? null : built.problem);
    if (built.ok) void act(() => onAsk(built.body));
  };
  return (
    <Space wrap data-testid="recovery-repay">
      <Input
        placeholder={t('recovery.form.amount')}
        value={form.amountYuan}
        data-testid="recovery-repay-amount"
        onChange={(e) => setForm({ ...form, amountYuan: e.target.value })}
      />
      <Input
        placeholder="YYYY-MM-DD"
        value={form.paidOn}
        data-testid="recovery-repay-date"
        onChange={(e) => setForm({ ...form, paidOn: e.target.value })}
      />
      <Input
        placeholder={t('recovery.form.reference')}
        value={form.reference}
        data-testid="recovery-repay-reference"
        onChange={(e) => setForm({ ...form, reference: e.target.value })}
      />
      <Button type="primary" loading={busy} data-testid="recovery-repay-ask" onClick={ask}>
        {t('recovery.repay')}
      </Button>
    </Space>
  );
}
