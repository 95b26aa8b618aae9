import { KeyOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate } from '../router/router.tsx';

type LoginValues = { username: string; password: string; totpCode?: string };

/**
 * The server answers an unknown name, a wrong password, a throttled address and a locked account
 * alike (so nobody learns which names exist), so the page says the one thing that is true of all of
 * them and how waiting works. A right password of a user with a second factor asks for the code.
 */
type LoginFailure =
  | { kind: 'refused' }
  | { kind: 'code-needed' }
  | { kind: 'rate-limited' }
  | { kind: 'other'; status: number | string };

function classify(error: unknown): LoginFailure {
  if (!(error instanceof ApiError)) return { kind: 'other', status: 'network' };
  if (error.code === 'auth.second_factor_required') return { kind: 'code-needed' };
  if (error.status === 429) return { kind: 'rate-limited' };
  if (error.status === 401 || error.code === 'auth.invalid_credentials') return { kind: 'refused' };
  return { kind: 'other', status: error.status };
}

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [askCode, setAskCode] = useState(false);
  const [busy, setBusy] = useState(false);

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setFailure(null);
    try {
      const code = askCode ? values.totpCode?.trim() : undefined;
      await login(values.username.trim(), values.password, code);
      navigate('/', { replace: true });
    } catch (error) {
      const seen = classify(error);
      if (seen.kind === 'code-needed') setAskCode(true);
      setFailure(seen);
    } finally {
      setBusy(false);
    }
  };

  const message =
    failure === null
      ? null
      : failure.kind === 'refused'
        ? t('login.wrongPassword')
        : failure.kind === 'code-needed'
          ? t('login.totpRequired')
          : failure.kind === 'rate-limited'
            ? t('login.rateLimited')
            : t('login.failed', { status: failure.status });

  return (
    <div className="login-wrap">
      <Card className="login-card" data-testid="login-card">
        <Typography.Title level={3}>{t('login.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {message !== null && (
          <Alert
            type={failure?.kind === 'code-needed' ? 'info' : 'error'}
            showIcon
            role="alert"
            data-testid="login-error"
            className="login-error"
            title={message}
            description={failure?.kind === 'refused' ? t('login.wrongPasswordHint') : undefined}
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
          {askCode && (
            <Form.Item
              label={t('login.totpCode')}
              name="totpCode"
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpInvalid') }]}
            >
              <Input
                prefix={<KeyOutlined />}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                autoFocus
                data-testid="login-totp"
              />
            </Form.Item>
          )}
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
