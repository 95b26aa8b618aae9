import { Button, Checkbox, DatePicker, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { benefitText } from './benefit-messages.ts';
import type { AdvanceInput, DeclaredInput, MissingInput, ReappearedInput } from './missing-api.ts';
import { type MissingMessageKey, missingText } from './missing-messages.ts';
import { type Asked, type RecordDraft, recordBodyOf, withIdNumbers } from './missing-view.ts';

export function useMissingText() {
  const { language } = useI18n();
  return {
    language,
    m: (key: MissingMessageKey, vars?: Readonly<Record<string, string | number>>) =>
      missingText(language, key, vars),
  };
}

type Dependant = MissingInput['dependants'][number];
type Relation = Dependant['relation'];
const RELATIONS: readonly Relation[] = [
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
];

const isoOf = (d: Dayjs | null): string => (d === null ? '' : d.format('YYYY-MM-DD'));

/** A date as an antd DatePicker, its value the ISO date the routes take ('' when none). */
function DateField(props: { testId: string; label: string; onChange: (iso: string) => void }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <span>{props.label}</span>
      <DatePicker
        data-testid={props.testId}
        format="YYYY-MM-DD"
        style={{ width: '100%' }}
        onChange={(d: Dayjs | null) => props.onChange(isoOf(d))}
      />
    </Space>
  );
}

/** One modal of the panel: OK sends the body; the panel shows the server's answer or refusal. */
function StepModal(props: {
  title: string;
  testId: string;
  onClose: () => void;
  onOk: () => void;
  width?: number;
  children: ReactNode;
}) {
  const { m } = useMissingText();
  return (
    <Modal
      open
      title={props.title}
      okText={m('submit')}
      cancelText={m('cancel')}
      onCancel={props.onClose}
      onOk={props.onOk}
      width={props.width ?? 560}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid={props.testId}>
        {props.children}
      </Space>
    </Modal>
  );
}

type FormProps<B> = { onClose: () => void; onSubmit: (body: B) => void };

/** 预支 (生活有困难的): the family's hardship. */
export function AdvanceForm({ onClose, onSubmit }: FormProps<AdvanceInput>) {
  const { m } = useMissingText();
  const [reason, setReason] = useState('');
  return (
    <StepModal
      title={m('step.advance')}
      testId="missing-advance-form"
      onClose={onClose}
      onOk={() => onSubmit({ reason: reason.trim() })}
    >
      <span>{m('field.hardship')}</span>
      <Input.TextArea
        data-testid="missing-advance-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </StepModal>
  );
}

/** 宣告死亡: the judgment's date of death and the judgment. */
export function DeclaredForm({ onClose, onSubmit }: FormProps<DeclaredInput>) {
  const { m } = useMissingText();
  const [deadOn, setDeadOn] = useState('');
  const [reason, setReason] = useState('');
  return (
    <StepModal
      title={m('step.declared')}
      testId="missing-declared-form"
      onClose={onClose}
      onOk={() => onSubmit({ deadOn, reason: reason.trim() })}
    >
      <DateField testId="missing-dead-on" label={m('field.deadOn')} onChange={setDeadOn} />
      <span>{m('field.judgment')}</span>
      <Input
        data-testid="missing-judgment"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </StepModal>
  );
}

/** 重新出现: the day and its evidence. */
export function ReappearedForm({ onClose, onSubmit }: FormProps<ReappearedInput>) {
  const { m } = useMissingText();
  const [reappearedOn, setReappearedOn] = useState('');
  const [evidence, setEvidence] = useState('');
  return (
    <StepModal
      title={m('step.reappeared')}
      testId="missing-reappeared-form"
      onClose={onClose}
      onOk={() => onSubmit({ reappearedOn, evidence: evidence.trim() })}
    >
      <DateField
        testId="missing-reappeared-on"
        label={m('field.reappearedOn')}
        onChange={setReappearedOn}
      />
      <span>{m('field.evidence')}</span>
      <Input
        data-testid="missing-reappeared-evidence"
        value={evidence}
        onChange={(e) => setEvidence(e.target.value)}
      />
    </StepModal>
  );
}

const EMPTY_DEPENDANT: Dependant = {
  name: '',
  relation: 'spouse',
  idNumber: '',
  birthDate: '',
  orphanOrSoleElder: false,
  adoptive: false,
};

/** The event: what is known, the wage kept paid, undeclared wage months, the dependants. */
export function RecordForm({ onClose, onSubmit }: FormProps<MissingInput>) {
  const { m } = useMissingText();
  const [draft, setDraft] = useState<RecordDraft>({
    reason: '',
    monthlyWageYuan: '',
    wages: [],
    wageEvidence: '',
    dependants: [],
  });
  const set = (next: Partial<RecordDraft>) => setDraft({ ...draft, ...next });
  return (
    <StepModal
      title={m('step.record')}
      testId="missing-record-form"
      width={960}
      onClose={onClose}
      onOk={() => onSubmit(recordBodyOf(draft))}
    >
      <span>{m('field.reason')}</span>
      <Input.TextArea
        data-testid="missing-reason"
        value={draft.reason}
        onChange={(e) => set({ reason: e.target.value })}
      />
      <span>{m('field.monthlyWage')}</span>
      <Input
        data-testid="missing-monthly-wage"
        value={draft.monthlyWageYuan}
        onChange={(e) => set({ monthlyWageYuan: e.target.value })}
      />
      <WageRows draft={draft} set={set} />
      <DependantRows draft={draft} set={set} />
    </StepModal>
  );
}

type DraftProps = { draft: RecordDraft; set: (next: Partial<RecordDraft>) => void };

function WageRows({ draft, set }: DraftProps) {
  const { m } = useMissingText();
  const setRow = (i: number, next: Partial<RecordDraft['wages'][number]>) =>
    set({ wages: draft.wages.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  return (
    <>
      <span>{m('field.wages')}</span>
      {draft.wages.map((r, i) => (
        <Space key={`wage-${i.toString()}`}>
          <DatePicker
            picker="month"
            format="YYYY-MM"
            data-testid={`missing-wage-month-${i.toString()}`}
            onChange={(d: Dayjs | null) =>
              setRow(i, { month: d === null ? '' : d.format('YYYY-MM') })
            }
          />
          <Input
            data-testid={`missing-wage-yuan-${i.toString()}`}
            value={r.yuan}
            onChange={(e) => setRow(i, { yuan: e.target.value })}
          />
        </Space>
      ))}
      <Button
        size="small"
        data-testid="missing-add-month"
        onClick={() => set({ wages: [...draft.wages, { month: '', yuan: '' }] })}
      >
        {m('field.addMonth')}
      </Button>
      <Input
        placeholder={m('field.wageEvidence')}
        data-testid="missing-wage-evidence"
        value={draft.wageEvidence}
        onChange={(e) => set({ wageEvidence: e.target.value })}
      />
    </>
  );
}

function DependantRows({ draft, set }: DraftProps) {
  const { m } = useMissingText();
  const setRow = (i: number, next: Partial<Dependant>) =>
    set({ dependants: draft.dependants.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  return (
    <>
      <span>{m('field.dependants')}</span>
      {draft.dependants.map((r, i) => (
        <DependantFields
          key={`dependant-${i.toString()}`}
          row={r}
          at={i}
          set={(next) => setRow(i, next)}
        />
      ))}
      <Button
        size="small"
        data-testid="missing-add-dependant"
        onClick={() => set({ dependants: [...draft.dependants, EMPTY_DEPENDANT] })}
      >
        {m('field.addDependant')}
      </Button>
    </>
  );
}

function DependantFields(props: {
  row: Dependant;
  at: number;
  set: (next: Partial<Dependant>) => void;
}) {
  const { m, language } = useMissingText();
  const id = (field: string) => `missing-dependant-${field}-${props.at.toString()}`;
  const b = (key: Parameters<typeof benefitText>[1]) => benefitText(language, key);
  return (
    <Space wrap>
      <Input
        placeholder={m('name')}
        data-testid={id('name')}
        value={props.row.name}
        onChange={(e) => props.set({ name: e.target.value })}
      />
      <Select<Relation>
        style={{ minWidth: 140 }}
        value={props.row.relation}
        options={RELATIONS.map((r) => ({ value: r, label: b(`relation.${r}`) }))}
        onChange={(relation) => props.set({ relation })}
      />
      <Input
        placeholder={b('idNumber')}
        data-testid={id('id')}
        value={props.row.idNumber}
        onChange={(e) => props.set({ idNumber: e.target.value })}
      />
      <DatePicker
        placeholder={b('birthDate')}
        format="YYYY-MM-DD"
        data-testid={id('birth')}
        onChange={(d: Dayjs | null) => props.set({ birthDate: isoOf(d) })}
      />
      <Checkbox
        checked={props.row.orphanOrSoleElder === true}
        onChange={(e) => props.set({ orphanOrSoleElder: e.target.checked })}
      >
        {b('orphanOrSoleElder')}
      </Checkbox>
      {(props.row.relation === 'child' || props.row.relation === 'parent') && (
        <Checkbox
          checked={props.row.adoptive === true}
          onChange={(e) => props.set({ adoptive: e.target.checked })}
        >
          {b('adoptive')}
        </Checkbox>
      )}
    </Space>
  );
}

/**
 * A record ask read back from storage holds no ID numbers: they are typed again (the approval binds
 * them through its digest, so another number is a payload mismatch) and the ask applied.
 */
export function IdNumbersForm(props: {
  asked: Asked;
  onClose: () => void;
  onSubmit: (a: Asked) => void;
}) {
  const { m, language } = useMissingText();
  const dependants = props.asked.step === 'record' ? props.asked.body.dependants : [];
  const [ids, setIds] = useState<string[]>(dependants.map(() => ''));
  return (
    <StepModal
      title={m('apply')}
      testId="missing-id-numbers-form"
      onClose={props.onClose}
      onOk={() => props.onSubmit(withIdNumbers(props.asked, ids))}
    >
      <span>{m('field.idNumbersAgain')}</span>
      {dependants.map((d, i) => (
        <Input
          key={`id-${i.toString()}`}
          addonBefore={`${d.name}（${benefitText(language, `relation.${d.relation}`)}）`}
          data-testid={`missing-id-again-${i.toString()}`}
          value={ids[i] ?? ''}
          onChange={(e) => setIds(ids.map((v, j) => (j === i ? e.target.value : v)))}
        />
      ))}
    </StepModal>
  );
}
