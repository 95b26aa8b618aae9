import { Alert, Button, Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Appraisal, appraisalApi, type CaseAppraisals } from './appraisal-api.ts';
import { appraisalText } from './appraisal-messages.ts';
import { EffectiveDue } from './case-format.tsx';

export type AppraisalPanelProps = { regionCode: string; caseId: string };

/**
 * The case page's appraisal panel: the case's current conclusion and each appraisal with its due
 * day, panel and conclusion; the drawn panel can be replayed from its recorded seed.
 */
export function AppraisalPanel({ regionCode, caseId }: AppraisalPanelProps) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const [data, setData] = useState<CaseAppraisals | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    appraisalApi
      .ofCase(regionCode, caseId)
      .then(setData)
      .catch((e: unknown) => setError(describeError(e)));
  }, [regionCode, caseId]);
  if (error !== null) return <Alert type="error" showIcon title={`${tr('loadError')}: ${error}`} />;
  if (data === null) return null;
  return (
    <div data-testid="appraisal-panel">
      <Typography.Title level={4}>{tr('panel')}</Typography.Title>
      {data.appraisals.length === 0 ? (
        <Empty description={tr('noAppraisal')} />
      ) : (
        <List
          dataSource={data.appraisals}
          renderItem={(a) => (
            <List.Item key={a.id}>
              <AppraisalItem appraisal={a} current={data.current?.appraisalId === a.id} />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

/** One appraisal: due day, status, conclusion, panel and its replay. */
function AppraisalItem({ appraisal: a, current }: { appraisal: Appraisal; current: boolean }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const [verified, setVerified] = useState<string | null>(null);
  const verify = () =>
    appraisalApi
      .verify(a.regionCode, a.id)
      .then(() => setVerified(tr('verified')))
      .catch((e: unknown) => setVerified(describeError(e)));
  return (
    <Descriptions
      size="small"
      column={2}
      title={
        <Space>
          {tr(a.kind)}
          {current && <Tag color="blue">{tr('current')}</Tag>}
          {a.committeeLevel === 'province' && a.status === 'concluded' && <Tag>{tr('final')}</Tag>}
        </Space>
      }
      items={[
        { key: 'applied', label: tr('applied'), children: a.appliedOn },
        { key: 'due', label: tr('due'), children: <EffectiveDue a={a} /> },
        {
          key: 'status',
          label: tr('status'),
          children: tr(a.status === 'concluded' ? 'concluded_status' : a.status),
        },
        { key: 'grade', label: tr('grade'), children: gradeText(a, tr) },
        // The service (送达) is due (《工伤保险条例》第二十五条第二款: "劳动能力鉴定结论应当及时送达申请鉴定的单位和个人")
        // and starts the re-appraisal's 15 days (第二十六条: "可以在收到该鉴定结论之日起15日内…提出再次鉴定申请").
        // Shown once the appraisal is concluded, "无" until recorded.
        ...(a.status === 'concluded'
          ? [{ key: 'served', label: tr('servedOn'), children: a.servedOn ?? tr('none') }]
          : []),
        {
          key: 'nursing',
          label: tr('nursing'),
          children: a.nursingLevel ? tr(a.nursingLevel) : tr('none'),
        },
        {
          key: 'extension',
          label: tr('extension'),
          children: a.stopWorkExtensionMonths ?? tr('none'),
        },
        { key: 'clauses', label: tr('clauses'), children: a.gradingClauses.join('、') },
        {
          key: 'experts',
          label: tr('experts'),
          children: a.draw ? (
            <Space wrap>
              {a.draw.panel.map((e) => (
                <Tag key={e.id}>{e.name}</Tag>
              ))}
              <span>
                {tr('seed')} {a.draw.seed}
              </span>
              <Button size="small" onClick={verify} data-testid="appraisal-verify">
                {tr('verify')}
              </Button>
              {verified}
            </Space>
          ) : (
            tr('none')
          ),
        },
      ]}
    />
  );
}

function gradeText(a: Appraisal, tr: (k: 'notGraded') => string): string {
  if (a.conclusion === null) return '';
  return a.disabilityGrade === null ? tr('notGraded') : String(a.disabilityGrade);
}

/** The work list's row detail: the appraisal read again with its panel draw, then shown whole. */
export function AppraisalDetail({ regionCode, id }: { regionCode: string; id: string }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const [data, setData] = useState<Appraisal | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    appraisalApi
      .show(regionCode, id)
      .then(setData)
      .catch((e: unknown) => setError(describeError(e)));
  }, [regionCode, id]);
  if (error !== null) return <Alert type="error" showIcon title={`${tr('loadError')}: ${error}`} />;
  if (data === null) return null;
  return <AppraisalItem appraisal={data} current={false} />;
}
