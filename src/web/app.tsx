import { LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Layout,
  Menu,
  type MenuProps,
  Segmented,
  Space,
  Spin,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import type { SessionUser } from './api/types.ts';
import { englishNamesOf, useRegions } from './api/use-regions.ts';
import { scopeLabel } from './auth/scope-label.ts';
import { SessionProvider, useSession } from './auth/session.tsx';
import type { Language } from './i18n/dictionary.ts';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import { parseCasesPath } from './modules/cases/cases-routes.ts';
import { parseFundPath } from './modules/fund/fund-routes.ts';
import { parseRegistryPath } from './modules/registry/registry-routes.ts';
import { parseSettlementReferencePath } from './modules/settlement/settlement-institutions-routes.ts';
import { parseSettlementPath } from './modules/settlement/settlement-month-routes.ts';
import {
  type NavItem,
  navItemsFor,
  parseIndexationPath,
  parsePayrollPath,
  permissionForPath,
  selectedNavKey,
} from './nav/nav.ts';
import { LoginPage } from './pages/login-page.tsx';
import { ForbiddenPage, NotFoundPage } from './pages/status-pages.tsx';
import { Link, navigate, usePathname } from './router/router.tsx';

// Pages load on demand: ECharts (home), the calculator form and the audit table stay out of the
// first download, which the log-in page needs alone.
const HomePage = lazy(() => import('./pages/home-page.tsx').then((m) => ({ default: m.HomePage })));
const CalculatorPage = lazy(() =>
  import('./modules/calculator/calculator-page.tsx').then((m) => ({ default: m.CalculatorPage })),
);
const AuditPage = lazy(() =>
  import('./modules/audit/audit-page.tsx').then((m) => ({ default: m.AuditPage })),
);
const ApprovalsPage = lazy(() =>
  import('./modules/approvals/approvals-page.tsx').then((m) => ({ default: m.ApprovalsPage })),
);
const FundPage = lazy(() =>
  import('./modules/fund/fund-page.tsx').then((m) => ({ default: m.FundPage })),
);
const RegistryPage = lazy(() =>
  import('./modules/registry/registry-page.tsx').then((m) => ({ default: m.RegistryPage })),
);
const AppraisalWorkList = lazy(() =>
  import('./modules/cases/appraisal-work-list.tsx').then((m) => ({
    default: m.AppraisalWorkList,
  })),
);
const ContributionsPage = lazy(() =>
  import('./modules/contributions/contributions-page.tsx').then((m) => ({
    default: m.ContributionsPage,
  })),
);
const CasesPage = lazy(() =>
  import('./modules/cases/cases-page.tsx').then((m) => ({ default: m.CasesPage })),
);
const SettlementPage = lazy(() =>
  import('./modules/settlement/settlement-month-page.tsx').then((m) => ({
    default: m.SettlementPage,
  })),
);
const SettlementReferencePage = lazy(() =>
  import('./modules/settlement/settlement-institutions-page.tsx').then((m) => ({
    default: m.SettlementReferencePage,
  })),
);
const PayrollPage = lazy(() =>
  import('./modules/benefits/payroll-page.tsx').then((m) => ({ default: m.PayrollPage })),
);
const IndexationPage = lazy(() =>
  import('./modules/benefits/indexation-page.tsx').then((m) => ({ default: m.IndexationPage })),
);
const RecoveriesPage = lazy(() =>
  import('./modules/benefits/recoveries-page.tsx').then((m) => ({ default: m.RecoveriesPage })),
);
const AccountPage = lazy(() =>
  import('./modules/identity/account-page.tsx').then((m) => ({ default: m.AccountPage })),
);

type MenuItem = NonNullable<MenuProps['items']>[number];

export const fontFamily =
  '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", -apple-system, "Segoe UI", Roboto, sans-serif';

export function App() {
  return (
    <I18nProvider>
      <Themed>
        <SessionProvider>
          <Routes />
        </SessionProvider>
      </Themed>
    </I18nProvider>
  );
}

type ThemedProps = { children: ReactNode };

function Themed({ children }: ThemedProps) {
  const { language } = useI18n();
  return (
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      theme={{ token: { fontFamily, fontSize: 15 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" data-testid="loading">
      <Spin size="large" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

type RedirectProps = { to: string };

function Redirect({ to }: RedirectProps) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

function Routes() {
  const path = usePathname();
  const { state } = useSession();
  if (state.status === 'loading') return <Loading />;

  if (state.status === 'signed-out') {
    if (path === '/login')
      return <PublicLayout unreachable={state.unreachable} page={<LoginPage />} />;
    if (path === '/calculator')
      return (
        <PublicLayout
          unreachable={false}
          page={
            <Lazy>
              <CalculatorPage />
            </Lazy>
          }
        />
      );
    return <Redirect to="/login" />;
  }

  const user = state.user;
  if (path === '/login') return <Redirect to="/" />;
  return <Shell user={user} path={path} />;
}

type LazyProps = { children: ReactNode };

function Lazy({ children }: LazyProps) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function pageFor(path: string, user: SessionUser): ReactNode {
  // Every signed-in user reaches their own account page; a session that must first enrol a second
  // factor reaches nothing else (the server refuses the rest too).
  if (path === '/account' || user.secondFactor.pending) return <AccountPage user={user} />;
  const required = permissionForPath(path);
  if (required === undefined) return <NotFoundPage path={path} />;
  // The calculator is public, so it opens for everyone even without calc:use in the menu.
  if (required !== null && path !== '/calculator' && !user.permissions.includes(required))
    return <ForbiddenPage />;
  const fund = parseFundPath(path);
  if (fund !== null) return <FundPage key={path} user={user} route={fund} />;
  const registry = parseRegistryPath(path);
  if (registry !== null) return <RegistryPage key={path} user={user} route={registry} />;
  const cases = parseCasesPath(path);
  if (cases !== null) return <CasesPage key={path} user={user} route={cases} />;
  const reference = parseSettlementReferencePath(path);
  if (reference !== null)
    return <SettlementReferencePage key={path} user={user} route={reference} />;
  const settlement = parseSettlementPath(path);
  if (settlement !== null) return <SettlementPage key={path} user={user} route={settlement} />;
  const payroll = parsePayrollPath(path);
  // No key: the list stays mounted (and loaded) while a run is opened or closed.
  if (payroll !== null) return <PayrollPage user={user} {...payroll} />;
  const indexation = parseIndexationPath(path);
  // No key either: the batch list stays loaded while a batch is opened or closed.
  if (indexation !== null) return <IndexationPage user={user} batchId={indexation.batchId} />;
  switch (path) {
    case '/':
      return <HomePage user={user} />;
    case '/calculator':
      return <CalculatorPage />;
    case '/audit':
      return <AuditPage />;
    case '/approvals':
      return <ApprovalsPage user={user} />;
    case '/contributions':
      return <ContributionsPage user={user} />;
    case '/appraisals':
      return <AppraisalWorkList user={user} />;
    case '/benefits/recoveries':
      return <RecoveriesPage user={user} />;
    default:
      return <NotFoundPage path={path} />;
  }
}

function LanguageSwitch() {
  const { language, setLanguage } = useI18n();
  return (
    <Segmented<Language>
      size="small"
      value={language}
      onChange={setLanguage}
      data-testid="lang-switch"
      options={[
        { value: 'zh', label: <span data-testid="lang-zh">中文</span> },
        { value: 'en', label: <span data-testid="lang-en">English</span> },
      ]}
    />
  );
}

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="brand" data-testid="brand">
      <SafetyCertificateOutlined />
      <span className="brand-name">{t('app.name')}</span>
      <span className="brand-short">({t('app.shortName')})</span>
    </Link>
  );
}

type PublicLayoutProps = { page: ReactNode; unreachable: boolean };

function PublicLayout({ page, unreachable }: PublicLayoutProps) {
  const { t } = useI18n();
  const path = usePathname();
  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <Brand />
        <Space size="middle">
          <LanguageSwitch />
          {path !== '/login' && (
            <Link to="/login" data-testid="header-login">
              {t('app.login')}
            </Link>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content className="app-content public">
        {unreachable && <div className="banner-error">{t('app.backendUnavailable')}</div>}
        {page}
      </Layout.Content>
      <Layout.Footer className="app-footer">{t('app.footer')}</Layout.Footer>
    </Layout>
  );
}

function menuItem(item: NavItem, t: ReturnType<typeof useI18n>['t']): MenuItem {
  const label = (
    <Link to={item.path} data-testid={item.testId}>
      {t(item.labelKey)}
    </Link>
  );
  if (item.children === undefined) return { key: item.key, label };
  return {
    key: item.key,
    label: <span data-testid={item.testId}>{t(item.labelKey)}</span>,
    children: item.children.map((child) => menuItem(child, t)),
  };
}

type ShellProps = { user: SessionUser; path: string };

function Shell({ user, path }: ShellProps) {
  const { t, language } = useI18n();
  const { logout } = useSession();
  const items = navItemsFor(user.permissions, user.scope.kind);
  const regions = useRegions(user.permissions.includes('region:read') ? user.id : null);
  const names = useMemo(
    () => englishNamesOf(regions.status === 'ready' ? regions.regions : null),
    [regions],
  );
  const selected = selectedNavKey(path);
  const fundOpen = parseFundPath(path) !== null;
  const [openKeys, setOpenKeys] = useState<string[]>([]);
  const shownOpen = fundOpen && !openKeys.includes('fund') ? [...openKeys, 'fund'] : openKeys;

  const onLogout = async () => {
    await logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <Brand />
        <Space size="middle" className="header-user">
          <span className="user-name" data-testid="header-user">
            {user.displayName}
          </span>
          <span className="user-scope" data-testid="header-scope">
            {scopeLabel(user, language, names)}
          </span>
          <LanguageSwitch />
          <Link to="/account" data-testid="header-account">
            <UserOutlined /> {t('app.account')}
          </Link>
          <Button
            size="small"
            icon={<LogoutOutlined />}
            onClick={() => void onLogout()}
            data-testid="logout"
          >
            {t('app.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" className="app-sider">
          <nav data-testid="nav" aria-label="nav">
            <Menu
              mode="inline"
              selectedKeys={selected === undefined ? [] : [selected]}
              openKeys={shownOpen}
              onOpenChange={(keys) => setOpenKeys(keys)}
              items={items.map((item) => menuItem(item, t))}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content className="app-content">
          <Lazy>{pageFor(path, user)}</Lazy>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
