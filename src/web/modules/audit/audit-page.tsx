import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { roleLabels, roles } from '../../../identity/roles.ts';
import { api, describeError } from '../../api/client.ts';
import type { AuditEvent, AuditPage as AuditPageData, AuditResult } from '../../api/types.ts';
import { formatShanghaiDateTime } from '../../format/date-time.ts';
import type { Language } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const pageSize = 50;

const resultColors: Record<AuditResult, string> = {
  ok: 'green',
  denied: 'orange',
  refused: 'gold',
  error: 'red',
};

function roleText(role: string | null, language: Language): string {
  if (role === null) return '—';
  const known = roles.find((r) => r === role);
  return known === undefined ? role : roleLabels[known][language];
}

type LoadState =
  | { status: 'loading' }
  | { status: 'ready'; page: AuditPageData }
  | { status: 'failed'; message: string };

type Translate = ReturnType<typeof useI18n>['t'];

function seqRange(events: AuditEvent[]): { oldestSeq: number | null; newestSeq: number | null } {
  const oldestSeq = events.reduce<number | null>(
    (min, event) => (min === null || event.seq < min ? event.seq : min),
    null,
  );
  const newestSeq = events.reduce<number | null>(
    (max, event) => (max === null || event.seq > max ? event.seq : max),
    null,
  );
  return { oldestSeq, newestSeq };
}

/**
 * The audit log, newest first, 50 at a time. Older pages are fetched with `beforeSeq` = the
 * smallest seq shown; the cursors of the pages already seen are kept to step back to newer ones.
 */
function useAuditPages() {
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void reloads;
    api.auditEvents(pageSize, cursor).then(
      (page) => {
        if (live) setState({ status: 'ready', page });
      },
      (error: unknown) => {
        if (live) setState({ status: 'failed', message: describeError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [cursor, reloads]);

  const events = state.status === 'ready' ? state.page.events : [];
  const { oldestSeq, newestSeq } = seqRange(events);
  const canGoOlder = oldestSeq !== null && oldestSeq > 1 && events.length === pageSize;

  const older = useCallback(() => {
    if (oldestSeq !== null) setCursors((list) => [...list, oldestSeq]);
  }, [oldestSeq]);
  const newer = useCallback(() => setCursors((list) => list.slice(0, -1)), []);
  const newest = useCallback(() => {
    setCursors([null]);
    setReloads((n) => n + 1);
  }, []);
  const canGoNewer = cursors.length > 1;
  return { state, events, oldestSeq, newestSeq, canGoOlder, canGoNewer, older, newer, newest };
}

export function AuditPage() {
  const { t, language } = useI18n();
  const pages = useAuditPages();
  const { state } = pages;
  return (
    <div className="page">
      <Typography.Title level={2}>{t('audit.title')}</Typography.Title>
      {state.status === 'failed' && (
        <Alert type="error" showIcon title={t('audit.failed', { detail: state.message })} />
      )}
      {state.status === 'ready' && <AuditHead page={state.page} />}
      <Space className="audit-pager" wrap>
        <Button onClick={pages.newest} icon={<ReloadOutlined />} data-testid="audit-newest">
          {t('audit.newest')}
        </Button>
        <Button onClick={pages.newer} disabled={!pages.canGoNewer} data-testid="audit-newer">
          {t('audit.newer')}
        </Button>
        <Button onClick={pages.older} disabled={!pages.canGoOlder} data-testid="audit-older">
          {t('audit.older')}
        </Button>
        {pages.oldestSeq !== null && pages.newestSeq !== null && (
          <Typography.Text type="secondary">
            {t('audit.page', { from: pages.oldestSeq, to: pages.newestSeq })}
          </Typography.Text>
        )}
      </Space>
      <Table<AuditEvent>
        data-testid="audit-table"
        rowKey="seq"
        size="small"
        loading={state.status === 'loading'}
        dataSource={pages.events}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('audit.empty') }}
        columns={auditColumns(t, language)}
      />
    </div>
  );
}

type AuditHeadProps = { page: AuditPageData };

/** The chain's head: its seq and hash, to compare with an exported copy. */
function AuditHead({ page }: AuditHeadProps) {
  const { t } = useI18n();
  return (
    <Card size="small" className="audit-head">
      <Descriptions size="small" column={1} title={t('audit.head')}>
        <Descriptions.Item label={t('audit.headSeq')}>
          <span data-testid="audit-head-seq">{page.head.seq}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.headHash')}>
          <Typography.Text code copyable className="hash" data-testid="audit-head-hash">
            {page.head.hash}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function auditColumns(t: Translate, language: Language): TableColumnsType<AuditEvent> {
  return [
    { title: t('audit.colSeq'), dataIndex: 'seq', width: 64 },
    {
      title: t('audit.colTime'),
      dataIndex: 'at',
      width: 180,
      render: (at: string) => (
        <span className="nowrap">{formatShanghaiDateTime(at, language)}</span>
      ),
    },
    {
      title: t('audit.colActor'),
      dataIndex: 'actor',
      width: 140,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('audit.colRoleScope'),
      key: 'role',
      width: 150,
      render: (_: unknown, event: AuditEvent) => (
        <div className="nowrap">
          <div>{roleText(event.role, language)}</div>
          <div className="muted small">{event.scope ?? '—'}</div>
        </div>
      ),
    },
    {
      title: t('audit.colAction'),
      dataIndex: 'action',
      width: 150,
      render: (v: string) => <code className="nowrap">{v}</code>,
    },
    {
      title: t('audit.colObject'),
      dataIndex: 'object',
      render: (v: string | null) => <span className="mono small">{v ?? '—'}</span>,
    },
    {
      title: t('audit.colResult'),
      dataIndex: 'result',
      width: 96,
      render: (result: AuditResult) => (
        <Tag color={resultColors[result] ?? 'default'}>
          {resultColors[result] === undefined ? result : t(`audit.result.${result}`)}
        </Tag>
      ),
    },
    {
      // Where the request came from (issue 9): the client address the server believed (TRUST_PROXY
      // decides whether a forwarded one counts), the user agent on hover; none for the CLI and jobs.
      title: t('audit.colSource'),
      key: 'source',
      width: 130,
      render: (_: unknown, event: AuditEvent) =>
        event.sourceAddress === null ? (
          '—'
        ) : (
          <span className="mono small nowrap" title={event.userAgent ?? undefined}>
            {event.sourceAddress}
          </span>
        ),
    },
    {
      title: t('audit.colRequestId'),
      dataIndex: 'requestId',
      width: 130,
      render: (v: string) => (
        <Typography.Text className="mono small nowrap" copyable={{ text: v }}>
          <span title={v}>{v.length > 10 ? `…${v.slice(-8)}` : v}</span>
        </Typography.Text>
      ),
    },
  ];
}
