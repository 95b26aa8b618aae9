import { Alert, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { SURVIVOR_EVENT_KINDS } from '../../../domain/benefits/survivor-events.ts';
import { describeError } from '../../api/client.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import { benefitsApi, type SurvivorChangeInput } from './benefits-api.ts';

type Kind = SurvivorChangeInput['kind'];

/**
 * A survivor's pension ends, is suspended or resumes (docs/benefits.md, "Survivors' pensions
 * end"): the handler proposes the event for one dependant; the server answers the plan and asks a
 * second person's approval (the approvals page), after which the handler applies it from the
 * panel's list of changes (survivor-changes-list.tsx). The dialog shows how many pensions end and how many are recomputed, or the refusal.
 */
export function SurvivorChangeDialog(props: {
  regionCode: string;
  dependantId: string;
  title: string;
  onClose: () => void;
}) {
  const { b } = useBenefitText();
  const [kind, setKind] = useState<Kind>('employed');
  const [eventOn, setEventOn] = useState('');
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      const change = await benefitsApi.proposeSurvivorChange(props.regionCode, props.dependantId, {
        kind,
        eventOn: eventOn.trim(),
        reason: reason.trim(),
        evidence: evidence.trim(),
      });
      setDone(
        b('survivorProposed', {
          ended: change.plan.ended.length,
          started: change.plan.started.length,
        }),
      );
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <Modal
      open
      title={`${b('survivorChangeTitle')} · ${props.title}`}
      okText={b('survivorChange')}
      cancelText={b('cancel')}
      okButtonProps={{ disabled: done !== null, 'data-testid': 'survivor-change-submit' }}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select<Kind>
          value={kind}
          onChange={setKind}
          aria-label={b('survivorKind')}
          options={SURVIVOR_EVENT_KINDS.map((k) => ({ value: k, label: b(`survivorKind.${k}`) }))}
        />
        <Input
          placeholder={b('survivorEventOn')}
          value={eventOn}
          onChange={(e) => setEventOn(e.target.value)}
        />
        <Input
          placeholder={b('survivorReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <Input
          placeholder={b('survivorEvidence')}
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
        />
        {done !== null && <Alert type="success" showIcon title={done} />}
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
