import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { contributionsApi, type OffsetRow, type RefundRow } from './contributions-api.ts';
import {
  newClientKey,
  type OffsetFormValues,
  offsetBodyOf,
  type RefundFormValues,
  refundBodyOf,
} from './excess-form.ts';

type Translate = ReturnType<typeof useI18n>['t'];
type Step = { status: string; approval: { id: string } | null };

const yuan = (fen: number) => fenToYuanText(fen);

function refundColumns(t: Translate): TableColumnsType<RefundRow> {
  return [
    { title: t('contributions.excess.refundOn'), dataIndex: 'refundOn' },
    { title: t('contributions.excess.amount'), dataIndex: 'amountFen', render: yuan },
    { title: t('contributions.excess.reason'), dataIndex: 'reason' },
    {
      title: t('contributions.excess.state'),
      key: 'state',
      render: (_: unknown, r: RefundRow) =>
        r.failure !== null ? (
          <Tag color="red">{t('contributions.excess.failed', { reason: r.failure.reason })}</Tag>
        ) : r.fileId !== null ? (
          <Tag color="green">{t('contributions.excess.sent')}</Tag>
        ) : (
          <Tag>{t('contributions.excess.waiting')}</Tag>
        ),
    },
  ];
}

function offsetColumns(t: Translate): TableColumnsType<OffsetRow> {
  return [
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.excess.offsetOn'), dataIndex: 'offsetOn' },
    { title: t('contributions.excess.amount'), dataIndex: 'amountFen', render: yuan },
    { title: t('contributions.excess.reason'), dataIndex: 'reason' },
  ];
}

/**
 * The two calls of a maker-checker movement from one form: the first asks for the approval of the
 * body, the second (once another person approved it on the approvals page) sends the same body
 * with the approval's id. A new key is made only after the movement is done, so a retry replays.
 */
function useTwoStep<S extends Step>(onDone: () => void) {
  const [step, setStep] = useState<S | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [clientKey, setClientKey] = useState(newClientKey);
  const run = async (send: (approvalId?: string) => Promise<S>, approvalId?: string) => {
    setError(null);
    try {
      const answer = await send(approvalId);
      setStep(answer);
      if (answer.status !== 'approval_requested') {
        setClientKey(newClientKey());
        onDone();
      }
    } catch (e) {
      setError(e);
    }
  };
  const pending = step?.status === 'approval_requested' ? step.approval : null;
  return { step, error, clientKey, run, pending, setError };
}

function StepOutcome({
  step,
  error,
  testId,
}: {
  step: Step | null;
  error: unknown;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <>
      {step !== null && (
        <Alert
          type={step.status === 'approval_requested' ? 'info' : 'success'}
          showIcon
          data-testid={testId}
          title={
            step.status === 'approval_requested'
              ? t('contributions.excess.asked', { approval: step.approval?.id ?? '—' })
              : t('contributions.excess.done', { status: step.status })
          }
        />
      )}
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
    </>
  );
}

type FormProps = { region: string; employerId: string; onDone: () => void };

/** 退还: the handler asks the refund of (part of) the excess to the employer's bank account. */
function RefundForm({ region, employerId, onDone }: FormProps) {
  const { t } = useI18n();
  const flow = useTwoStep<Awaited<ReturnType<typeof contributionsApi.refund>>>(onDone);
  const [body, setBody] = useState<ReturnType<typeof refundBodyOf>>(null);
  const ask = (v: RefundFormValues) => {
    const b = refundBodyOf(employerId, flow.clientKey, v);
    if (b === null) return flow.setError(new Error(t('contributions.excess.badAmount')));
    setBody(b);
    void flow.run(() => contributionsApi.refund(region, b));
  };
  const text = (name: keyof RefundFormValues, label: string, placeholder?: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true }]}>
      <Input placeholder={placeholder} data-testid={`refund-${name}`} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t('contributions.excess.refundTitle')} data-testid="refund-form">
      <Form layout="vertical" onFinish={ask}>
        <Space wrap align="start">
          {text('amountYuan', t('contributions.excess.amountYuan'), '0.00')}
          {text('refundOn', t('contributions.excess.refundOn'), 'YYYY-MM-DD')}
          {text('bankName', t('contributions.excess.bankName'))}
          {text('accountNumber', t('contributions.excess.accountNumber'))}
          {text('accountName', t('contributions.excess.accountName'))}
        </Space>
        {text('reason', t('contributions.excess.reason'))}
        <Space>
          <Button htmlType="submit" data-testid="refund-ask">
            {t('contributions.excess.ask')}
          </Button>
          {flow.pending !== null && body !== null && (
            <Button
              type="primary"
              data-testid="refund-post"
              onClick={() =>
                void flow.run(
                  (approvalId) => contributionsApi.refund(region, { ...body, approvalId }),
                  flow.pending?.id,
                )
              }
            >
              {t('contributions.excess.post')}
            </Button>
          )}
        </Space>
      </Form>
      <StepOutcome step={flow.step} error={flow.error} testId="refund-outcome" />
    </Card>
  );
}

/** 抵缴: the handler asks to apply (part of) the excess to a later assessed month. */
function OffsetForm({ region, employerId, onDone }: FormProps) {
  const { t } = useI18n();
  const flow = useTwoStep<Awaited<ReturnType<typeof contributionsApi.offset>>>(onDone);
  const [body, setBody] = useState<ReturnType<typeof offsetBodyOf>>(null);
  const ask = (v: OffsetFormValues) => {
    const b = offsetBodyOf(employerId, flow.clientKey, v);
    if (b === null) return flow.setError(new Error(t('contributions.excess.badAmount')));
    setBody(b);
    void flow.run(() => contributionsApi.offset(region, b));
  };
  const text = (name: keyof OffsetFormValues, label: string, placeholder?: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true }]}>
      <Input placeholder={placeholder} data-testid={`offset-${name}`} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t('contributions.excess.offsetTitle')} data-testid="offset-form">
      <Form layout="vertical" onFinish={ask}>
        <Space wrap align="start">
          {text('month', t('contributions.month'), 'YYYY-MM')}
          {text('amountYuan', t('contributions.excess.amountYuan'), '0.00')}
          {text('offsetOn', t('contributions.excess.offsetOn'), 'YYYY-MM-DD')}
        </Space>
        {text('reason', t('contributions.excess.reason'))}
        <Space>
          <Button htmlType="submit" data-testid="offset-ask">
            {t('contributions.excess.ask')}
          </Button>
          {flow.pending !== null && body !== null && (
            <Button
              type="primary"
              data-testid="offset-post"
              onClick={() =>
                void flow.run(
                  (approvalId) => contributionsApi.offset(region, { ...body, approvalId }),
                  flow.pending?.id,
                )
              }
            >
              {t('contributions.excess.post')}
            </Button>
          )}
        </Space>
      </Form>
      <StepOutcome step={flow.step} error={flow.error} testId="offset-outcome" />
    </Card>
  );
}

/**
 * 多缴 (2103 暂收款) of one employer, for staff: what is held, its refunds (waiting, sent in a bank
 * file, or failed and back in the excess) and offsets; a city handler asks a refund or an offset
 * here, another person approves it on the approvals page, and the handler posts it here.
 */
export function ExcessCard(props: { region: string; employerId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const state = useLoad(
    () => contributionsApi.excess(props.region, props.employerId),
    [props.region, props.employerId, version],
  );
  if (state.status === 'loading') return <Skeleton active />;
  if (state.status === 'failed')
    return <Alert type="error" showIcon title={describeError(state.error)} />;
  const x = state.data;
  const onDone = () => setVersion((v) => v + 1);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="excess-card">
      <Typography.Text type="secondary">{t('contributions.excess.intro')}</Typography.Text>
      <Descriptions size="small" bordered column={5} data-testid="excess-figures">
        <Descriptions.Item label={t('contributions.excess.held')}>
          {yuan(x.excessFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contributions.excess.overpaid')}>
          {yuan(x.overpaidFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contributions.excess.refunded')}>
          {yuan(x.refundedFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contributions.excess.failedTotal')}>
          {yuan(x.failedFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contributions.excess.offset')}>
          {yuan(x.offsetFen)}
        </Descriptions.Item>
      </Descriptions>
      <Table
        data-testid="excess-refunds"
        size="small"
        rowKey={(r) => r.id}
        columns={refundColumns(t)}
        dataSource={x.refunds}
        pagination={false}
        locale={{ emptyText: t('contributions.excess.noRefunds') }}
      />
      <Table
        data-testid="excess-offsets"
        size="small"
        rowKey={(o) => o.id}
        columns={offsetColumns(t)}
        dataSource={x.offsets}
        pagination={false}
        locale={{ emptyText: t('contributions.excess.noOffsets') }}
      />
      {props.canWrite && (
        <>
          <RefundForm region={props.region} employerId={props.employerId} onDone={onDone} />
          <OffsetForm region={props.region} employerId={props.employerId} onDone={onDone} />
        </>
      )}
    </Space>
  );
}
