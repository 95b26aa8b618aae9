import { Button, Result } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';
import { navigate } from '../router/router.tsx';

type NotFoundPageProps = { path: string };

export function NotFoundPage({ path }: NotFoundPageProps) {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('app.notFound')}
      subTitle={t('app.notFoundHint', { path })}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('app.backHome')}
        </Button>
      }
    />
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('app.forbidden')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('app.backHome')}
        </Button>
      }
    />
  );
}
