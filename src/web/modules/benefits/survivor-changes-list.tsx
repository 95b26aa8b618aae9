import { Alert, Button, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type BenefitChangeKey, benefitChangeText } from './benefit-change-messages.ts';
import {
  mayApply,
  planMoney,
  STATE_COLORS,
  type SurvivorChangeRow,
  survivorChangeRows,
} from './benefit-change-view.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import { benefitsApi, type ListedSurvivorChange } from './benefits-api.ts';

export function useBenefitChangeText() {
  const { language } = useI18n();
  return {
    language,
    c: (key: BenefitChangeKey, vars?: Readonly<Record<string, string | number>>) =>
      benefitChangeText(language, key, vars),
  };
}

/** The sentence an apply answers: the plan's arrears and overpayment, or that it was a retry. */
export function useAppliedText() {
  const { c } = useBenefitChangeText();
  return (replayed: boolean, plan: Parameters<typeof planMoney>[0]): { ok: true; text: string } => {
    if (replayed) return { ok: true, text: c('replayed') };
    const money = planMoney(plan);
    return {
      ok: true,
      text: c('applied', {
        arrears: fenToYuanText(money.arrearsFen),
        overpayment: fenToYuanText(money.overpaymentFen),
      }),
    };
  };
}

/**
 * The survivor's changes proposed for the case's dependants (docs/benefits.md, "Survivors' pensions
 * end"), newest first: the event, the state (waiting for the checker, approved, applied,
 * superseded), the plan's arrears and overpayment; an approved change gets the 执行 button for the
 * handler (fund:write, the apply route's permission), which shows what the apply wrote or why the
 * server refused. `version` changes when a change was proposed, so the list reads again.
 */
export function SurvivorChangesList(props: {
  regionCode: string;
  caseId: string;
  names: ReadonlyMap<string, string>;
  version: number;
  canApply: boolean;
}) {
  const { c } = useBenefitChangeText();
  const { regionCode, caseId, version } = props;
  const [changes, setChanges] = useState<ListedSurvivorChange[] | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const appliedText = useAppliedText();
  const load = useCallback(async () => {
    try {
      setChanges((await benefitsApi.survivorChanges(regionCode, caseId)).changes);
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e) });
    }
  }, [regionCode, caseId]);
  useEffect(() => {
    void version;
    void load();
  }, [load, version]);
  const apply = async (id: string) => {
    setBusy(id);
    setOutcome(null);
    try {
      const out = await benefitsApi.applySurvivorChange(regionCode, id);
      setOutcome(appliedText(out.replayed, out.change.plan));
      await load();
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e) });
    } finally {
      setBusy(null);
    }
  };
  const columns = useColumns(props.canApply ? { busy, apply } : null);
  const rows = changes === null ? [] : survivorChangeRows(changes, props.names);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="survivor-changes">
      <Typography.Title level={5}>{c('survivor.title')}</Typography.Title>
      {changes !== null && changes.length === 0 ? (
        <Typography.Text>{c('survivor.empty')}</Typography.Text>
      ) : (
        <Table size="small" rowKey="id" pagination={false} columns={columns} dataSource={rows} />
      )}
      {outcome !== null && (
        <Alert
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          title={outcome.text}
          data-testid="survivor-change-outcome"
        />
      )}
    </Space>
  );
}

function useColumns(
  action: { busy: string | null; apply: (id: string) => Promise<void> } | null,
): TableColumnsType<SurvivorChangeRow> {
  const { c } = useBenefitChangeText();
  const { b } = useBenefitText();
  const columns: TableColumnsType<SurvivorChangeRow> = [
    { title: c('survivor.dependant'), dataIndex: 'dependant' },
    {
      title: c('survivor.kind'),
      dataIndex: 'kind',
      render: (k: SurvivorChangeRow['kind']) => b(`survivorKind.${k}`),
    },
    { title: c('survivor.eventOn'), dataIndex: 'eventOn' },
    {
      title: c('state'),
      key: 'state',
      render: (_: unknown, r: SurvivorChangeRow) => (
        <Space orientation="vertical" size={0}>
          <Tag color={STATE_COLORS[r.state]} data-testid={`survivor-change-state-${r.id}`}>
            {c(`state.${r.state}`)}
          </Tag>
          <Typography.Text type="secondary">
            {c('survivor.plan', { ended: r.ended, started: r.started })}
          </Typography.Text>
        </Space>
      ),
    },
    { title: c('arrears'), dataIndex: 'arrearsFen', render: (f: number) => fenToYuanText(f) },
    {
      title: c('overpayment'),
      dataIndex: 'overpaymentFen',
      render: (f: number) => fenToYuanText(f),
    },
  ];
  if (action === null) return columns;
  columns.push({
    title: b('actions'),
    key: 'apply',
    render: (_: unknown, r: SurvivorChangeRow) =>
      mayApply(r.state) ? (
        <Button
          size="small"
          type="primary"
          loading={action.busy === r.id}
          data-testid={`survivor-change-apply-${r.id}`}
          onClick={() => void action.apply(r.id)}
        >
          {c('apply')}
        </Button>
      ) : null,
  });
  return columns;
}
