import { Tag } from 'antd';
import type { CaseStatus } from '../../../domain/cases/index.ts';
import { addDays, todayInChina } from '../../../kernel/dates.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** Deadline colours of the work list: red over, orange within 3 days, blue running. */
export function dueColor(nextDueOn: string | null, today: string): string {
  if (nextDueOn === null) return 'default';
  if (nextDueOn < today) return 'red';
  return nextDueOn <= addDays(today, 3) ? 'orange' : 'blue';
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
  provisional = false,
}: {
  kind: 'acceptance' | 'decision' | null;
  on: string | null;
  today: string;
  provisional?: boolean;
}) {
  const { t } = useI18n();
  if (kind === null || on === null) return <span>—</span>;
  return (
    <span>
      <Tag color={dueColor(on, today)} data-testid="case-due">
        {t(`cases.dueKind.${kind}`)} {on}
      </Tag>
      {provisional && <ProvisionalTag />}
    </span>
  );
}

/**
 * "暂定 / Provisional" beside a due date counted on a year whose State Council holiday notice is
 * not out yet (provisionalPeriodEnd); it is recomputed when the notice is imported.
 */
export function ProvisionalTag() {
  const { t } = useI18n();
  return (
    <Tag color="gold" title={t('cases.due.provisionalHint')} data-testid="due-provisional">
      {t('cases.due.provisional')}
    </Tag>
  );
}

/** The running deadline of a work-list row or a case: kind, day and the provisional tag. */
export function NextDueTag({
  item,
  today,
}: {
  item: {
    nextDueKind: 'acceptance' | 'decision' | null;
    nextDueOn: string | null;
    nextDueProvisional: boolean;
  };
  today: string;
}) {
  return (
    <DueTag
      kind={item.nextDueKind}
      on={item.nextDueOn}
      today={today}
      provisional={item.nextDueProvisional}
    />
  );
}

/** An appraisal's due date in force (the extended one once extended), tagged when provisional. */
export function EffectiveDue({
  a,
}: {
  a: {
    status: string;
    effectiveDueOn: string | null;
    extendedDueOn: string | null;
    dueProvisional: boolean;
    extendedDueProvisional: boolean;
  };
}) {
  if (a.effectiveDueOn === null) return <span />;
  const provisional = a.extendedDueOn !== null ? a.extendedDueProvisional : a.dueProvisional;
  return (
    <span>
      {a.effectiveDueOn}
      {a.status !== 'concluded' && provisional && <ProvisionalTag />}
    </span>
  );
}

/** Today in China (the date the case's deadlines are counted in), not the UTC date. */
export function todayIso(): string {
  return todayInChina();
}
