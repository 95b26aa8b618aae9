import { Button, Collapse, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { correctable } from './benefit-change-view.ts';
import { type BenefitMessageKey, benefitText, itemLabel } from './benefit-messages.ts';
import type { BenefitDecision, BenefitPanel } from './benefits-api.ts';

/** The panel's read-only tables: wage months with their source, items with the trace, entitlements. */
export function useBenefitText() {
  const { language } = useI18n();
  return {
    language,
    b: (key: BenefitMessageKey, vars?: Readonly<Record<string, string | number>>) =>
      benefitText(language, key, vars),
  };
}

export function WageMonthsTable({ decision }: { decision: BenefitDecision }) {
  const { b } = useBenefitText();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="month"
      data-testid="benefit-wage-months"
      dataSource={decision.wageMonths}
      columns={[
        { title: b('month'), dataIndex: 'month' },
        {
          title: b('wage'),
          dataIndex: 'wageFen',
          align: 'right',
          render: (f: number) => fenToYuanText(f),
        },
        {
          title: b('source'),
          dataIndex: 'source',
          render: (s: 'declaration' | 'entered') => (
            <Tag color={s === 'declaration' ? 'blue' : 'orange'}>{b(`source.${s}`)}</Tag>
          ),
        },
      ]}
    />
  );
}

export function ItemsTable({ decision }: { decision: BenefitDecision }) {
  const { b, language } = useBenefitText();
  const rows = decision.result.items.map((item, index) => ({
    ...item,
    key: `${item.code}-${index}`,
  }));
  return (
    <Table
      size="small"
      pagination={false}
      data-testid="benefit-items"
      dataSource={rows}
      columns={[
        { title: b('item'), dataIndex: 'code', render: (c: string) => itemLabel(language, c) },
        {
          title: b('amount'),
          dataIndex: 'amountFen',
          align: 'right',
          render: (f: number) => fenToYuanText(f),
        },
        {
          title: b('frequency'),
          dataIndex: 'frequency',
          render: (f: 'once' | 'monthly') => b(`frequency.${f}`),
        },
        {
          title: b('payer'),
          dataIndex: 'payer',
          render: (p: 'fund' | 'employer') => b(`payer.${p}`),
        },
        { title: b('citation'), dataIndex: 'citation' },
      ]}
    />
  );
}

export function TraceView({ decision }: { decision: BenefitDecision }) {
  const { b, language } = useBenefitText();
  const trace = decision.result.trace;
  if (trace === null) return null;
  const lines = [trace.baseWage, ...trace.items].map(
    (entry) => entry.formula[language === 'zh' ? 'zh' : 'en'],
  );
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'trace',
          label: b('trace'),
          children: (
            <div data-testid="benefit-trace">
              {lines.map((line) => (
                <Typography.Paragraph key={line}>{line}</Typography.Paragraph>
              ))}
              {trace.warnings.map((w) => (
                <Typography.Paragraph key={w} type="warning">
                  {b('warnings')}: {w}
                </Typography.Paragraph>
              ))}
            </div>
          ),
        },
      ]}
    />
  );
}

/** The months the payroll ran before the decision, paid with it (ADR 0023). */
export function MonthsRunBeforeTable({ panel }: { panel: BenefitPanel }) {
  const { b, language } = useBenefitText();
  if (panel.monthsRunBefore.length === 0) return null;
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(r) => `${r.month}|${r.kind}`}
      title={() => b('monthsRunBefore')}
      data-testid="benefit-months-run-before"
      dataSource={panel.monthsRunBefore}
      columns={[
        { title: b('month'), dataIndex: 'month' },
        { title: b('item'), dataIndex: 'kind', render: (c: string) => itemLabel(language, c) },
        {
          title: b('amount'),
          dataIndex: 'amountFen',
          align: 'right',
          render: (f: number) => fenToYuanText(f),
        },
      ]}
    />
  );
}

type Entitlement = BenefitPanel['entitlements'][number];

/**
 * The case's entitlements; with `correct` (the handler, fund:write) each active one gets a 更正
 * button (docs/benefits.md "Correcting an entitlement", correction-panel.tsx).
 */
export function EntitlementsTable(props: {
  panel: BenefitPanel;
  correct?: { label: string; onCorrect: (e: Entitlement) => void } | undefined;
}) {
  const { b, language } = useBenefitText();
  const { panel, correct } = props;
  if (panel.entitlements.length === 0) return null;
  const columns: TableColumnsType<Entitlement> = [
    { title: b('item'), dataIndex: 'kind', render: (c: string) => itemLabel(language, c) },
    {
      title: b('amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (f: number) => fenToYuanText(f),
    },
    {
      title: b('payer'),
      dataIndex: 'payer',
      render: (p: 'fund' | 'employer') => b(`payer.${p}`),
    },
    { title: b('startsOn'), dataIndex: 'startsOn' },
  ];
  if (correct !== undefined)
    columns.push({
      title: b('actions'),
      key: 'correct',
      render: (_: unknown, e: Entitlement) =>
        correctable(e) ? (
          <Button
            size="small"
            data-testid={`entitlement-correct-${e.kind}`}
            onClick={() => correct.onCorrect(e)}
          >
            {correct.label}
          </Button>
        ) : null,
    });
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="id"
      title={() => b('entitlements')}
      data-testid="benefit-entitlements"
      dataSource={panel.entitlements}
      columns={columns}
    />
  );
}
