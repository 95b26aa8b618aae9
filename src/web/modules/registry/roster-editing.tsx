import { Alert, Button, DatePicker, Form, Input, Modal, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { HireInput, RosterLine } from './registry-api.ts';

/**
 * 增员 / 减员 from the roster: the same forms for a city handler (on an employer's page) and for an
 * employer's own user (its roster); the caller passes the API calls of its side. The server checks
 * the number (GB 11643), the dates and overlaps; its refusal is shown in the form, and nothing is
 * changed by a refused call.
 */
export type RosterWrites = {
  hire: (input: HireInput) => Promise<unknown>;
  leave: (spellId: string, endDate: string) => Promise<unknown>;
  /** Called after a write succeeded, so the roster is read again. */
  changed: () => void;
};

type HireForm = { idNumber: string; name: string; startDate: Dayjs };

export function HireButton({ writes }: { writes: RosterWrites }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<HireForm>();
  const submit = async (v: HireForm) => {
    setBusy(true);
    setError(null);
    try {
      await writes.hire({
        idNumber: v.idNumber.trim().toUpperCase(),
        name: v.name.trim(),
        startDate: v.startDate.format('YYYY-MM-DD'),
      });
      setOpen(false);
      form.resetFields();
      writes.changed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button data-testid="roster-hire" onClick={() => setOpen(true)}>
        {t('registry.hire.open')}
      </Button>
      <Modal
        open={open}
        title={t('registry.hire.title')}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ startDate: dayjs() }}
        >
          <Form.Item
            name="idNumber"
            label={t('registry.worker.idNumber')}
            rules={[
              { required: true, pattern: /^\d{17}[\dXx]$/, message: t('registry.hire.idRule') },
            ]}
          >
            <Input data-testid="roster-hire-id" maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('registry.worker.name')}
            rules={[{ required: true, whitespace: true, max: 50 }]}
          >
            <Input data-testid="roster-hire-name" maxLength={50} />
          </Form.Item>
          <Form.Item
            name="startDate"
            label={t('registry.spell.start')}
            rules={[{ required: true }]}
          >
            <DatePicker data-testid="roster-hire-start" allowClear={false} />
          </Form.Item>
          {error !== null && (
            <Alert type="error" showIcon data-testid="roster-error" title={describeError(error)} />
          )}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="roster-hire-submit">
            {t('registry.hire.submit')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}

/** 减员 of one open spell: the last day employed, then confirm. */
export function LeaveAction({ line, writes }: { line: RosterLine; writes: RosterWrites }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [endDate, setEndDate] = useState<Dayjs>(dayjs());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (line.endDate !== null) return null;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await writes.leave(line.id, endDate.format('YYYY-MM-DD'));
      setOpen(false);
      writes.changed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" data-testid="roster-leave" onClick={() => setOpen(true)}>
        {t('registry.leave.open')}
      </Button>
      <Modal
        open={open}
        title={t('registry.leave.title', { name: line.workerName })}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <span>{t('registry.spell.end')}</span>
          <DatePicker
            data-testid="roster-leave-end"
            allowClear={false}
            value={endDate}
            onChange={(d) => setEndDate(d ?? dayjs())}
          />
          {error !== null && (
            <Alert type="error" showIcon data-testid="roster-error" title={describeError(error)} />
          )}
          <Button
            type="primary"
            loading={busy}
            data-testid="roster-leave-submit"
            onClick={() => void submit()}
          >
            {t('registry.leave.submit')}
          </Button>
        </Space>
      </Modal>
    </>
  );
}
