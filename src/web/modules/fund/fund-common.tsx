import { Alert, Button, Result, Segmented, Select, Space, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { useRegions } from '../../api/use-regions.ts';
import { fenToYuanText } from '../../format/money.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router/router.tsx';
import { alertColors } from './fund-format.ts';
import { type FundView, fundPath } from './fund-routes.ts';
import type { AlertLevel } from './fund-types.ts';

export type Load<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; error: unknown };

/**
 * Runs `load` whenever the values in `deps` change (compared by their JSON form); answers that
 * arrive after a newer request are dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Load<T> {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const latest = useRef(load);
  latest.current = load;
  const key = JSON.stringify(deps);
  useEffect(() => {
    void key;
    let live = true;
    setState({ status: 'loading' });
    latest.current().then(
      (data) => {
        if (live) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (live) setState({ status: 'failed', error });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** The server's scoped 404: the region (or record) is outside the user's scope or does not exist. */
export function isNotInScope(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'record.not_found';
}

export function NotInScope() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={<span data-testid="fund-not-in-scope">{t('fund.notInScope')}</span>}
      subTitle={t('fund.notInScopeHint')}
      extra={
        <Button type="primary" onClick={() => navigate(fundPath('overview', null))}>
          {t('fund.backToOwn')}
        </Button>
      }
    />
  );
}

type LoadErrorProps = { error: unknown; what: MessageKey };

/** A failed load: the not-in-scope page for a scoped 404, else the server's problem message. */
export function LoadError({ error, what }: LoadErrorProps) {
  const { t } = useI18n();
  if (isNotInScope(error)) return <NotInScope />;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="fund-error"
      title={t('fund.loadFailed', { what: t(what) })}
      description={
        <span>
          {describeError(error)}
          {code !== null && code !== '' && (
            <>
              {' '}
              <Typography.Text code>{code}</Typography.Text>
            </>
          )}
        </span>
      }
    />
  );
}

type ActionErrorProps = { error: unknown; testId?: string };

/** A problem answered to an action (run, save, submit…): its code and the server's message. */
export function ActionError({ error, testId }: ActionErrorProps) {
  const { t } = useI18n();
  const code = error instanceof ApiError ? error.code : null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId ?? 'fund-action-error'}
      title={t('fund.actionRefused', { code: code ?? '—' })}
      description={describeError(error)}
    />
  );
}

type YuanProps = { fen: number | null | undefined; testId?: string };

/** Integer fen shown as yuan with two decimals (exact); a missing or non-integer value shows —. */
export function Yuan({ fen, testId }: YuanProps) {
  return (
    <span className="money" data-testid={testId}>
      {typeof fen === 'number' && Number.isSafeInteger(fen) ? fenToYuanText(fen) : '—'}
    </span>
  );
}

type AlertTagProps = { level: AlertLevel; demo: boolean };

export function AlertTag({ level, demo }: AlertTagProps) {
  const { t } = useI18n();
  return (
    <Tag color={alertColors[level]} data-testid="alert-tag" data-level={level}>
      {t(`fund.alert.${level}`)}
      {demo ? ` · ${t('fund.demoThreshold')}` : ''}
    </Tag>
  );
}

/** Region code → display name, from the regions the server lets the user see. */
export function useRegionNames(user: SessionUser): {
  nameOf: (code: string) => string;
  cities: { code: string; name: string }[];
  provinceCode: string | null;
} {
  const { language } = useI18n();
  const regions = useRegions(user.permissions.includes('region:read') ? user.id : null);
  const loaded = regions.status === 'ready' ? regions.regions : null;
  const names = new Map<string, string>();
  if (loaded !== null) {
    names.set(
      loaded.province.code,
      language === 'zh' ? loaded.province.name : loaded.province.nameEn,
    );
    for (const city of loaded.cities)
      names.set(city.code, language === 'zh' ? city.name : city.nameEn);
  }
  return {
    nameOf: (code) => {
      const name = names.get(code);
      return name === undefined ? code : `${name} (${code})`;
    },
    cities: (loaded?.cities ?? []).map((city) => ({
      code: city.code,
      name: language === 'zh' ? city.name : city.nameEn,
    })),
    provinceCode: loaded?.province.code ?? null,
  };
}

export function isProvinceUser(user: SessionUser): boolean {
  return user.scope.kind === 'province';
}

const viewLabels: Record<FundView, MessageKey> = {
  overview: 'nav.fundOverview',
  ledger: 'nav.fundLedger',
  budgets: 'nav.fundBudgets',
  'year-end': 'nav.fundYearEnd',
};

type FundHeaderProps = { user: SessionUser; view: FundView; region: string; extra?: ReactNode };

/**
 * The head of every fund page: title, the region shown, a switch between the fund views of the
 * same region and, for province users, a region picker (the province or any city).
 */
export function FundHeader({ user, view, region, extra }: FundHeaderProps) {
  const { t } = useI18n();
  const { nameOf, cities, provinceCode } = useRegionNames(user);
  const own = user.scope.code;
  const options =
    isProvinceUser(user) && provinceCode !== null
      ? [provinceCode, ...cities.map((c) => c.code)].map((code) => ({
          value: code,
          label:
            code === provinceCode ? `${nameOf(code)} · ${t('fund.wholeProvince')}` : nameOf(code),
        }))
      : null;
  const target = (next: string) => (next === own ? null : next);
  return (
    <div className="fund-header">
      <Space wrap align="center" size="middle">
        <Typography.Title level={2}>{t(viewLabels[view])}</Typography.Title>
        {options !== null && view !== 'year-end' ? (
          <Select
            data-testid="fund-region-select"
            value={region}
            style={{ minWidth: 240 }}
            options={options}
            onChange={(next: string) => navigate(fundPath(view, target(next)))}
          />
        ) : (
          <Tag color="blue" data-testid="fund-region">
            {nameOf(region)}
          </Tag>
        )}
        {extra}
      </Space>
      <Segmented<FundView>
        data-testid="fund-views"
        value={view}
        onChange={(next) =>
          navigate(
            fundPath(next, view === 'year-end' || next === 'year-end' ? null : target(region)),
          )
        }
        options={(['overview', 'ledger', 'budgets', 'year-end'] as const).map((v) => ({
          value: v,
          label: t(viewLabels[v]),
        }))}
      />
    </div>
  );
}
