import { Card, Table, type TableColumnsType, Tag } from 'antd';
import type { z } from 'zod';
import type { releaseListResponse } from '../../../contract/settlement/guarantee-releases.ts';
import { request } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';

type ReleaseList = z.infer<typeof releaseListResponse>;
type Release = ReleaseList['releases'][number];

/**
 * The institution's year-end guarantee releases (责任保证金返还, docs/settlement-statements.md):
 * proposed and paid, latest year first. Proposing and approving are on the command line and the
 * routes; the page shows where each year stands.
 */
export function GuaranteeReleasesCard({ institutionId }: { institutionId: string }) {
  const { t } = useI18n();
  const load = useLoad(
    () =>
      request<ReleaseList>(
        `/api/v1/settlement/institutions/${encodeURIComponent(institutionId)}/guarantee-releases`,
      ),
    [institutionId],
  );
  const columns: TableColumnsType<Release> = [
    { title: t('settlementRef.guarantee.year'), dataIndex: 'year' },
    {
      title: t('settlementRef.guarantee.amount'),
      dataIndex: 'releaseFen',
      render: (fen: number) => fenToYuanText(fen),
    },
    {
      title: t('settlementRef.guarantee.status'),
      dataIndex: 'status',
      render: (s: Release['status']) => (
        <Tag color={s === 'paid' ? 'green' : 'blue'}>{t(`settlementRef.guarantee.${s}`)}</Tag>
      ),
    },
    { title: t('settlementRef.guarantee.paidOn'), dataIndex: 'paidOn', render: (d) => d ?? '—' },
  ];
  return (
    <Card title={t('settlementRef.guarantee.title')} data-testid="guarantee-releases">
      <Table
        rowKey="year"
        size="small"
        pagination={false}
        loading={load.status === 'loading'}
        columns={columns}
        dataSource={load.status === 'ready' ? load.data.releases : []}
        locale={{ emptyText: t('settlementRef.guarantee.empty') }}
      />
    </Card>
  );
}
