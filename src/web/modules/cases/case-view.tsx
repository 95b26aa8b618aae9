import {
  Alert,
  Card,
  Descriptions,
  Empty,
  List,
  Result,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { groundLabels } from '../../../domain/cases/index.ts';
import { ApiError, describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { CaseActions } from './case-actions.tsx';
import { DueTag, StatusTag, todayIso } from './case-format.tsx';
import type { CaseEvent, CaseFacts, CasePageData } from './cases-api.ts';

/**
 * Where the other parts of the case mount their panels (cases-page.tsx chooses them by role):
 * AppraisalPanel (劳动能力鉴定), MaterialsPanel (材料), BenefitDecisionPanel (待遇核定). Each
 * receives the case's facts and a reload callback.
 */
export type CasePanelProps = { facts: CaseFacts; reload: () => void };
export type CasePanel = (props: CasePanelProps) => ReactNode;

function FactsCard({ f }: { f: CaseFacts }) {
  const { t, language } = useI18n();
  const dash = (v: string | null) => v ?? '—';
  return (
    <Card title={t('cases.page.facts')} size="small">
      <Descriptions size="small" column={2} data-testid="case-facts">
        <Descriptions.Item
          label={t('cases.fact.worker')}
        >{`${f.workerName} ${f.workerIdNumber}`}</Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.employer')}>{f.employerName}</Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.accidentDate')}>{f.accidentDate}</Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.place')}>{dash(f.accidentPlace)}</Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.summary')} span={2}>
          {dash(f.accidentSummary)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.applicant')}>
          {dash(f.applicantType)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.appliedOn')}>{dash(f.appliedOn)}</Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.outcome')}>
          {f.determinationOutcome ? t(`cases.outcome.${f.determinationOutcome}`) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.grounds')}>
          {f.determinationGrounds.map((g) => groundLabels[g][language]).join('；') || '—'}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function DeadlinesCard({ f }: { f: CaseFacts }) {
  const { t } = useI18n();
  const dash = (v: string | null) => v ?? '—';
  return (
    <Card title={t('cases.page.deadlines')} size="small">
      <Space style={{ marginBottom: 8 }}>
        <StatusTag status={f.status} />
        <DueTag
          kind={f.nextDueKind}
          on={f.nextDueOn}
          today={todayIso()}
          provisional={f.nextDueProvisional}
        />
      </Space>
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('cases.fact.employerDue')}>
          {dash(f.employerApplicationDueOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.workerDue')}>
          {dash(f.workerApplicationDueOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.liable')}>
          {f.employerLiableFrom ? `${f.employerLiableFrom} – ${f.employerLiableUntil}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.acceptanceDue')}>
          {dash(f.acceptanceDueOn)}
        </Descriptions.Item>
        {f.refusalDueOn === null ? null : (
          <Descriptions.Item label={t('cases.fact.refusalDue')}>
            <span data-testid="case-refusal-due">{f.refusalDueOn}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('cases.fact.decisionDue')}>
          {dash(f.decisionDueOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.suspendedOn')}>
          {dash(f.suspendedOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.fact.servedOn')}>{dash(f.servedOn)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function TimelineCard({ events }: { events: CaseEvent[] }) {
  const { t } = useI18n();
  return (
    <Card title={t('cases.page.timeline')} size="small">
      <Timeline
        data-testid="case-timeline"
        items={events.map((e) => ({
          key: e.seq,
          children: `${e.occurredOn} ${e.kind}`,
        }))}
      />
    </Card>
  );
}

function LettersCard({
  letters,
  urlOf,
}: {
  letters: CaseEvent[];
  urlOf: (letterId: string) => string;
}) {
  const { t } = useI18n();
  return (
    <Card title={t('cases.page.letters')} size="small">
      {letters.length === 0 ? (
        <Empty description={t('cases.page.noLetters')} />
      ) : (
        <List
          size="small"
          data-testid="case-letters"
          dataSource={letters}
          renderItem={(l) => (
            <List.Item>
              <span>{`${String(l.data['documentNumber'] ?? '')} ${String(l.data['title'] ?? '')}`}</span>
              <a href={urlOf(String(l.data['letterId'] ?? ''))} data-testid="case-letter-download">
                {t('cases.page.download')}
              </a>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** Another city's case answers 404 exactly like a missing one: say so, not "error". */
function LoadFailure({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404)
    return (
      <Result
        status="404"
        title={<span data-testid="case-not-in-scope">{t('cases.notInScope')}</span>}
        subTitle={t('cases.notInScopeHint')}
      />
    );
  return <Alert type="error" showIcon data-testid="case-error" title={describeError(error)} />;
}

export type CaseViewProps = {
  load: () => Promise<CasePageData>;
  /** Officers act; the portal only reads. */
  actions: boolean;
  letterUrl: (caseId: string, letterId: string) => string;
  /** The other parts' panels (AppraisalPanel, MaterialsPanel, BenefitDecisionPanel). */
  panels?: readonly CasePanel[];
};

/** The case page: facts, deadlines, allowed actions, timeline, letters, and the parts' panels. */
export function CaseView({ load, actions, letterUrl, panels = [] }: CaseViewProps) {
  const { t } = useI18n();
  const [generation, setGeneration] = useState(0);
  const state = useLoad(load, [generation]);
  if (state.status === 'loading') return <Skeleton active />;
  if (state.status === 'failed') return <LoadFailure error={state.error} />;
  const page = state.data;
  const f = page.facts;
  const reload = () => setGeneration((g) => g + 1);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="case-page">
      <Typography.Title level={3}>{t('cases.page.title', { caseId: f.id })}</Typography.Title>
      <FactsCard f={f} />
      <DeadlinesCard f={f} />
      {actions && (
        <Card title={t('cases.page.actions')} size="small">
          <CaseActions
            region={f.regionCode}
            caseId={f.id}
            version={f.version}
            allowed={page.allowed}
            onDone={reload}
          />
        </Card>
      )}
      {/* ── Panels of the other parts mount here (AppraisalPanel, MaterialsPanel,
          BenefitDecisionPanel), passed in by the page that shows the case. ── */}
      {panels.length > 0 && (
        <Card title={t('cases.panels.title')} size="small" data-testid="case-panels">
          {panels.map((Panel, i) => (
            <Panel key={String(i)} facts={f} reload={reload} />
          ))}
        </Card>
      )}
      <TimelineCard events={page.timeline} />
      <LettersCard letters={page.letters} urlOf={(letterId) => letterUrl(f.id, letterId)} />
    </Space>
  );
}
