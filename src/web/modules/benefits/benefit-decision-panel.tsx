import { Alert, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { casesApi } from '../cases/cases-api.ts';
import { panelActions } from './benefit-actions.ts';
import {
  EntitlementsTable,
  ItemsTable,
  MonthsRunBeforeTable,
  TraceView,
  useBenefitText,
  WageMonthsTable,
} from './benefit-decision-tables.tsx';
import { PaymentsTable } from './benefit-payments-table.tsx';
import { ProposeForm } from './benefit-propose-form.tsx';
import {
  type BenefitDecision,
  type BenefitPanel,
  benefitsApi,
  type Recomputation,
} from './benefits-api.ts';
import { EntitlementCorrections } from './correction-panel.tsx';
import { DeathFactsAction } from './death-facts-form.tsx';

export type BenefitDecisionPanelProps = {
  regionCode: string;
  caseId: string;
  /** fund:write: the handler corrects an active entitlement and applies an approved correction. */
  canCorrect?: boolean;
};

/**
 * The benefit decision on the case page (helper C's page mounts it): the proposal with the
 * calculator's trace, the wage months and their source, the approval's state, the payments and
 * their ledger transactions, the entitlements; the handler proposes, applies an approved decision
 * and records the bank's answers, and corrects an entitlement (correction-panel.tsx). The supervisor
 * approves in the approvals list.
 */
export function BenefitDecisionPanel({
  regionCode,
  caseId,
  canCorrect,
}: BenefitDecisionPanelProps) {
  const { b } = useBenefitText();
  const [panel, setPanel] = useState<BenefitPanel | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [proposing, setProposing] = useState(false);
  const [recomputed, setRecomputed] = useState<Recomputation | null>(null);
  const load = useCallback(async () => {
    try {
      setPanel(await benefitsApi.panel(regionCode, caseId));
    } catch (e) {
      setError(e);
    }
  }, [regionCode, caseId]);
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
  const current = panel?.current ?? null;
  // Once the case has an approved decision, whatever is proposed beside it is a regrade (a first
  // decision's proposal and the death facts are refused then: benefit.decision_already_approved).
  const regrading = panel?.history.some((h) => h.status === 'approved') === true;
  return (
    <Card title={b('title')} data-testid="benefit-decision-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
        {panel !== null && current === null && <Typography.Text>{b('none')}</Typography.Text>}
        <DecisionActions
          regionCode={regionCode}
          caseId={caseId}
          current={current}
          regrading={regrading}
          act={act}
          onPropose={() => setProposing(true)}
          onRecomputed={setRecomputed}
        />
        {recomputed !== null && (
          <Alert
            type={recomputed.same ? 'success' : 'error'}
            title={
              recomputed.same
                ? b('recomputeSame', { id: recomputed.snapshotId.slice(0, 12) })
                : b('recomputeDiffers')
            }
          />
        )}
        {current !== null && panel !== null && (
          <DecisionBody
            panel={panel}
            decision={current}
            act={act}
            canCorrect={canCorrect === true}
          />
        )}
      </Space>
      <ProposeForm
        open={proposing}
        onClose={() => setProposing(false)}
        onSubmit={(body) => {
          setProposing(false);
          void act(() => benefitsApi.propose(regionCode, caseId, body));
        }}
      />
    </Card>
  );
}

/** The panel's buttons (which ones: panelActions). */
function DecisionActions(props: {
  regionCode: string;
  caseId: string;
  current: BenefitDecision | null;
  regrading: boolean;
  act: (step: () => Promise<unknown>) => Promise<void>;
  onPropose: () => void;
  onRecomputed: (r: Recomputation) => void;
}) {
  const { b } = useBenefitText();
  const { regionCode, caseId, current, regrading, act } = props;
  const can = panelActions(current, regrading);
  return (
    <Space wrap>
      {can.propose && (
        <Button type="primary" data-testid="benefit-propose" onClick={props.onPropose}>
          {current === null ? b('propose') : b('proposeAgain')}
        </Button>
      )}
      {can.deathFacts && (
        <DeathFactsAction
          onSubmit={(body) =>
            void act(() => benefitsApi.recordDeathFacts(regionCode, caseId, body))
          }
        />
      )}
      {can.regrade && (
        <Button
          data-testid="benefit-regrade"
          onClick={() => void act(() => benefitsApi.regrade(regionCode, caseId))}
        >
          {b('regrade')}
        </Button>
      )}
      {current?.status === 'proposed' && current.approval.status === 'approved' && (
        <Button
          data-testid="benefit-apply"
          onClick={() =>
            void act(() =>
              regrading
                ? benefitsApi.applyRegrade(regionCode, current.id)
                : benefitsApi.apply(regionCode, current.id),
            )
          }
        >
          {regrading ? b('regradeApply') : b('apply')}
        </Button>
      )}
      {current !== null && (
        <Button
          onClick={() =>
            void act(async () =>
              props.onRecomputed(await benefitsApi.recompute(regionCode, current.id)),
            )
          }
        >
          {b('recompute')}
        </Button>
      )}
    </Space>
  );
}

function DecisionBody(props: {
  panel: BenefitPanel;
  decision: BenefitDecision;
  act: (step: () => Promise<unknown>) => Promise<void>;
  canCorrect: boolean;
}) {
  const { b } = useBenefitText();
  const d = props.decision;
  return (
    <>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={b('status')}>
          <Tag data-testid="benefit-status">{b(`status.${d.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={b('approval')}>
          {d.approval.id} · {d.approval.status}
        </Descriptions.Item>
        <Descriptions.Item label={b('baseWage')}>
          {fenToYuanText(d.result.baseWageFen)}
        </Descriptions.Item>
        <Descriptions.Item label={b('ledger')}>{d.ledgerTransactionId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={b('letter')}>
          {d.letter === null ? (
            '—'
          ) : (
            <a
              href={casesApi.letterUrl(props.panel.regionCode, props.panel.caseId, d.letter.id)}
              data-testid="benefit-letter-download"
            >
              {d.letter.documentNumber}
            </a>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={b('evidence')}>{d.wageEvidence ?? '—'}</Descriptions.Item>
      </Descriptions>
      <WageMonthsTable decision={d} />
      <ItemsTable decision={d} />
      <TraceView decision={d} />
      <PaymentsTable panel={props.panel} act={props.act} />
      {props.canCorrect ? (
        <EntitlementCorrections
          panel={props.panel}
          reload={() => void props.act(async () => undefined)}
        />
      ) : (
        <EntitlementsTable panel={props.panel} />
      )}
      <MonthsRunBeforeTable panel={props.panel} />
    </>
  );
}
