import type { FormInstance } from 'antd';
import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { SPECIALTIES, specialtyLabels } from '../../../domain/cases/appraisal-specialties.ts';
import type { Language } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Appraisal, appraisalApi, type Expert } from './appraisal-api.ts';
import { poolCodeOf, type Specialty } from './appraisal-forms.ts';
import { appraisalText } from './appraisal-messages.ts';

/**
 * The fields of each step's form (the modal around them is in appraisal-committee-forms.tsx). Dates
 * are Dayjs in the form and ISO days in the request.
 */
export type DrawFormValues = {
  specialty: Specialty;
  panelSize: 3 | 5;
  drawnOn: Dayjs;
  recusedIds?: string[];
  reasons?: Record<string, string | undefined>;
};

/** A specialty's name in the language; an unknown code as it is. */
export function specialtyName(code: string, language: Language): string {
  const known = SPECIALTIES.find((s) => s === code);
  return known === undefined ? code : specialtyLabels[known][language];
}

export function useSpecialtyOptions(): { value: Specialty; label: string }[] {
  const { language } = useI18n();
  return SPECIALTIES.map((s) => ({ value: s, label: specialtyLabels[s][language] }));
}

/** The draw: specialty, 3 or 5, and the recused experts of that specialty's pool with reasons. */
export function DrawFields({
  appraisal,
  form,
}: {
  appraisal: Appraisal;
  form: FormInstance<DrawFormValues>;
}) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const specialty = Form.useWatch('specialty', form);
  const recused = Form.useWatch('recusedIds', form) ?? [];
  const [pool, setPool] = useState<Expert[]>([]);
  useEffect(() => {
    if (!specialty) return;
    appraisalApi
      .experts(poolCodeOf(appraisal), specialty)
      .then((r) => setPool(r.experts))
      .catch(() => setPool([]));
  }, [appraisal, specialty]);
  const names = new Map(pool.map((e) => [e.id, e.name]));
  return (
    <>
      <Form.Item name="specialty" label={tr('specialty')} rules={[{ required: true }]}>
        <Select
          options={useSpecialtyOptions()}
          onChange={() => form.setFieldValue('recusedIds', [])}
        />
      </Form.Item>
      <Form.Item name="panelSize" label={tr('panelSize')}>
        <Radio.Group options={[3, 5].map((n) => ({ value: n, label: String(n) }))} />
      </Form.Item>
      <Form.Item name="drawnOn" label={tr('drawnOn')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="recusedIds" label={tr('recusals')}>
        <Select mode="multiple" options={pool.map((e) => ({ value: e.id, label: e.name }))} />
      </Form.Item>
      {recused.map((id) => (
        <Form.Item
          key={id}
          name={['reasons', id]}
          label={`${tr('recusalReason')}：${names.get(id) ?? id}`}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input data-testid="appraisal-recusal-reason" />
        </Form.Item>
      ))}
    </>
  );
}

export type ConclusionFormValues = {
  concludedOn: Dayjs;
  conclusion: 'graded' | 'not_graded';
  disabilityGrade?: number | null;
  nursingLevel?: 'full' | 'major' | 'partial' | 'none';
  stopWorkExtensionMonths?: number | null;
  gradingClauses?: string;
};

/** The conclusion: graded with grade, clauses and nursing level, or not graded; the extension. */
export function ConclusionFields({ form }: { form: FormInstance<ConclusionFormValues> }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const graded = Form.useWatch('conclusion', form) !== 'not_graded';
  return (
    <>
      <Form.Item name="concludedOn" label={tr('concludedOn')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="conclusion" label={tr('conclusion')}>
        <Radio.Group
          options={(['graded', 'not_graded'] as const).map((c) => ({ value: c, label: tr(c) }))}
        />
      </Form.Item>
      {graded && (
        <>
          <Form.Item name="disabilityGrade" label={tr('grade')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10} precision={0} />
          </Form.Item>
          <Form.Item
            name="gradingClauses"
            label={tr('clauses')}
            extra={tr('clausesHint')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="nursingLevel" label={tr('nursing')}>
            <Select
              options={(['none', 'full', 'major', 'partial'] as const).map((n) => ({
                value: n,
                label: tr(n),
              }))}
            />
          </Form.Item>
        </>
      )}
      <Form.Item name="stopWorkExtensionMonths" label={tr('extensionMonths')}>
        <InputNumber min={1} max={12} precision={0} />
      </Form.Item>
    </>
  );
}

/** The extension (one, with its reason) and the service: a day and, for the extension, why. */
export function ExtensionFields() {
  const { language } = useI18n();
  const tr = appraisalText(language);
  return (
    <>
      <Form.Item name="extendedOn" label={tr('extendedOn')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="reason" label={tr('reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

export function ServiceFields() {
  const { language } = useI18n();
  const tr = appraisalText(language);
  return (
    <Form.Item name="servedOn" label={tr('servedOn')} rules={[{ required: true }]}>
      <DatePicker />
    </Form.Item>
  );
}
