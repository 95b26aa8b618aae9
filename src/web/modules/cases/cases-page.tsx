import { Alert, Space, Typography } from 'antd';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type CasePanel, CaseView } from './case-view.tsx';
import { casesApi } from './cases-api.ts';
import type { CasesRoute } from './cases-routes.ts';
import { Portal } from './portal.tsx';
import { DeadlineDashboard, WorkList } from './work-list.tsx';

export type { CasePanel, CasePanelProps } from './case-view.tsx';
export { CaseView } from './case-view.tsx';

/**
 * The case panels of the other parts, mounted on the officer's case page. ── MOUNT POINT ──
 * AppraisalPanel (helper D), MaterialsPanel (helper F) and BenefitDecisionPanel (helper E) are
 * added to this list at merge; this module does not import them.
 */
export const casePanels: CasePanel[] = [];

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
        panels={casePanels}
      />
    );
  if (route.view === 'case')
    return (
      <CaseView
        load={() => casesApi.casePage(route.region, route.caseId)}
        actions={user.permissions.includes('case:write')}
        letterUrl={(caseId, letterId) => casesApi.letterUrl(route.region, caseId, letterId)}
        panels={casePanels}
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
