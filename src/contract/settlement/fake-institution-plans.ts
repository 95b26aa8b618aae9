import { z } from 'zod';
import { isoDate } from '../common.ts';
import { icd10 } from './his-messages.ts';
import { feeLineInput, visitKinds } from './settlement-lines.ts';

/**
 * The plans file of `tongchou settlement fake-institution` (docs/settlement-messages.md, "A fake
 * institution"): the visits a test institution settles through the transaction set. The lines
 * carry no numbers: the fake institution numbers them itself (afresh after a 冲正 of an upload).
 */
export const fakeVisitPlan = z.strictObject({
  /** 工伤认定编号 of an accepted case. */
  caseId: z.string().min(1).max(60),
  /** 社会保障号码 of the case's worker (read by 1101 读卡). */
  idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/, '社会保障号码: an 18-character ID number'),
  /** 门诊/住院号. */
  hisVisitNo: z.string().trim().min(1).max(50),
  kind: z.enum(visitKinds),
  openedOn: isoDate,
  diagnosisCode: icd10,
  lines: z
    .array(feeLineInput.omit({ lineNo: true }))
    .min(1)
    .max(99),
  /** Cancel the settlement (2208) once settled, then settle the visit again. */
  thenCancel: z.boolean().default(false),
});

export const fakeInstitutionPlans = z.strictObject({
  visits: z.array(fakeVisitPlan).min(1).max(200),
});
export type FakeInstitutionPlans = z.output<typeof fakeInstitutionPlans>;
