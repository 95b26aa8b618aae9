import { Tag } from 'antd';
import type { CaseStatus } from '../../../domain/cases/index.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** Deadline colours of the work list: red over, orange within 3 days, blue running. */
export function dueColor(nextDueOn: string | null, today: string): string {
  if (nextDueOn === null) return 'default';
  if (nextDueOn < today) return 'red';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + 3);
  return nextDueOn <= soon.toISOString().slice(0, 10) ? 'orange' : 'blue';
}

export function statusKey(status: CaseStatus): MessageKey {
  return `cases.status.${status}`;
}

export function StatusTag({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return <Tag data-testid={`case-status-${status}`}>{t(statusKey(status))}</Tag>;
}

export function DueTag({
  kind,
  on,
  today,
}: {
  kind: 'acceptance' | 'decision' | null;
  on: string | null;
  today: string;
}) {
  const { t } = useI18n();
  if (kind === null || on === null) return <span>—</span>;
  return (
    <Tag color={dueColor(on, today)} data-testid="case-due">
      {t(`cases.dueKind.${kind}`)} {on}
    </Tag>
  );
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
