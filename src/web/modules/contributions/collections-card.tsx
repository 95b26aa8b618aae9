import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import {
  type CollectionImport,
  type CollectionPosting,
  type CollectionRecord,
  contributionsApi,
} from './contributions-api.ts';

/**
 * 征收: the tax bureau's collection file imported (matched where it can be, the rest queued), then
 * its posting in two steps (maker-checker): ask, and once another person approved, post.
 */
export function CollectionsCard({ region, onChange }: { region: string; onChange: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [imported, setImported] = useState<CollectionImport | null>(null);
  const [posting, setPosting] = useState<CollectionPosting | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (step: () => Promise<void>) => {
    setError(null);
    try {
      await step();
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const importFile = () =>
    act(async () => {
      if (file === null) return;
      setPosting(null);
      setImported(await contributionsApi.importCollections(region, file));
    });
  const post = (approvalId?: string) =>
    act(async () => {
      if (imported === null) return;
      setPosting(await contributionsApi.postCollections(region, imported.importId, approvalId));
    });
  const pending = posting?.status === 'approval_requested' ? posting.approval : null;
  return (
    <Card title={t('contributions.collect.title')} data-testid="collections-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('contributions.collect.layout')}</Typography.Text>
        <Space wrap>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label={t('contributions.collect.file')}
            data-testid="collections-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Button
            disabled={file === null}
            onClick={() => void importFile()}
            data-testid="collections-import"
          >
            {t('contributions.collect.import')}
          </Button>
          {imported !== null && (
            <Button onClick={() => void post()} data-testid="collections-request">
              {t('contributions.collect.request')}
            </Button>
          )}
          {pending !== null && (
            <Button
              type="primary"
              onClick={() => void post(pending.id)}
              data-testid="collections-post"
            >
              {t('contributions.assess.post')}
            </Button>
          )}
        </Space>
        {imported !== null && (
          <Descriptions size="small" bordered column={3} data-testid="collections-imported">
            <Descriptions.Item label={t('contributions.collect.records')}>
              {imported.recordCount}
            </Descriptions.Item>
            <Descriptions.Item label={t('contributions.collect.matched')}>
              {imported.matchedCount}
            </Descriptions.Item>
            <Descriptions.Item label={t('contributions.reconcile.unmatched')}>
              {imported.unmatchedCount}
            </Descriptions.Item>
            <Descriptions.Item label={t('contributions.collect.duplicates')} span={3}>
              {imported.duplicates.length === 0 ? '—' : imported.duplicates.join(', ')}
            </Descriptions.Item>
          </Descriptions>
        )}
        {posting !== null && (
          <Alert
            type={posting.status === 'posted' ? 'success' : 'info'}
            showIcon
            data-testid="collections-posting"
            title={
              posting.payload === null
                ? t('contributions.assess.status.nothing')
                : t('contributions.collect.posting', {
                    status: posting.status,
                    total: fenToYuanText(posting.payload.totalFen),
                    applied: fenToYuanText(posting.payload.appliedFen),
                    overpaid: fenToYuanText(posting.payload.overpaidFen),
                    approval: posting.approval?.id ?? '—',
                  })
            }
          />
        )}
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
      </Space>
    </Card>
  );
}

type ResolveProps = { region: string; record: CollectionRecord; onDone: () => void };

/** A queued record resolved by a handler: assigned to an employer-month of the city, or rejected. */
export function ResolveAction({ region, record, onDone }: ResolveProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{
    action: 'assign' | 'reject';
    employerId?: string;
    month?: string;
    reason?: string;
  }>();
  const submit = async (v: {
    action: 'assign' | 'reject';
    employerId?: string;
    month?: string;
    reason?: string;
  }) => {
    setError(null);
    try {
      await contributionsApi.resolve(
        region,
        record.voucher,
        v.action === 'assign'
          ? { action: 'assign', employerId: v.employerId ?? '', month: v.month ?? '' }
          : { action: 'reject', reason: v.reason ?? '' },
      );
      setOpen(false);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="queue-resolve">
        {t('contributions.queue.resolve')}
      </Button>
      <Modal
        open={open}
        title={t('contributions.queue.title', { voucher: record.voucher })}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          initialValues={{ action: 'reject', month: record.month }}
        >
          <Form.Item name="action" label={t('contributions.queue.action')}>
            <Radio.Group>
              <Radio value="assign">{t('contributions.queue.assign')}</Radio>
              <Radio value="reject">{t('contributions.queue.reject')}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              form.getFieldValue('action') === 'assign' ? (
                <>
                  <Form.Item
                    name="employerId"
                    label={t('contributions.queue.employerId')}
                    rules={[{ required: true }]}
                  >
                    <Input placeholder="emp_330100_…" />
                  </Form.Item>
                  <Form.Item
                    name="month"
                    label={t('contributions.month')}
                    rules={[{ required: true, pattern: /^\d{4}-\d{2}$/ }]}
                  >
                    <Input placeholder="YYYY-MM" />
                  </Form.Item>
                </>
              ) : (
                <Form.Item
                  name="reason"
                  label={t('contributions.queue.reason')}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input.TextArea rows={2} maxLength={500} data-testid="queue-reason" />
                </Form.Item>
              )
            }
          </Form.Item>
          {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
          <Button type="primary" htmlType="submit" data-testid="queue-submit">
            {t('contributions.queue.submit')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}

/**
 * A queued record of another city's employer forwarded (转交) to that city: the employer is found
 * by the record's credit code unless the handler names one. Nothing moves in the ledger here; the
 * money moves when that city posts the record (maker-checker).
 */
export function ForwardAction({ region, record, onDone }: ResolveProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [employerId, setEmployerId] = useState('');
  const submit = async () => {
    setError(null);
    try {
      const named = employerId.trim();
      await contributionsApi.forward(region, record.voucher, named === '' ? undefined : named);
      setOpen(false);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="queue-forward">
        {t('contributions.queue.forward')}
      </Button>
      <Modal
        open={open}
        title={t('contributions.queue.forwardTitle', { voucher: record.voucher })}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('contributions.queue.forwardIntro')}</Typography.Paragraph>
          <Input
            aria-label={t('contributions.queue.forwardEmployer')}
            placeholder={t('contributions.queue.forwardEmployer')}
            value={employerId}
            onChange={(e) => setEmployerId(e.target.value)}
            data-testid="forward-employer"
          />
          {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
          <Button type="primary" onClick={() => void submit()} data-testid="forward-submit">
            {t('contributions.queue.forward')}
          </Button>
        </Space>
      </Modal>
    </>
  );
}

/**
 * Matched records not yet posted (assigned from the queue, or forwarded in from another city), each
 * posted with its import's next posting in two steps: ask, and once approved, post.
 */
export function UnpostedCard({ region, version, onChange }: PostingProps) {
  const { t } = useI18n();
  const list = useLoad(() => contributionsApi.unposted(region), [region, version]);
  const [posting, setPosting] = useState<CollectionPosting | null>(null);
  const [error, setError] = useState<unknown>(null);
  const post = async (importId: string, approvalId?: string) => {
    setError(null);
    try {
      setPosting(await contributionsApi.postCollections(region, importId, approvalId));
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const pending = posting?.status === 'approval_requested' ? posting : null;
  const columns: TableColumnsType<CollectionRecord> = [
    { title: t('contributions.collection.voucher'), dataIndex: 'voucher' },
    { title: t('contributions.queue.employerId'), dataIndex: 'employerId' },
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.collection.amount'), dataIndex: 'amountFen', render: fenToYuanText },
    { title: t('contributions.unposted.resolution'), dataIndex: 'resolution' },
    {
      title: t('contributions.unposted.import'),
      key: 'post',
      render: (_: unknown, r: CollectionRecord) =>
        pending !== null && pending.importId === r.importId ? (
          <Button
            size="small"
            type="primary"
            onClick={() => void post(r.importId, pending.approval?.id)}
            data-testid="unposted-post"
          >
            {t('contributions.assess.post')}
          </Button>
        ) : (
          <Button size="small" onClick={() => void post(r.importId)} data-testid="unposted-request">
            {t('contributions.collect.request')}
          </Button>
        ),
    },
  ];
  return (
    <Card title={t('contributions.unposted.title')} data-testid="unposted-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Table
          data-testid="unposted-records"
          size="small"
          rowKey="voucher"
          columns={columns}
          dataSource={list.status === 'ready' ? list.data.records : []}
          loading={list.status === 'loading'}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('contributions.unposted.none') }}
        />
        {posting !== null && (
          <Alert
            type={posting.status === 'posted' ? 'success' : 'info'}
            showIcon
            data-testid="unposted-posting"
            title={
              posting.payload === null
                ? t('contributions.assess.status.nothing')
                : t('contributions.collect.posting', {
                    status: posting.status,
                    total: fenToYuanText(posting.payload.totalFen),
                    applied: fenToYuanText(posting.payload.appliedFen),
                    overpaid: fenToYuanText(posting.payload.overpaidFen),
                    approval: posting.approval?.id ?? '—',
                  })
            }
          />
        )}
        {list.status === 'failed' && (
          <Alert type="error" showIcon title={describeError(list.error)} />
        )}
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
      </Space>
    </Card>
  );
}

type PostingProps = { region: string; version: number; onChange: () => void };
