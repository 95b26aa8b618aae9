import {
  Alert,
  Button,
  Card,
  Input,
  Modal,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { type MaterialItemCode, materialsApi } from '../cases/materials-api.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import type { BenefitMessageKey } from './benefit-messages.ts';
import { benefitsApi, type DeathFacts } from './benefits-api.ts';
import { DependantCardAccount, useBenefitEventText } from './card-account-panel.tsx';
import { SurvivorChangeDialog } from './survivor-change-dialog.tsx';
import { SurvivorChangesList } from './survivor-changes-list.tsx';
import { paperStates, papersSummary, paperText } from './survivor-papers.ts';

type Dependant = DeathFacts['dependants'][number];

/**
 * The 供养亲属 of a death case on the case page, ID numbers masked as the server sends them. A user
 * holding pii:reveal gets a 查看身份证号 button per row: it asks a reason, calls the audited reveal
 * route and shows the full number in the dialog (or the refusal); without the permission there is
 * no button (the route would answer 403 anyway). A user who may write the case uploads each
 * dependant's papers (survivors' evidence, docs/benefits.md) from the same row; where the province
 * asks for them, each row shows which are on file and which are still required, as the server
 * reckons them for the death decision's approval. The handler (fund:write) also sees the pension
 * changes proposed for the dependants, and applies an approved one (survivor-changes-list.tsx).
 */
export function DependantsPanel(props: {
  regionCode: string;
  caseId: string;
  canReveal: boolean;
  canUpload: boolean;
  /** fund:write: the handler may propose that a pension ends, is suspended or resumes. */
  canChangePension?: boolean;
}) {
  const { b, language } = useBenefitText();
  const dependantColumns = useDependantColumns();
  const [facts, setFacts] = useState<DeathFacts | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [revealing, setRevealing] = useState<Dependant | null>(null);
  const [papering, setPapering] = useState<Dependant | null>(null);
  const [changing, setChanging] = useState<Dependant | null>(null);
  const [carding, setCarding] = useState<Dependant | null>(null);
  // Bumped when the change dialog closes, so the list of changes reads the new proposal.
  const [changesVersion, setChangesVersion] = useState(0);
  const canChange = props.canChangePension === true;
  const load = useCallback(async () => {
    try {
      setFacts(await benefitsApi.deathFacts(props.regionCode, props.caseId));
    } catch (e) {
      setError(e);
    }
  }, [props.regionCode, props.caseId]);
  useEffect(() => {
    void load();
  }, [load]);
  // A case without death facts is not a death case: nothing to show.
  if (facts === null || (facts === undefined && error === null)) return null;
  const columns = dependantColumns(facts?.survivorEvidence ?? null);
  const summary = facts ? papersSummary(language, facts) : null;
  if (props.canReveal || props.canUpload || canChange)
    columns.push(
      actionsColumn(
        b('actions'),
        { ...props, canChange },
        { setRevealing, setPapering, setChanging, setCarding },
      ),
    );
  return (
    <Card title={b('dependants')} data-testid="dependants-panel">
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
      {summary !== null && (
        <Alert
          type={summary.complete ? 'success' : 'warning'}
          showIcon
          title={summary.text}
          data-testid="dependant-papers-summary"
        />
      )}
      {facts !== undefined && facts.dependants.length === 0 ? (
        <Typography.Text>{b('noDependants')}</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          columns={columns}
          dataSource={facts?.dependants ?? []}
        />
      )}
      <RowDialogs
        regionCode={props.regionCode}
        caseId={props.caseId}
        open={{ revealing, changing, carding }}
        close={{ setRevealing, setChanging, setCarding }}
        onChangeClosed={() => setChangesVersion((v) => v + 1)}
      />
      {canChange && facts !== undefined && (
        <SurvivorChangesList
          regionCode={props.regionCode}
          caseId={props.caseId}
          names={new Map(facts.dependants.map((d) => [d.id, d.name]))}
          version={changesVersion}
          canApply={canChange}
        />
      )}
      {papering !== null && (
        <PaperDialog
          regionCode={props.regionCode}
          caseId={props.caseId}
          dependant={papering}
          onClose={() => {
            setPapering(null);
            // A paper handed in changes what is still required.
            void load();
          }}
        />
      )}
    </Card>
  );
}

/** What a row opens that changes nothing of the list: the reveal, the pension change, the account. */
function RowDialogs(props: {
  regionCode: string;
  caseId: string;
  open: { revealing: Dependant | null; changing: Dependant | null; carding: Dependant | null };
  close: { [K in 'setRevealing' | 'setChanging' | 'setCarding']: (d: null) => void };
  /** The change dialog closed: a change may have been proposed, so its list reads again. */
  onChangeClosed: () => void;
}) {
  const { revealing, changing, carding } = props.open;
  return (
    <>
      {revealing !== null && (
        <RevealDialog
          regionCode={props.regionCode}
          caseId={props.caseId}
          dependant={revealing}
          onClose={() => props.close.setRevealing(null)}
        />
      )}
      {changing !== null && (
        <SurvivorChangeDialog
          regionCode={props.regionCode}
          dependantId={changing.id}
          title={changing.name}
          onClose={() => {
            props.close.setChanging(null);
            props.onChangeClosed();
          }}
        />
      )}
      {carding !== null && (
        <DependantCardAccount
          regionCode={props.regionCode}
          dependantId={carding.id}
          title={carding.name}
          onClose={() => props.close.setCarding(null)}
        />
      )}
    </>
  );
}

type RowAction = (d: Dependant) => void;

type RowActions = {
  setRevealing: RowAction;
  setPapering: RowAction;
  setChanging: RowAction;
  setCarding: RowAction;
};

/**
 * The row's buttons: reveal (pii:reveal), papers (case:write), pension change and the card account
 * the pension is paid to (fund:write).
 */
function actionsColumn(
  title: string,
  can: { canReveal: boolean; canUpload: boolean; canChange: boolean },
  on: RowActions,
) {
  return {
    title,
    key: 'actions',
    render: (_: unknown, d: Dependant) => <DependantActions can={can} on={on} d={d} />,
  };
}

function DependantActions(props: {
  can: { canReveal: boolean; canUpload: boolean; canChange: boolean };
  on: RowActions;
  d: Dependant;
}) {
  const { b } = useBenefitText();
  const { e } = useBenefitEventText();
  const { can, on, d } = props;
  return (
    <Space>
      {can.canReveal && (
        <Button
          size="small"
          data-testid={`dependant-reveal-${d.ordinal.toString()}`}
          onClick={() => on.setRevealing(d)}
        >
          {b('reveal')}
        </Button>
      )}
      {can.canUpload && (
        <Button size="small" onClick={() => on.setPapering(d)}>
          {b('paper')}
        </Button>
      )}
      {can.canChange && (
        <Button
          size="small"
          data-testid={`survivor-change-${d.ordinal.toString()}`}
          onClick={() => on.setChanging(d)}
        >
          {b('survivorChange')}
        </Button>
      )}
      {can.canChange && (
        <Button
          size="small"
          data-testid={`dependant-card-account-${d.ordinal.toString()}`}
          onClick={() => on.setCarding(d)}
        >
          {e('card.dependantButton')}
        </Button>
      )}
    </Space>
  );
}

/** The list's columns; where the province asks for papers (河南), each dependant's: on file or still required. */
function useDependantColumns() {
  const { b, language } = useBenefitText();
  return (evidence: DeathFacts['survivorEvidence']): TableColumnsType<Dependant> => {
    const columns: TableColumnsType<Dependant> = [
      { title: b('dependantName'), dataIndex: 'name' },
      {
        title: b('relation'),
        dataIndex: 'relation',
        render: (r: Dependant['relation']) => b(`relation.${r}` satisfies BenefitMessageKey),
      },
      { title: b('idNumber'), dataIndex: 'idNumberMasked' },
      { title: b('birthDate'), dataIndex: 'birthDate' },
    ];
    if (evidence === null) return columns;
    columns.push({
      title: b('papers'),
      key: 'papers',
      render: (_: unknown, d: Dependant) => (
        <Space wrap data-testid={`dependant-papers-${d.ordinal.toString()}`}>
          {(paperStates(evidence, d.id) ?? []).map((p) => (
            <Tag key={p.kind} color={p.state === 'on_file' ? 'green' : 'red'}>
              {`${paperText(language, p.kind)} · ${b(p.state === 'on_file' ? 'paperOnFile' : 'paperMissing')}`}
            </Tag>
          ))}
        </Space>
      ),
    });
    return columns;
  };
}

/** Asks the reason, then shows the number the server answered, or why it refused. */
function RevealDialog(props: {
  regionCode: string;
  caseId: string;
  dependant: Dependant;
  onClose: () => void;
}) {
  const { b } = useBenefitText();
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (reason.trim() === '') return setError(b('revealReasonRequired'));
    setError(null);
    try {
      const out = await benefitsApi.revealDependant(
        props.regionCode,
        props.caseId,
        props.dependant.id,
        reason.trim(),
      );
      setShown(out.idNumber);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <Modal
      open
      title={`${b('revealTitle')} · ${props.dependant.name}`}
      okText={b('reveal')}
      cancelText={b('cancel')}
      okButtonProps={{ disabled: shown !== null, 'data-testid': 'dependant-reveal-submit' }}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input
          placeholder={b('revealReason')}
          data-testid="dependant-reveal-reason"
          value={reason}
          disabled={shown !== null}
          onChange={(e) => setReason(e.target.value)}
        />
        {shown !== null && (
          <Typography.Text copyable strong data-testid="dependant-revealed">
            {shown}
          </Typography.Text>
        )}
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}

const PAPERS = [
  'dependant_household_identity',
  'dependant_no_income',
  'dependant_orphan_or_sole_elder',
  'dependant_adoption',
] as const satisfies readonly MaterialItemCode[];

/** One paper of one dependant: its kind and the file; the server checks the type and the size. */
function PaperDialog(props: {
  regionCode: string;
  caseId: string;
  dependant: Dependant;
  onClose: () => void;
}) {
  const { b } = useBenefitText();
  const [kind, setKind] = useState<(typeof PAPERS)[number]>('dependant_household_identity');
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async () => {
    if (file === null) return;
    try {
      const target = { via: 'staff' as const, regionCode: props.regionCode, caseId: props.caseId };
      const stored = await materialsApi.upload(target, kind, file, () => {}, props.dependant.id);
      setOutcome({ ok: true, text: b('paperDone', { name: stored.fileName }) });
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e) });
    }
  };
  return (
    <Modal
      open
      title={`${b('paperTitle')} · ${props.dependant.name}`}
      okText={b('paperSend')}
      cancelText={b('cancel')}
      okButtonProps={{ disabled: file === null }}
      onOk={() => void send()}
      onCancel={props.onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          value={kind}
          onChange={setKind}
          style={{ width: '100%' }}
          options={PAPERS.map((code) => ({ value: code, label: b(`paper.${code}`) }))}
        />
        <input
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        {outcome !== null && (
          <Alert type={outcome.ok ? 'success' : 'error'} showIcon title={outcome.text} />
        )}
      </Space>
    </Modal>
  );
}
