import { Button, Input, Modal, Space, Table, Tag } from 'antd';
import { type ReactNode, useState } from 'react';
import { todayInChina } from '../../../kernel/dates.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import { itemLabel } from './benefit-messages.ts';
import type { BenefitPanel, BenefitPayment } from './benefits-api.ts';
import { benefitsApi } from './benefits-api.ts';

type Act = (step: () => Promise<unknown>) => Promise<void>;

const STATUS_COLOR = { issued: 'gold', paid: 'green', failed: 'red' } as const;

/** The lump sums' payments with their ledger transactions; the handler records the bank's answer. */
export function PaymentsTable({ panel, act }: { panel: BenefitPanel; act: Act }) {
  const { b, language } = useBenefitText();
  const [confirming, setConfirming] = useState<BenefitPayment | null>(null);
  const [failing, setFailing] = useState<BenefitPayment | null>(null);
  const [text, setText] = useState('');
  const [paidOn, setPaidOn] = useState(todayInChina());
  const region = panel.regionCode;
  if (panel.payments.length === 0) return null;
  const actions = (p: BenefitPayment) => (
    <Space>
      {p.status === 'issued' && (
        <Button size="small" data-testid="benefit-confirm" onClick={() => setConfirming(p)}>
          {b('confirm')}
        </Button>
      )}
      {p.status !== 'failed' && (
        <Button size="small" danger onClick={() => setFailing(p)}>
          {b('fail')}
        </Button>
      )}
      {p.status === 'failed' && (
        <Button size="small" onClick={() => void act(() => benefitsApi.reissue(region, p.id))}>
          {b('reissue')}
        </Button>
      )}
    </Space>
  );
  const close = () => {
    setConfirming(null);
    setFailing(null);
    setText('');
  };
  return (
    <>
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        title={() => b('payments')}
        data-testid="benefit-payments"
        dataSource={panel.payments}
        columns={paymentColumns(b, language, actions)}
      />
      <Modal
        open={confirming !== null}
        title={b('confirm')}
        okText={b('submit')}
        cancelText={b('cancel')}
        onCancel={close}
        onOk={() => {
          const p = confirming;
          close();
          if (p !== null)
            void act(() => benefitsApi.confirm(region, p.id, { bankReference: text, paidOn }));
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input
            placeholder={b('bankReference')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="benefit-bank-reference"
          />
          <Input
            placeholder={b('paidOn')}
            value={paidOn}
            onChange={(e) => setPaidOn(e.target.value)}
          />
        </Space>
      </Modal>
      <Modal
        open={failing !== null}
        title={b('fail')}
        okText={b('submit')}
        cancelText={b('cancel')}
        onCancel={close}
        onOk={() => {
          const p = failing;
          close();
          if (p !== null) void act(() => benefitsApi.fail(region, p.id, text));
        }}
      >
        <Input placeholder={b('reason')} value={text} onChange={(e) => setText(e.target.value)} />
      </Modal>
    </>
  );
}

type Text = ReturnType<typeof useBenefitText>;

function paymentColumns(
  b: Text['b'],
  language: Text['language'],
  actions: (p: BenefitPayment) => ReactNode,
) {
  return [
    { title: b('item'), dataIndex: 'itemCode', render: (c: string) => itemLabel(language, c) },
    {
      title: b('amount'),
      dataIndex: 'amountFen',
      align: 'right' as const,
      render: (f: number) => fenToYuanText(f),
    },
    { title: b('attempt'), dataIndex: 'attempt' },
    {
      title: b('status'),
      dataIndex: 'status',
      render: (s: BenefitPayment['status']) => (
        <Tag color={STATUS_COLOR[s]}>{b(`payment.${s}`)}</Tag>
      ),
    },
    {
      title: b('ledger'),
      render: (_: unknown, p: BenefitPayment) => p.paidTransactionId ?? p.payableTransactionId,
    },
    { title: b('bankReference'), dataIndex: 'bankReference' },
    { title: b('actions'), render: (_: unknown, p: BenefitPayment) => actions(p) },
  ];
}
