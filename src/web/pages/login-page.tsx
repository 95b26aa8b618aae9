import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { formatShanghaiDateTime } from '../format/date-time.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate } from '../router/router.tsx';

type LoginValues = { username: string; password: string };

type LoginFailure =
  | { kind: 'wrong' }
  | { kind: 'locked'; detail: string | null; until: string | null }
  | { kind: 'rate-limited' }
  | { kind: 'other'; status: number | string };

function classify(error: unknown): LoginFailure {
  if (!(error instanceof ApiError)) return { kind: 'other', status: 'network' };
  if (error.status === 423 || error.code === 'auth.locked')
    return {
      kind: 'locked',
      detail: error.problem?.detail ?? null,
      until: error.problem?.lockedUntil ?? null,
    };
  if (error.status === 429) return { kind: 'rate-limited' };
  if (error.status === 401 || error.code === 'auth.invalid_credentials') return { kind: 'wrong' };
  return { kind: 'other', status: error.status };
}

export function LoginPage() {
  const { t, language } = useI18n();
  const { login } = useSession();
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setFailure(null);
    try {
      await login(values.username.trim(), values.password);
      navigate('/', { replace: true });
    } catch (error) {
      setFailure(classify(error));
    } finally {
      setBusy(false);
    }
  };

  const message =
    failure === null
      ? null
      : failure.kind === 'wrong'
        ? t('login.wrongPassword')
        : failure.kind === 'locked'
          ? t('login.locked')
          : failure.kind === 'rate-limited'
            ? t('login.rateLimited')
            : t('login.failed', { status: failure.status });

  const lockedDescription = (locked: { detail: string | null; until: string | null }) => {
    if (locked.until !== null)
      return t('login.lockedUntil', { time: formatShanghaiDateTime(locked.until, language) });
    return locked.detail === null ? undefined : t('login.lockedDetail', { detail: locked.detail });
  };

  return (
    <div className="login-wrap">
      <Card className="login-card" data-testid="login-card">
        <Typography.Title level={3}>{t('login.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {message !== null && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="login-error"
            className="login-error"
            title={message}
            description={failure?.kind === 'locked' ? lockedDescription(failure) : undefined}
          />
        )}
        <Form<LoginValues> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div className="login-calculator-link">
          <Link to="/calculator" data-testid="login-calculator-link">
            {t('login.calculatorLink')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
