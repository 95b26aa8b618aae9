import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { EmployerContributions } from '../contributions/employer-contributions.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { ProjectsSection } from './projects-section.tsx';
import {
  type Employer,
  type EmployerEvent,
  type EmployerPageData,
  type RosterLine,
  registryApi,
} from './registry-api.ts';
import { employerPath, type RegistryRoute } from './registry-routes.ts';
import { HireButton, LeaveAction, type RosterWrites } from './roster-editing.tsx';

type Translate = ReturnType<typeof useI18n>['t'];

const statusColors: Record<Employer['status'], string> = {
  registered: 'green',
  suspended: 'orange',
  cancelled: 'default',
};

function today(): string {
  return dayjs().format('YYYY-MM-DD');
}

function Failure({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={<span data-testid="registry-not-in-scope">{t('registry.notInScope')}</span>}
        subTitle={t('registry.notInScopeHint')}
      />
    );
  return <Alert type="error" showIcon data-testid="registry-error" title={describeError(error)} />;
}

function rosterColumns(t: Translate, writes: RosterWrites | null): TableColumnsType<RosterLine> {
  const action: TableColumnsType<RosterLine> =
    writes === null
      ? []
      : [
          {
            title: t('registry.roster.action'),
            key: 'action',
            render: (_: unknown, line: RosterLine) => <LeaveAction line={line} writes={writes} />,
          },
        ];
  return [
    { title: t('registry.worker.name'), dataIndex: 'workerName' },
    { title: t('registry.worker.idNumber'), dataIndex: 'idNumberMasked' },
    {
      title: t('registry.worker.sex'),
      dataIndex: 'sex',
      render: (sex: RosterLine['sex']) =>
        t(sex === 'male' ? 'registry.sex.male' : 'registry.sex.female'),
    },
    { title: t('registry.spell.start'), dataIndex: 'startDate' },
    {
      title: t('registry.spell.end'),
      dataIndex: 'endDate',
      render: (end: string | null) => end ?? '—',
    },
    ...action,
  ];
}

type RosterTableProps = { roster: RosterLine[]; writes: RosterWrites | null };

function RosterTable({ roster, writes }: RosterTableProps) {
  const { t } = useI18n();
  return (
    <Table
      data-testid="registry-roster"
      rowKey="id"
      size="small"
      columns={rosterColumns(t, writes)}
      dataSource={roster}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: t('registry.roster.empty') }}
    />
  );
}

function DateChoice({ date, onChange }: { date: string; onChange: (d: string) => void }) {
  const { t } = useI18n();
  return (
    <Space>
      <span>{t('registry.roster.date')}</span>
      <DatePicker
        allowClear={false}
        value={dayjs(date)}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : today())}
      />
    </Space>
  );
}

function employerColumns(t: Translate): TableColumnsType<Employer> {
  return [
    {
      title: t('registry.employer.name'),
      dataIndex: 'name',
      render: (name: string, e: Employer) => (
        <Link to={employerPath(e.regionCode, e.id)}>{name}</Link>
      ),
    },
    { title: t('registry.employer.creditCode'), dataIndex: 'creditCode' },
    { title: t('registry.employer.city'), dataIndex: 'regionCode' },
    {
      title: t('registry.employer.industry'),
      render: (_: unknown, e: Employer) => `${e.industry.standard} ${e.industry.division}`,
    },
    {
      title: t('registry.employer.riskClass'),
      dataIndex: 'riskClass',
      render: (c: number | null) => c ?? '—',
    },
    {
      title: t('registry.employer.status'),
      dataIndex: 'status',
      render: (s: Employer['status']) => <Tag color={statusColors[s]}>{t(statusKey(s))}</Tag>,
    },
  ];
}

function statusKey(s: Employer['status']): MessageKey {
  return s === 'registered'
    ? 'registry.status.registered'
    : s === 'suspended'
      ? 'registry.status.suspended'
      : 'registry.status.cancelled';
}

function SearchView({ region }: { region: string }) {
  const { t } = useI18n();
  const [criteria, setCriteria] = useState({ namePrefix: '', creditCode: '' });
  const state = useLoad(
    () => registryApi.search(region, criteria.namePrefix, criteria.creditCode),
    [region, criteria],
  );
  return (
    <Card title={t('registry.search.title')}>
      <Form
        layout="inline"
        onFinish={(v: { namePrefix?: string; creditCode?: string }) =>
          setCriteria({
            namePrefix: v.namePrefix?.trim() ?? '',
            creditCode: v.creditCode?.trim() ?? '',
          })
        }
      >
        <Form.Item name="namePrefix" label={t('registry.search.namePrefix')}>
          <Input data-testid="registry-name-prefix" allowClear />
        </Form.Item>
        <Form.Item name="creditCode" label={t('registry.employer.creditCode')}>
          <Input data-testid="registry-credit-code" allowClear maxLength={18} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="registry-search">
          {t('registry.search.submit')}
        </Button>
      </Form>
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && <Failure error={state.error} />}
      {state.status === 'ready' && (
        <Table
          data-testid="registry-employers"
          style={{ marginTop: 16 }}
          rowKey="id"
          size="small"
          columns={employerColumns(t)}
          dataSource={state.data.employers}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('registry.search.empty') }}
        />
      )}
    </Card>
  );
}

function EmployerFacts({ employer }: { employer: Employer }) {
  const { t } = useI18n();
  return (
    <Descriptions bordered size="small" column={2} data-testid="registry-employer">
      <Descriptions.Item label={t('registry.employer.creditCode')}>
        {employer.creditCode}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.city')}>
        {employer.regionCode}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.address')}>
        {employer.address}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.industry')}>
        {`${employer.industry.standard} ${employer.industry.division}`}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.riskClass')}>
        {employer.riskClass ?? employer.riskClassNote ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.grade')}>
        {`${employer.floatingGrade} (${t('registry.since', { date: employer.floatingGradeFrom })})`}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.status')}>
        <Tag color={statusColors[employer.status]}>{t(statusKey(employer.status))}</Tag>
        {t('registry.since', { date: employer.statusFrom })}
      </Descriptions.Item>
      <Descriptions.Item label={t('registry.employer.registeredOn')}>
        {employer.registeredOn}
      </Descriptions.Item>
    </Descriptions>
  );
}

function eventColumns(t: Translate): TableColumnsType<EmployerEvent> {
  return [
    { title: t('registry.event.effectiveFrom'), dataIndex: 'effectiveFrom' },
    { title: t('registry.event.kind'), dataIndex: 'kind' },
    {
      title: t('registry.event.data'),
      dataIndex: 'data',
      render: (data: EmployerEvent['data']) =>
        Object.entries(data)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
    },
  ];
}

type EmployerViewProps = { region: string; employerId: string; canWrite: boolean };

function EmployerView({ region, employerId, canWrite }: EmployerViewProps) {
  const { t } = useI18n();
  const [date, setDate] = useState(today());
  const [version, setVersion] = useState(0);
  const state = useLoad(
    () => registryApi.employer(region, employerId, date),
    [region, employerId, date, version],
  );
  if (state.status === 'loading') return <Skeleton active />;
  if (state.status === 'failed') return <Failure error={state.error} />;
  const page: EmployerPageData = state.data;
  const writes: RosterWrites | null = canWrite
    ? {
        hire: (input) => registryApi.hire(region, employerId, input),
        leave: (spellId, endDate) => registryApi.leave(region, spellId, { endDate }),
        changed: () => setVersion((v) => v + 1),
      }
    : null;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>{page.employer.name}</Typography.Title>
      <EmployerFacts employer={page.employer} />
      <Card
        title={t('registry.roster.title')}
        extra={
          <Space>
            {writes !== null && <HireButton writes={writes} />}
            <DateChoice date={date} onChange={setDate} />
          </Space>
        }
      >
        <RosterTable roster={page.roster} writes={writes} />
      </Card>
      <ProjectsSection region={region} employerId={employerId} canWrite={canWrite} />
      <EmployerContributions target={{ kind: 'staff', region, employerId }} canUpload={canWrite} />
      <Card title={t('registry.events.title')}>
        <Table
          data-testid="registry-events"
          rowKey="seq"
          size="small"
          columns={eventColumns(t)}
          dataSource={page.events}
          pagination={false}
        />
      </Card>
    </Space>
  );
}

function OwnRosterView({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const [date, setDate] = useState(today());
  const [version, setVersion] = useState(0);
  const state = useLoad(() => registryApi.ownRoster(date), [date, version]);
  const writes: RosterWrites | null = canWrite
    ? {
        hire: (input) => registryApi.ownHire(input),
        leave: (spellId, endDate) => registryApi.ownLeave(spellId, { endDate }),
        changed: () => setVersion((v) => v + 1),
      }
    : null;
  return (
    <Card
      title={t('registry.roster.own')}
      extra={
        <Space>
          {writes !== null && <HireButton writes={writes} />}
          <DateChoice date={date} onChange={setDate} />
        </Space>
      }
    >
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && <Failure error={state.error} />}
      {state.status === 'ready' && <RosterTable roster={state.data.roster} writes={writes} />}
    </Card>
  );
}

type RegistryPageProps = { user: SessionUser; route: RegistryRoute };

/** The register: employer search (staff), one employer's page, or an employer's own roster. */
export function RegistryPage({ user, route }: RegistryPageProps) {
  const { t } = useI18n();
  if (route.view === 'employer')
    return (
      <EmployerView
        region={route.region}
        employerId={route.employerId}
        canWrite={user.permissions.includes('contribution:write')}
      />
    );
  const canWrite = user.permissions.includes('contribution:write');
  if (user.scope.kind === 'employer') return <OwnRosterView canWrite={canWrite} />;
  const region = user.scope.code;
  if (region === null || (user.scope.kind !== 'province' && user.scope.kind !== 'city'))
    return <Alert type="warning" showIcon title={t('registry.noRegion')} />;
  return <SearchView region={region} />;
}
