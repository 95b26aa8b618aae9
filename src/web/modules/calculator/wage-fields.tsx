import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Collapse, Form, type FormInstance, Input, InputNumber, Space } from 'antd';
import { useState } from 'react';
import { fenToYuanInput, yuanToFen } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  type ByYearOverrideKey,
  byYearOverrideKeys,
  type CalculatorFormValues,
  overrideKeys,
} from './calculator-input.ts';

type Translate = ReturnType<typeof useI18n>['t'];

/** A yuan amount the form accepts (blank too when optional); the server checks the rest. */
function yuanRule(t: Translate, optional: boolean) {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (optional && (value === undefined || value.trim() === '')) return;
      if (yuanToFen(value ?? '') === null) throw new Error(t('calc.invalidYuan'));
    },
  };
}

type WageFieldsProps = {
  form: FormInstance<CalculatorFormValues>;
  kind: string;
  wageErrors: string[];
};

/**
 * The monthly wages (with a quick fill of N equal months), the wage before death of a death case,
 * and the advanced overrides: one value for every date, or one per year.
 */
export function WageFields({ form, kind, wageErrors }: WageFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item label={t('calc.wages')} extra={t('calc.wagesHelp')} required>
        <QuickFill form={form} />
        <WageList wageErrors={wageErrors} />
      </Form.Item>
      {kind === 'death' && (
        <Form.Item
          label={t('calc.preDeathWage')}
          extra={t('calc.preDeathWageHelp')}
          name="preDeathWage"
          rules={[yuanRule(t, true)]}
        >
          <Input
            inputMode="decimal"
            suffix={t('calc.yuanUnit')}
            data-testid="calc-pre-death-wage"
          />
        </Form.Item>
      )}
      <Collapse
        size="small"
        items={[
          {
            key: 'overrides',
            label: t('calc.advanced'),
            forceRender: true,
            children: (
              <>
                {overrideKeys.map((key) => (
                  <Form.Item
                    key={key}
                    label={t(`calc.override.${key}`)}
                    name={['overrides', key]}
                    rules={[yuanRule(t, true)]}
                  >
                    <Input inputMode="decimal" suffix={t('calc.yuanUnit')} />
                  </Form.Item>
                ))}
                <div className="ant-form-item-extra">{t('calc.byYearHelp')}</div>
                {byYearOverrideKeys.map((key) => (
                  <YearAmountList key={key} overrideKey={key} />
                ))}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

type YearAmountListProps = { overrideKey: ByYearOverrideKey };

/** One by-year override: rows of (year in force, amount in yuan). */
function YearAmountList({ overrideKey }: YearAmountListProps) {
  const { t } = useI18n();
  return (
    <Form.Item label={t(`calc.overrideByYear.${overrideKey}`)}>
      <Form.List name={['overridesByYear', overrideKey]}>
        {(fields, { add, remove }) => (
          <div data-testid={`calc-by-year-${overrideKey}`}>
            {fields.map((field) => (
              <Space key={field.key} align="baseline" wrap>
                <Form.Item name={[field.name, 'year']}>
                  <Input
                    aria-label={t('calc.byYearYear')}
                    placeholder={t('calc.byYearYear')}
                    inputMode="numeric"
                    maxLength={4}
                    style={{ width: 90 }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'amount']} rules={[yuanRule(t, false)]}>
                  <Input
                    aria-label={t('calc.byYearAmount')}
                    placeholder={t('calc.byYearAmount')}
                    inputMode="decimal"
                    suffix={t('calc.yuanUnit')}
                    style={{ width: 180 }}
                  />
                </Form.Item>
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('calc.removeYear')}
                  onClick={() => remove(field.name)}
                />
              </Space>
            ))}
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ year: '', amount: '' })}
            >
              {t('calc.addYear')}
            </Button>
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}

type QuickFillProps = { form: FormInstance<CalculatorFormValues> };

function QuickFill({ form }: QuickFillProps) {
  const { t } = useI18n();
  const [quickAmount, setQuickAmount] = useState('');
  const [quickMonths, setQuickMonths] = useState<number>(12);
  const [quickError, setQuickError] = useState(false);

  const applyQuickFill = () => {
    const fen = yuanToFen(quickAmount);
    if (fen === null || quickMonths < 1 || quickMonths > 12) {
      setQuickError(true);
      return;
    }
    setQuickError(false);
    form.setFieldValue(
      'wages',
      Array.from({ length: quickMonths }, () => fenToYuanInput(fen)),
    );
    void form.validateFields([['wages']], { recursive: true }).catch(() => undefined);
  };

  return (
    <Card size="small" className="quick-fill" title={t('calc.quickFill')}>
      <Space wrap align="start">
        <Input
          aria-label={t('calc.quickAmount')}
          placeholder={t('calc.quickAmount')}
          value={quickAmount}
          onChange={(e) => setQuickAmount(e.target.value)}
          inputMode="decimal"
          status={quickError ? 'error' : ''}
          suffix={t('calc.yuanUnit')}
          style={{ width: 180 }}
          data-testid="calc-quick-amount"
        />
        <InputNumber
          aria-label={t('calc.quickMonths')}
          min={1}
          max={12}
          value={quickMonths}
          onChange={(value) => setQuickMonths(value ?? 1)}
          suffix={t('calc.quickMonths')}
          style={{ width: 130 }}
          data-testid="calc-quick-months"
        />
        <Button onClick={applyQuickFill} data-testid="calc-quick-apply">
          {t('calc.quickApply')}
        </Button>
      </Space>
      {quickError && <div className="ant-form-item-explain-error">{t('calc.invalidYuan')}</div>}
    </Card>
  );
}

type WageListProps = { wageErrors: string[] };

function WageList({ wageErrors }: WageListProps) {
  const { t } = useI18n();
  return (
    <Form.List name="wages">
      {(fields, { add, remove }) => (
        <div className="wage-list" data-testid="calc-wages">
          <div className="wage-grid">
            {fields.map((field, index) => (
              <div key={field.key} className="wage-cell">
                <Form.Item
                  name={field.name}
                  rules={[yuanRule(t, false)]}
                  label={t('calc.wageMonth', { n: index + 1 })}
                  className="wage-item"
                >
                  <Input
                    inputMode="decimal"
                    suffix={t('calc.yuanUnit')}
                    data-testid={`calc-wage-${index}`}
                  />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    size="small"
                    className="wage-remove"
                    icon={<DeleteOutlined />}
                    aria-label={t('calc.removeMonth')}
                    onClick={() => remove(field.name)}
                  />
                )}
              </div>
            ))}
          </div>
          {fields.length < 12 && (
            <Button icon={<PlusOutlined />} onClick={() => add('')}>
              {t('calc.addMonth')}
            </Button>
          )}
          <Form.ErrorList errors={wageErrors} />
        </div>
      )}
    </Form.List>
  );
}
