import type { ItemCode, Payer } from './item.ts';

/**
 * Who pays, per 社会保险法 第三十八条 (fund) and 第三十九条 (employer), V. The only item whose payer
 * depends on the case is the monthly 伤残津贴: grades 1–4 fund (Art. 38(六)), grades 5–6 employer
 * (Art. 39(二)). Benefits outside the calculator contract are listed too, so that one table answers
 * the payer question everywhere (停工留薪期 wages: employer, Art. 39(一)).
 */
export type PayerBasis = { payer: Payer; basis: string };

export const PAYER_BY_ITEM: Readonly<
  Record<Exclude<ItemCode, 'disability_allowance'>, PayerBasis>
> = {
  disability_lump_sum: { payer: 'fund', basis: '《社会保险法》第三十八条第（六）项' },
  nursing_allowance: { payer: 'fund', basis: '《社会保险法》第三十八条第（五）项' },
  medical_separation_grant: { payer: 'fund', basis: '《社会保险法》第三十八条第（七）项' },
  employment_separation_grant: { payer: 'employer', basis: '《社会保险法》第三十九条第（三）项' },
  funeral_grant: { payer: 'fund', basis: '《社会保险法》第三十八条第（八）项' },
  survivor_pension: { payer: 'fund', basis: '《社会保险法》第三十八条第（八）项' },
  death_lump_sum: { payer: 'fund', basis: '《社会保险法》第三十八条第（八）项' },
};

export function allowancePayer(grade: number): PayerBasis {
  return grade <= 4
    ? { payer: 'fund', basis: '《社会保险法》第三十八条第（六）项' }
    : { payer: 'employer', basis: '《社会保险法》第三十九条第（二）项' };
}

/** Benefits the calculator does not return as items, with their payer. */
export const PAYER_OTHER = {
  stop_work_pay: {
    payer: 'employer',
    basis: '《社会保险法》第三十九条第（一）项；《工伤保险条例》第三十三条',
  },
  stop_work_nursing: { payer: 'employer', basis: '《工伤保险条例》第三十三条第三款' },
  missing_worker_wages: { payer: 'employer', basis: '《工伤保险条例》第四十一条' },
  missing_worker_advance: { payer: 'fund', basis: '《工伤保险条例》第四十一条' },
  retirement_top_up: {
    payer: 'fund',
    basis: '《社会保险法》第四十条；《工伤保险条例》第三十五条第一款第（三）项',
  },
  medical_treatment: { payer: 'fund', basis: '《社会保险法》第三十八条第（一）项' },
  assistive_devices: { payer: 'fund', basis: '《社会保险法》第三十八条第（四）项' },
} as const satisfies Record<string, PayerBasis>;
