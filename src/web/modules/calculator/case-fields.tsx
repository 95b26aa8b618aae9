import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Checkbox,
  DatePicker,
  Form,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  deathCircumstances,
  nursingLevels,
  regionCodes,
  relations,
  retirementBases,
} from './calculator-input.ts';

const isoDate = 'YYYY-MM-DD';

/** DatePicker ↔ "YYYY-MM-DD" string in the form store (the contract's date format). */
const dateField = {
  getValueProps: (value: string | null | undefined) => ({
    value: typeof value === 'string' && value !== '' ? dayjs(value, isoDate) : null,
  }),
  normalize: (value: Dayjs | null) => (value === null ? null : value.format(isoDate)),
};

type CaseFieldsProps = { kind: string; separationEnabled: boolean; dependantErrors: string[] };

/** The case: region, kind, dates, grade, then the fields of a disability or a death. */
export function CaseFields({ kind, separationEnabled, dependantErrors }: CaseFieldsProps) {
  const { t } = useI18n();
  return (
    <>
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
      <CaseDates kind={kind} />
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
        <DisabilityFields separationEnabled={separationEnabled} />
      ) : (
        <DeathFields dependantErrors={dependantErrors} />
      )}
      <LiabilityFields />
    </>
  );
}

/** Who pays: an uninsured employer (条例 第六十二条第二款), a late application (第十七条第四款). */
function LiabilityFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="employerInsured"
        valuePropName="checked"
        extra={t('calc.employerInsuredHelp')}
      >
        <Checkbox data-testid="calc-employer-insured">{t('calc.employerInsured')}</Checkbox>
      </Form.Item>
      <Space wrap size="large">
        <Form.Item
          label={t('calc.applicationDate')}
          name="applicationDate"
          extra={t('calc.applicationHelp')}
          {...dateField}
        >
          <DatePicker format={isoDate} data-testid="calc-application-date" />
        </Form.Item>
        <Form.Item
          label={t('calc.applicationDeadlineExtendedTo')}
          name="applicationDeadlineExtendedTo"
          {...dateField}
        >
          <DatePicker format={isoDate} data-testid="calc-application-extended-to" />
        </Form.Item>
      </Space>
    </>
  );
}

type CaseDatesProps = { kind: string };

function CaseDates({ kind }: CaseDatesProps) {
  const { t } = useI18n();
  return (
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
  );
}

type DisabilityFieldsProps = { separationEnabled: boolean };

function DisabilityFields({ separationEnabled }: DisabilityFieldsProps) {
  const { t } = useI18n();
  return (
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
        <Checkbox data-testid="calc-employer-work">{t('calc.employerArrangedWork')}</Checkbox>
      </Form.Item>
      <Form.Item name="occupationalDisease" valuePropName="checked">
        <Checkbox data-testid="calc-occupational-disease">{t('calc.occupationalDisease')}</Checkbox>
      </Form.Item>
      <Form.Item label={t('calc.separation')} name="separationEnabled" valuePropName="checked">
        <Switch data-testid="calc-separation" />
      </Form.Item>
      {separationEnabled && (
        <>
          <Form.Item label={t('calc.separationDate')} name="separationDate" {...dateField}>
            <DatePicker format={isoDate} data-testid="calc-separation-date" />
          </Form.Item>
          <RetirementFields />
        </>
      )}
    </>
  );
}

/** The time to retirement, one of three ways (docs/calculator.md, `separation`). */
function RetirementFields() {
  const { t } = useI18n();
  const basis = Form.useWatch('retirementBasis', Form.useFormInstance()) ?? 'years';
  return (
    <>
      <Form.Item label={t('calc.retirementBasis')} name="retirementBasis">
        <Radio.Group optionType="button" data-testid="calc-retirement-basis">
          {retirementBases.map((b) => (
            <Radio.Button key={b} value={b}>
              {t(`calc.retirementBasis.${b}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Space wrap size="large">
        {basis === 'years' && (
          <Form.Item label={t('calc.yearsToRetirement')} name="yearsToRetirement">
            <InputNumber min={0} max={60} data-testid="calc-years-to-retirement" />
          </Form.Item>
        )}
        {basis === 'retirementDate' && (
          <Form.Item label={t('calc.retirementDate')} name="retirementDate" {...dateField}>
            <DatePicker format={isoDate} data-testid="calc-retirement-date" />
          </Form.Item>
        )}
        {basis === 'birthDate' && (
          <>
            <Form.Item label={t('calc.birthDate')} name="birthDate" {...dateField}>
              <DatePicker format={isoDate} data-testid="calc-birth-date" />
            </Form.Item>
            <Form.Item label={t('calc.retirementAgeYears')} name="retirementAgeYears">
              <InputNumber min={40} max={70} data-testid="calc-retirement-age-years" />
            </Form.Item>
            <Form.Item label={t('calc.retirementAgeMonths')} name="retirementAgeMonths">
              <InputNumber min={0} max={11} data-testid="calc-retirement-age-months" />
            </Form.Item>
          </>
        )}
      </Space>
    </>
  );
}

type DeathFieldsProps = { dependantErrors: string[] };

function DeathFields({ dependantErrors }: DeathFieldsProps) {
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
                  <DependantOneOff name={field.name} />
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

/**
 * 《浙江省工伤保险条例》第三十五条: an uninsured employer may pay a dependant once. The birth date, the
 * flag and the months already received show only when the box is ticked.
 */
function DependantOneOff({ name }: { name: number }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const oneOff = Form.useWatch(['dependants', name, 'oneOff'], form) === true;
  return (
    <>
      <Form.Item name={[name, 'oneOff']} valuePropName="checked">
        <Checkbox data-testid={`calc-dependant-${name}-one-off`}>{t('calc.oneOff')}</Checkbox>
      </Form.Item>
      {oneOff && (
        <>
          <Form.Item label={t('calc.birthDate')} name={[name, 'birthDate']} {...dateField}>
            <DatePicker format={isoDate} data-testid={`calc-dependant-${name}-birth-date`} />
          </Form.Item>
          <Form.Item name={[name, 'withoutLabourCapacityOrIncome']} valuePropName="checked">
            <Checkbox>{t('calc.withoutLabourCapacityOrIncome')}</Checkbox>
          </Form.Item>
          <Form.Item label={t('calc.monthsReceived')} name={[name, 'monthsReceived']}>
            <InputNumber
              min={0}
              max={1200}
              data-testid={`calc-dependant-${name}-months-received`}
            />
          </Form.Item>
        </>
      )}
    </>
  );
}
