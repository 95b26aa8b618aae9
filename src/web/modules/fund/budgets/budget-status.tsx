import { Tag } from 'antd';
import { useI18n } from '../../../i18n/i18n.tsx';
import type { BudgetStatus } from '../fund-types.ts';

export const statusColors: Record<BudgetStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  consolidated: 'gold',
  approved: 'green',
};

type StatusTagProps = { status: BudgetStatus };

export function StatusTag({ status }: StatusTagProps) {
  const { t } = useI18n();
  return (
    <Tag color={statusColors[status]} data-testid="budget-status" data-status={status}>
      {t(`fund.budget.status.${status}`)}
    </Tag>
  );
}
