import { Result, Tag } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';

/** Honest placeholder: the fund ledger is a later issue; no figures are shown until it exists. */
export function FundPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <Result
        status="info"
        title={
          <span>
            {t('fund.title')} <Tag color="orange">{t('fund.underConstruction')}</Tag>
          </span>
        }
        subTitle={<span data-testid="fund-placeholder">{t('fund.body')}</span>}
      />
    </div>
  );
}
