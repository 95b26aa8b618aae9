import { Button, Checkbox, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { yuanToFen } from '../../format/money.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import type { BenefitMessageKey } from './benefit-messages.ts';
import type { DeathFactsInput } from './benefits-api.ts';

type Circumstance = DeathFactsInput['circumstance'];
type Relation = DeathFactsInput['dependants'][number]['relation'];
export type DependantRow = {
  name: string;
  relation: Relation;
  idNumber: string;
  birthDate: string;
  orphanOrSoleElder: boolean;
  adoptive: boolean;
};
export type DeathFactsDraft = {
  diedOn: string;
  circumstance: Circumstance;
  preDeathWageYuan: string;
  dependants: DependantRow[];
};

const CIRCUMSTANCE_LABEL: Record<Circumstance, BenefitMessageKey> = {
  injury: 'circumstance.injury',
  within_suspension: 'circumstance.within_suspension',
  grade1to4_after_suspension: 'circumstance.grade1to4_after_suspension',
};
const RELATION_LABEL: Record<Relation, BenefitMessageKey> = {
  spouse: 'relation.spouse',
  child: 'relation.child',
  parent: 'relation.parent',
  grandparent: 'relation.grandparent',
  grandchild: 'relation.grandchild',
  sibling: 'relation.sibling',
};
const CIRCUMSTANCES = Object.keys(CIRCUMSTANCE_LABEL).filter(
  (k): k is Circumstance => k in CIRCUMSTANCE_LABEL,
);
const RELATIONS = Object.keys(RELATION_LABEL).filter((k): k is Relation => k in RELATION_LABEL);

/**
 * The form's draft → the route's body. Values are sent as typed (trimmed); the server checks them
 * all and answers every problem with its path, so the form does not repeat those rules.
 */
export function deathFactsBodyOf(d: DeathFactsDraft): DeathFactsInput {
  return {
    diedOn: d.diedOn.trim(),
    circumstance: d.circumstance,
    preDeathMonthlyWageFen: d.preDeathWageYuan.trim() === '' ? null : yuanToFen(d.preDeathWageYuan),
    dependants: d.dependants.map((r) => ({
      name: r.name.trim(),
      relation: r.relation,
      idNumber: r.idNumber.trim(),
      birthDate: r.birthDate.trim(),
      orphanOrSoleElder: r.orphanOrSoleElder,
      // Only a child or a parent is adoptive: a tick left on after changing the relation is dropped.
      adoptive: r.adoptive && (r.relation === 'child' || r.relation === 'parent'),
    })),
  };
}

const EMPTY_ROW: DependantRow = {
  name: '',
  relation: 'spouse',
  idNumber: '',
  birthDate: '',
  orphanOrSoleElder: false,
  adoptive: false,
};

function DependantFields(props: {
  row: DependantRow;
  at: number;
  set: (r: Partial<DependantRow>) => void;
}) {
  const { b } = useBenefitText();
  const id = (field: string) => `death-dependant-${field}-${props.at.toString()}`;
  return (
    <Space wrap>
      <Input
        placeholder={b('dependantName')}
        data-testid={id('name')}
        value={props.row.name}
        onChange={(e) => props.set({ name: e.target.value })}
      />
      <Select
        style={{ minWidth: 140 }}
        value={props.row.relation}
        options={RELATIONS.map((r) => ({
          value: r,
          label: b(RELATION_LABEL[r]),
        }))}
        onChange={(relation: Relation) => props.set({ relation })}
      />
      <Input
        placeholder={b('idNumber')}
        data-testid={id('id')}
        value={props.row.idNumber}
        onChange={(e) => props.set({ idNumber: e.target.value })}
      />
      <Input
        placeholder={`${b('birthDate')} YYYY-MM-DD`}
        data-testid={id('birth')}
        value={props.row.birthDate}
        onChange={(e) => props.set({ birthDate: e.target.value })}
      />
      <Checkbox
        checked={props.row.orphanOrSoleElder}
        onChange={(e) => props.set({ orphanOrSoleElder: e.target.checked })}
      >
        {b('orphanOrSoleElder')}
      </Checkbox>
      {(props.row.relation === 'child' || props.row.relation === 'parent') && (
        <Checkbox
          checked={props.row.adoptive}
          onChange={(e) => props.set({ adoptive: e.target.checked })}
        >
          {b('adoptive')}
        </Checkbox>
      )}
    </Space>
  );
}

/** The death facts of the case (因工死亡): date, 第三十九条's circumstance, pre-death wage, dependants. */
export function DeathFactsForm(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (body: DeathFactsInput) => void;
}) {
  const { b } = useBenefitText();
  const [draft, setDraft] = useState<DeathFactsDraft>({
    diedOn: '',
    circumstance: 'injury',
    preDeathWageYuan: '',
    dependants: [],
  });
  const set = (next: Partial<DeathFactsDraft>) => setDraft({ ...draft, ...next });
  const setRow = (i: number, next: Partial<DependantRow>) =>
    set({ dependants: draft.dependants.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  return (
    <Modal
      open={props.open}
      title={b('deathFacts')}
      okText={b('submit')}
      cancelText={b('cancel')}
      onCancel={props.onClose}
      onOk={() => props.onSubmit(deathFactsBodyOf(draft))}
      width={900}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="death-facts-form">
        <Input
          placeholder={`${b('diedOn')} YYYY-MM-DD`}
          data-testid="death-died-on"
          value={draft.diedOn}
          onChange={(e) => set({ diedOn: e.target.value })}
        />
        <Select
          value={draft.circumstance}
          options={CIRCUMSTANCES.map((c) => ({
            value: c,
            label: b(CIRCUMSTANCE_LABEL[c]),
          }))}
          onChange={(circumstance: Circumstance) => set({ circumstance })}
        />
        <Input
          placeholder={b('preDeathWage')}
          value={draft.preDeathWageYuan}
          onChange={(e) => set({ preDeathWageYuan: e.target.value })}
        />
        <span>{b('dependants')}</span>
        {draft.dependants.map((r, i) => (
          <DependantFields
            key={`dep-${i.toString()}`}
            row={r}
            at={i}
            set={(next) => setRow(i, next)}
          />
        ))}
        <Button
          size="small"
          data-testid="death-add-dependant"
          onClick={() => set({ dependants: [...draft.dependants, EMPTY_ROW] })}
        >
          {b('addDependant')}
        </Button>
      </Space>
    </Modal>
  );
}

/** The button that opens the form; the panel submits (and reloads) through its own `act`. */
export function DeathFactsAction(props: { onSubmit: (body: DeathFactsInput) => void }) {
  const { b } = useBenefitText();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button data-testid="death-facts-record" onClick={() => setOpen(true)}>
        {b('deathFacts')}
      </Button>
      <DeathFactsForm
        open={open}
        onClose={() => setOpen(false)}
        onSubmit={(body) => {
          setOpen(false);
          props.onSubmit(body);
        }}
      />
    </>
  );
}
