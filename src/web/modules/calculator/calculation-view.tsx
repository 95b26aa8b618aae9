import { Alert, Card, Collapse, Descriptions, Space, Tag, Typography } from 'antd';
import { fenToYuanText } from '../../format/money.ts';
import { isMessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  baseWageTrace,
  type Calculation,
  type CalculationItem,
  explanationFor,
  type TraceDetails,
  totalFen,
  traceDetailsFor,
  traceWarnings,
} from './calculation-result.ts';

type Translate = ReturnType<typeof useI18n>['t'];
type Language = 'zh' | 'en';

function itemLabel(item: CalculationItem, t: Translate): string {
  const key = `calc.item.${item.code}`;
  const name = isMessageKey(key) ? t(key) : item.code;
  return item.dependantIndex === undefined
    ? name
    : name + t('calc.dependantIndex', { n: item.dependantIndex + 1 });
}

type CalculationViewProps = { calculation: Calculation; language: Language };

/** The server's answer: warnings, base wage and totals, one card per item, the raw trace. */
export function CalculationView({ calculation, language }: CalculationViewProps) {
  const { t } = useI18n();
  const yuan = (fen: number) => t('calc.yuan', { amount: fenToYuanText(fen) });
  const baseWage = baseWageTrace(calculation.trace, language);
  return (
    <Card title={t('calc.result')} className="calc-result" data-testid="calc-result">
      <CalculationWarnings warnings={traceWarnings(calculation.trace)} />
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('calc.baseWage')}>
          <span data-testid="calc-base-wage">{yuan(calculation.baseWageFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.snapshot')}>
          <Typography.Text code className="hash">
            {calculation.snapshotId}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.totalOnce')}>
          {yuan(totalFen(calculation, 'once'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.totalMonthly')}>
          {yuan(totalFen(calculation, 'monthly'))}
        </Descriptions.Item>
      </Descriptions>
      {baseWage?.explanation != null && (
        <div className="calc-item-explanation" data-testid="calc-base-wage-explanation">
          {baseWage.explanation}
        </div>
      )}
      {calculation.items.length === 0 && <Alert type="info" title={t('calc.noItems')} />}
      <div className="calc-items">
        {calculation.items.map((item, index) => (
          <CalculationItemCard
            key={`${item.code}-${item.dependantIndex ?? ''}-${item.fromMonth ?? ''}`}
            calculation={calculation}
            item={item}
            index={index}
            language={language}
          />
        ))}
      </div>
      <Collapse
        size="small"
        className="calc-trace"
        items={[
          {
            key: 'trace',
            label: t('calc.traceDetails'),
            children: <pre className="trace">{JSON.stringify(calculation.trace, null, 2)}</pre>,
          },
        ]}
      />
    </Card>
  );
}

type CalculationWarningsProps = { warnings: string[] };

function CalculationWarnings({ warnings }: CalculationWarningsProps) {
  const { t } = useI18n();
  if (warnings.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="calc-warnings"
      data-testid="calc-warnings"
      title={t('calc.warnings')}
      description={
        <ul>
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      }
    />
  );
}

type CalculationItemCardProps = {
  calculation: Calculation;
  item: CalculationItem;
  index: number;
  language: Language;
};

function CalculationItemCard({ calculation, item, index, language }: CalculationItemCardProps) {
  const { t } = useI18n();
  const explanation = explanationFor(calculation.trace, item, index, language);
  const frequencyKey = `calc.frequency.${item.frequency}`;
  const payerKey = `calc.payer.${item.payer}`;
  return (
    <Card size="small" className="calc-item" data-testid={`calc-item-${item.code}`}>
      <div className="calc-item-head">
        <span className="calc-item-name">{itemLabel(item, t)}</span>
        <span className="calc-item-amount" data-testid="calc-item-amount">
          {t('calc.yuan', { amount: fenToYuanText(item.amountFen) })}
        </span>
      </div>
      <Space wrap size={4}>
        <Tag color={item.frequency === 'monthly' ? 'blue' : 'default'}>
          {isMessageKey(frequencyKey) ? t(frequencyKey) : item.frequency}
        </Tag>
        <Tag color={item.payer === 'fund' ? 'green' : 'purple'}>
          {isMessageKey(payerKey) ? t(payerKey) : item.payer}
        </Tag>
        <ItemLiability item={item} />
        <span className="calc-item-citation" data-testid="calc-item-citation">
          {t('calc.citationPrefix')}
          {item.citation}
        </span>
      </Space>
      {explanation !== null && (
        <div className="calc-item-explanation" data-testid="calc-item-explanation">
          {explanation}
        </div>
      )}
      <TraceDetailsView details={traceDetailsFor(calculation.trace, item, index)} />
    </Card>
  );
}

type ItemLiabilityProps = { item: CalculationItem };

/** The months a part of a split item covers, the fund's advance and why the payer is who it is. */
function ItemLiability({ item }: ItemLiabilityProps) {
  const { t } = useI18n();
  const from = item.fromMonth;
  return (
    <>
      {from !== undefined && (
        <Tag data-testid="calc-item-months">
          {item.untilMonth === undefined
            ? t('calc.monthFrom', { from })
            : t('calc.monthRange', { from, until: item.untilMonth })}
        </Tag>
      )}
      {item.fundMayAdvance === true && (
        <Tag color="gold" data-testid="calc-item-advance">
          {t('calc.fundMayAdvance')}
        </Tag>
      )}
      {item.payerBasis !== undefined && (
        <span className="calc-item-citation" data-testid="calc-item-payer-basis">
          {t('calc.payerBasisPrefix')}
          {item.payerBasis}
        </span>
      )}
    </>
  );
}

type TraceDetailsViewProps = { details: TraceDetails | null };

function TraceDetailsView({ details }: TraceDetailsViewProps) {
  const { t } = useI18n();
  if (details === null) return null;
  if (details.parameters.length === 0 && details.rounding === null && details.notes.length === 0)
    return null;
  const label = (prefix: 'calc.status.' | 'calc.rounding.', code: string) => {
    const key = `${prefix}${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
  return (
    <details className="calc-details">
      <summary>{t('calc.details')}</summary>
      <ul>
        {details.parameters.map((p) => (
          <li key={`${p.path}-${p.from}`}>
            <code>{p.path}</code> = {p.value}
            {t('calc.paramMeta', {
              range:
                p.until === null
                  ? t('calc.paramFrom', { from: p.from })
                  : t('calc.paramRange', { from: p.from, until: p.until }),
              status: label('calc.status.', p.status),
            })}
            {p.citation}
          </li>
        ))}
        {details.rounding !== null && (
          <li>
            {t('calc.rounding', {
              rule: label('calc.rounding.', details.rounding.rule),
              exact: details.rounding.exact,
            })}
          </li>
        )}
        {details.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </details>
  );
}
