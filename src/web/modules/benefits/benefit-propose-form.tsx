import { Button, Checkbox, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { yuanToFen } from '../../format/money.ts';
import { useBenefitText } from './benefit-decision-tables.tsx';
import type { ProposeInput } from './benefits-api.ts';

type Row = { month: string; yuan: string };

/** The rows the handler typed → the proposal's body (months without a valid amount are left out). */
export function proposeBodyOf(
  rows: readonly Row[],
  evidence: string,
  arranged: boolean,
): ProposeInput {
  const enteredWages = rows.flatMap((r) => {
    const fen = yuanToFen(r.yuan);
    return /^\d{4}-\d{2}$/.test(r.month) && fen !== null ? [{ month: r.month, wageFen: fen }] : [];
  });
  return {
    enteredWages,
    wageEvidence: evidence.trim() === '' ? null : evidence.trim(),
    employerArrangedWork: arranged,
  };
}

/** The proposal: wages of months without a declaration (with their evidence), grade 5–6 work. */
export function ProposeForm(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (body: ProposeInput) => void;
}) {
  const { b } = useBenefitText();
  const [rows, setRows] = useState<Row[]>([]);
  const [evidence, setEvidence] = useState('');
  const [arranged, setArranged] = useState(false);
  const setRow = (i: number, next: Partial<Row>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...next } : r)));
  return (
    <Modal
      open={props.open}
      title={b('propose')}
      okText={b('submit')}
      cancelText={b('cancel')}
      onCancel={props.onClose}
      onOk={() => props.onSubmit(proposeBodyOf(rows, evidence, arranged))}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="benefit-propose-form">
        <span>{b('enteredWages')}</span>
        {rows.map((r, i) => (
          <Space key={`row-${i.toString()}`}>
            <Input
              placeholder="YYYY-MM"
              data-testid={`benefit-wage-month-${i.toString()}`}
              value={r.month}
              onChange={(e) => setRow(i, { month: e.target.value })}
            />
            <Input
              placeholder={b('wage')}
              data-testid={`benefit-wage-yuan-${i.toString()}`}
              value={r.yuan}
              onChange={(e) => setRow(i, { yuan: e.target.value })}
            />
          </Space>
        ))}
        <Button
          size="small"
          data-testid="benefit-add-month"
          onClick={() => setRows([...rows, { month: '', yuan: '' }])}
        >
          {b('addMonth')}
        </Button>
        <Input.TextArea
          placeholder={b('evidence')}
          data-testid="benefit-wage-evidence"
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
        />
        <Checkbox checked={arranged} onChange={(e) => setArranged(e.target.checked)}>
          {b('employerArrangedWork')}
        </Checkbox>
      </Space>
    </Modal>
  );
}
