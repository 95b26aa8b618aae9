import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Space,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { EcardPanel } from '../settlement/ecard-panel.tsx';
import { NextDueTag, StatusTag, todayIso } from './case-format.tsx';
import { casesApi, type WorkListItem } from './cases-api.ts';
import { ownCasePath } from './cases-routes.ts';
import { SurvivorPanel } from './survivor-panel.tsx';

type ReportValues = {
  accidentDate: Dayjs;
  accidentPlace: string;
  accidentSummary: string;
  workerId?: string;
  employerId?: string;
  apply: boolean;
  relative?: boolean;
};

/** The portal's report form: an employer names its worker, a worker names its employer. */
function ReportForm({ employer, onDone }: { employer: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const submit = async (v: ReportValues) => {
    try {
      const out = await casesApi.reportOwn({
        caseType: 'accident',
        accidentDate: v.accidentDate.format('YYYY-MM-DD'),
        accidentPlace: v.accidentPlace,
        accidentSummary: v.accidentSummary,
        apply: v.apply,
        ...(employer ? { workerId: v.workerId } : { employerId: v.employerId }),
        ...(!employer && v.relative ? { applicantType: 'relative' as const } : {}),
      });
      message.success(t('cases.portal.reported', { caseId: out.caseId }));
      form.resetFields();
      onDone();
    } catch (error) {
      message.error(describeError(error));
    }
  };
  return (
    <Card title={t('cases.portal.report')} size="small">
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ apply: true }}
        data-testid="case-report-form"
      >
        {employer ? (
          <Form.Item
            name="workerId"
            label={t('cases.portal.workerId')}
            rules={[{ required: true }]}
          >
            <Input />
          </Form.Item>
        ) : (
          <Form.Item
            name="employerId"
            label={t('cases.portal.employerId')}
            rules={[{ required: true }]}
          >
            <Input />
          </Form.Item>
        )}
        <Form.Item
          name="accidentDate"
          label={t('cases.portal.accidentDate')}
          rules={[{ required: true }]}
        >
          <DatePicker />
        </Form.Item>
        <Form.Item
          name="accidentPlace"
          label={t('cases.portal.place')}
          rules={[{ required: true }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="accidentSummary"
          label={t('cases.portal.summary')}
          rules={[{ required: true }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space>
          <Form.Item name="apply" valuePropName="checked">
            <Checkbox>{t('cases.portal.apply')}</Checkbox>
          </Form.Item>
          {!employer && (
            <Form.Item name="relative" valuePropName="checked">
              <Checkbox>{t('cases.portal.asRelative')}</Checkbox>
            </Form.Item>
          )}
        </Space>
        <Button type="primary" htmlType="submit" data-testid="case-report-submit">
          {t('cases.portal.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** `/my/cases`: report and apply, then follow one's own cases. */
export function Portal({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const [generation, setGeneration] = useState(0);
  const load = useLoad(() => casesApi.myCases(), [generation]);
  const today = todayIso();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="case-portal">
      <Typography.Title level={3}>{t('cases.portal.title')}</Typography.Title>
      {user.scope.kind === 'self' && <EcardPanel />}
      {user.scope.kind === 'self' && <SurvivorPanel />}
      <ReportForm
        employer={user.scope.kind === 'employer'}
        onDone={() => setGeneration((g) => g + 1)}
      />
      <Card title={t('cases.portal.mine')} size="small">
        <Table<WorkListItem>
          rowKey="caseId"
          size="small"
          loading={load.status === 'loading'}
          dataSource={load.status === 'ready' ? load.data.items : []}
          locale={{ emptyText: t('cases.portal.none') }}
          pagination={false}
          columns={[
            {
              title: t('cases.col.case'),
              key: 'case',
              render: (_, r) => <Link to={ownCasePath(r.caseId)}>{r.caseId}</Link>,
            },
            { title: t('cases.col.worker'), dataIndex: 'workerName' },
            { title: t('cases.col.employer'), dataIndex: 'employerName' },
            { title: t('cases.col.accident'), dataIndex: 'accidentDate' },
            {
              title: t('cases.col.status'),
              key: 'status',
              render: (_, r) => <StatusTag status={r.status} />,
            },
            {
              title: t('cases.col.due'),
              key: 'due',
              render: (_, r) => <NextDueTag item={r} today={today} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
