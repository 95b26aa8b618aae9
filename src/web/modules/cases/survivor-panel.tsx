import { Alert, Card, Empty, List, Space, Table, Typography } from 'antd';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { benefitText, itemLabel } from '../benefits/benefit-messages.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { casesApi, type OwnSurvivorBenefits } from './cases-api.ts';
import { AdjustmentsTable, MonthlyPaymentsTable } from './own-outcome-panel.tsx';

type SurvivorCase = OwnSurvivorBenefits['cases'][number];
type Entitlement = SurvivorCase['entitlements'][number];

/**
 * The portal's survivor section (供养亲属, issue 12): for each case that records the reader as a
 * dependant, her own pensions, each month's payment to her and the letters that concern her —
 * through the survivor's self route, so nothing of a co-survivor reaches the page. Shown only when
 * some case records her: a worker who is nobody's survivor sees nothing of it.
 */
export function SurvivorPanel() {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  const load = useLoad(() => casesApi.mySurvivorBenefits(), []);
  if (load.status === 'failed')
    return <Alert type="error" showIcon title={describeError(load.error)} />;
  if (load.status !== 'ready' || load.data.cases.length === 0) return null;
  return (
    <Card title={b('survivor.title')} size="small" data-testid="survivor-benefits">
      <Space direction="vertical" style={{ width: '100%' }}>
        {load.data.cases.map((c) => (
          <SurvivorCaseView key={c.caseId} data={c} />
        ))}
      </Space>
    </Card>
  );
}

function SurvivorCaseView({ data }: { data: SurvivorCase }) {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1], vars = {}) => benefitText(language, key, vars);
  return (
    <div data-testid="survivor-case">
      <Typography.Title level={5}>
        {b('survivor.case', {
          worker: data.workerName,
          caseId: data.caseId,
          relation: b(`relation.${data.relation}`),
        })}
      </Typography.Title>
      {data.diedOn !== null && (
        <Typography.Paragraph>{b('survivor.diedOn', { date: data.diedOn })}</Typography.Paragraph>
      )}
      <Table<Entitlement>
        data-testid="survivor-entitlements"
        rowKey={(e) => `${e.kind}-${e.payer}-${e.startsOn}`}
        size="small"
        pagination={false}
        dataSource={data.entitlements}
        locale={{ emptyText: <Empty description={b('survivor.noEntitlements')} /> }}
        columns={[
          { title: b('item'), key: 'item', render: (_, e) => itemLabel(language, e.kind) },
          {
            title: b('amount'),
            key: 'amount',
            align: 'right',
            render: (_, e) => fenToYuanText(e.amountFen),
          },
          { title: b('payer'), key: 'payer', render: (_, e) => b(`payer.${e.payer}`) },
          { title: b('startsOn'), dataIndex: 'startsOn' },
          { title: b('endsOn'), key: 'endsOn', render: (_, e) => e.endsOn ?? '' },
          { title: b('status'), key: 'status', render: (_, e) => b(`entitlement.${e.status}`) },
        ]}
      />
      <MonthlyPaymentsTable data={data} testId="survivor-monthly-payments" />
      <AdjustmentsTable
        data={data}
        noticeUrl={(letterId) => casesApi.mySurvivorLetterUrl(data.caseId, letterId)}
        testId="survivor-adjustments"
      />
      <SurvivorLetters data={data} />
    </div>
  );
}

function SurvivorLetters({ data }: { data: SurvivorCase }) {
  const { language } = useI18n();
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  return (
    <>
      <Typography.Title level={5}>{b('survivor.letters')}</Typography.Title>
      {data.letters.length === 0 ? (
        <Empty description={b('survivor.noLetters')} />
      ) : (
        <List
          size="small"
          data-testid="survivor-letters"
          dataSource={data.letters}
          renderItem={(l) => (
            <List.Item>
              <span>{`${l.documentNumber} ${l.title} ${l.issuedOn}`}</span>
              <a
                href={casesApi.mySurvivorLetterUrl(data.caseId, l.id)}
                data-testid="survivor-letter-download"
              >
                {b('survivor.download')}
              </a>
            </List.Item>
          )}
        />
      )}
    </>
  );
}
