import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, describeError } from '../../api/client.ts';
import type { SessionUser, TotpEnrolment } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

type Outcome = { type: 'success' | 'error'; text: string } | null;

type PasswordValues = { currentPassword: string; newPassword: string; repeat: string };

/** ASVS 6.2.3: the current password and the new one twice; other sessions end on success. */
function PasswordCard() {
  const { t } = useI18n();
  const [form] = Form.useForm<PasswordValues>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const onFinish = async (values: PasswordValues) => {
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await api.changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      setOutcome({
        type: 'success',
        text: t('account.password.changed', { count: answer.sessionsEnded }),
      });
    } catch (error) {
      const wrong = error instanceof ApiError && error.code === 'user.current_password_wrong';
      setOutcome({
        type: 'error',
        text: wrong
          ? t('account.password.wrongCurrent')
          : t('account.password.failed', { reason: describeError(error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  const sameAsNew = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, value: unknown) =>
      value === getFieldValue('newPassword')
        ? Promise.resolve()
        : Promise.reject(new Error(t('account.password.mismatch'))),
  });

  return (
    <Card title={t('account.password.title')} data-testid="password-card">
      {outcome !== null && (
        <Alert type={outcome.type} showIcon title={outcome.text} data-testid="password-outcome" />
      )}
      <Form<PasswordValues> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item
          label={t('account.password.current')}
          name="currentPassword"
          rules={[{ required: true }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          label={t('account.password.new')}
          name="newPassword"
          rules={[{ required: true, min: 8, message: t('account.password.tooShort') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          label={t('account.password.repeat')}
          name="repeat"
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('account.password.mismatch') }, sameAsNew]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-repeat" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
          {t('account.password.submit')}
        </Button>
      </Form>
    </Card>
  );
}

type TotpCardProps = { user: SessionUser };

/** Enrolment: a secret shown once, then a first code from the app confirms it. */
function SecondFactorCard({ user }: TotpCardProps) {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setOutcome(null);
    try {
      await step();
    } catch (error) {
      const code = error instanceof ApiError ? error.code : null;
      const text =
        code === 'second_factor.code_wrong'
          ? t('account.totp.wrongCode')
          : code === 'user.current_password_wrong'
            ? t('account.password.wrongCurrent')
            : t('account.totp.failed', { reason: describeError(error) });
      setOutcome({ type: 'error', text });
    } finally {
      setBusy(false);
    }
  };
  const start = (values: { password: string }) =>
    run(async () => setEnrolment(await api.startSecondFactor(values.password)));
  const confirm = (values: { code: string }) =>
    run(async () => {
      await api.confirmSecondFactor(values.code.trim());
      setEnrolment(null);
      setOutcome({ type: 'success', text: t('account.totp.done') });
      await refresh();
    });

  const { enrolled, pending } = user.secondFactor;
  return (
    <Card title={t('account.totp.title')} data-testid="totp-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {pending && (
          <Alert
            type="warning"
            showIcon
            title={t('account.totp.required')}
            data-testid="totp-required"
          />
        )}
        {outcome !== null && (
          <Alert type={outcome.type} showIcon title={outcome.text} data-testid="totp-outcome" />
        )}
        <Typography.Paragraph data-testid="totp-status">
          {enrolled ? t('account.totp.enrolled') : t('account.totp.notEnrolled')}
        </Typography.Paragraph>
        {!enrolled && enrolment === null && <StartEnrolment busy={busy} onStart={start} />}
        {enrolment !== null && (
          <EnrolmentSteps enrolment={enrolment} busy={busy} onConfirm={confirm} />
        )}
      </Space>
    </Card>
  );
}

type StartEnrolmentProps = {
  busy: boolean;
  onStart: (values: { password: string }) => Promise<void>;
};

/** Binding a factor asks for the password again (ASVS 7.5.1). */
function StartEnrolment({ busy, onStart }: StartEnrolmentProps) {
  const { t } = useI18n();
  return (
    <Form<{ password: string }> layout="inline" onFinish={onStart} requiredMark={false}>
      <Form.Item
        label={t('account.totp.password')}
        name="password"
        rules={[{ required: true, message: t('login.passwordRequired') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="totp-password" />
      </Form.Item>
      <Button htmlType="submit" loading={busy} data-testid="totp-start">
        {t('account.totp.start')}
      </Button>
    </Form>
  );
}

type EnrolmentStepsProps = {
  enrolment: TotpEnrolment;
  busy: boolean;
  onConfirm: (values: { code: string }) => Promise<void>;
};

function EnrolmentSteps({ enrolment, busy, onConfirm }: EnrolmentStepsProps) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Paragraph>
        {t('account.totp.secret')}{' '}
        <Typography.Text code copyable data-testid="totp-secret">
          {enrolment.secret}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('account.totp.uri')} <Typography.Text copyable>{enrolment.uri}</Typography.Text>
      </Typography.Paragraph>
      <Form<{ code: string }> layout="inline" onFinish={onConfirm} requiredMark={false}>
        <Form.Item
          label={t('account.totp.code')}
          name="code"
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpInvalid') }]}
        >
          <Input
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            data-testid="totp-code"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">
          {t('account.totp.confirm')}
        </Button>
      </Form>
    </>
  );
}

type AccountPageProps = { user: SessionUser };

/** The signed-in user's own security: password and second factor (only the latter while pending). */
export function AccountPage({ user }: AccountPageProps) {
  const { t } = useI18n();
  return (
    <div className="page" data-testid="account-page">
      <Typography.Title level={3}>{t('account.title')}</Typography.Title>
      <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 640 }}>
        <SecondFactorCard user={user} />
        {!user.secondFactor.pending && <PasswordCard />}
      </Space>
    </div>
  );
}
