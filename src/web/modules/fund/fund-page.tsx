import { Alert, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { BudgetsView } from './budgets/budgets-view.tsx';
import { fundApi } from './fund-api.ts';
import { isNotInScope, LoadError, NotInScope, useLoad } from './fund-common.tsx';
import type { FundRoute } from './fund-routes.ts';
import { LedgerView } from './ledger/ledger-view.tsx';
import { OverviewView } from './overview/overview-view.tsx';
import { YearEndView } from './pooling/year-end-view.tsx';

type ScopeGateProps = { region: string; children: ReactNode };

/**
 * A region other than the user's own (a province user's drill-down, or a URL typed by hand): ask
 * the server first (the overview is the lightest scoped read) so that a region outside the scope
 * shows only the not-found-in-scope page — the policy is the server's, not re-implemented here.
 */
function ScopeGate({ region, children }: ScopeGateProps) {
  const state = useLoad(() => fundApi.overview(region), [region]);
  if (state.status === 'loading') return <Skeleton active />;
  if (state.status === 'failed')
    return isNotInScope(state.error) ? (
      <NotInScope />
    ) : (
      <LoadError error={state.error} what="nav.fund" />
    );
  return <>{children}</>;
}

type FundPageProps = { user: SessionUser; route: FundRoute };

/** The fund pages (overview, ledger, budgets, year-end run) of the user's region or a named one. */
export function FundPage({ user, route }: FundPageProps) {
  const { t } = useI18n();
  const own = user.scope.code;
  const region = route.region ?? own;
  if (region === null)
    return (
      <Alert type="warning" showIcon title={t('fund.noRegion')} data-testid="fund-no-region" />
    );
  // The year-end run is the province's run: a city user sees their own row of it.
  const view = (() => {
    switch (route.view) {
      case 'overview':
        return <OverviewView user={user} region={region} />;
      case 'ledger':
        return <LedgerView user={user} region={region} />;
      case 'budgets':
        return <BudgetsView user={user} region={region} />;
      case 'year-end':
        return <YearEndView user={user} region={region} />;
    }
  })();
  if (region === own) return view;
  return (
    <ScopeGate key={region} region={region}>
      {view}
    </ScopeGate>
  );
}
