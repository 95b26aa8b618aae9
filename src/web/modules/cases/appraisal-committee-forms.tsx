import type { FormInstance } from 'antd';
import { App, Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Appraisal, appraisalApi } from './appraisal-api.ts';
import {
  type ApplicantKind,
  type AppraisalKind,
  type AppraisalStep,
  applicationRequestOf,
  conclusionBodyOf,
  drawBodyOf,
} from './appraisal-forms.ts';
import { appraisalText } from './appraisal-messages.ts';
import {
  ConclusionFields,
  type ConclusionFormValues,
  DrawFields,
  type DrawFormValues,
  ExtensionFields,
  ServiceFields,
} from './appraisal-step-forms.tsx';

/**
 * The committee's forms (劳动能力鉴定): receive an application, then on one appraisal draw the
 * panel, extend the period, record the conclusion, serve it. Each is a modal form; a refusal of
 * the server is shown with its message (describeError) and the modal stays open.
 */
const iso = (d: Dayjs) => d.format('YYYY-MM-DD');

function FormModal<T extends object>(props: {
  name: string;
  title: string;
  form: FormInstance<T>;
  initialValues: Partial<T>;
  send: (values: T) => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
  children: ReactNode;
}) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const finish = async (values: T) => {
    setBusy(true);
    try {
      await props.send(values);
      message.success(tr('done'));
      props.onDone();
    } catch (error) {
      message.error(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={props.title}
      okText={tr('submit')}
      confirmLoading={busy}
      onOk={() => props.form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<T>
        form={props.form}
        name={props.name}
        layout="vertical"
        onFinish={finish}
        initialValues={props.initialValues}
        data-testid={`appraisal-form-${props.name}`}
      >
        {props.children}
      </Form>
    </Modal>
  );
}

type StepProps = { appraisal: Appraisal; onClose: () => void; onDone: () => void };

function DrawModal({ appraisal: a, onClose, onDone }: StepProps) {
  const { language } = useI18n();
  const [form] = Form.useForm<DrawFormValues>();
  const send = (v: DrawFormValues) =>
    appraisalApi.draw(a.regionCode, a.id, drawBodyOf({ ...v, drawnOn: iso(v.drawnOn) }));
  return (
    <FormModal<DrawFormValues>
      {...{ form, send, onClose, onDone }}
      name="draw"
      title={appraisalText(language)('draw')}
      initialValues={{ specialty: 'orthopaedics', panelSize: 3, drawnOn: dayjs() }}
    >
      <DrawFields appraisal={a} form={form} />
    </FormModal>
  );
}

function ConclusionModal({ appraisal: a, onClose, onDone }: StepProps) {
  const { language } = useI18n();
  const [form] = Form.useForm<ConclusionFormValues>();
  const send = (v: ConclusionFormValues) =>
    appraisalApi.conclude(
      a.regionCode,
      a.id,
      conclusionBodyOf({ ...v, concludedOn: iso(v.concludedOn) }),
    );
  return (
    <FormModal<ConclusionFormValues>
      {...{ form, send, onClose, onDone }}
      name="conclude"
      title={appraisalText(language)('conclude')}
      initialValues={{ concludedOn: dayjs(), conclusion: 'graded', nursingLevel: 'none' }}
    >
      <ConclusionFields form={form} />
    </FormModal>
  );
}

type ExtensionValues = { extendedOn: Dayjs; reason: string };
type ServiceValues = { servedOn: Dayjs };

function ExtensionModal({ appraisal: a, onClose, onDone }: StepProps) {
  const { language } = useI18n();
  const [form] = Form.useForm<ExtensionValues>();
  const send = (v: ExtensionValues) =>
    appraisalApi.extend(a.regionCode, a.id, { extendedOn: iso(v.extendedOn), reason: v.reason });
  return (
    <FormModal<ExtensionValues>
      {...{ form, send, onClose, onDone }}
      name="extend"
      title={appraisalText(language)('extend')}
      initialValues={{ extendedOn: dayjs() }}
    >
      <ExtensionFields />
    </FormModal>
  );
}

function ServiceModal({ appraisal: a, onClose, onDone }: StepProps) {
  const { language } = useI18n();
  const [form] = Form.useForm<ServiceValues>();
  const send = (v: ServiceValues) =>
    appraisalApi.serve(a.regionCode, a.id, { servedOn: iso(v.servedOn) });
  return (
    <FormModal<ServiceValues>
      {...{ form, send, onClose, onDone }}
      name="serve"
      title={appraisalText(language)('serve')}
      initialValues={{ servedOn: dayjs() }}
    >
      <ServiceFields />
    </FormModal>
  );
}

/** The modal of one step on one appraisal. */
export function AppraisalStepModal(props: StepProps & { step: AppraisalStep }) {
  switch (props.step) {
    case 'draw':
      return <DrawModal {...props} />;
    case 'conclude':
      return <ConclusionModal {...props} />;
    case 'extend':
      return <ExtensionModal {...props} />;
    case 'serve':
      return <ServiceModal {...props} />;
  }
}

type ReceiveValues = {
  caseId: string;
  kind: AppraisalKind;
  appliedOn: Dayjs;
  applicantKind: ApplicantKind;
  treatmentStabilisedOn?: Dayjs;
  previousAppraisalId?: string;
};

function ReceiveFields({ form }: { form: FormInstance<ReceiveValues> }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const initial = (Form.useWatch('kind', form) ?? 'initial') === 'initial';
  return (
    <>
      <Form.Item
        name="caseId"
        label={tr('caseId')}
        extra={tr('caseIdHint')}
        rules={[{ required: true, pattern: /^\s*cas_\d{6}_[0-9a-f]{16}\s*$/ }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={tr('kind')}>
        <Select
          options={(['initial', 're_appraisal', 'review'] as const).map((k) => ({
            value: k,
            label: tr(k),
          }))}
        />
      </Form.Item>
      <Form.Item name="appliedOn" label={tr('appliedOn')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="applicantKind" label={tr('applicantKind')}>
        <Select
          options={(['worker', 'employer', 'relative', 'agency'] as const).map((k) => ({
            value: k,
            label: tr(k),
          }))}
        />
      </Form.Item>
      {initial ? (
        <Form.Item
          name="treatmentStabilisedOn"
          label={tr('treatmentStabilisedOn')}
          rules={[{ required: true }]}
        >
          <DatePicker />
        </Form.Item>
      ) : (
        <Form.Item
          name="previousAppraisalId"
          label={tr('previousAppraisalId')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input />
        </Form.Item>
      )}
    </>
  );
}

/** "Receive an application": the case by its id (its city is in the id), kind, applicant, days. */
export function ReceiveApplication({ onDone }: { onDone: () => void }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ReceiveValues>();
  const send = async (v: ReceiveValues) => {
    const req = applicationRequestOf({
      ...v,
      appliedOn: iso(v.appliedOn),
      treatmentStabilisedOn: v.treatmentStabilisedOn ? iso(v.treatmentStabilisedOn) : undefined,
    });
    if (req === null) throw new Error(tr('caseIdHint'));
    return appraisalApi.receive(req.regionCode, req.caseId, req.body);
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="appraisal-receive">
        {tr('receive')}
      </Button>
      {open && (
        <FormModal<ReceiveValues>
          {...{ form, send }}
          name="receive"
          title={tr('receive')}
          initialValues={{ kind: 'initial', applicantKind: 'worker', appliedOn: dayjs() }}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            onDone();
          }}
        >
          <ReceiveFields form={form} />
        </FormModal>
      )}
    </>
  );
}
