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
      adoptive: false,
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

  it('sends adoptive only for a child or a parent (河南 asks them for the adoption’s 公证书)', () => {
    const row = {
      name: '李明',
      relation: 'child' as const,
      idNumber: '330102201209010019',
      birthDate: '2012-09-01',
      orphanOrSoleElder: false,
      adoptive: true,
    };
    const draft = { diedOn: '2025-07-10', circumstance: 'injury' as const, preDeathWageYuan: '' };
    const sent = (r: typeof row | (Omit<typeof row, 'relation'> & { relation: 'spouse' })) =>
      deathFactsBodyOf({ ...draft, dependants: [r] }).dependants[0]?.adoptive;
    expect([sent(row), sent({ ...row, relation: 'spouse' })]).toEqual([true, false]);
  });
});
