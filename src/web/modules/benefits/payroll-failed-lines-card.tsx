import { Alert, Button, Card, Radio, Space, Table, type TableColumnsType, Typography } from 'antd';
import { type Key, useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { type FailedLine, reissueApi } from './payroll-reissue-api.ts';
import {
  blockLabels,
  canPropose,
  isReleasable,
  isSelectable,
  type Selection,
  selectionOf,
} from './payroll-reissue-view.ts';
import { releaseApi } from './payroll-release-api.ts';
import { payrollKindLabel } from './payroll-view.ts';

type I18n = ReturnType<typeof useI18n>;
type Include = 'open' | 'all';

type CardProps = {
  user: SessionUser;
  city: string;
  /** Bumped by the page when a run or a batch changed (a line may be paid again meanwhile). */
  version: number;
  /** A reissue batch (prb_…) or a release (prr_…) was proposed: the page opens its address. */
  onProposed: (id: string) => void;
};

/**
 * 未付成功的发放: the city's failed payroll lines (GET …/payroll-failed-lines), each with the card
 * account it would go to now and, when the rules block it, why. A handler (fund:write) ticks the
 * lines to pay again and proposes a reissue batch (POST …/payroll-reissues), or ticks lines a death,
 * a stop, a survivor's end or a retirement made owed to no one and proposes their release (冲回,
 * POST …/payroll-releases); any other blocked line cannot be ticked. The server decides again: a
 * refusal shows its text.
 */
export function FailedLinesCard({ user, city, version, onProposed }: CardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [include, setInclude] = useState<Include>('open');
  const [after, setAfter] = useState<string | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const load = useLoad(
    () => reissueApi.failedLines(city, { include, after }),
    [city, include, after, version],
  );
  const { busy, error, act } = useAction(() => setTicked(new Set()));
  const lines = load.status === 'ready' ? load.data.items : [];
  const writes = user.permissions.includes('fund:write');
  const propose = (release: boolean) =>
    act(async () => {
      const chosen = selectionOf(lines, ticked, release).lineIds;
      onProposed(
        release
          ? (await releaseApi.propose(city, chosen)).id
          : (await reissueApi.propose(city, chosen)).id,
      );
    });
  return (
    <Card
      title={t('reissue.failed.title')}
      data-testid="failed-lines"
      extra={
        <IncludeSwitch
          include={include}
          onChange={(next) => {
            setInclude(next);
            setAfter(null);
          }}
        />
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
        {writes && (
          <ProposeBar
            busy={busy}
            reissue={selectionOf(lines, ticked)}
            release={selectionOf(lines, ticked, true)}
            permissions={user.permissions}
            onPropose={(release) => void propose(release)}
          />
        )}
        {error !== null && (
          <Alert
            type="error"
            showIcon
            data-testid="failed-lines-error"
            title={describeError(error)}
          />
        )}
        <Table<FailedLine>
          rowKey="id"
          size="small"
          loading={load.status === 'loading'}
          dataSource={lines}
          pagination={false}
          columns={failedColumns(i18n)}
          locale={{ emptyText: t('reissue.failed.none') }}
          {...(writes
            ? {
                rowSelection: {
                  selectedRowKeys: [...ticked],
                  onChange: (keys: Key[]) => setTicked(new Set(keys.map(String))),
                  getCheckboxProps: (l: FailedLine) => ({
                    disabled: !isSelectable(l) && !isReleasable(l),
                  }),
                },
              }
            : {})}
        />
        {load.status === 'ready' && (
          <Pager after={after} nextAfter={load.data.nextAfter} onPage={setAfter} />
        )}
      </Space>
    </Card>
  );
}

type BarProps = {
  busy: boolean;
  reissue: Selection;
  release: Selection;
  permissions: SessionUser['permissions'];
  onPropose: (release: boolean) => void;
};

/** The two proposals of the ticked lines: pay again (补发), or release as owed to no one (冲回). */
function ProposeBar({ busy, reissue, release, permissions, onPropose }: BarProps) {
  const { t } = useI18n();
  return (
    <Space wrap>
      <Button
        type="primary"
        loading={busy}
        disabled={!canPropose(reissue, permissions)}
        onClick={() => onPropose(false)}
        data-testid="failed-lines-propose"
      >
        {t('reissue.failed.propose')}
      </Button>
      <Typography.Text data-testid="failed-lines-selection">
        {t('reissue.failed.selection', {
          lines: reissue.lines,
          amount: fenToYuanText(reissue.amountFen),
        })}
      </Typography.Text>
      <Button
        danger
        loading={busy}
        disabled={!canPropose(release, permissions)}
        onClick={() => onPropose(true)}
        data-testid="failed-lines-release"
      >
        {t('release.propose')}
      </Button>
      <Typography.Text data-testid="failed-lines-release-selection">
        {t('release.selection', {
          lines: release.lines,
          amount: fenToYuanText(release.amountFen),
        })}
      </Typography.Text>
    </Space>
  );
}

function IncludeSwitch(props: { include: Include; onChange: (include: Include) => void }) {
  const { t } = useI18n();
  return (
    <Radio.Group
      size="small"
      value={props.include}
      onChange={(e) => props.onChange(e.target.value === 'all' ? 'all' : 'open')}
      options={[
        { value: 'open', label: t('reissue.failed.open') },
        { value: 'all', label: t('reissue.failed.all') },
      ]}
      data-testid="failed-lines-include"
    />
  );
}

type PagerProps = {
  after: string | null;
  nextAfter: string | null;
  onPage: (after: string | null) => void;
};

/** Keyset pages: back to the first, or on to the next (the list is by line id). */
function Pager({ after, nextAfter, onPage }: PagerProps) {
  const { t } = useI18n();
  if (after === null && nextAfter === null) return null;
  return (
    <Space>
      <Button size="small" disabled={after === null} onClick={() => onPage(null)}>
        {t('reissue.failed.first')}
      </Button>
      <Button size="small" disabled={nextAfter === null} onClick={() => onPage(nextAfter)}>
        {t('reissue.failed.next')}
      </Button>
    </Space>
  );
}

function failedColumns({ t, language }: I18n): TableColumnsType<FailedLine> {
  return [
    { title: t('reissue.col.month'), dataIndex: 'month' },
    {
      title: t('reissue.col.kind'),
      dataIndex: 'kind',
      render: (k: string) => payrollKindLabel(t, k),
    },
    {
      title: t('reissue.col.payee'),
      key: 'payee',
      render: (_: unknown, l: FailedLine) => `${l.payeeName ?? ''} ${l.workerId}`.trim(),
    },
    {
      title: t('payroll.col.total'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    { title: t('reissue.col.reason'), dataIndex: 'failureReason', render: (r) => r ?? '' },
    {
      title: t('reissue.col.account'),
      key: 'account',
      render: (_: unknown, l: FailedLine) =>
        l.account === null
          ? t('reissue.col.noAccount')
          : `${l.account.bankName} ${l.account.accountNumberMasked}`,
    },
    {
      title: t('reissue.col.source'),
      key: 'source',
      render: (_: unknown, l: FailedLine) => l.runId ?? l.batchId ?? '',
    },
    {
      title: t('reissue.col.blocks'),
      key: 'blocks',
      render: (_: unknown, l: FailedLine) => (
        <span data-testid={`failed-line-blocks-${l.id}`}>
          {blockLabels(l.blocks, language).join('；')}
        </span>
      ),
    },
  ];
}
