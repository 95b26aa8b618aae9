import { Alert, Button, Checkbox, Form, type FormInstance, Input, Modal, Select } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  type Agreement,
  type Institution,
  institutionsApi,
} from './settlement-institutions-api.ts';
import {
  agreementScopes,
  type Checked,
  checkAgreement,
  checkCodeMap,
  checkInstitution,
  checkStatusChange,
  checkTermination,
  institutionKinds,
  institutionLevels,
  institutionStatuses,
  type PlacedErrors,
  placeServerProblem,
  type RawValues,
} from './settlement-institutions-form.ts';

/**
 * The reference forms (shown only to settlement:write holders): each a button opening a modal whose
 * input is checked by the contract's schema before sending and whose refusals land on the fields.
 */
type Values = Record<string, unknown>;

type ModalFormProps<B, T> = {
  testId: string;
  label: MessageKey;
  initialValues?: Values;
  check: (values: RawValues) => Checked<B>;
  send: (body: B) => Promise<T>;
  onDone: (answer: T) => void;
  children: ReactNode;
  danger?: boolean;
};

function show(form: FormInstance<Values>, placed: PlacedErrors): void {
  form.setFields(Object.entries(placed.fields).map(([name, errors]) => ({ name, errors })));
}

function ModalForm<B, T>(props: ModalFormProps<B, T>) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const submit = async (values: Values) => {
    setGeneral(null);
    const checked = props.check(values);
    if (!checked.ok) {
      show(form, checked.errors);
      setGeneral(checked.errors.general);
      return;
    }
    setBusy(true);
    try {
      const answer = await props.send(checked.body);
      setOpen(false);
      props.onDone(answer);
    } catch (error) {
      const placed = placeServerProblem(
        error instanceof ApiError ? error.problem : null,
        describeError(error),
        Object.keys(form.getFieldsValue()),
      );
      show(form, placed);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="small"
        danger={props.danger === true}
        data-testid={props.testId}
        onClick={() => setOpen(true)}
      >
        {t(props.label)}
      </Button>
      <Modal
        open={open}
        title={t(props.label)}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={props.initialValues ?? {}}
        >
          {props.children}
          {general !== null && (
            <Alert type="error" showIcon data-testid={`${props.testId}-error`} title={general} />
          )}
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            data-testid={`${props.testId}-submit`}
          >
            {t('settlementRef.submit')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}

function DateField({ name, label, testId }: { name: string; label: MessageKey; testId: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t(label)}>
      <Input data-testid={testId} placeholder="YYYY-MM-DD" maxLength={10} />
    </Form.Item>
  );
}

function TextField(props: { name: string; label: MessageKey; testId: string; max: number }) {
  const { t } = useI18n();
  return (
    <Form.Item name={props.name} label={t(props.label)}>
      <Input data-testid={props.testId} maxLength={props.max} />
    </Form.Item>
  );
}

type Today = { today: string };

export function CreateInstitutionButton(
  props: Today & { region: string; onDone: (i: Institution) => void },
) {
  const { t } = useI18n();
  return (
    <ModalForm
      testId="institution-create"
      label="settlementRef.create"
      check={checkInstitution}
      initialValues={{ kind: 'hospital', level: 'secondary', createdOn: props.today }}
      send={(body) => institutionsApi.create(props.region, body)}
      onDone={props.onDone}
    >
      <TextField name="name" label="settlementRef.col.name" testId="institution-name" max={200} />
      <Form.Item name="kind" label={t('settlementRef.col.kind')}>
        <Select
          data-testid="institution-kind"
          options={institutionKinds.map((k) => ({ value: k, label: t(`settlementRef.kind.${k}`) }))}
        />
      </Form.Item>
      <Form.Item name="level" label={t('settlementRef.col.level')}>
        <Select
          data-testid="institution-level"
          options={institutionLevels.map((l) => ({
            value: l,
            label: t(`settlementRef.level.${l}`),
          }))}
        />
      </Form.Item>
      <TextField
        name="creditCode"
        label="settlementRef.creditCode"
        testId="institution-credit"
        max={18}
      />
      <TextField name="id" label="settlementRef.idOptional" testId="institution-id" max={16} />
      <DateField name="createdOn" label="settlementRef.createdOn" testId="institution-created" />
    </ModalForm>
  );
}

type InstitutionProps = Today & { region: string; institution: Institution; onDone: () => void };

export function InstitutionStatusButton(props: InstitutionProps) {
  const { t } = useI18n();
  const next = props.institution.status === 'active' ? 'suspended' : 'active';
  return (
    <ModalForm
      testId="institution-status"
      label="settlementRef.changeStatus"
      check={checkStatusChange}
      initialValues={{ status: next, effectiveFrom: props.today }}
      send={(body) => institutionsApi.setStatus(props.region, props.institution.id, body)}
      onDone={props.onDone}
    >
      <Form.Item name="status" label={t('settlementRef.col.status')}>
        <Select
          data-testid="institution-status-value"
          options={institutionStatuses.map((s) => ({
            value: s,
            label: t(`settlementRef.status.${s}`),
          }))}
        />
      </Form.Item>
      <DateField
        name="effectiveFrom"
        label="settlementRef.effectiveFrom"
        testId="institution-status-from"
      />
      <TextField
        name="reason"
        label="settlementRef.reason"
        testId="institution-status-reason"
        max={500}
      />
    </ModalForm>
  );
}

export function SignAgreementButton(props: InstitutionProps) {
  const { t } = useI18n();
  return (
    <ModalForm
      testId="agreement-sign"
      label="settlementRef.sign"
      check={checkAgreement}
      initialValues={{ scopes: [], crossProvince: false, validFrom: props.today }}
      send={(body) => institutionsApi.sign(props.region, props.institution.id, body)}
      onDone={props.onDone}
    >
      <Form.Item name="scopes" label={t('settlementRef.col.scopes')}>
        <Checkbox.Group
          data-testid="agreement-scopes"
          options={agreementScopes.map((s) => ({ value: s, label: t(`settlementRef.scope.${s}`) }))}
        />
      </Form.Item>
      <DateField name="validFrom" label="settlementRef.col.validFrom" testId="agreement-from" />
      <DateField name="validTo" label="settlementRef.col.validTo" testId="agreement-to" />
      <Form.Item name="crossProvince" valuePropName="checked">
        <Checkbox data-testid="agreement-cross">{t('settlementRef.col.crossProvince')}</Checkbox>
      </Form.Item>
    </ModalForm>
  );
}

type AgreementProps = Today & { region: string; agreement: Agreement; onDone: () => void };

export function TerminateAgreementButton(props: AgreementProps) {
  return (
    <ModalForm
      testId={`agreement-terminate-${props.agreement.id}`}
      label="settlementRef.terminate"
      check={checkTermination}
      danger
      initialValues={{ effectiveFrom: props.today }}
      send={(body) => institutionsApi.terminate(props.region, props.agreement.id, body)}
      onDone={props.onDone}
    >
      <DateField name="effectiveFrom" label="settlementRef.effectiveFrom" testId="terminate-from" />
      <TextField name="reason" label="settlementRef.reason" testId="terminate-reason" max={500} />
    </ModalForm>
  );
}

export function SetCodeMapButton(props: InstitutionProps) {
  return (
    <ModalForm
      testId="code-map-set"
      label="settlementRef.codeMaps.set"
      check={checkCodeMap}
      initialValues={{ validFrom: props.today }}
      send={(body) => institutionsApi.setCodeMap(props.region, props.institution.id, body)}
      onDone={props.onDone}
    >
      <TextField name="ownCode" label="settlementRef.codeMaps.own" testId="code-map-own" max={60} />
      <TextField
        name="catalogueCode"
        label="settlementRef.codeMaps.catalogue"
        testId="code-map-catalogue"
        max={40}
      />
      <DateField name="validFrom" label="settlementRef.col.validFrom" testId="code-map-from" />
    </ModalForm>
  );
}
