import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { type Missing, type MissingAnswer, missingApi } from './missing-api.ts';
import {
  AdvanceForm,
  DeclaredForm,
  IdNumbersForm,
  ReappearedForm,
  RecordForm,
  useMissingText,
} from './missing-forms.tsx';
import { MissingState } from './missing-state.tsx';
import {
  type Asked,
  askedForStorage,
  askedFromJson,
  askedKey,
  type CaseGround,
  idNumbersMissing,
  type MissingStep,
  missingMayApply,
  missingSteps,
  showsMissingPanel,
} from './missing-view.ts';

export type MissingPanelProps = {
  regionCode: string;
  caseId: string;
  ground: CaseGround;
  /** fund:write: the handler asks and applies the steps; without it the panel only reads. */
  canWrite: boolean;
};

/**
 * The asks of this case, kept in localStorage (the answer is the only place the maker sees the id)
 * without the dependants' ID numbers (askedForStorage); this page holds them in memory.
 */
function useAsked(regionCode: string, caseId: string) {
  const key = askedKey(regionCode, caseId);
  const [asked, setAsked] = useState<Asked[]>(() => askedFromJson(localStorage.getItem(key)));
  const update = (next: Asked[]) => {
    setAsked(next);
    localStorage.setItem(key, JSON.stringify(askedForStorage(next)));
  };
  return {
    asked,
    add: (a: Asked) => update([...asked.filter((x) => x.step !== a.step), a]),
    drop: (approvalId: string) => update(asked.filter((x) => x.approvalId !== approvalId)),
  };
}

/**
 * One step sent: without `approvalId` it asks the approval; with the approved id (the same body),
 * it applies.
 */
function send(
  regionCode: string,
  caseId: string,
  a: Asked,
  approvalId?: string,
): Promise<MissingAnswer> {
  const withId = approvalId === undefined ? {} : { approvalId };
  if (a.step === 'record') return missingApi.record(regionCode, caseId, { ...a.body, ...withId });
  if (a.step === 'advance') return missingApi.advance(regionCode, caseId, { ...a.body, ...withId });
  if (a.step === 'declared')
    return missingApi.declared(regionCode, caseId, { ...a.body, ...withId });
  return missingApi.reappeared(regionCode, caseId, { ...a.body, ...withId });
}

/**
 * 职工下落不明 on the case page (《工伤保险条例》第四十一条; docs/benefits.md "Whereabouts unknown"):
 * the event's state from GET …/missing and, for the handler (fund:write), the step the state allows
 * next in a modal. Each step asks a second person's approval (the approvals page); the panel keeps
 * the ask and applies it with the same body once approved. Refusals show the server's text.
 */
export function MissingPanel({ regionCode, caseId, ground, canWrite }: MissingPanelProps) {
  const { m } = useMissingText();
  const [view, setView] = useState<Missing | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<MissingStep | null>(null);
  const asks = useAsked(regionCode, caseId);
  // The event needs the ground (the use case refuses it elsewhere): other cases ask nothing.
  const mayApply = missingMayApply(ground);
  const load = useCallback(async () => {
    try {
      setView(mayApply ? await missingApi.show(regionCode, caseId) : null);
    } catch (e) {
      setError(e);
    }
  }, [regionCode, caseId, mayApply]);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const ask = (a: Asked) => {
    setOpen(null);
    void act(async () => {
      const out = await send(regionCode, caseId, a);
      if (out.approval !== null) asks.add({ ...a, approvalId: out.approval.id });
    });
  };
  const [retyping, setRetyping] = useState<Asked | null>(null);
  const apply = (a: Asked) => {
    setRetyping(null);
    if (idNumbersMissing(a)) return setRetyping(a);
    void act(async () => {
      await send(regionCode, caseId, a, a.approvalId);
      asks.drop(a.approvalId);
    });
  };
  if (view === undefined && error === null) return null;
  if (view !== undefined && !showsMissingPanel(view, ground)) return null;
  const steps = canWrite && view !== undefined ? missingSteps(view, ground, asks.asked) : [];
  return (
    <Card title={m('title')} data-testid="missing-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && (
          <Alert type="error" showIcon title={describeError(error)} data-testid="missing-error" />
        )}
        {view === null && <Typography.Text>{m('none')}</Typography.Text>}
        <Space wrap>
          {steps.map((s) => (
            <Button key={s} data-testid={`missing-step-${s}`} onClick={() => setOpen(s)}>
              {m(`step.${s}`)}
            </Button>
          ))}
        </Space>
        {canWrite &&
          asks.asked.map((a) => (
            <AskedRow key={a.approvalId} asked={a} onApply={apply} onDrop={asks.drop} />
          ))}
        {view !== null && view !== undefined && <MissingState view={view} />}
      </Space>
      {retyping !== null && (
        <IdNumbersForm asked={retyping} onClose={() => setRetyping(null)} onSubmit={apply} />
      )}
      {open === 'record' && (
        <RecordForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'record', approvalId: '', body })}
        />
      )}
      {open === 'advance' && (
        <AdvanceForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'advance', approvalId: '', body })}
        />
      )}
      {open === 'declared' && (
        <DeclaredForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'declared', approvalId: '', body })}
        />
      )}
      {open === 'reappeared' && (
        <ReappearedForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'reappeared', approvalId: '', body })}
        />
      )}
    </Card>
  );
}

/** An ask waiting for the checker: its approval id, apply (after approval), discard. */
function AskedRow(props: {
  asked: Asked;
  onApply: (a: Asked) => void;
  onDrop: (approvalId: string) => void;
}) {
  const { m } = useMissingText();
  const a = props.asked;
  return (
    <Space wrap data-testid={`missing-asked-${a.step}`}>
      <Tag color="blue">{m('approval')}</Tag>
      <Typography.Text data-testid="missing-asked-text">
        {m('asked', { step: m(`step.${a.step}`), id: a.approvalId })}
      </Typography.Text>
      <Button type="primary" data-testid="missing-apply" onClick={() => props.onApply(a)}>
        {m('apply')}
      </Button>
      {/* A rejected or expired approval can never be applied: the maker drops it and asks anew. */}
      <Button type="link" data-testid="missing-discard" onClick={() => props.onDrop(a.approvalId)}>
        {m('discard')}
      </Button>
    </Space>
  );
}
