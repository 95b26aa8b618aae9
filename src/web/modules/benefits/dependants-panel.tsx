import {
  Alert,
  Button,
  Card,
  Input,
  Modal,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import type { BenefitMessageKey } from './benefit-messages.ts';
import { benefitsApi, type DeathFacts } from './benefits-api.ts';

type Dependant = DeathFacts['dependants'][number];

/**
 * The 供养亲属 of a death case on the case page, ID numbers masked as the server sends them. A user
 * holding pii:reveal gets a 查看身份证号 button per row: it asks a reason, calls the audited reveal
 * route and shows the full number in the dialog (or the refusal); without the permission there is
 * no button (the route would answer 403 anyway).
 */
export function DependantsPanel(props: { regionCode: string; caseId: string; canReveal: boolean }) {
  const { b } = useBenefitText();
  const [facts, setFacts] = useState<DeathFacts | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [revealing, setRevealing] = useState<Dependant | null>(null);
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
  if (props.canReveal)
    columns.push({
      title: b('actions'),
      key: 'reveal',
      render: (_: unknown, d: Dependant) => (
        <Button
          size="small"
          data-testid={`dependant-reveal-${d.ordinal.toString()}`}
          onClick={() => setRevealing(d)}
        >
          {b('reveal')}
        </Button>
      ),
    });
  return (
    <Card title={b('dependants')} data-testid="dependants-panel">
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
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
      {revealing !== null && (
        <RevealDialog
          regionCode={props.regionCode}
          caseId={props.caseId}
          dependant={revealing}
          onClose={() => setRevealing(null)}
        />
      )}
    </Card>
  );
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
