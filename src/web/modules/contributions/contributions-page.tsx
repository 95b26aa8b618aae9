import { Alert, Typography } from 'antd';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CityContributions } from './city-contributions.tsx';
import { EmployerContributions } from './employer-contributions.tsx';

/**
 * `/contributions`: an employer's own user sees its declarations (and uploads them), what was
 * assessed, collected and is owed; a handler or the province sees its region's reconciliation, arrears
 * and unmatched collections (the server scopes every answer).
 */
export function ContributionsPage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const canWrite = user.permissions.includes('contribution:write');
  if (user.scope.kind === 'employer')
    return (
      <>
        <Typography.Title level={3}>{t('contributions.own.title')}</Typography.Title>
        <EmployerContributions target={{ kind: 'own' }} canUpload={canWrite} />
      </>
    );
  const region = user.scope.code;
  if (region === null || (user.scope.kind !== 'province' && user.scope.kind !== 'city'))
    return <Alert type="warning" showIcon title={t('registry.noRegion')} />;
  return (
    <>
      <Typography.Title level={3}>
        {t('contributions.city.title', { region: user.scope.name ?? region })}
      </Typography.Title>
      <CityContributions region={region} canWrite={canWrite && user.scope.kind === 'city'} />
    </>
  );
}
