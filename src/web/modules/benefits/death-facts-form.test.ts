import { describe, expect, it } from 'vitest';
import { deathFactsBodyOf } from './death-facts-form.tsx';

describe('the death facts form', () => {
  it('sends the draft trimmed, the pre-death wage in fen or null when left empty', () => {
    const row = {
      name: ' 王丽 ',
      relation: 'spouse' as const,
      idNumber: '330102198102038116 ',
      birthDate: '1981-02-03',
      orphanOrSoleElder: false,
    };
    const draft = { diedOn: '2025-07-10 ', circumstance: 'injury' as const, dependants: [row] };
    expect(deathFactsBodyOf({ ...draft, preDeathWageYuan: '6000.50' })).toEqual({
      diedOn: '2025-07-10',
      circumstance: 'injury',
      preDeathMonthlyWageFen: 600_050,
      dependants: [{ ...row, name: '王丽', idNumber: '330102198102038116' }],
    });
    expect(deathFactsBodyOf({ ...draft, preDeathWageYuan: ' ' }).preDeathMonthlyWageFen).toBeNull();
  });
});
