import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { SessionUser } from '../../../api/types.ts';
import { formatShanghaiDateTime } from '../../../format/date-time.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { fundApi } from '../fund-api.ts';
import { FundHeader, LoadError, useLoad, Yuan } from '../fund-common.tsx';
import { beijingToday } from '../fund-format.ts';
import type { AccountBalance, JournalEntry, Posting, TrialBalanceRow } from '../fund-types.ts';

const pageSize = 50;

type T = ReturnType<typeof useI18n>['t'];

/** The segments a region's ledger may be read in: a city itself; the province also its 调剂金. */
function segmentsOf(region: string): { value: string; key: 'own' | 'adj' | 'all' }[] {
  if (!region.endsWith('0000')) return [{ value: region, key: 'own' }];
  return [
    { value: region, key: 'own' },
    { value: `${region}-ADJ`, key: 'adj' },
    { value: 'all', key: 'all' },
  ];
}

function entryTotal(entry: JournalEntry): number {
  return entry.postings.reduce((sum, p) => (p.side === 'debit' ? sum + p.amountFen : sum), 0);
}

type PostingsTableProps = { postings: Posting[] };

function PostingsTable({ postings }: PostingsTableProps) {
  const { t } = useI18n();
  const debit = postings.reduce((s, p) => (p.side === 'debit' ? s + p.amountFen : s), 0);
  const credit = postings.reduce((s, p) => (p.side === 'credit' ? s + p.amountFen : s), 0);
  return (
    <Table<Posting & { n: number }>
      data-testid="postings-table"
      rowKey="n"
      size="small"
      pagination={false}
      dataSource={postings.map((p, n) => ({ ...p, n }))}
      columns={[
        { title: t('fund.ledger.segment'), dataIndex: 'segment' },
        {
          title: t('fund.ledger.account'),
          dataIndex: 'account',
          render: (v: string) => <span className="mono">{v}</span>,
        },
        {
          title: t('fund.ledger.debit'),
          key: 'debit',
          align: 'right',
          render: (_, p) => (p.side === 'debit' ? <Yuan fen={p.amountFen} /> : ''),
        },
        {
          title: t('fund.ledger.credit'),
          key: 'credit',
          align: 'right',
          render: (_, p) => (p.side === 'credit' ? <Yuan fen={p.amountFen} /> : ''),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            {t('fund.ledger.total')}
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Yuan fen={debit} />
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            <Yuan fen={credit} />
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

type TransactionDrawerProps = { region: string; id: string; onClose: () => void };

/** One transaction, read again from GET …/transactions/:id (the server checks the scope). */
function TransactionDrawer({ region, id, onClose }: TransactionDrawerProps) {
  const { t, language } = useI18n();
  const state = useLoad(() => fundApi.transaction(region, id), [region, id]);
  return (
    <Drawer open size={720} title={t('fund.ledger.transaction')} onClose={onClose}>
      <div data-testid="transaction-drawer">
        {state.status === 'loading' && <Skeleton active />}
        {state.status === 'failed' && (
          <LoadError error={state.error} what="fund.ledger.transaction" />
        )}
        {state.status === 'ready' && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('fund.ledger.id')}>
                <Typography.Text code copyable>
                  {state.data.id}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.effectiveDate')}>
                {state.data.effectiveDate}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.kind')}>
                {t(`fund.ledger.kind.${state.data.kind}`)}
                {state.data.resolution !== null &&
                  ` · ${t(`fund.ledger.resolution.${state.data.resolution.action}`)}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.source')}>
                {state.data.source.type} · {state.data.source.id}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.memo')}>
                {state.data.memo ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.corrects')}>
                {state.data.corrects ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.snapshot')}>
                {state.data.parameterSnapshotId ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('fund.ledger.recorded')}>
                {state.data.actor} · {formatShanghaiDateTime(state.data.recordedAt, language)}
              </Descriptions.Item>
            </Descriptions>
            <PostingsTable postings={state.data.postings} />
          </Space>
        )}
      </div>
    </Drawer>
  );
}

type JournalPagerProps = {
  canGoNewer: boolean;
  canGoOlder: boolean;
  onNewest: () => void;
  onNewer: () => void;
  onOlder: () => void;
};

function JournalPager({ canGoNewer, canGoOlder, onNewest, onNewer, onOlder }: JournalPagerProps) {
  const { t } = useI18n();
  return (
    <Space wrap className="fund-toolbar">
      <Button icon={<ReloadOutlined />} onClick={onNewest} data-testid="journal-newest">
        {t('fund.ledger.newest')}
      </Button>
      <Button disabled={!canGoNewer} onClick={onNewer} data-testid="journal-newer">
        {t('fund.ledger.newer')}
      </Button>
      <Button disabled={!canGoOlder} onClick={onOlder} data-testid="journal-older">
        {t('fund.ledger.older')}
      </Button>
    </Space>
  );
}

function journalColumns(t: T, onOpen: (id: string) => void): TableColumnsType<JournalEntry> {
  return [
    { title: t('fund.ledger.seq'), dataIndex: 'seq', width: 72 },
    { title: t('fund.ledger.effectiveDate'), dataIndex: 'effectiveDate', width: 110 },
    {
      title: t('fund.ledger.id'),
      dataIndex: 'id',
      ellipsis: true,
      render: (id: string) => (
        <Button
          type="link"
          size="small"
          className="mono link-cell"
          data-testid="journal-open"
          onClick={() => onOpen(id)}
        >
          {id}
        </Button>
      ),
    },
    {
      title: t('fund.ledger.memo'),
      dataIndex: 'memo',
      ellipsis: true,
      render: (m: string | null) => m ?? '—',
    },
    {
      title: t('fund.ledger.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (kind: JournalEntry['kind']) => (
        <Tag color={kind === 'posted' ? 'green' : 'gold'}>{t(`fund.ledger.kind.${kind}`)}</Tag>
      ),
    },
    {
      title: t('fund.ledger.amount'),
      key: 'amount',
      align: 'right',
      width: 170,
      render: (_, entry) => <Yuan fen={entryTotal(entry)} />,
    },
  ];
}

type JournalProps = { region: string; segment: string };

/** The segment's journal, newest first, a page at a time; an entry opens in a drawer. */
function Journal({ region, segment }: JournalProps) {
  const { t } = useI18n();
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [reloads, setReloads] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const state = useLoad(
    () => fundApi.journal(region, segment, pageSize, cursor),
    [region, segment, cursor, reloads],
  );
  if (state.status === 'failed')
    return <LoadError error={state.error} what="fund.ledger.journal" />;
  const page = state.status === 'ready' ? state.data : null;
  const next = page?.nextBeforeSeq ?? null;
  return (
    <>
      <JournalPager
        canGoNewer={cursors.length > 1}
        canGoOlder={next !== null}
        onNewest={() => {
          setCursors([null]);
          setReloads((n) => n + 1);
        }}
        onNewer={() => setCursors((c) => c.slice(0, -1))}
        onOlder={() => setCursors((c) => (next === null ? c : [...c, next]))}
      />
      <Table<JournalEntry>
        data-testid="journal-table"
        rowKey="seq"
        size="small"
        loading={state.status === 'loading'}
        dataSource={page?.entries ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('fund.ledger.empty') }}
        expandable={{
          expandedRowRender: (entry) => <PostingsTable postings={entry.postings} />,
        }}
        columns={journalColumns(t, setOpen)}
      />
      {open !== null && (
        <TransactionDrawer region={region} id={open} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

type TrialBalanceTabProps = { region: string; segment: string };

function TrialBalanceTab({ region, segment }: TrialBalanceTabProps) {
  const { t, language } = useI18n();
  const [asOf, setAsOf] = useState(beijingToday());
  const state = useLoad(() => fundApi.trialBalance(region, segment, asOf), [region, segment, asOf]);
  return (
    <>
      <Space wrap className="fund-toolbar">
        <span>{t('fund.ledger.asOf')}</span>
        <DatePicker
          data-testid="tb-asof"
          allowClear={false}
          value={dayjs(asOf)}
          onChange={(d) => {
            if (d !== null) setAsOf(d.format('YYYY-MM-DD'));
          }}
        />
      </Space>
      {state.status === 'failed' && (
        <LoadError error={state.error} what="fund.ledger.trialBalance" />
      )}
      {state.status === 'ready' && (
        <Alert
          type={state.data.totals.balanced ? 'success' : 'error'}
          showIcon
          data-testid="tb-balanced"
          data-balanced={String(state.data.totals.balanced)}
          title={
            state.data.totals.balanced
              ? t('fund.ledger.balanced', { date: state.data.asOf })
              : t('fund.ledger.unbalanced', { date: state.data.asOf })
          }
        />
      )}
      {state.status !== 'failed' && (
        <Table<TrialBalanceRow>
          data-testid="tb-table"
          rowKey={(r) => `${r.segment}/${r.account}`}
          size="small"
          loading={state.status === 'loading'}
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={state.status === 'ready' ? state.data.rows : []}
          columns={[
            { title: t('fund.ledger.segment'), dataIndex: 'segment', width: 110 },
            {
              title: t('fund.ledger.account'),
              dataIndex: 'account',
              width: 130,
              render: (v: string) => <span className="mono">{v}</span>,
            },
            {
              title: t('fund.ledger.accountName'),
              key: 'name',
              render: (_, r) => (language === 'zh' ? r.name : r.nameEn),
            },
            {
              title: t('fund.ledger.type'),
              dataIndex: 'type',
              width: 90,
              render: (v: TrialBalanceRow['type']) => t(`fund.accountType.${v}`),
            },
            {
              title: t('fund.ledger.debit'),
              dataIndex: 'debitFen',
              align: 'right',
              render: (fen: number) => <Yuan fen={fen} />,
            },
            {
              title: t('fund.ledger.credit'),
              dataIndex: 'creditFen',
              align: 'right',
              render: (fen: number) => <Yuan fen={fen} />,
            },
            {
              title: t('fund.ledger.balance'),
              dataIndex: 'balanceFen',
              align: 'right',
              render: (fen: number) => <Yuan fen={fen} />,
            },
          ]}
          summary={() =>
            state.status === 'ready' ? (
              <Table.Summary fixed>
                <Table.Summary.Row className="tb-totals">
                  <Table.Summary.Cell index={0} colSpan={4}>
                    {t('fund.ledger.totals')}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    <Yuan fen={state.data.totals.debitFen} testId="tb-total-debit" />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    <Yuan fen={state.data.totals.creditFen} testId="tb-total-credit" />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} />
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      )}
    </>
  );
}

type BalancesTabProps = { region: string; segment: string };

function BalancesTab({ region, segment }: BalancesTabProps) {
  const { t, language } = useI18n();
  const state = useLoad(() => fundApi.balances(region, segment), [region, segment]);
  if (state.status === 'failed')
    return <LoadError error={state.error} what="fund.ledger.balances" />;
  return (
    <Table<AccountBalance>
      data-testid="balances-table"
      rowKey={(r) => `${r.segment}/${r.account}`}
      size="small"
      loading={state.status === 'loading'}
      pagination={false}
      scroll={{ x: 1100 }}
      dataSource={state.status === 'ready' ? state.data.balances : []}
      columns={[
        { title: t('fund.ledger.segment'), dataIndex: 'segment', width: 110 },
        {
          title: t('fund.ledger.account'),
          dataIndex: 'account',
          width: 130,
          render: (v: string) => <span className="mono">{v}</span>,
        },
        {
          title: t('fund.ledger.accountName'),
          key: 'name',
          render: (_, r) => (language === 'zh' ? r.name : r.nameEn),
        },
        {
          title: t('fund.ledger.debitPosted'),
          dataIndex: 'debitPostedFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.ledger.creditPosted'),
          dataIndex: 'creditPostedFen',
          align: 'right',
          render: (fen: number) => <Yuan fen={fen} />,
        },
        {
          title: t('fund.ledger.pending'),
          key: 'pending',
          align: 'right',
          render: (_, r) =>
            r.debitPendingFen === 0 && r.creditPendingFen === 0 ? (
              '—'
            ) : (
              <span>
                {t('fund.ledger.debitShort')} <Yuan fen={r.debitPendingFen} /> /{' '}
                {t('fund.ledger.creditShort')} <Yuan fen={r.creditPendingFen} />
              </span>
            ),
        },
        {
          title: t('fund.ledger.balance'),
          key: 'balance',
          align: 'right',
          render: (_, r) => (
            <span>
              <Yuan fen={r.balanceFen} />{' '}
              <span className="muted small">
                {r.normalSide === 'D' ? t('fund.ledger.debitShort') : t('fund.ledger.creditShort')}
              </span>
            </span>
          ),
        },
      ]}
    />
  );
}

type LedgerViewProps = { user: SessionUser; region: string };

/** Ledger explorer: journal (paged by beforeSeq), a transaction's postings, trial balance, balances. */
export function LedgerView({ user, region }: LedgerViewProps) {
  const { t } = useI18n();
  const segments = segmentsOf(region);
  const [chosen, setChosen] = useState<{ region: string; segment: string } | null>(null);
  const [tab, setTab] = useState('journal');
  const segment = chosen !== null && chosen.region === region ? chosen.segment : region;
  // The journal reads one segment at a time ('all' is for trial balance and balances only).
  const journalSegment = segment === 'all' ? region : segment;
  const options = segments
    .filter((s) => tab !== 'journal' || s.key !== 'all')
    .map((s) => ({ value: s.value, label: `${t(`fund.ledger.segment.${s.key}`)} · ${s.value}` }));
  return (
    <div className="page" data-testid="fund-ledger">
      <FundHeader user={user} view="ledger" region={region} />
      <Card size="small">
        <Space wrap>
          <span>{t('fund.ledger.segment')}</span>
          <Select
            data-testid="ledger-segment"
            style={{ minWidth: 260 }}
            value={tab === 'journal' ? journalSegment : segment}
            options={options}
            onChange={(next: string) => setChosen({ region, segment: next })}
          />
          {segments.length === 1 && (
            <Typography.Text type="secondary">{t('fund.ledger.citySegmentOnly')}</Typography.Text>
          )}
        </Space>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          {
            key: 'journal',
            label: t('fund.ledger.journal'),
            children: <Journal region={region} segment={journalSegment} />,
          },
          {
            key: 'trial',
            label: t('fund.ledger.trialBalance'),
            children: <TrialBalanceTab region={region} segment={segment} />,
          },
          {
            key: 'balances',
            label: t('fund.ledger.balances'),
            children: <BalancesTab region={region} segment={segment} />,
          },
        ]}
      />
    </div>
  );
}
