import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { itemLabel } from './benefit-messages.ts';
import { benefitStopApi, type ResumeInput, type Stop, type StopInput } from './benefit-stop-api.ts';
import {
  mayResume,
  STOP_GROUNDS,
  type StopAsked,
  type StopStep,
  showsStopPanel,
  stopAskedFromJson,
  stopAskedKey,
  stopState,
  stopSteps,
} from './benefit-stop-view.ts';
import { benefitsApi } from './benefits-api.ts';
import { useBenefitEventText } from './card-account-panel.tsx';

export type BenefitStopPanelProps = {
  regionCode: string;
  caseId: string;
  workerId: string;
  /** fund:write: the handler asks and applies; without it the panel only reads. */
  canWrite: boolean;
};

/** The asks of this worker, kept in localStorage: the answer is the only place the maker sees the id. */
function useStopAsked(regionCode: string, workerId: string) {
  const key = stopAskedKey(regionCode, workerId);
  const [asked, setAsked] = useState<StopAsked[]>(() =>
    stopAskedFromJson(localStorage.getItem(key)),
  );
  const update = (next: StopAsked[]) => {
    setAsked(next);
    localStorage.setItem(key, JSON.stringify(next));
  };
  return {
    asked,
    add: (a: StopAsked) => update([...asked.filter((x) => x.step !== a.step), a]),
    drop: (approvalId: string) => update(asked.filter((x) => x.approvalId !== approvalId)),
  };
}

function send(regionCode: string, workerId: string, a: StopAsked, approvalId?: string) {
  const withId = approvalId === undefined ? {} : { approvalId };
  if (a.step === 'stop') return benefitStopApi.stop(regionCode, workerId, { ...a.body, ...withId });
  return benefitStopApi.resume(regionCode, a.stopId, { ...a.body, ...withId });
}

type Loaded = { stops: Stop[]; shown: boolean };

function useStops(regionCode: string, caseId: string, workerId: string) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const [panel, list] = await Promise.all([
        benefitsApi.panel(regionCode, caseId),
        benefitStopApi.list(regionCode, workerId),
      ]);
      setLoaded({ stops: list.stops, shown: showsStopPanel(panel.entitlements, list.stops) });
    } catch (e) {
      setError(e);
    }
  }, [regionCode, caseId, workerId]);
  useEffect(() => {
    void load();
  }, [load]);
  return { loaded, error, setError, load };
}

/**
 * 停止/恢复享受待遇 on the case page (《工伤保险条例》第四十二条; docs/benefits.md "Stopping benefits"),
 * shown when the case pays the worker an own periodic item or the worker has a stop in the city.
 * The handler asks a stop (or the lifting of one on ground 二 or 三); a supervisor approves it on
 * the approvals page (never the maker); the handler applies the approved ask with the same body.
 */
export function BenefitStopPanel(props: BenefitStopPanelProps) {
  const { regionCode, caseId, workerId, canWrite } = props;
  const { e } = useBenefitEventText();
  const { loaded, error, setError, load } = useStops(regionCode, caseId, workerId);
  const asks = useStopAsked(regionCode, workerId);
  const [open, setOpen] = useState<StopStep | null>(null);
  const act = async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const ask = (a: StopAsked) => {
    setOpen(null);
    void act(async () => {
      const out = await send(regionCode, workerId, a);
      if (out.approval !== null) asks.add({ ...a, approvalId: out.approval.id });
    });
  };
  const apply = (a: StopAsked) =>
    void act(async () => {
      await send(regionCode, workerId, a, a.approvalId);
      asks.drop(a.approvalId);
    });
  if (loaded === null && error === null) return null;
  if (loaded !== null && !loaded.shown) return null;
  const stops = loaded?.stops ?? [];
  const steps = canWrite && loaded !== null ? stopSteps(stops, asks.asked) : [];
  const latest = stops[0];
  return (
    <Card title={e('stop.title')} data-testid="benefit-stop-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && (
          <Alert type="error" showIcon title={describeError(error)} data-testid="stop-error" />
        )}
        {loaded !== null && latest === undefined && <span>{e('stop.none')}</span>}
        {latest !== undefined && <StopShown stop={latest} />}
        <Space wrap>
          {steps.map((s) => (
            <Button key={s} data-testid={`stop-step-${s}`} onClick={() => setOpen(s)}>
              {e(s === 'stop' ? 'stop.propose' : 'stop.resume')}
            </Button>
          ))}
        </Space>
        {canWrite &&
          asks.asked.map((a) => (
            <StopAskedRow key={a.approvalId} asked={a} onApply={apply} onDrop={asks.drop} />
          ))}
      </Space>
      {open === 'stop' && (
        <StopForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'stop', approvalId: '', body })}
        />
      )}
      {open === 'resume' && latest !== undefined && (
        <ResumeForm
          onClose={() => setOpen(null)}
          onSubmit={(body) => ask({ step: 'resume', approvalId: '', stopId: latest.id, body })}
        />
      )}
    </Card>
  );
}

/** The latest stop: its ground, dates, the items it ended, the overpayment, its letters. */
function StopShown({ stop }: { stop: Stop }) {
  const { e, language } = useBenefitEventText();
  const state = stopState([stop]);
  return (
    <Descriptions size="small" column={1} data-testid="stop-state">
      <Descriptions.Item label={e('stop.state')}>
        <Tag color={state === 'stopped' ? 'red' : 'green'} data-testid="stop-state-tag">
          {e(state === 'stopped' ? 'stop.state.stopped' : 'stop.state.resumed')}
        </Tag>
        {state === 'stopped' && !mayResume(stop) && e('stop.final')}
      </Descriptions.Item>
      <Descriptions.Item label={e('stop.ground')}>
        {e(`stop.ground.${stop.ground}`)}
      </Descriptions.Item>
      <Descriptions.Item label={e('stop.effectiveOn')}>{stop.effectiveOn}</Descriptions.Item>
      <Descriptions.Item label={e('stop.reason')}>{stop.reason}</Descriptions.Item>
      <Descriptions.Item label={e('stop.ended')}>
        <div data-testid="stop-ended">
          {stop.ended.map((x) => (
            <div key={x.id}>
              {itemLabel(language, x.kind)} {fenToYuanText(x.amountFen)}{' '}
              {x.endsOn === null ? e('stop.notBegun') : e('stop.lastPaid', { date: x.endsOn })}
            </div>
          ))}
        </div>
      </Descriptions.Item>
      {stop.overpaidFen > 0 && (
        <Descriptions.Item label="">
          {e('stop.overpaid', { amount: fenToYuanText(stop.overpaidFen) })}
        </Descriptions.Item>
      )}
      {stop.resumedOn !== null && (
        <Descriptions.Item label={e('stop.resumedOn')}>
          {stop.resumedOn} {stop.resumeReason}
        </Descriptions.Item>
      )}
      {stop.letters.length > 0 && (
        <Descriptions.Item label={e('stop.letters')}>
          {stop.letters.map((l) => l.documentNumber).join('、')}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** An ask waiting for the checker: its approval id, apply (after approval), discard. */
function StopAskedRow(props: {
  asked: StopAsked;
  onApply: (a: StopAsked) => void;
  onDrop: (approvalId: string) => void;
}) {
  const { e } = useBenefitEventText();
  const a = props.asked;
  return (
    <Space wrap data-testid={`stop-asked-${a.step}`}>
      <Tag color="blue">{e('approval')}</Tag>
      <Typography.Text data-testid="stop-asked-text">
        {e(a.step === 'stop' ? 'asked.stop' : 'asked.resume', { id: a.approvalId })}
      </Typography.Text>
      <Button type="primary" data-testid="stop-apply" onClick={() => props.onApply(a)}>
        {e('apply')}
      </Button>
      {/* A rejected or expired approval can never be applied: the maker drops it and asks anew. */}
      <Button type="link" data-testid="stop-discard" onClick={() => props.onDrop(a.approvalId)}>
        {e('discard')}
      </Button>
    </Space>
  );
}

function StepModal(props: {
  title: string;
  testId: string;
  onClose: () => void;
  onOk: () => void;
  children: React.ReactNode;
}) {
  const { e } = useBenefitEventText();
  return (
    <Modal
      open
      title={props.title}
      okText={e('submit')}
      cancelText={e('cancel')}
      onCancel={props.onClose}
      onOk={props.onOk}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid={props.testId}>
        {props.children}
      </Space>
    </Modal>
  );
}

function StopForm(props: { onClose: () => void; onSubmit: (body: StopInput) => void }) {
  const { e } = useBenefitEventText();
  const [ground, setGround] = useState<StopInput['ground']>('refused_treatment');
  const [effectiveOn, setEffectiveOn] = useState('');
  const [reason, setReason] = useState('');
  return (
    <StepModal
      title={e('stop.propose')}
      testId="stop-form"
      onClose={props.onClose}
      onOk={() =>
        props.onSubmit({ ground, effectiveOn: effectiveOn.trim(), reason: reason.trim() })
      }
    >
      <span>{e('stop.ground')}</span>
      <Select
        data-testid="stop-ground"
        value={ground}
        onChange={setGround}
        options={STOP_GROUNDS.map((g) => ({ value: g, label: e(`stop.ground.${g}`) }))}
      />
      <span>{e('stop.effectiveOn')}</span>
      <Input
        data-testid="stop-effective-on"
        placeholder="YYYY-MM-DD"
        value={effectiveOn}
        onChange={(ev) => setEffectiveOn(ev.target.value)}
      />
      <span>{e('stop.reason')}</span>
      <Input.TextArea
        data-testid="stop-reason"
        value={reason}
        onChange={(ev) => setReason(ev.target.value)}
      />
    </StepModal>
  );
}

function ResumeForm(props: { onClose: () => void; onSubmit: (body: ResumeInput) => void }) {
  const { e } = useBenefitEventText();
  const [resumedOn, setResumedOn] = useState('');
  const [reason, setReason] = useState('');
  return (
    <StepModal
      title={e('stop.resume')}
      testId="resume-form"
      onClose={props.onClose}
      onOk={() => props.onSubmit({ resumedOn: resumedOn.trim(), reason: reason.trim() })}
    >
      <span>{e('stop.resumedOn')}</span>
      <Input
        data-testid="stop-resumed-on"
        placeholder="YYYY-MM-DD"
        value={resumedOn}
        onChange={(ev) => setResumedOn(ev.target.value)}
      />
      <span>{e('stop.resumeReason')}</span>
      <Input.TextArea
        data-testid="stop-resume-reason"
        value={reason}
        onChange={(ev) => setReason(ev.target.value)}
      />
    </StepModal>
  );
}
