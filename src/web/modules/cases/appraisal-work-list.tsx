import {
  Alert,
  Button,
  DatePicker,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Appraisal, appraisalApi, type WorkListFilter } from './appraisal-api.ts';
import { AppraisalStepModal, ReceiveApplication } from './appraisal-committee-forms.tsx';
import { ExpertPool } from './appraisal-expert-pool.tsx';
import { type AppraisalStep, stepsOf } from './appraisal-forms.ts';
import { appraisalText, daysUntil } from './appraisal-messages.ts';
import { AppraisalDetail } from './appraisal-panel.tsx';
import { EffectiveDue, todayIso } from './case-format.tsx';

/**
 * `/appraisals`: the committee's workbench — the work list (below), the forms of its steps (receive,
 * draw, extend, conclude, serve: appraisal-committee-forms.tsx) and the expert pool. The work list — open appraisals first by the day their conclusion is
 * due (days left, overdue in red), filtered by state, kind and due day. The server scopes it: a
 * city's committee sees its city, the provincial committee every city.
 */
export function AppraisalWorkList({ user }: { user: SessionUser }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const region = user.scope.code;
  const [filter, setFilter] = useState<WorkListFilter>({ state: 'open' });
  const [rows, setRows] = useState<Appraisal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ step: AppraisalStep; appraisal: Appraisal } | null>(null);
  const reload = useCallback(() => {
    if (region === null) return;
    setError(null);
    appraisalApi
      .workList(region, filter)
      .then((r) => setRows(r.appraisals))
      .catch((e: unknown) => setError(describeError(e)));
  }, [region, filter]);
  useEffect(reload, [reload]);
  if (region === null) return <Alert type="warning" showIcon title={tr('loadError')} />;
  const today = todayIso();
  const canWrite = user.permissions.includes('appraisal:write');
  const steps = (r: Appraisal) =>
    stepsOf(r, { permissions: user.permissions, scopeKind: user.scope.kind });
  return (
    <>
      <Typography.Title level={3}>{tr('title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        {canWrite && <ReceiveApplication onDone={reload} />}
        <Filters filter={filter} setFilter={setFilter} />
      </Space>
      {error !== null && <Alert type="error" showIcon title={error} />}
      <Table<Appraisal>
        data-testid="appraisal-work-list"
        rowKey="id"
        loading={rows === null && error === null}
        dataSource={rows ?? []}
        pagination={{ pageSize: 50 }}
        expandable={{
          expandedRowRender: (r) => <AppraisalDetail regionCode={r.regionCode} id={r.id} />,
        }}
        columns={columnsOf(tr, today, steps, (step, appraisal) => setOpen({ step, appraisal }))}
      />
      {open !== null && (
        <AppraisalStepModal
          step={open.step}
          appraisal={open.appraisal}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            reload();
          }}
        />
      )}
      <div style={{ marginTop: 24 }}>
        <ExpertPool user={user} />
      </div>
    </>
  );
}

type Text = ReturnType<typeof appraisalText>;

function Filters({
  filter,
  setFilter,
}: {
  filter: WorkListFilter;
  setFilter: (f: WorkListFilter) => void;
}) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  return (
    <>
      <Select
        data-testid="appraisal-state"
        value={filter.state}
        onChange={(state) => setFilter({ ...filter, state })}
        options={(['open', 'concluded', 'all'] as const).map((v) => ({ value: v, label: tr(v) }))}
      />
      <Select
        allowClear
        placeholder={tr('anyKind')}
        value={filter.kind}
        onChange={(kind?: Appraisal['kind']) =>
          setFilter({
            state: filter.state,
            ...(kind ? { kind } : {}),
            ...(filter.dueBy ? { dueBy: filter.dueBy } : {}),
          })
        }
        options={(['initial', 're_appraisal', 'review'] as const).map((v) => ({
          value: v,
          label: tr(v),
        }))}
      />
      <DatePicker
        placeholder={tr('dueBy')}
        onChange={(d: Dayjs | null) =>
          setFilter({
            state: filter.state,
            ...(filter.kind ? { kind: filter.kind } : {}),
            ...(d ? { dueBy: d.format('YYYY-MM-DD') } : {}),
          })
        }
      />
    </>
  );
}

/** The work list's columns; the last holds the steps the user may take on the row now. */
function columnsOf(
  tr: Text,
  today: string,
  steps: (r: Appraisal) => AppraisalStep[],
  onStep: (step: AppraisalStep, r: Appraisal) => void,
): TableColumnsType<Appraisal> {
  return [
    {
      title: tr('case'),
      dataIndex: 'caseId',
      render: (v: string, r) => `${r.regionCode} · ${v}`,
    },
    { title: tr('kind'), dataIndex: 'kind', render: (k: Appraisal['kind']) => tr(k) },
    { title: tr('applied'), dataIndex: 'appliedOn' },
    { title: tr('due'), render: (_: unknown, r) => <EffectiveDue a={r} /> },
    {
      title: tr('daysLeft'),
      render: (_: unknown, r) => dueTag(r, today, tr('overdue')),
    },
    {
      title: tr('status'),
      dataIndex: 'status',
      render: (s: Appraisal['status']) => tr(s === 'concluded' ? 'concluded_status' : s),
    },
    {
      title: tr('grade'),
      render: (_: unknown, r) =>
        r.conclusion === null
          ? ''
          : r.disabilityGrade === null
            ? tr('notGraded')
            : `${r.disabilityGrade}`,
    },
    {
      title: tr('actions'),
      key: 'actions',
      render: (_: unknown, r) => (
        <Space wrap>
          {steps(r).map((step) => (
            <Button
              key={step}
              size="small"
              onClick={() => onStep(step, r)}
              data-testid={`appraisal-step-${step}`}
            >
              {tr(step)}
            </Button>
          ))}
        </Space>
      ),
    },
  ];
}

function dueTag(r: Appraisal, today: string, overdue: string) {
  if (r.status === 'concluded' || r.effectiveDueOn === null) return null;
  const left = daysUntil(today, r.effectiveDueOn);
  if (left < 0) return <Tag color="red">{overdue}</Tag>;
  return <Tag color={left <= 10 ? 'orange' : 'default'}>{left}</Tag>;
}
