import {
  Alert,
  Button,
  Card,
  DatePicker,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import {
  contributionsApi,
  type FloatingReview,
  type FloatingReviewItem,
} from './contributions-api.ts';

type Translate = ReturnType<typeof useI18n>['t'];

const gradeKeys = {
  down2: 'contributions.floating.grade.down2',
  down1: 'contributions.floating.grade.down1',
  base: 'contributions.floating.grade.base',
  up1: 'contributions.floating.grade.up1',
  up2: 'contributions.floating.grade.up2',
} as const satisfies Record<FloatingReviewItem['currentGrade'], MessageKey>;

function itemColumns(t: Translate, review: FloatingReview): TableColumnsType<FloatingReviewItem> {
  const grade = (g: FloatingReviewItem['currentGrade'] | null) =>
    g === null ? '—' : t(gradeKeys[g]);
  return [
    { title: t('registry.employer.name'), dataIndex: 'employerName' },
    { title: t('registry.employer.creditCode'), dataIndex: 'creditCode' },
    {
      title: t('contributions.floating.contributions'),
      dataIndex: 'contributionsFen',
      render: (v: number | null) => (v === null ? '—' : fenToYuanText(v)),
    },
    {
      title: t('contributions.floating.benefits'),
      dataIndex: 'benefitCostsFen',
      render: (v: number | null) => (v === null ? '—' : fenToYuanText(v)),
    },
    { title: t('contributions.floating.ratio'), dataIndex: 'ratio', render: (v) => v ?? '—' },
    { title: t('contributions.floating.current'), dataIndex: 'currentGrade', render: grade },
    {
      title: t('contributions.floating.proposed'),
      key: 'proposed',
      render: (_: unknown, i: FloatingReviewItem) =>
        i.outcome === 'left_out' ? (
          <Tag>{t('contributions.floating.leftOut', { reason: i.leftOutReason ?? '' })}</Tag>
        ) : (
          <Tag color={i.proposedGrade === i.currentGrade ? 'default' : 'blue'}>
            {grade(i.proposedGrade)}
          </Tag>
        ),
    },
    {
      title: t('contributions.floating.letter'),
      key: 'letter',
      render: (_: unknown, i: FloatingReviewItem) =>
        review.status === 'applied' && i.outcome === 'proposed' ? (
          <a
            href={contributionsApi.floatingLettersUrl(review.regionCode, review.id, i.employerId)}
            data-testid={`floating-letter-${i.employerId}`}
          >
            PDF
          </a>
        ) : (
          '—'
        ),
    },
  ];
}

/** A review's summary line, its items and — once applied — the letters. */
function ReviewDetail({ review }: { review: FloatingReview }) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="floating-review-detail">
      <Typography.Text>
        {t('contributions.floating.summary', {
          year: review.year,
          effective: review.effectiveFrom,
          status: review.status,
          changed: review.changedCount,
          leftOut: review.leftOutCount,
          approval: review.approvalId ?? '—',
        })}
      </Typography.Text>
      {review.status === 'applied' && (
        <a
          href={contributionsApi.floatingLettersUrl(review.regionCode, review.id)}
          data-testid="floating-letters-all"
        >
          {t('contributions.floating.lettersAll')}
        </a>
      )}
      <Table
        size="small"
        rowKey="employerId"
        columns={itemColumns(t, review)}
        dataSource={review.items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </Space>
  );
}

/**
 * 浮动费率评审 of a city and year in two steps (maker-checker): the handler runs the review, which
 * files an approval bound to its proposals; once another person approved it, the handler applies
 * it and the letters can be downloaded. Earlier reviews of the city can be opened from the list.
 */
export function FloatingReviewCard({ region, canWrite }: { region: string; canWrite: boolean }) {
  const { t } = useI18n();
  const [year, setYear] = useState<number>(dayjs().year());
  const [effective, setEffective] = useState<Dayjs>(dayjs().startOf('year').add(6, 'month'));
  const [review, setReview] = useState<FloatingReview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const list = useLoad(() => contributionsApi.floatingReviews(region), [region, version]);
  const act = async (step: () => Promise<FloatingReview>) => {
    setError(null);
    try {
      setReview(await step());
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  const run = () =>
    act(() => contributionsApi.runFloatingReview(region, year, effective.format('YYYY-MM-DD')));
  const apply = (r: FloatingReview) =>
    act(() => contributionsApi.applyFloatingReview(region, r.id, r.approvalId ?? ''));
  const open = (id: string) => act(() => contributionsApi.floatingReview(region, id));
  const reviews = list.status === 'ready' ? list.data.reviews : [];
  return (
    <Card title={t('contributions.floating.title')} data-testid="floating-review-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('contributions.floating.about')}</Typography.Text>
        <Space wrap>
          {canWrite && (
            <>
              <InputNumber
                min={2000}
                max={2100}
                value={year}
                onChange={(v) => v !== null && setYear(v)}
                aria-label={t('contributions.floating.year')}
                data-testid="floating-year"
              />
              <DatePicker
                allowClear={false}
                value={effective}
                onChange={(d) => d !== null && setEffective(d)}
                aria-label={t('contributions.floating.effective')}
                data-testid="floating-effective"
              />
              <Button onClick={() => void run()} data-testid="floating-run">
                {t('contributions.floating.run')}
              </Button>
            </>
          )}
          <Select
            style={{ minWidth: 260 }}
            placeholder={t('contributions.floating.open')}
            value={review?.id ?? null}
            onChange={(id: string) => void open(id)}
            options={reviews.map((r) => ({
              value: r.id,
              label: `${r.year} · ${r.effectiveFrom} · ${r.status}`,
            }))}
            data-testid="floating-reviews"
          />
          {canWrite && review?.status === 'proposed' && review.approvalId !== null && (
            <Button type="primary" onClick={() => void apply(review)} data-testid="floating-apply">
              {t('contributions.floating.apply')}
            </Button>
          )}
        </Space>
        {review !== null && <ReviewDetail review={review} />}
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
      </Space>
    </Card>
  );
}
