import { Descriptions, Table, Tag, Typography } from 'antd';
import { fenToYuanText } from '../../format/money.ts';
import { benefitText, itemLabel } from './benefit-messages.ts';
import type { Missing } from './missing-api.ts';
import { useMissingText } from './missing-forms.tsx';
import { missingStage, relationOf } from './missing-view.ts';

/** The event as recorded: ground, wages, pensions, the lump sums, the advance and the two ends. */
export function MissingState({ view }: { view: Missing }) {
  const { m, language } = useMissingText();
  const stage = missingStage(view);
  const yuan = fenToYuanText;
  const w = view.employerWages;
  return (
    <>
      <Descriptions size="small" column={2} bordered data-testid="missing-state">
        <Descriptions.Item label={m('stage')}>
          <Tag data-testid="missing-stage">{stage === 'none' ? '—' : m(`stage.${stage}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={m('approval')}>
          {m('consumed', { id: view.approvalId })}
        </Descriptions.Item>
        <Descriptions.Item label={m('accidentDate')}>{view.accidentDate}</Descriptions.Item>
        <Descriptions.Item label={m('ground')}>{m(`ground.${view.ground}`)}</Descriptions.Item>
        <Descriptions.Item label={m('reason')} span={2}>
          {view.reason}
        </Descriptions.Item>
        <Descriptions.Item label={m('employerWages')} span={2}>
          {m('employerWagesValue', {
            months: w.months.join('、'),
            wage: yuan(w.monthlyWageFen),
            total: yuan(w.totalFen),
          })}
        </Descriptions.Item>
        <Descriptions.Item label={m('pensionsStartOn')}>
          <span data-testid="missing-pensions-start">{view.pensionsStartOn}</span>
        </Descriptions.Item>
        <Descriptions.Item label={m('recordedBy')}>{view.recordedBy}</Descriptions.Item>
        <Descriptions.Item label={m('deathLumpSum')}>
          {yuan(view.deathLumpSumFen)}
        </Descriptions.Item>
        <Descriptions.Item label={m('funeralGrant')}>
          {yuan(view.funeralGrantFen)}
        </Descriptions.Item>
        <Descriptions.Item label={m('advanceMax')}>{yuan(view.advanceMaxFen)}</Descriptions.Item>
        <Descriptions.Item label={m('overpaid')}>{yuan(view.overpaidFen)}</Descriptions.Item>
      </Descriptions>
      <PensionsTable view={view} />
      {view.ended.length > 0 && (
        <Typography.Text data-testid="missing-ended">
          {m('ended')}：
          {view.ended
            .map((e) => `${itemLabel(language, e.kind)} ${yuan(e.amountFen)} → ${e.endsOn ?? '—'}`)
            .join('；')}
        </Typography.Text>
      )}
      <MissingEnds view={view} />
    </>
  );
}

function PensionsTable({ view }: { view: Missing }) {
  const { m, language } = useMissingText();
  type Pension = Missing['pensions'][number];
  return (
    <Table<Pension>
      size="small"
      pagination={false}
      rowKey="entitlementId"
      data-testid="missing-pensions"
      title={() => m('pensions')}
      dataSource={view.pensions}
      columns={[
        { title: m('name'), render: (_: unknown, p: Pension) => p.name ?? '—' },
        {
          title: m('relation'),
          render: (_: unknown, p: Pension) => {
            const relation = relationOf(p.relation);
            return relation === null
              ? (p.relation ?? '—')
              : benefitText(language, `relation.${relation}`);
          },
        },
        { title: m('amount'), render: (_: unknown, p: Pension) => fenToYuanText(p.amountFen) },
        { title: m('startsOn'), dataIndex: 'startsOn' },
        { title: m('endsOn'), render: (_: unknown, p: Pension) => p.endsOn ?? '—' },
        {
          title: m('status'),
          render: (_: unknown, p: Pension) => <Tag>{m(`pension.${p.status}`)}</Tag>,
        },
      ]}
    />
  );
}

/** The advance, the declared death and the reappearance with what it produced. */
function MissingEnds({ view }: { view: Missing }) {
  const { m } = useMissingText();
  const yuan = fenToYuanText;
  const a = view.advance;
  const d = view.declared;
  const r = view.reappeared;
  return (
    <Descriptions size="small" column={1} bordered data-testid="missing-ends">
      <Descriptions.Item label={m('advance')}>
        {a === null ? (
          m('advanceNone')
        ) : (
          <span data-testid="missing-advance">
            {m('advanceValue', {
              amount: yuan(a.amountFen),
              on: a.on,
              status: m(a.paymentStatus === null ? 'payment.none' : `payment.${a.paymentStatus}`),
            })}{' '}
            · {m('consumed', { id: a.approvalId })}
          </span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={m('declared')}>
        {d === null ? (
          m('declaredNone')
        ) : (
          <span data-testid="missing-declared">
            {m('declaredValue', { deadOn: d.deadOn, reason: d.reason, on: d.on })} ·{' '}
            {m('consumed', { id: d.approvalId })}
          </span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={m('reappeared')}>
        {r === null ? m('reappearedNone') : <Reappeared reappeared={r} />}
      </Descriptions.Item>
    </Descriptions>
  );
}

function Reappeared({ reappeared: r }: { reappeared: NonNullable<Missing['reappeared']> }) {
  const { m } = useMissingText();
  const yuan = fenToYuanText;
  return (
    <div data-testid="missing-reappeared">
      <div>
        {m('reappearedValue', { on: r.on, evidence: r.evidence, recordedOn: r.recordedOn })} ·{' '}
        {m('consumed', { id: r.approvalId })}
      </div>
      <div>{m('returns')}</div>
      {r.returns.map((x) => (
        <div key={x.id} data-testid="missing-return">
          {m(`return.${x.reason}`)} {x.months.join('、')} {yuan(x.amountFen)}
        </div>
      ))}
      <Typography.Text strong data-testid="missing-return-total">
        {m('returnFen')} {yuan(r.returnFen)}
      </Typography.Text>
      <div>{m('letterNote')}</div>
    </div>
  );
}
