import {
  Alert,
  Card,
  Descriptions,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useState } from 'react';
import { todayInChina } from '../../../kernel/dates.ts';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { GuaranteeReleasesCard } from './guarantee-releases-card.tsx';
import {
  type Agreement,
  type CodeMap,
  type Institution,
  institutionsApi,
} from './settlement-institutions-api.ts';
import {
  InstitutionStatusButton,
  SetCodeMapButton,
  SignAgreementButton,
  TerminateAgreementButton,
} from './settlement-institutions-forms.tsx';
import { settlementInstitutionsPath } from './settlement-institutions-routes.ts';

type T = ReturnType<typeof useI18n>['t'];
const statusColor = { active: 'green', suspended: 'orange', terminated: 'default' } as const;

export function StatusTag({ status }: { status: Institution['status'] }) {
  const { t } = useI18n();
  return <Tag color={statusColor[status]}>{t(`settlementRef.status.${status}`)}</Tag>;
}

type DetailProps = { region: string; institutionId: string; canWrite: boolean };

/** One institution: its facts, its agreements (oldest first) and its code maps. */
export function InstitutionDetail({ region, institutionId, canWrite }: DetailProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const load = useLoad(
    () => institutionsApi.page(region, institutionId),
    [region, institutionId, version],
  );
  if (load.status === 'loading') return <Skeleton active />;
  if (load.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        data-testid="institution-error"
        title={describeError(load.error)}
      />
    );
  const { institution, agreements } = load.data;
  const today = todayInChina();
  const writable = canWrite && institution.status !== 'terminated';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Link to={settlementInstitutionsPath}>{t('settlementRef.back')}</Link>
      <Card
        title={<span data-testid="institution-title">{institution.name}</span>}
        extra={
          writable && (
            <InstitutionStatusButton
              region={region}
              institution={institution}
              today={today}
              onDone={reload}
            />
          )
        }
      >
        <InstitutionFacts institution={institution} />
      </Card>
      <Card
        title={t('settlementRef.agreements.title')}
        extra={
          writable && (
            <SignAgreementButton
              region={region}
              institution={institution}
              today={today}
              onDone={reload}
            />
          )
        }
      >
        <Table<Agreement>
          data-testid="agreements-table"
          rowKey="id"
          size="small"
          pagination={false}
          columns={agreementColumns(t, canWrite ? { region, today, onDone: reload } : null)}
          dataSource={agreements}
          locale={{ emptyText: t('settlementRef.agreements.empty') }}
        />
      </Card>
      <CodeMapsCard region={region} institution={institution} canWrite={writable} today={today} />
      <GuaranteeReleasesCard institutionId={institution.id} />
    </Space>
  );
}

function InstitutionFacts({ institution }: { institution: Institution }) {
  const { t } = useI18n();
  return (
    <Descriptions size="small" column={2} data-testid="institution-facts">
      <Descriptions.Item label={t('settlementRef.col.id')}>{institution.id}</Descriptions.Item>
      <Descriptions.Item label={t('settlementRef.col.status')}>
        <span data-testid="institution-status-tag">
          <StatusTag status={institution.status} />
        </span>
        {t('settlementRef.since', { date: institution.statusFrom })}
      </Descriptions.Item>
      <Descriptions.Item label={t('settlementRef.col.kind')}>
        {t(`settlementRef.kind.${institution.kind}`)}
      </Descriptions.Item>
      <Descriptions.Item label={t('settlementRef.col.level')}>
        {t(`settlementRef.level.${institution.level}`)}
      </Descriptions.Item>
      <Descriptions.Item label={t('settlementRef.col.city')}>
        {institution.managingRegionCode}
      </Descriptions.Item>
      <Descriptions.Item label={t('settlementRef.creditCode')}>
        {institution.creditCode ?? '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}

type Writer = { region: string; today: string; onDone: () => void };

function agreementColumns(t: T, writer: Writer | null): TableColumnsType<Agreement> {
  const columns: TableColumnsType<Agreement> = [
    { title: t('settlementRef.col.id'), dataIndex: 'id' },
    {
      title: t('settlementRef.col.scopes'),
      dataIndex: 'scopes',
      render: (scopes: Agreement['scopes']) =>
        scopes.map((s) => <Tag key={s}>{t(`settlementRef.scope.${s}`)}</Tag>),
    },
    { title: t('settlementRef.col.validFrom'), dataIndex: 'validFrom' },
    { title: t('settlementRef.col.validTo'), dataIndex: 'validTo' },
    {
      title: t('settlementRef.col.crossProvince'),
      dataIndex: 'crossProvince',
      render: (v: boolean) => (v ? t('settlementRef.yes') : t('settlementRef.no')),
    },
    { title: t('settlementRef.col.city'), dataIndex: 'signedRegionCode' },
    {
      title: t('settlementRef.col.status'),
      key: 'status',
      render: (_: unknown, a: Agreement) =>
        a.terminatedFrom === null
          ? t(`settlementRef.status.${a.status}`)
          : t('settlementRef.terminatedFrom', {
              date: a.terminatedFrom,
              reason: a.terminatedReason ?? '',
            }),
    },
  ];
  if (writer !== null)
    columns.push({
      title: '',
      key: 'terminate',
      render: (_: unknown, a: Agreement) =>
        a.terminatedFrom === null && (
          <TerminateAgreementButton
            region={writer.region}
            agreement={a}
            today={writer.today}
            onDone={writer.onDone}
          />
        ),
    });
  return columns;
}

type CodeMapsProps = { region: string; institution: Institution; canWrite: boolean; today: string };

function CodeMapsCard({ region, institution, canWrite, today }: CodeMapsProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const load = useLoad(
    () => institutionsApi.codeMaps(region, institution.id),
    [region, institution.id, version],
  );
  const columns: TableColumnsType<CodeMap> = [
    { title: t('settlementRef.codeMaps.own'), dataIndex: 'ownCode' },
    { title: t('settlementRef.codeMaps.catalogue'), dataIndex: 'catalogueCode' },
    { title: t('settlementRef.col.validFrom'), dataIndex: 'validFrom' },
    {
      title: t('settlementRef.col.validTo'),
      dataIndex: 'validTo',
      render: (v: string | null) => v ?? '—',
    },
  ];
  return (
    <Card
      title={t('settlementRef.codeMaps.title')}
      extra={
        canWrite && (
          <SetCodeMapButton
            region={region}
            institution={institution}
            today={today}
            onDone={() => setVersion((v) => v + 1)}
          />
        )
      }
    >
      {load.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(load.error)} />
      )}
      <Table<CodeMap>
        data-testid="code-maps-table"
        rowKey={(m) => `${m.ownCode}:${m.validFrom}`}
        size="small"
        columns={columns}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.codeMaps : []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('settlementRef.codeMaps.empty') }}
      />
    </Card>
  );
}
