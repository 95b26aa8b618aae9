import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  type FormInstance,
  Input,
  Modal,
  Select,
  Skeleton,
  Table,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { type FieldMessage, newClientKey, placeProblems, projectBodyOf } from './project-form.ts';
import { type ProjectMessageKey, projectText } from './project-messages.ts';
import { type Project, registryApi } from './registry-api.ts';

/**
 * 项目参保 on an employer's page: its construction projects (contract value, one-off contribution,
 * paid, outstanding, workers) and, for a handler, the registration form. The server computes the
 * contribution and posts the receivable; its refusals are shown on the fields they concern.
 */
type Text = (key: ProjectMessageKey, vars?: Readonly<Record<string, string | number>>) => string;

function useProjectText(): Text {
  const { language } = useI18n();
  return (key, vars) => projectText(language, key, vars);
}

const yuan = (fen: number) => fenToYuanText(fen);

function projectColumns(text: Text): TableColumnsType<Project> {
  return [
    { title: text('name'), dataIndex: 'name' },
    { title: text('startDate'), dataIndex: 'startDate' },
    { title: text('contractValue'), dataIndex: 'contractValueFen', align: 'right', render: yuan },
    { title: text('contribution'), dataIndex: 'contributionFen', align: 'right', render: yuan },
    { title: text('paid'), dataIndex: 'paidFen', align: 'right', render: yuan },
    { title: text('outstanding'), dataIndex: 'outstandingFen', align: 'right', render: yuan },
    { title: text('workers'), dataIndex: 'workerCount', align: 'right' },
    {
      title: text('transaction'),
      dataIndex: 'receivableTransactionId',
      render: (id: string | null) => id ?? '—',
    },
  ];
}

type ProjectsSectionProps = { region: string; employerId: string; canWrite: boolean };

export function ProjectsSection({ region, employerId, canWrite }: ProjectsSectionProps) {
  const text = useProjectText();
  const [version, setVersion] = useState(0);
  const [registered, setRegistered] = useState<Project | null>(null);
  const state = useLoad(
    () => registryApi.projects(region, employerId),
    [region, employerId, version],
  );
  const onRegistered = (p: Project) => {
    setRegistered(p);
    setVersion((v) => v + 1);
  };
  return (
    <Card
      title={text('title')}
      data-testid="registry-projects-card"
      extra={
        canWrite && (
          <RegisterProjectButton
            register={(body) => registryApi.registerProject(region, employerId, body)}
            onRegistered={onRegistered}
          />
        )
      }
    >
      {registered !== null && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="project-registered"
          title={text('registered', {
            amount: yuan(registered.contributionFen),
            id: registered.receivableTransactionId ?? '—',
          })}
        />
      )}
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(state.error)} />
      )}
      {state.status === 'ready' && (
        <Table
          data-testid="registry-projects"
          rowKey="id"
          size="small"
          columns={projectColumns(text)}
          dataSource={state.data.projects}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: text('empty') }}
        />
      )}
    </Card>
  );
}

type FormValues = {
  name: string;
  siteAddress: string;
  contractValueYuan: string;
  standard: 'GB/T 4754-2011' | 'GB/T 4754-2017';
  division: string;
  startDate: Dayjs;
  endDate: Dayjs;
};

type RegisterProps = {
  register: (body: Parameters<typeof registryApi.registerProject>[2]) => Promise<Project>;
  onRegistered: (p: Project) => void;
};

function messageText(text: Text, m: FieldMessage): string {
  return 'text' in m ? m.text : text(m.key, { detail: m.detail });
}

/** Submits the form: the body, or the fields wrong before sending; the server's problems placed. */
function useRegister(form: FormInstance<FormValues>, props: RegisterProps, close: () => void) {
  const text = useProjectText();
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [clientKey, setClientKey] = useState(newClientKey);
  const submit = async (v: FormValues) => {
    setGeneral(null);
    const built = projectBodyOf(
      {
        ...v,
        startDate: v.startDate.format('YYYY-MM-DD'),
        endDate: v.endDate.format('YYYY-MM-DD'),
      },
      clientKey,
    );
    if (!built.ok) {
      form.setFields(built.fields.map((name) => ({ name, errors: [text('yuanRule')] })));
      return;
    }
    setBusy(true);
    try {
      const project = await props.register(built.body);
      setClientKey(newClientKey());
      close();
      form.resetFields();
      props.onRegistered(project);
    } catch (error) {
      const placed = placeProblems(
        error instanceof ApiError ? error.problem : null,
        describeError(error),
      );
      form.setFields(
        placed.fields.map((f) => ({
          name: f.name,
          errors: f.messages.map((m) => messageText(text, m)),
        })),
      );
      setGeneral(placed.general === null ? null : messageText(text, placed.general));
    } finally {
      setBusy(false);
    }
  };
  return { submit, general, busy };
}

function RegisterProjectButton(props: RegisterProps) {
  const text = useProjectText();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const { submit, general, busy } = useRegister(form, props, () => setOpen(false));
  return (
    <>
      <Button data-testid="project-register" onClick={() => setOpen(true)}>
        {text('register')}
      </Button>
      <Modal
        open={open}
        title={text('registerTitle')}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ standard: 'GB/T 4754-2017', startDate: dayjs(), endDate: dayjs() }}
        >
          <ProjectFields text={text} />
          {general !== null && (
            <Alert type="error" showIcon data-testid="project-error" title={general} />
          )}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="project-submit">
            {text('submit')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}

function ProjectFields({ text }: { text: Text }) {
  const required = { required: true, whitespace: true, message: text('required') };
  return (
    <>
      <Form.Item name="name" label={text('name')} rules={[required, { max: 200 }]}>
        <Input data-testid="project-name" maxLength={200} />
      </Form.Item>
      <Form.Item name="siteAddress" label={text('siteAddress')} rules={[required, { max: 300 }]}>
        <Input data-testid="project-site" maxLength={300} />
      </Form.Item>
      <Form.Item name="contractValueYuan" label={text('contractValue')} rules={[required]}>
        <Input data-testid="project-contract-value" inputMode="decimal" />
      </Form.Item>
      <Form.Item name="standard" label={text('standard')} rules={[{ required: true }]}>
        <Select
          data-testid="project-standard"
          options={[
            { value: 'GB/T 4754-2017', label: 'GB/T 4754-2017' },
            { value: 'GB/T 4754-2011', label: 'GB/T 4754-2011' },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="division"
        label={text('division')}
        rules={[{ required: true, pattern: /^\d{2}$/, message: text('divisionRule') }]}
      >
        <Input data-testid="project-division" maxLength={2} />
      </Form.Item>
      <Form.Item name="startDate" label={text('startDate')} rules={[{ required: true }]}>
        <DatePicker data-testid="project-start" allowClear={false} />
      </Form.Item>
      <Form.Item name="endDate" label={text('endDate')} rules={[{ required: true }]}>
        <DatePicker data-testid="project-end" allowClear={false} />
      </Form.Item>
    </>
  );
}
