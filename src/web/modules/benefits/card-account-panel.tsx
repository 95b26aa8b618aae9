import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { todayIso } from '../cases/case-format.tsx';
import { type BenefitEventKey, benefitEventText } from './benefit-events-messages.ts';
import {
  beneficiaryOf,
  type CardAccountEntry,
  type CardAccounts,
  type CardBeneficiary,
  cardAccountApi,
} from './card-account-api.ts';
import {
  CARD_ACCOUNT_FIELDS,
  type CardAccountField,
  type CardAccountInput,
  cardAccountBodyOf,
  type PlacedProblem,
  placeCardAccountProblem,
  shownAccountNumber,
} from './card-account-view.ts';

export function useBenefitEventText() {
  const { language } = useI18n();
  return {
    language,
    e: (key: BenefitEventKey, vars?: Readonly<Record<string, string | number>>) =>
      benefitEventText(language, key, vars),
  };
}

export type CardAccountPanelProps = {
  regionCode: string;
  workerId: string;
  /** fund:write: the handler records a new account; without it the panel only reads. */
  canWrite: boolean;
};

/**
 * 社保卡账户 of the case's worker (docs/benefits.md "Card accounts") in its card on the case page.
 * A dependant's is the same section in a dialog of the dependants panel.
 */
export function CardAccountPanel({ regionCode, workerId, canWrite }: CardAccountPanelProps) {
  const { e } = useBenefitEventText();
  return (
    <Card title={e('card.title')} data-testid="card-account-panel">
      <CardAccountSection
        regionCode={regionCode}
        who={{ kind: 'worker', workerId }}
        canWrite={canWrite}
      />
    </Card>
  );
}

/**
 * A dependant's card account (the survivor's pension is paid to it), opened from the dependants
 * panel's row and shown inside that panel (no dialog: the form is the one modal, as on the case).
 */
export function DependantCardAccount(props: {
  regionCode: string;
  dependantId: string;
  title: string;
  onClose: () => void;
}) {
  const { e } = useBenefitEventText();
  return (
    <Card
      size="small"
      title={`${e('card.title')} · ${props.title}`}
      data-testid="dependant-card-account"
      extra={
        <Button type="link" data-testid="dependant-card-account-close" onClick={props.onClose}>
          {e('close')}
        </Button>
      }
    >
      <CardAccountSection
        regionCode={props.regionCode}
        who={{ kind: 'dependant', dependantId: props.dependantId }}
        canWrite
      />
    </Card>
  );
}

/**
 * The account in force and every version, numbers as the API sends them (masked but the last four
 * digits unless the reader holds pii:reveal; the read is audited by the server), and for the
 * handler a form that records a new version. The server checks the name, the date and the digits;
 * the form shows its problems.
 */
function CardAccountSection(props: {
  regionCode: string;
  who: CardBeneficiary;
  canWrite: boolean;
}) {
  const { regionCode, who, canWrite } = props;
  const { e } = useBenefitEventText();
  const [view, setView] = useState<CardAccounts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  // The callback keys on the kind and the id, not on `who` (a new object on each render).
  const kind = who.kind;
  const id = who.kind === 'worker' ? who.workerId : who.dependantId;
  const load = useCallback(async () => {
    try {
      setView(await cardAccountApi.show(regionCode, beneficiaryOf(kind, id)));
    } catch (err) {
      setError(err);
    }
  }, [regionCode, kind, id]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
      {view !== null && <CardAccountShown view={view} />}
      {canWrite && view !== null && (
        <Button data-testid="card-account-record" onClick={() => setOpen(true)}>
          {e('card.record')}
        </Button>
      )}
      {open && view !== null && (
        <CardAccountForm
          name={view.name}
          onClose={() => setOpen(false)}
          onSave={async (input) => {
            const saved = await cardAccountApi.set(regionCode, who, cardAccountBodyOf(input));
            setOpen(false);
            setError(null);
            setView(saved);
          }}
        />
      )}
    </Space>
  );
}

function CardAccountShown({ view }: { view: CardAccounts }) {
  const { e } = useBenefitEventText();
  const current = view.current;
  return (
    <>
      {current === null ? (
        <span data-testid="card-account-none">{e('card.none')}</span>
      ) : (
        <Descriptions size="small" column={2} data-testid="card-account-current">
          <Descriptions.Item label={e('card.bankName')}>{current.bankName}</Descriptions.Item>
          <Descriptions.Item label={e('card.accountNumber')}>
            <span data-testid="card-account-number">{shownAccountNumber(current)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={e('card.accountName')}>{current.accountName}</Descriptions.Item>
          <Descriptions.Item label={e('card.validFrom')}>{current.validFrom}</Descriptions.Item>
        </Descriptions>
      )}
      {view.accounts.length > 0 && (
        <Table
          size="small"
          pagination={false}
          data-testid="card-account-versions"
          rowKey={(r: CardAccountEntry) => `${r.validFrom}-${r.recordedAt}`}
          dataSource={view.accounts}
          columns={[
            { title: e('card.validFrom'), dataIndex: 'validFrom' },
            { title: e('card.bankName'), dataIndex: 'bankName' },
            {
              title: e('card.accountNumber'),
              render: (_: unknown, r: CardAccountEntry) => shownAccountNumber(r),
            },
            { title: e('card.accountName'), dataIndex: 'accountName' },
            { title: e('card.recordedBy'), dataIndex: 'recordedBy' },
          ]}
        />
      )}
    </>
  );
}

const EMPTY_PLACED: PlacedProblem = { fields: {}, general: null };

/**
 * The account's form. It stays open on a refusal: the server's problems go under their fields
 * (户名 that is not the register's name, a date before the current month) or above the form.
 */
function CardAccountForm(props: {
  name: string;
  onClose: () => void;
  onSave: (input: CardAccountInput) => Promise<void>;
}) {
  const { e } = useBenefitEventText();
  const [input, setInput] = useState<CardAccountInput>({
    bankName: '',
    accountNumber: '',
    accountName: props.name,
    validFrom: todayIso(),
  });
  const [placed, setPlaced] = useState<PlacedProblem>(EMPTY_PLACED);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setPlaced(EMPTY_PLACED);
    try {
      await props.onSave(input);
    } catch (err) {
      const problem = err instanceof ApiError ? err.problem : null;
      setPlaced(placeCardAccountProblem(problem, describeError(err)));
    } finally {
      setBusy(false);
    }
  };
  const field = (name: CardAccountField) => (
    <Form.Item
      key={name}
      label={e(`card.${name}`)}
      validateStatus={placed.fields[name] === undefined ? '' : 'error'}
      help={placed.fields[name]}
      extra={name === 'accountName' ? e('card.nameHint', { name: props.name }) : undefined}
    >
      <Input
        data-testid={`card-account-${name}`}
        placeholder={name === 'validFrom' ? 'YYYY-MM-DD' : undefined}
        value={input[name]}
        onChange={(ev) => setInput({ ...input, [name]: ev.target.value })}
      />
    </Form.Item>
  );
  return (
    <Modal
      open
      title={e('card.record')}
      okText={e('save')}
      cancelText={e('cancel')}
      confirmLoading={busy}
      onCancel={props.onClose}
      onOk={() => void save()}
    >
      <Form layout="vertical" data-testid="card-account-form">
        {placed.general !== null && (
          <Alert type="error" showIcon title={placed.general} data-testid="card-account-error" />
        )}
        {CARD_ACCOUNT_FIELDS.map(field)}
      </Form>
    </Modal>
  );
}
