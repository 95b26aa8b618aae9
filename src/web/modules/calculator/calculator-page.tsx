import { Alert, Button, Card, Col, Form, Row, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { CalculationView } from './calculation-view.tsx';
import type { CalculatorFormValues } from './calculator-input.ts';
import { CaseFields } from './case-fields.tsx';
import { type ServerProblems, useCalculator } from './use-calculator.ts';
import { WageFields } from './wage-fields.tsx';

const initialValues: CalculatorFormValues = {
  region: '330000',
  kind: 'disability',
  wages: [''],
  nursingLevel: 'none',
  employerArrangedWork: false,
  separationEnabled: false,
  retirementBasis: 'years',
  occupationalDisease: false,
  deathCircumstance: 'injury',
  dependants: [],
  employerInsured: true,
};

export function CalculatorPage() {
  const { t, language } = useI18n();
  const [form] = Form.useForm<CalculatorFormValues>();
  const kind = Form.useWatch('kind', form) ?? 'disability';
  const separationEnabled = Form.useWatch('separationEnabled', form) === true;
  const { problems, busy, failure, result, onFinish, onReset } = useCalculator(form);
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
              <CaseFields
                kind={kind}
                separationEnabled={separationEnabled}
                dependantErrors={problems.dependants}
              />
            </Col>
            <Col xs={24} lg={12}>
              <WageFields form={form} kind={kind} wageErrors={problems.wages} />
            </Col>
          </Row>
          <FormProblems problems={problems} failure={failure} />
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

type FormProblemsProps = { problems: ServerProblems; failure: string | null };

/** What the server refused that no field shows, a hint that fields show some, or a failure. */
function FormProblems({ problems, failure }: FormProblemsProps) {
  const { t } = useI18n();
  return (
    <>
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
        <Alert type="warning" showIcon className="calc-problems" title={t('calc.problemTitle')} />
      )}
      {failure !== null && (
        <Alert type="error" showIcon className="calc-problems" title={failure} />
      )}
    </>
  );
}
