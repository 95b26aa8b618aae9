import { Alert, Empty, Space, Table, Tag, Typography } from 'antd';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { benefitText, itemLabel } from '../benefits/benefit-messages.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { appraisalText } from './appraisal-messages.ts';
import { casesApi, type OwnAppraisals, type OwnBenefit } from './cases-api.ts';

/**
 * The portal's own case: what came of it — the appraisal conclusions (劳动能力鉴定: grade, nursing
 * level, the day concluded) and, once approved, the benefit decision's items and amounts and the
 * payments — through the self routes, so a worker reads only its own case.
 */
export function OwnOutcomePanel({ caseId }: { caseId: string }) {
  const appraisals = useLoad(() => casesApi.myAppraisals(caseId), [caseId]);
  const benefit = useLoad(() => casesApi.myBenefit(caseId), [caseId]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="own-outcome">
      {appraisals.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(appraisals.error)} />
      )}
      {appraisals.status === 'ready' && <OwnAppraisalsTable data={appraisals.data} />}
      {benefit.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(benefit.error)} />
      )}
      {benefit.status === 'ready' && <OwnBenefitTables data={benefit.data} />}
    </Space>
  );
}

type Appraisal = OwnAppraisals['appraisals'][number];

function OwnAppraisalsTable({ data }: { data: OwnAppraisals }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const grade = (a: Appraisal) =>
    a.conclusion === null ? '' : a.disabilityGrade === null ? tr('notGraded') : a.disabilityGrade;
  return (
    <div>
      <Typography.Title level={5}>{tr('panel')}</Typography.Title>
      <Table<Appraisal>
        data-testid="own-appraisals"
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data.appraisals}
        locale={{ emptyText: <Empty description={tr('noAppraisal')} /> }}
        columns={[
          {
            title: tr('kind'),
            key: 'kind',
            render: (_, a) => (
              <Space>
                {tr(a.kind)}
                {data.current?.appraisalId === a.id && <Tag color="blue">{tr('current')}</Tag>}
              </Space>
            ),
          },
          { title: tr('applied'), dataIndex: 'appliedOn' },
          {
            title: tr('status'),
            key: 'status',
            render: (_, a) => tr(a.status === 'concluded' ? 'concluded_status' : a.status),
          },
          { title: tr('concludedOn'), key: 'concludedOn', render: (_, a) => a.concludedOn ?? '' },
          { title: tr('grade'), key: 'grade', render: (_, a) => grade(a) },
          {
            title: tr('nursing'),
            key: 'nursing',
            render: (_, a) =>
              a.conclusion === null ? '' : a.nursingLevel ? tr(a.nursingLevel) : tr('none'),
          },
          {
            title: tr('extension'),
            key: 'extension',
            render: (_, a) => a.stopWorkExtensionMonths ?? '',
          },
        ]}
      />
    </div>
  );
}

type Item = NonNullable<OwnBenefit['decision']>['items'][number];
type Payment = OwnBenefit['payments'][number];

function OwnBenefitTables({ data }: { data: OwnBenefit }) {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  const yuan = (fen: number) => fenToYuanText(fen);
  if (data.decision === null)
    return (
      <div data-testid="own-benefit">
        <Typography.Title level={5}>{b('title')}</Typography.Title>
        <Empty description={b('none')} />
      </div>
    );
  return (
    <div data-testid="own-benefit">
      <Typography.Title level={5}>
        {b('title')} {data.decision.approvedOn ?? ''}
      </Typography.Title>
      <Table<Item>
        data-testid="own-benefit-items"
        rowKey={(i) => `${i.code}-${i.payer}-${i.amountFen}`}
        size="small"
        pagination={false}
        dataSource={data.decision.items}
        columns={[
          { title: b('item'), key: 'item', render: (_, i) => itemLabel(language, i.code) },
          {
            title: b('amount'),
            key: 'amount',
            align: 'right',
            render: (_, i) => yuan(i.amountFen),
          },
          { title: b('frequency'), key: 'freq', render: (_, i) => b(`frequency.${i.frequency}`) },
          { title: b('payer'), key: 'payer', render: (_, i) => b(`payer.${i.payer}`) },
        ]}
      />
      <Typography.Title level={5}>{b('payments')}</Typography.Title>
      <Table<Payment>
        data-testid="own-benefit-payments"
        rowKey={(p) => `${p.itemCode}-${p.status}-${p.paidOn ?? ''}`}
        size="small"
        pagination={false}
        dataSource={data.payments}
        columns={[
          { title: b('item'), key: 'item', render: (_, p) => itemLabel(language, p.itemCode) },
          {
            title: b('amount'),
            key: 'amount',
            align: 'right',
            render: (_, p) => yuan(p.amountFen),
          },
          { title: b('status'), key: 'status', render: (_, p) => b(`payment.${p.status}`) },
          { title: b('paidOn'), key: 'paidOn', render: (_, p) => p.paidOn ?? '' },
        ]}
      />
      <MonthlyPaymentsTable data={data} />
      <AdjustmentsTable
        data={data}
        noticeUrl={(letterId) => casesApi.myLetterUrl(data.caseId, letterId)}
      />
    </div>
  );
}

type Adjustment = OwnBenefit['adjustments'][number];

/**
 * The indexation (待遇调整) of the reader's items: year, item, from when, before and after, and the
 * batch's notice (a link when `noticeUrl` is given; a survivor finds it among her letters too).
 */
export function AdjustmentsTable({
  data,
  noticeUrl,
  testId = 'own-adjustments',
}: {
  data: { adjustments: Adjustment[] };
  noticeUrl: (letterId: string) => string;
  testId?: string;
}) {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  if (data.adjustments.length === 0) return null;
  return (
    <>
      <Typography.Title level={5}>{b('adjustments')}</Typography.Title>
      <Table<Adjustment>
        data-testid={testId}
        rowKey={(a) => `${a.year}-${a.kind}-${a.effectiveOn}-${a.beforeFen}`}
        size="small"
        pagination={false}
        dataSource={data.adjustments}
        columns={[
          { title: b('adjustment.year'), key: 'year', render: (_, a) => a.year },
          { title: b('item'), key: 'item', render: (_, a) => itemLabel(language, a.kind) },
          { title: b('adjustment.effectiveOn'), key: 'from', render: (_, a) => a.effectiveOn },
          {
            title: b('adjustment.before'),
            key: 'before',
            align: 'right',
            render: (_, a) => fenToYuanText(a.beforeFen),
          },
          {
            title: b('adjustment.after'),
            key: 'after',
            align: 'right',
            render: (_, a) => fenToYuanText(a.afterFen),
          },
          {
            title: b('adjustment.notice'),
            key: 'notice',
            render: (_, a) =>
              a.notice === null ? (
                ''
              ) : (
                <a href={noticeUrl(a.notice.letterId)} target="_blank" rel="noreferrer">
                  {a.notice.documentNumber}
                </a>
              ),
          },
        ]}
      />
    </>
  );
}

type MonthlyPayment = OwnBenefit['monthlyPayments'][number];

/**
 * The monthly payroll's payments to the reader (the worker, or a survivor: survivor-panel.tsx):
 * month, item, amount, paid or failed and why.
 */
export function MonthlyPaymentsTable({
  data,
  testId = 'own-monthly-payments',
}: {
  data: { monthlyPayments: MonthlyPayment[] };
  testId?: string;
}) {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  if (data.monthlyPayments.length === 0) return null;
  return (
    <>
      <Typography.Title level={5}>{b('monthlyPayments')}</Typography.Title>
      <Table<MonthlyPayment>
        data-testid={testId}
        rowKey={(p) => `${p.month}-${p.kind}-${p.reissue ? 'r' : 'm'}`}
        size="small"
        pagination={false}
        dataSource={data.monthlyPayments}
        columns={[
          { title: b('month'), key: 'month', render: (_, p) => p.month },
          {
            title: b('item'),
            key: 'item',
            render: (_, p) =>
              `${itemLabel(language, p.kind)}${p.reissue ? b('monthly.reissue') : ''}`,
          },
          {
            title: b('amount'),
            key: 'amount',
            align: 'right',
            render: (_, p) => fenToYuanText(p.amountFen),
          },
          { title: b('status'), key: 'status', render: (_, p) => b(`payment.${p.status}`) },
          { title: b('paidOn'), key: 'paidOn', render: (_, p) => p.paidOn ?? '' },
          { title: b('reason'), key: 'reason', render: (_, p) => p.failureReason ?? '' },
        ]}
      />
    </>
  );
}
