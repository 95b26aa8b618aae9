import { App, Button, Card, QRCode, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ecardCodeResponse } from '../../../contract/settlement/ecard-contract.ts';
import { describeError, request } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';

type EcardCode = z.infer<typeof ecardCodeResponse>;

const fetchEcardCode = () =>
  request<EcardCode>('/api/v1/my/ecard-code', { method: 'POST', csrf: true, body: {} });

/** Whether the code has expired, re-checked every few seconds while it is shown. */
function useExpired(code: EcardCode | null): boolean {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (code === null) return;
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, [code]);
  return code !== null && now >= Date.parse(code.expiresAt);
}

/**
 * 电子社保卡 / Electronic card: the worker's own short-lived code, shown as a QR code (antd's
 * QRCode, already a dependency) and as text, for an institution's 1101 读卡 (docs/settlement.md).
 * Fetched only on a click: each fetch issues a new code and is audited.
 */
export function EcardPanel() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [code, setCode] = useState<EcardCode | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = useExpired(code);
  const get = async () => {
    setBusy(true);
    try {
      setCode(await fetchEcardCode());
    } catch (error) {
      message.error(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('ecard.title')} size="small" data-testid="ecard-panel">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('ecard.intro')}</Typography.Text>
        <Button type="primary" loading={busy} onClick={get} data-testid="ecard-fetch">
          {code === null ? t('ecard.fetch') : t('ecard.refresh')}
        </Button>
        {code !== null && (
          <>
            <QRCode value={code.code} size={220} status={expired ? 'expired' : 'active'} />
            <Typography.Text
              {...(expired ? { type: 'danger' as const } : {})}
              data-testid="ecard-expiry"
            >
              {expired
                ? t('ecard.expired')
                : t('ecard.expiresAt', {
                    time: dayjs(code.expiresAt).format('YYYY-MM-DD HH:mm:ss'),
                    minutes: code.validityMinutes,
                  })}
            </Typography.Text>
            <Typography.Text>{t('ecard.text')}</Typography.Text>
            <Typography.Paragraph
              copyable
              code
              data-testid="ecard-code"
              style={{ wordBreak: 'break-all' }}
            >
              {code.code}
            </Typography.Paragraph>
          </>
        )}
        <Typography.Text type="secondary">{t('ecard.note')}</Typography.Text>
      </Space>
    </Card>
  );
}
