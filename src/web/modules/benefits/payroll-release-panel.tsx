import { Alert, Button, Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { type PayrollRelease, releaseApi } from './payroll-release-api.ts';
import { payrollKindLabel } from './payroll-view.ts';

type T = ReturnType<typeof useI18n>['t'];
type ReleaseLine = PayrollRelease['lines'][number];

type PanelProps = {
  user: SessionUser;
  city: string;
  releaseId: string;
  onChanged: () => void;
  onClose: () => void;
};

/**
 * A release of failed lines owed to no one (冲回) at its own address `/payroll/<release id>`: the
 * lines and why each is owed to no one, the total, and for a holder of fund:approve the approval,
 * which applies it (Dr 2102 / Cr 51xx); the server refuses the maker and a changed line, and the
 * page shows its text. Once applied, the ledger transaction's id.
 */
export function ReleasePanel({ user, city, releaseId, onChanged, onClose }: PanelProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const load = useLoad(() => releaseApi.show(city, releaseId), [city, releaseId, version]);
  const { busy, error, act } = useAction(() => {
    setVersion((v) => v + 1);
    onChanged();
  });
  if (load.status === 'loading') return <Card loading />;
  if (load.status === 'failed') return <Alert type="error" title={describeError(load.error)} />;
  const release = load.data;
  const approves = release.status === 'proposed' && user.permissions.includes('fund:approve');
  return (
    <Card
      data-testid="payroll-release"
      title={t('release.title', { releaseId: release.id })}
      extra={<Button onClick={onClose}>{t('payroll.run.close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('release.intro')}</Typography.Paragraph>
        <ReleaseSummary release={release} t={t} />
        {approves && (
          <Button
            type="primary"
            danger
            loading={busy}
            data-testid="release-approve"
            onClick={() => void act(() => releaseApi.approve(city, release.id))}
          >
            {t('release.approve')}
          </Button>
        )}
        {error !== null && (
          <Alert type="error" showIcon data-testid="release-error" title={describeError(error)} />
        )}
        <ReleaseLines release={release} t={t} />
      </Space>
    </Card>
  );
}

function ReleaseSummary({ release, t }: { release: PayrollRelease; t: T }) {
  return (
    <Space wrap size="large">
      <Tag color={release.status === 'applied' ? 'green' : 'gold'} data-testid="release-status">
        {t(`release.status.${release.status}`)}
      </Tag>
      <Typography.Text strong data-testid="release-total">
        {t('payroll.run.total', {
          lines: release.lineCount,
          amount: fenToYuanText(release.totalFen),
        })}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t('release.proposedBy', { maker: release.proposedBy, day: release.proposedOn })}
      </Typography.Text>
      {release.transactionId !== null && (
        <Typography.Text data-testid="release-transaction">
          {t('release.transaction', { transactionId: release.transactionId })}
        </Typography.Text>
      )}
    </Space>
  );
}

function ReleaseLines({ release, t }: { release: PayrollRelease; t: T }) {
  const columns: TableColumnsType<ReleaseLine> = [
    { title: t('reissue.col.month'), dataIndex: 'month' },
    {
      title: t('reissue.col.kind'),
      dataIndex: 'kind',
      render: (k: string) => payrollKindLabel(t, k),
    },
    { title: t('reissue.col.payee'), dataIndex: 'workerId' },
    {
      title: t('payroll.col.total'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    { title: t('release.col.account'), dataIndex: 'expenseAccount' },
    {
      title: t('release.col.reasons'),
      key: 'reasons',
      render: (_: unknown, l: ReleaseLine) =>
        l.reasons.map((r) => t(`release.reason.${r}`)).join('；'),
    },
  ];
  return (
    <Table<ReleaseLine>
      rowKey="lineId"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={release.lines}
      data-testid="release-lines"
    />
  );
}
