import { App, Button, Checkbox, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  type DeterminationCommandKind,
  determinationGrounds,
  determinationOutcomes,
  groundLabels,
} from '../../../domain/cases/index.ts';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type ActionBody, casesApi } from './cases-api.ts';

type Values = {
  on: Dayjs;
  reason?: string;
  missing?: string;
  note?: string;
  clear?: boolean;
  outcome?: (typeof determinationOutcomes)[number];
  grounds?: (typeof determinationGrounds)[number][];
  channel?: 'administrative_review' | 'litigation';
  result?: 'upheld' | 'revoked' | 'changed';
};

/** The request body of a command from the form (the server validates it again). */
function bodyOf(kind: DeterminationCommandKind, v: Values, version: number): ActionBody | null {
  const on = v.on.format('YYYY-MM-DD');
  const base = { on, expectedVersion: version };
  switch (kind) {
    case 'accept':
      return { kind, ...base, clear: v.clear === true };
    case 'refuse_acceptance':
    case 'suspend':
      return { kind, ...base, reason: v.reason ?? '' };
    case 'request_materials':
      return {
        kind,
        ...base,
        missing: (v.missing ?? '').split('\n').filter((l) => l.trim() !== ''),
      };
    case 'note_investigation':
      return { kind, ...base, note: v.note ?? '' };
    case 'decide':
      return { kind, ...base, outcome: v.outcome ?? 'recognised', grounds: v.grounds ?? [] };
    case 'file_review':
      return { kind, ...base, channel: v.channel ?? 'administrative_review' };
    case 'record_review_outcome':
      return {
        kind,
        ...base,
        result: v.result ?? 'upheld',
        ...(v.result === 'changed'
          ? { outcome: v.outcome ?? 'recognised', grounds: v.grounds ?? [] }
          : {}),
      };
    case 'complete_materials':
    case 'resume':
    case 'serve':
      return { kind, ...base };
    case 'apply':
      return null;
  }
}

function Fields({ kind }: { kind: DeterminationCommandKind }) {
  const { t, language } = useI18n();
  const grounds = determinationGrounds.map((g) => ({ value: g, label: groundLabels[g][language] }));
  const outcomes = determinationOutcomes.map((o) => ({ value: o, label: t(`cases.outcome.${o}`) }));
  return (
    <>
      {kind === 'accept' && (
        <Form.Item name="clear" valuePropName="checked">
          <Checkbox>{t('cases.action.clear')}</Checkbox>
        </Form.Item>
      )}
      {(kind === 'refuse_acceptance' || kind === 'suspend') && (
        <Form.Item name="reason" label={t('cases.action.reason')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      )}
      {kind === 'request_materials' && (
        <Form.Item name="missing" label={t('cases.action.missing')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
      {kind === 'note_investigation' && (
        <Form.Item name="note" label={t('cases.action.note')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
      {kind === 'file_review' && (
        <Form.Item
          name="channel"
          label={t('cases.action.channel')}
          initialValue="administrative_review"
        >
          <Select
            options={(['administrative_review', 'litigation'] as const).map((c) => ({
              value: c,
              label: t(`cases.channel.${c}`),
            }))}
          />
        </Form.Item>
      )}
      {kind === 'record_review_outcome' && (
        <Form.Item name="result" label={t('cases.action.result')} initialValue="upheld">
          <Select
            options={(['upheld', 'revoked', 'changed'] as const).map((r) => ({
              value: r,
              label: t(`cases.result.${r}`),
            }))}
          />
        </Form.Item>
      )}
      {(kind === 'decide' || kind === 'record_review_outcome') && (
        <>
          <Form.Item name="outcome" label={t('cases.action.outcome')} initialValue="recognised">
            <Select options={outcomes} />
          </Form.Item>
          <Form.Item name="grounds" label={t('cases.action.grounds')}>
            <Select mode="multiple" options={grounds} />
          </Form.Item>
        </>
      )}
    </>
  );
}

/** One button per command the case's status allows; each opens its small form. */
export function CaseActions(props: {
  region: string;
  caseId: string;
  version: number;
  allowed: readonly string[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<DeterminationCommandKind | null>(null);
  const [form] = Form.useForm<Values>();
  const kinds = props.allowed.filter((k): k is DeterminationCommandKind => k !== 'apply');
  if (kinds.length === 0) return <span>{t('cases.page.noActions')}</span>;
  const submit = async (values: Values) => {
    if (open === null) return;
    const body = bodyOf(open, values, props.version);
    if (body === null) return;
    try {
      await casesApi.act(props.region, props.caseId, body);
      message.success(t('cases.action.done'));
      setOpen(null);
      props.onDone();
    } catch (error) {
      message.error(describeError(error));
    }
  };
  return (
    <>
      <Space wrap>
        {kinds.map((k) => (
          <Button key={k} onClick={() => setOpen(k)} data-testid={`case-action-${k}`}>
            {t(`cases.action.${k}`)}
          </Button>
        ))}
      </Space>
      <Modal
        open={open !== null}
        title={open === null ? '' : t(`cases.action.${open}`)}
        okText={t('cases.action.submit')}
        onOk={() => form.submit()}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        {open !== null && (
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ on: dayjs() }}>
            <Form.Item name="on" label={t('cases.action.on')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            <Fields kind={open} />
          </Form>
        )}
      </Modal>
    </>
  );
}
