import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Collapse,
  DatePicker,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, api, describeError } from '../../api/client.ts';
import {
  baseWageTrace,
  type Calculation,
  type CalculationItem,
  explanationFor,
  parseCalculation,
  type TraceDetails,
  traceDetailsFor,
  traceWarnings,
} from './calculation-result.ts';
import {
  buildCalculationInput,
  type CalculatorFormValues,
  deathCircumstances,
  type FormFieldName,
  formTargetForPath,
  nursingLevels,
  overrideKeys,
  regionCodes,
  relations,
} from './calculator-input.ts';
import { fenToYuanInput, fenToYuanText, yuanToFen } from '../../format/money.ts';
import { isMessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const isoDate = 'YYYY-MM-DD';

/** DatePicker ↔ "YYYY-MM-DD" string in the form store (the contract's date format). */
const dateField = {
  getValueProps: (value: string | null | undefined) => ({
    value: typeof value === 'string' && value !== '' ? dayjs(value, isoDate) : null,
  }),
  normalize: (value: Dayjs | null) => (value === null ? null : value.format(isoDate)),
};

const initialValues: CalculatorFormValues = {
  region: '330000',
  kind: 'disability',
  wages: [''],
  nursingLevel: 'none',
  employerArrangedWork: false,
  separationEnabled: false,
  deathCircumstance: 'injury',
  dependants: [],
};

type ServerProblems = {
  wages: string[];
  dependants: string[];
  general: string[];
  fieldNames: FormFieldName[];
};

const noProblems: ServerProblems = { wages: [], dependants: [], general: [], fieldNames: [] };

export function CalculatorPage() {
  const { t, language } = useI18n();
  const [form] = Form.useForm<CalculatorFormValues>();
  // Errors are set by path, which the typed instance cannot express for list items.
  const untypedForm: FormInstance = form;
  const kind = Form.useWatch('kind', form) ?? 'disability';
  const separationEnabled = Form.useWatch('separationEnabled', form) === true;
  const [quickAmount, setQuickAmount] = useState('');
  const [quickMonths, setQuickMonths] = useState<number>(12);
  const [quickError, setQuickError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ServerProblems>(noProblems);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<Calculation | null>(null);

  const yuanRule = (optional: boolean) => ({
    validator: async (_: unknown, value: string | undefined) => {
      if (optional && (value === undefined || value.trim() === '')) return;
      if (yuanToFen(value ?? '') === null) throw new Error(t('calc.invalidYuan'));
    },
  });

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

  const clearServerProblems = () => {
    untypedForm.setFields(problems.fieldNames.map((name) => ({ name, errors: [] })));
    setProblems(noProblems);
  };

  const showProblems = (errors: { path: string; message: string }[]) => {
    const next: ServerProblems = { wages: [], dependants: [], general: [], fieldNames: [] };
    const byField = new Map<string, { name: FormFieldName; messages: string[] }>();
    for (const error of errors) {
      const target = formTargetForPath(error.path);
      const visible = target.kind !== 'field' || isVisible(target.name[0], kind, separationEnabled);
      if (target.kind === 'field' && visible) {
        const key = target.name.join('.');
        const entry = byField.get(key) ?? { name: target.name, messages: [] };
        entry.messages.push(error.message);
        byField.set(key, entry);
      } else if (target.kind === 'list') {
        next[target.list].push(error.message);
      } else {
        next.general.push(`${error.path}: ${error.message}`);
      }
    }
    untypedForm.setFields(
      [...byField.values()].map(({ name, messages }) => ({ name, errors: messages })),
    );
    next.fieldNames = [...byField.values()].map(({ name }) => name);
    setProblems(next);
  };

  const onFinish = async (values: CalculatorFormValues) => {
    clearServerProblems();
    setFailure(null);
    const built = buildCalculationInput(values);
    if (!built.ok) {
      untypedForm.setFields(
        built.invalidYuan.map((name) => ({ name, errors: [t('calc.invalidYuan')] })),
      );
      return;
    }
    setBusy(true);
    try {
      const parsed = parseCalculation(await api.calculate(built.input));
      if (parsed === null) throw new Error('unexpected answer');
      setResult(parsed);
    } catch (error) {
      setResult(null);
      const fieldErrors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
      if (fieldErrors.length > 0) showProblems(fieldErrors);
      else setFailure(t('calc.failed', { detail: describeError(error) }));
    } finally {
      setBusy(false);
    }
  };

  const onReset = () => {
    form.resetFields();
    setProblems(noProblems);
    setFailure(null);
    setResult(null);
  };

  return (
    <div className="page">
      <Typography.Title level={2}>{t('calc.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calc.intro')}</Typography.Paragraph>
      <Card>
        <Form<CalculatorFormValues>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={onFinish}
          requiredMark={false}
          data-testid="calc-form"
          scrollToFirstError
        >
          <Row gutter={24}>
            <Col xs={24} lg={12}>
              <Form.Item label={t('calc.region')} name="region">
                <Radio.Group optionType="button" data-testid="calc-region">
                  {regionCodes.map((code) => (
                    <Radio.Button key={code} value={code}>
                      {t(`calc.region.${code}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item label={t('calc.kind')} name="kind">
                <Radio.Group optionType="button" data-testid="calc-kind">
                  <Radio.Button value="disability">{t('calc.kind.disability')}</Radio.Button>
                  <Radio.Button value="death">{t('calc.kind.death')}</Radio.Button>
                </Radio.Group>
              </Form.Item>
              <Space wrap size="large">
                <Form.Item label={t('calc.injuryDate')} name="injuryDate" {...dateField}>
                  <DatePicker format={isoDate} data-testid="calc-injury-date" />
                </Form.Item>
                {kind === 'disability' ? (
                  <Form.Item label={t('calc.decisionDate')} name="decisionDate" {...dateField}>
                    <DatePicker format={isoDate} data-testid="calc-decision-date" />
                  </Form.Item>
                ) : (
                  <Form.Item label={t('calc.deathDate')} name="deathDate" {...dateField}>
                    <DatePicker format={isoDate} data-testid="calc-death-date" />
                  </Form.Item>
                )}
              </Space>
              <Form.Item label={t('calc.grade')} name="disabilityGrade">
                <Radio.Group optionType="button" data-testid="calc-grade">
                  {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                    <Radio.Button key={n} value={n}>
                      {t('calc.gradeOption', { n })}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              {kind === 'disability' ? (
                <>
                  <Form.Item label={t('calc.nursing')} name="nursingLevel">
                    <Select
                      data-testid="calc-nursing"
                      options={nursingLevels.map((level) => ({
                        value: level,
                        label: t(`calc.nursing.${level}`),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name="employerArrangedWork" valuePropName="checked">
                    <Checkbox data-testid="calc-employer-work">
                      {t('calc.employerArrangedWork')}
                    </Checkbox>
                  </Form.Item>
                  <Form.Item
                    label={t('calc.separation')}
                    name="separationEnabled"
                    valuePropName="checked"
                  >
                    <Switch data-testid="calc-separation" />
                  </Form.Item>
                  {separationEnabled && (
                    <Space wrap size="large">
                      <Form.Item
                        label={t('calc.separationDate')}
                        name="separationDate"
                        {...dateField}
                      >
                        <DatePicker format={isoDate} data-testid="calc-separation-date" />
                      </Form.Item>
                      <Form.Item label={t('calc.yearsToRetirement')} name="yearsToRetirement">
                        <InputNumber min={0} max={50} data-testid="calc-years-to-retirement" />
                      </Form.Item>
                    </Space>
                  )}
                </>
              ) : (
                <DeathFields dependantErrors={problems.dependants} />
              )}
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item label={t('calc.wages')} extra={t('calc.wagesHelp')} required>
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
                  {quickError && (
                    <div className="ant-form-item-explain-error">{t('calc.invalidYuan')}</div>
                  )}
                </Card>
                <Form.List name="wages">
                  {(fields, { add, remove }) => (
                    <div className="wage-list" data-testid="calc-wages">
                      <div className="wage-grid">
                        {fields.map((field, index) => (
                          <div key={field.key} className="wage-cell">
                            <Form.Item
                              name={field.name}
                              rules={[yuanRule(false)]}
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
                      <Form.ErrorList errors={problems.wages} />
                    </div>
                  )}
                </Form.List>
              </Form.Item>
              <Collapse
                size="small"
                items={[
                  {
                    key: 'overrides',
                    label: t('calc.advanced'),
                    forceRender: true,
                    children: overrideKeys.map((key) => (
                      <Form.Item
                        key={key}
                        label={t(`calc.override.${key}`)}
                        name={['overrides', key]}
                        rules={[yuanRule(true)]}
                      >
                        <Input inputMode="decimal" suffix={t('calc.yuanUnit')} />
                      </Form.Item>
                    )),
                  },
                ]}
              />
            </Col>
          </Row>
          {problems.general.length > 0 && (
            <Alert
              type="error"
              showIcon
              className="calc-problems"
              data-testid="calc-general-errors"
              title={t('calc.otherProblems')}
              description={
                <ul>
                  {problems.general.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              }
            />
          )}
          {problems.fieldNames.length + problems.wages.length + problems.dependants.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="calc-problems"
              title={t('calc.problemTitle')}
            />
          )}
          {failure !== null && (
            <Alert type="error" showIcon className="calc-problems" title={failure} />
          )}
          <Space className="calc-actions">
            <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit">
              {t('calc.submit')}
            </Button>
            <Button onClick={onReset}>{t('calc.reset')}</Button>
          </Space>
        </Form>
      </Card>
      {result !== null && <CalculationView calculation={result} language={language} />}
    </div>
  );
}

function isVisible(field: string | number | undefined, kind: string, separation: boolean): boolean {
  if (field === 'decisionDate' || field === 'nursingLevel' || field === 'employerArrangedWork')
    return kind === 'disability';
  if (field === 'separationEnabled') return kind === 'disability';
  if (field === 'separationDate' || field === 'yearsToRetirement')
    return kind === 'disability' && separation;
  if (field === 'deathDate' || field === 'deathCircumstance' || field === 'dependants')
    return kind === 'death';
  return true;
}

function DeathFields({ dependantErrors }: { dependantErrors: string[] }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item label={t('calc.deathCircumstance')} name="deathCircumstance">
        <Radio.Group data-testid="calc-death-circumstance">
          <Space orientation="vertical">
            {deathCircumstances.map((c) => (
              <Radio key={c} value={c}>
                {t(`calc.death.${c}`)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item label={t('calc.dependants')}>
        <Form.List name="dependants">
          {(fields, { add, remove }) => (
            <div data-testid="calc-dependants">
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item
                    name={[field.name, 'relation']}
                    label={t('calc.dependantN', { n: index + 1 })}
                  >
                    <Select
                      style={{ width: 200 }}
                      placeholder={t('calc.dependantRelation')}
                      options={relations.map((r) => ({ value: r, label: t(`calc.relation.${r}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'orphanOrSoleElder']} valuePropName="checked">
                    <Checkbox>{t('calc.orphanOrSoleElder')}</Checkbox>
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('calc.removeDependant')}
                    onClick={() => remove(field.name)}
                  />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ relation: 'spouse', orphanOrSoleElder: false })}
              >
                {t('calc.addDependant')}
              </Button>
              <Form.ErrorList errors={dependantErrors} />
            </div>
          )}
        </Form.List>
      </Form.Item>
    </>
  );
}

function itemLabel(item: CalculationItem, t: ReturnType<typeof useI18n>['t']): string {
  const key = `calc.item.${item.code}`;
  const name = isMessageKey(key) ? t(key) : item.code;
  return item.dependantIndex === undefined
    ? name
    : name + t('calc.dependantIndex', { n: item.dependantIndex + 1 });
}

function CalculationView({
  calculation,
  language,
}: {
  calculation: Calculation;
  language: 'zh' | 'en';
}) {
  const { t } = useI18n();
  const yuan = (fen: number) => t('calc.yuan', { amount: fenToYuanText(fen) });
  const once = calculation.items
    .filter((item) => item.frequency === 'once')
    .reduce((sum, item) => sum + item.amountFen, 0);
  const monthly = calculation.items
    .filter((item) => item.frequency === 'monthly')
    .reduce((sum, item) => sum + item.amountFen, 0);
  const warnings = traceWarnings(calculation.trace);
  const baseWage = baseWageTrace(calculation.trace, language);
  return (
    <Card title={t('calc.result')} className="calc-result" data-testid="calc-result">
      {warnings.length > 0 && (
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
      )}
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('calc.baseWage')}>
          <span data-testid="calc-base-wage">{yuan(calculation.baseWageFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.snapshot')}>
          <Typography.Text code className="hash">
            {calculation.snapshotId}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.totalOnce')}>{yuan(once)}</Descriptions.Item>
        <Descriptions.Item label={t('calc.totalMonthly')}>{yuan(monthly)}</Descriptions.Item>
      </Descriptions>
      {baseWage?.explanation != null && (
        <div className="calc-item-explanation" data-testid="calc-base-wage-explanation">
          {baseWage.explanation}
        </div>
      )}
      {calculation.items.length === 0 && <Alert type="info" title={t('calc.noItems')} />}
      <div className="calc-items">
        {calculation.items.map((item, index) => {
          const explanation = explanationFor(calculation.trace, item, index, language);
          const frequencyKey = `calc.frequency.${item.frequency}`;
          const payerKey = `calc.payer.${item.payer}`;
          return (
            <Card
              size="small"
              key={`${item.code}-${item.dependantIndex ?? ''}`}
              className="calc-item"
              data-testid={`calc-item-${item.code}`}
            >
              <div className="calc-item-head">
                <span className="calc-item-name">{itemLabel(item, t)}</span>
                <span className="calc-item-amount" data-testid="calc-item-amount">
                  {yuan(item.amountFen)}
                </span>
              </div>
              <Space wrap size={4}>
                <Tag color={item.frequency === 'monthly' ? 'blue' : 'default'}>
                  {isMessageKey(frequencyKey) ? t(frequencyKey) : item.frequency}
                </Tag>
                <Tag color={item.payer === 'fund' ? 'green' : 'purple'}>
                  {isMessageKey(payerKey) ? t(payerKey) : item.payer}
                </Tag>
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
              <TraceDetailsView details={traceDetailsFor(calculation.trace, item)} />
            </Card>
          );
        })}
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

function TraceDetailsView({ details }: { details: TraceDetails | null }) {
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
