import { Alert, Card, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { todayInChina } from '../../../kernel/dates.ts';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { SettlementCataloguePage } from './settlement-catalogue-page.tsx';
import { type Institution, institutionsApi } from './settlement-institutions-api.ts';
import { InstitutionDetail, StatusTag } from './settlement-institutions-detail.tsx';
import { firstPage, institutionStatuses, type Pages } from './settlement-institutions-form.ts';
import { CreateInstitutionButton } from './settlement-institutions-forms.tsx';
import { Pager } from './settlement-institutions-pager.tsx';
import {
  referenceRegionOf,
  type SettlementReferenceRoute,
  settlementInstitutionPath,
} from './settlement-institutions-routes.ts';

type T = ReturnType<typeof useI18n>['t'];
const PAGE_SIZE = 20;

/** `/settlement/institutions…` and `/settlement/catalogue`: the reference pages. */
export function SettlementReferencePage(props: {
  user: SessionUser;
  route: SettlementReferenceRoute;
}) {
  const { t } = useI18n();
  const { user, route } = props;
  if (route.view === 'catalogue') return <SettlementCataloguePage user={user} />;
  const region = referenceRegionOf(user.scope);
  if (region === null) return <Alert type="warning" title={t('settlementRef.noRegion')} />;
  const canWrite = user.permissions.includes('settlement:write');
  if (route.view === 'institution')
    return (
      <InstitutionDetail region={region} institutionId={route.institutionId} canWrite={canWrite} />
    );
  return <InstitutionList region={region} canWrite={canWrite} />;
}

function institutionColumns(t: T): TableColumnsType<Institution> {
  return [
    {
      title: t('settlementRef.col.id'),
      dataIndex: 'id',
      render: (id: string) => (
        <Link to={settlementInstitutionPath(id)} data-testid={`institution-open-${id}`}>
          {id}
        </Link>
      ),
    },
    { title: t('settlementRef.col.name'), dataIndex: 'name' },
    {
      title: t('settlementRef.col.kind'),
      dataIndex: 'kind',
      render: (k: Institution['kind']) => t(`settlementRef.kind.${k}`),
    },
    {
      title: t('settlementRef.col.level'),
      dataIndex: 'level',
      render: (l: Institution['level']) => t(`settlementRef.level.${l}`),
    },
    { title: t('settlementRef.col.city'), dataIndex: 'managingRegionCode' },
    {
      title: t('settlementRef.col.status'),
      dataIndex: 'status',
      render: (s: Institution['status']) => <StatusTag status={s} />,
    },
    { title: t('settlementRef.col.since'), dataIndex: 'statusFrom' },
  ];
}

function InstitutionList({ region, canWrite }: { region: string; canWrite: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<Institution['status'] | undefined>(undefined);
  const [namePrefix, setNamePrefix] = useState('');
  const [pages, setPages] = useState<Pages>(firstPage);
  const filter = { status, namePrefix: namePrefix.trim() === '' ? undefined : namePrefix.trim() };
  const load = useLoad(
    () => institutionsApi.list(region, filter, pages.current, PAGE_SIZE),
    [region, filter, pages],
  );
  return (
    <Card
      title={t('settlementRef.institutions.title', { region })}
      data-testid="institutions-card"
      extra={
        canWrite && (
          <CreateInstitutionButton
            region={region}
            today={todayInChina()}
            onDone={(i) => navigate(settlementInstitutionPath(i.id))}
          />
        )
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          data-testid="institutions-name"
          placeholder={t('settlementRef.namePrefix')}
          allowClear
          onSearch={(v) => {
            setNamePrefix(v);
            setPages(firstPage);
          }}
          style={{ width: 240 }}
        />
        <Select
          data-testid="institutions-status"
          allowClear
          placeholder={t('settlementRef.col.status')}
          style={{ width: 140 }}
          value={status}
          onChange={(v: Institution['status'] | undefined) => {
            setStatus(v);
            setPages(firstPage);
          }}
          options={institutionStatuses.map((s) => ({
            value: s,
            label: t(`settlementRef.status.${s}`),
          }))}
        />
      </Space>
      {load.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(load.error)} />
      )}
      <Table<Institution>
        data-testid="institutions-table"
        rowKey="id"
        size="small"
        pagination={false}
        columns={institutionColumns(t)}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.institutions : []}
        locale={{ emptyText: t('settlementRef.empty') }}
      />
      <Pager
        pages={pages}
        next={load.status === 'ready' ? load.data.next : null}
        onChange={setPages}
      />
    </Card>
  );
}
