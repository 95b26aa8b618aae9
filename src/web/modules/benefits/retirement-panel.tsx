import { Alert, Button, Card, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { benefitsApi } from './benefits-api.ts';
import { useBenefitEventText } from './card-account-panel.tsx';
import { type Retirement, type RetirementInput, retirementApi } from './retirement-api.ts';
import {
  type PlanLine,
  planLines,
  type RetirementAsked,
  type RetirementDraft,
  retirementAskedFromJson,
  retirementAskedKey,
  retirementBodyOf,
  showsRetirementPanel,
} from './retirement-view.ts';

export type RetirementPanelProps = {
  regionCode: string;
  caseId: string;
  workerId: string;
  /** fund:write: the handler asks and applies; without it the panel only reads. */
  canWrite: boolean;
};

/** The ask of this worker, kept in localStorage until applied or discarded (as the stop's). */
function useRetirementAsked(regionCode: string, workerId: string) {
  const key = retirementAskedKey(regionCode, workerId);
  const [asked, setAsked] = useState(() => retirementAskedFromJson(localStorage.getItem(key)));
  const update = (next: RetirementAsked | null) => {
    setAsked(next);
    if (next === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(next));
  };
  return { asked, update };
}

type Loaded = { retirement: Retirement | null; shown: boolean };

function useRetirement(regionCode: string, caseId: string, workerId: string) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const [panel, retirement] = await Promise.all([
        benefitsApi.panel(regionCode, caseId),
        retirementApi.show(regionCode, workerId),
      ]);
      setLoaded({
        retirement,
        shown: showsRetirementPanel(panel.entitlements, retirement !== null),
      });
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
 * 退休 on the case page (《工伤保险条例》第三十五条第一款第（三）项; docs/benefits.md "Retirement"), shown
 * when the case pays the fund's 伤残津贴: the handler records the date and the monthly basic pension
 * (元, sent in fen exactly) with the pension office's notice; the answer's plan (the allowance
 * ended, the fund's difference) is shown with the approval asked; a supervisor approves it on the
 * approvals page; the handler applies it with the same body.
 */
export function RetirementPanel(props: RetirementPanelProps) {
  const { regionCode, caseId, workerId, canWrite } = props;
  const { e } = useBenefitEventText();
  const { loaded, error, setError, load } = useRetirement(regionCode, caseId, workerId);
  const { asked, update } = useRetirementAsked(regionCode, workerId);
  const [open, setOpen] = useState(false);
  const act = async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const ask = (body: RetirementInput) => {
    setOpen(false);
    void act(async () => {
      const out = await retirementApi.record(regionCode, workerId, body);
      if (out.approval !== null)
        update({ approvalId: out.approval.id, body, lines: planLines(out.plan) });
    });
  };
  const apply = (a: RetirementAsked) =>
    void act(async () => {
      await retirementApi.record(regionCode, workerId, { ...a.body, approvalId: a.approvalId });
      update(null);
    });
  if (loaded === null && error === null) return null;
  if (loaded !== null && !loaded.shown) return null;
  const retirement = loaded?.retirement ?? null;
  return (
    <Card title={e('retire.title')} data-testid="retirement-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && (
          <Alert type="error" showIcon title={describeError(error)} data-testid="retire-error" />
        )}
        {loaded !== null && retirement === null && <span>{e('retire.none')}</span>}
        {retirement !== null && <RetirementShown retirement={retirement} />}
        {canWrite && loaded !== null && retirement === null && asked === null && (
          <Button data-testid="retire-record" onClick={() => setOpen(true)}>
            {e('retire.record')}
          </Button>
        )}
        {canWrite && asked !== null && retirement === null && (
          <RetirementAskedRow asked={asked} onApply={apply} onDrop={() => update(null)} />
        )}
      </Space>
      {open && <RetirementForm onClose={() => setOpen(false)} onSubmit={ask} />}
    </Card>
  );
}

function RetirementShown({ retirement }: { retirement: Retirement }) {
  const { e } = useBenefitEventText();
  return (
    <Space orientation="vertical" data-testid="retire-state">
      <Typography.Text>
        {e('retire.done', {
          date: retirement.retiredOn,
          amount: fenToYuanText(retirement.pensionFen),
        })}
      </Typography.Text>
      <PlanShown lines={planLines(retirement.plan)} />
    </Space>
  );
}

/** The plan's lines: the allowance ended, the fund's difference or none, a net to recover. */
function PlanShown({ lines }: { lines: readonly PlanLine[] }) {
  const { e } = useBenefitEventText();
  const text = (l: PlanLine): string => {
    if (l.kind === 'ended')
      return e('retire.ended', { amount: fenToYuanText(l.amountFen), date: l.endsOn });
    if (l.kind === 'topUp')
      return e('retire.topUp', { amount: fenToYuanText(l.amountFen), date: l.startsOn });
    if (l.kind === 'overpaid') return e('retire.overpaid', { amount: fenToYuanText(l.amountFen) });
    return e('retire.noTopUp');
  };
  return (
    <div data-testid="retire-plan">
      {lines.map((l) => (
        <div key={text(l)}>{text(l)}</div>
      ))}
    </div>
  );
}

function RetirementAskedRow(props: {
  asked: RetirementAsked;
  onApply: (a: RetirementAsked) => void;
  onDrop: () => void;
}) {
  const { e } = useBenefitEventText();
  const a = props.asked;
  return (
    <Space orientation="vertical" data-testid="retire-asked">
      <Space wrap>
        <Tag color="blue">{e('approval')}</Tag>
        <Typography.Text data-testid="retire-asked-text">
          {e('asked.retire', { id: a.approvalId })}
        </Typography.Text>
        <Button type="primary" data-testid="retire-apply" onClick={() => props.onApply(a)}>
          {e('apply')}
        </Button>
        {/* A rejected or expired approval can never be applied: the maker drops it and asks anew. */}
        <Button type="link" data-testid="retire-discard" onClick={props.onDrop}>
          {e('discard')}
        </Button>
      </Space>
      <Typography.Text strong>{e('retire.plan')}</Typography.Text>
      <PlanShown lines={a.lines} />
    </Space>
  );
}

function RetirementForm(props: { onClose: () => void; onSubmit: (body: RetirementInput) => void }) {
  const { e } = useBenefitEventText();
  const [draft, setDraft] = useState<RetirementDraft>({
    retiredOn: '',
    pensionYuan: '',
    evidence: '',
  });
  const [unreadable, setUnreadable] = useState(false);
  const submit = () => {
    const built = retirementBodyOf(draft);
    setUnreadable(!built.ok);
    if (built.ok) props.onSubmit(built.body);
  };
  const set = (k: keyof RetirementDraft) => (v: string) => setDraft({ ...draft, [k]: v });
  return (
    <Modal
      open
      title={e('retire.record')}
      okText={e('submit')}
      cancelText={e('cancel')}
      onCancel={props.onClose}
      onOk={submit}
    >
      <Form layout="vertical" data-testid="retire-form">
        <Form.Item label={e('retire.retiredOn')}>
          <Input
            data-testid="retire-retired-on"
            placeholder="YYYY-MM-DD"
            value={draft.retiredOn}
            onChange={(ev) => set('retiredOn')(ev.target.value)}
          />
        </Form.Item>
        <Form.Item
          label={e('retire.pensionYuan')}
          validateStatus={unreadable ? 'error' : ''}
          help={unreadable ? e('retire.pensionRule') : undefined}
        >
          <Input
            data-testid="retire-pension-yuan"
            value={draft.pensionYuan}
            onChange={(ev) => set('pensionYuan')(ev.target.value)}
          />
        </Form.Item>
        <Form.Item label={e('retire.evidence')}>
          <Input.TextArea
            data-testid="retire-evidence"
            value={draft.evidence}
            onChange={(ev) => set('evidence')(ev.target.value)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
