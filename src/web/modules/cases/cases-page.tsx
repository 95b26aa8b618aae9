import { Alert, Space, Typography } from 'antd';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { BenefitDecisionPanel } from '../benefits/benefit-decision-panel.tsx';
import { BenefitStopPanel } from '../benefits/benefit-stop-panel.tsx';
import { CardAccountPanel } from '../benefits/card-account-panel.tsx';
import { DependantsPanel } from '../benefits/dependants-panel.tsx';
import { MissingPanel } from '../benefits/missing-panel.tsx';
import { RetirementPanel } from '../benefits/retirement-panel.tsx';
import { SeparationPanel } from '../benefits/separation-panel.tsx';
import { AppraisalPanel } from './appraisal-panel.tsx';
import { type CasePanel, CaseView } from './case-view.tsx';
import { casesApi } from './cases-api.ts';
import type { CasesRoute } from './cases-routes.ts';
import { MaterialsPanel } from './materials-panel.tsx';
import { OwnOutcomePanel } from './own-outcome-panel.tsx';
import { Portal } from './portal.tsx';
import { DeadlineDashboard, WorkList } from './work-list.tsx';

export type { CasePanel, CasePanelProps } from './case-view.tsx';
export { CaseView } from './case-view.tsx';

/**
 * The case panels of the other parts, chosen by what the user may read: a panel whose route the
 * role cannot read is left out rather than shown as a 403. Module-level components, so a page's
 * re-render does not remount them (each loads its own data once).
 */
const AppraisalOnCase: CasePanel = ({ facts }) => (
  <AppraisalPanel regionCode={facts.regionCode} caseId={facts.id} />
);
const MaterialsOnCase: CasePanel = ({ facts }) => (
  <MaterialsPanel regionCode={facts.regionCode} caseId={facts.id} canUpload={false} />
);
const MaterialsOnCaseUpload: CasePanel = ({ facts }) => (
  <MaterialsPanel regionCode={facts.regionCode} caseId={facts.id} canUpload />
);
const MaterialsOnOwnCase: CasePanel = ({ facts }) => (
  <MaterialsPanel regionCode={facts.regionCode} caseId={facts.id} canUpload via="self" />
);
const MaterialsOnOwnCaseReadOnly: CasePanel = ({ facts }) => (
  <MaterialsPanel regionCode={facts.regionCode} caseId={facts.id} canUpload={false} via="self" />
);
const OutcomeOnOwnCase: CasePanel = ({ facts }) => <OwnOutcomePanel caseId={facts.id} />;
const BenefitOnCase: CasePanel = ({ facts }) => (
  <BenefitDecisionPanel regionCode={facts.regionCode} caseId={facts.id} />
);
/** The same panel for holders of fund:write: 更正 an entitlement, apply an approved correction. */
const BenefitOnCaseFundWrite: CasePanel = ({ facts }) => (
  <BenefitDecisionPanel regionCode={facts.regionCode} caseId={facts.id} canCorrect />
);
export const BENEFIT_DECISION_PANELS = {
  read: BenefitOnCase,
  correct: BenefitOnCaseFundWrite,
} as const;
/**
 * The dependants of a death case: the reveal button only for holders of pii:reveal, the papers'
 * upload only for case:write. One module-level component per combination (no remount).
 */
function dependantsOn(canReveal: boolean, canUpload: boolean, canChangePension = false): CasePanel {
  return ({ facts }) => (
    <DependantsPanel
      regionCode={facts.regionCode}
      caseId={facts.id}
      canReveal={canReveal}
      canUpload={canUpload}
      canChangePension={canChangePension}
    />
  );
}
export const DEPENDANTS_PANELS = {
  read: dependantsOn(false, false),
  reveal: dependantsOn(true, false),
  upload: dependantsOn(false, true),
  revealUpload: dependantsOn(true, true),
} as const;

/** The same panels with the pension-change button, for holders of fund:write (the handler). */
export const DEPENDANTS_PANELS_FUND_WRITE = {
  read: dependantsOn(false, false, true),
  reveal: dependantsOn(true, false, true),
  upload: dependantsOn(false, true, true),
  revealUpload: dependantsOn(true, true, true),
} as const;

function dependantsPanel(has: (p: string) => boolean): CasePanel {
  const panels = has('fund:write') ? DEPENDANTS_PANELS_FUND_WRITE : DEPENDANTS_PANELS;
  if (has('pii:reveal')) return has('case:write') ? panels.revealUpload : panels.reveal;
  return has('case:write') ? panels.upload : panels.read;
}

const SeparationOnCase: CasePanel = ({ facts }) => (
  <SeparationPanel regionCode={facts.regionCode} caseId={facts.id} />
);

/**
 * 职工下落不明 (《工伤保险条例》第四十一条): shown to readers of the fund (GET …/missing is fund:read)
 * on a case of the ground or with the event; the steps only for fund:write (the handler).
 */
function missingOn(canWrite: boolean): CasePanel {
  return ({ facts }) => (
    <MissingPanel
      regionCode={facts.regionCode}
      caseId={facts.id}
      ground={{ grounds: facts.determinationGrounds, outcome: facts.determinationOutcome }}
      canWrite={canWrite}
    />
  );
}
export const MISSING_PANELS = { read: missingOn(false), write: missingOn(true) } as const;

/**
 * The worker's benefit events (docs/benefits.md "Card accounts", "Stopping benefits",
 * "Retirement"): shown to
 * readers of the fund (their GETs are fund:read); the forms only for fund:write (the handler).
 */
function benefitEventsOn(canWrite: boolean): CasePanel {
  return ({ facts }) => (
    <>
      <CardAccountPanel
        regionCode={facts.regionCode}
        workerId={facts.workerId}
        canWrite={canWrite}
      />
      <BenefitStopPanel
        regionCode={facts.regionCode}
        caseId={facts.id}
        workerId={facts.workerId}
        canWrite={canWrite}
      />
      <RetirementPanel
        regionCode={facts.regionCode}
        caseId={facts.id}
        workerId={facts.workerId}
        canWrite={canWrite}
      />
    </>
  );
}
export const BENEFIT_EVENT_PANELS = {
  read: benefitEventsOn(false),
  write: benefitEventsOn(true),
} as const;

/**
 * The officer's case page: materials and the benefit decision (case:read), appraisals
 * (appraisal:read), the missing worker, the card account and the 第四十二条 stop (case:read and
 * fund:read).
 */
export function staffCasePanels(permissions: readonly string[]): CasePanel[] {
  const has = (p: string) => permissions.includes(p);
  const panels: CasePanel[] = [];
  if (has('case:read')) panels.push(has('case:write') ? MaterialsOnCaseUpload : MaterialsOnCase);
  if (has('appraisal:read')) panels.push(AppraisalOnCase);
  if (has('case:read'))
    panels.push(
      has('fund:write') ? BenefitOnCaseFundWrite : BenefitOnCase,
      dependantsPanel(has),
      SeparationOnCase,
    );
  if (has('case:read') && has('fund:read')) {
    panels.push(has('fund:write') ? MISSING_PANELS.write : MISSING_PANELS.read);
    panels.push(has('fund:write') ? BENEFIT_EVENT_PANELS.write : BENEFIT_EVENT_PANELS.read);
  }
  return panels;
}

/**
 * The portal's own case through the self-service routes: its materials (self:read, self:write) and
 * what came of it, the appraisal conclusions and the benefit decision with its payments.
 */
export function ownCasePanels(permissions: readonly string[]): CasePanel[] {
  if (!permissions.includes('self:read')) return [];
  return [
    permissions.includes('self:write') ? MaterialsOnOwnCase : MaterialsOnOwnCaseReadOnly,
    OutcomeOnOwnCase,
  ];
}

/** `/cases…` and `/my/cases…`: work list + dashboard, case page, portal, own case. */
export function CasesPage({ user, route }: { user: SessionUser; route: CasesRoute }) {
  const { t } = useI18n();
  if (route.view === 'portal') return <Portal user={user} />;
  if (route.view === 'own-case')
    return (
      <CaseView
        load={() => casesApi.myCase(route.caseId)}
        actions={false}
        letterUrl={casesApi.myLetterUrl}
        panels={ownCasePanels(user.permissions)}
      />
    );
  if (route.view === 'case')
    return (
      <CaseView
        load={() => casesApi.casePage(route.region, route.caseId)}
        actions={user.permissions.includes('case:write')}
        letterUrl={(caseId, letterId) => casesApi.letterUrl(route.region, caseId, letterId)}
        panels={staffCasePanels(user.permissions)}
      />
    );
  const region = user.scope.code;
  if (region === null || (user.scope.kind !== 'province' && user.scope.kind !== 'city'))
    return <Alert type="warning" showIcon title={t('registry.noRegion')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>
        {t('cases.title', { region: user.scope.name ?? region })}
      </Typography.Title>
      <DeadlineDashboard region={region} />
      <WorkList
        region={region}
        canWrite={user.permissions.includes('case:write') && user.scope.kind === 'city'}
      />
    </Space>
  );
}
