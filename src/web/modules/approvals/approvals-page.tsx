import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, describeError } from '../../api/client.ts';
import type {
  ApprovalDetail,
  ApprovalStatus,
  ApprovalSummary,
  SessionUser,
} from '../../api/types.ts';
import { formatShanghaiDateTime } from '../../format/date-time.ts';
import { fenToYuanText } from '../../format/money.ts';
import { isMessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';

type Filter = 'pending' | 'approved' | 'all';

const statusColors: Record<ApprovalStatus, string> = {
  pending: 'blue',
  approved: 'green',
  rejected: 'red',
  consumed: 'default',
  expired: 'orange',
  withdrawn: 'default',
};

type Translate = ReturnType<typeof useI18n>['t'];

function actionText(action: string, t: Translate): string {
  const key = `approvals.action.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

/** A payload value as text: amounts (keys ending in Fen) in yuan, objects as compact JSON. */
function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && key.endsWith('Fen') && Number.isSafeInteger(value))
    return `${fenToYuanText(value)} 元 (${value} fen)`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The payload's top-level fields, in the order the server stored them (keys sorted). */
function payloadRows(payload: unknown): { key: string; value: string }[] {
  if (payload === null || typeof payload !== 'object') return [];
  return Object.entries(payload).map(([key, value]) => ({ key, value: valueText(key, value) }));
}

function diffText(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return fenToYuanText(value);
  return valueText('', value);
}

type DetailProps = { user: SessionUser; detail: ApprovalDetail; onDecided: () => void };

function DecisionButtons({ user, detail, onDecided }: DetailProps) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The maker is never offered a decision (the server and the database refuse it anyway).
  if (detail.maker === user.username)
    return <Alert type="info" showIcon data-testid="approval-own" title={t('approvals.own')} />;
  if (detail.status !== 'pending' || !user.permissions.includes('fund:approve')) return null;
  const decide = async (decision: 'approved' | 'rejected') => {
    setBusy(true);
    setError(null);
    try {
      await api.decideApproval(detail.regionCode, detail.id, decision);
      onDecided();
    } catch (e) {
      setError(t('approvals.decideFailed', { detail: describeError(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical">
      <Space>
        <Button
          type="primary"
          loading={busy}
          onClick={() => void decide('approved')}
          data-testid="approval-approve"
        >
          {t('approvals.approve')}
        </Button>
        <Button
          danger
          loading={busy}
          onClick={() => void decide('rejected')}
          data-testid="approval-reject"
        >
          {t('approvals.reject')}
        </Button>
      </Space>
      {error !== null && (
        <Alert type="error" showIcon data-testid="approval-decide-error" title={error} />
      )}
    </Space>
  );
}

function ApprovalCard({ user, detail, onDecided }: DetailProps) {
  const { t, language } = useI18n();
  const state = detail.currentState;
  return (
    <Card
      data-testid="approval-detail"
      data-status={detail.status}
      title={`${actionText(detail.action, t)} · ${detail.id}`}
      extra={
        <Tag color={statusColors[detail.status]}>{t(`approvals.status.${detail.status}`)}</Tag>
      }
    >
      <Typography.Title level={5}>{t('approvals.payload')}</Typography.Title>
      <Descriptions bordered size="small" column={1} data-testid="approval-payload">
        {payloadRows(detail.payload).map((row) => (
          <Descriptions.Item key={row.key} label={row.key}>
            <span data-testid={`approval-payload-${row.key}`}>{row.value}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Typography.Title level={5}>{t('approvals.diff')}</Typography.Title>
      {state === null ? (
        <Typography.Text type="secondary">{t('approvals.noCurrentState')}</Typography.Text>
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="field"
          data-testid="approval-diff"
          dataSource={state.diff}
          title={() => state.description}
          columns={[
            { title: t('approvals.diffField'), dataIndex: 'field' },
            { title: t('approvals.diffCurrent'), render: (_, r) => diffText(r.current) },
            { title: t('approvals.diffProposed'), render: (_, r) => diffText(r.proposed) },
          ]}
        />
      )}
      <Typography.Title level={5}>{t('approvals.decisions')}</Typography.Title>
      {detail.decisions.length === 0 ? (
        <Typography.Text type="secondary">{t('approvals.noDecisions')}</Typography.Text>
      ) : (
        <ul data-testid="approval-decisions">
          {detail.decisions.map((d) => (
            <li key={d.checker}>
              {d.checker} ({d.checkerRole}) · {t(`approvals.status.${d.decision}`)} ·{' '}
              {formatShanghaiDateTime(d.decidedAt, language)}
            </li>
          ))}
        </ul>
      )}
      <DecisionButtons user={user} detail={detail} onDecided={onDecided} />
    </Card>
  );
}

function useColumns(onView: (a: ApprovalSummary) => void): TableColumnsType<ApprovalSummary> {
  const { t, language } = useI18n();
  return [
    { title: t('approvals.colAction'), render: (_, a) => actionText(a.action, t) },
    { title: t('approvals.colMaker'), render: (_, a) => `${a.maker} (${a.makerRole})` },
    {
      title: t('approvals.colStatus'),
      render: (_, a) => (
        <Tag color={statusColors[a.status]}>{t(`approvals.status.${a.status}`)}</Tag>
      ),
    },
    { title: t('approvals.colCheckers'), dataIndex: 'requiredCheckers' },
    {
      title: t('approvals.colAmount'),
      align: 'right',
      render: (_, a) => (a.amountFen === null ? '—' : fenToYuanText(a.amountFen)),
    },
    {
      title: t('approvals.colExpires'),
      render: (_, a) => formatShanghaiDateTime(a.expiresAt, language),
    },
    {
      title: '',
      render: (_, a) => (
        <Button size="small" onClick={() => onView(a)} data-testid={`approval-view-${a.id}`}>
          {t('approvals.view')}
        </Button>
      ),
    },
  ];
}

type Selected = { regionCode: string; id: string };

/**
 * The checker's work list (docs/security.md, "Maker-checker"): the approvals of the user's region
 * (a province sees its cities' too); one opened shows the canonical payload it would apply, the
 * current state next to it, the decisions so far and, to anyone but the maker, approve / reject.
 */
export function ApprovalsPage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const region = user.scope.code ?? '';
  const [filter, setFilter] = useState<Filter>('pending');
  const [reloads, setReloads] = useState(0);
  const [selected, setSelected] = useState<Selected | null>(null);
  const list = useLoad(
    () => api.approvals(region, filter === 'all' ? null : filter),
    [region, filter, reloads],
  );
  const detail = useLoad(
    () =>
      selected === null ? Promise.resolve(null) : api.approval(selected.regionCode, selected.id),
    [selected, reloads],
  );
  const columns = useColumns((a) => setSelected({ regionCode: a.regionCode, id: a.id }));
  return (
    <div className="page" data-testid="approvals-page">
      <Typography.Title level={2}>{t('approvals.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('approvals.intro')}</Typography.Paragraph>
      <Space wrap>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          data-testid="approvals-filter"
          options={(['pending', 'approved', 'all'] as const).map((f) => ({
            value: f,
            label: <span data-testid={`approvals-filter-${f}`}>{t(`approvals.filter.${f}`)}</span>,
          }))}
        />
        <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)}>
          {t('audit.refresh')}
        </Button>
      </Space>
      {list.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={t('approvals.failed', { detail: describeError(list.error) })}
        />
      )}
      <Table<ApprovalSummary>
        rowKey="id"
        size="small"
        data-testid="approvals-table"
        loading={list.status === 'loading'}
        dataSource={list.status === 'ready' ? list.data.approvals : []}
        columns={columns}
        locale={{ emptyText: <Empty description={t('approvals.empty')} /> }}
        pagination={false}
      />
      {detail.status === 'ready' && detail.data !== null && (
        <ApprovalCard user={user} detail={detail.data} onDecided={() => setReloads((n) => n + 1)} />
      )}
    </div>
  );
}
