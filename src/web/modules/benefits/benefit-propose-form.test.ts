import { describe, expect, it } from 'vitest';
import { proposeBodyOf } from './benefit-propose-form.tsx';

describe('the proposal form’s body', () => {
  it('turns typed yuan into fen exactly and drops rows without a month or amount', () => {
    const body = proposeBodyOf(
      [
        { month: '2024-03', yuan: '5,500.10' },
        { month: '2024-04', yuan: '' },
        { month: '24-5', yuan: '100' },
      ],
      '  工资条 ',
      false,
    );
    expect(body).toEqual({
      enteredWages: [{ month: '2024-03', wageFen: 550_010 }],
      wageEvidence: '工资条',
      employerArrangedWork: false,
    });
  });
});
