import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.ts';
import { isoDate, period, regionCode } from '../common.ts';
import { feeLineInput, SETTLEMENT_MESSAGE_VERSION, visitKinds } from './settlement-lines.ts';
import { catalogueKinds } from './settlement-reference-contract.ts';

/**
 * The institutions' transaction set as JSON over HTTPS (docs/settlement-messages.md): one route
 * per transaction code, every request an envelope — 版本号 `version`, 交易流水号 `serial` (the
 * institution's), 签到编号 `signInId` (from 9001, except 9001 itself) — around the transaction's
 * `body`. Every answer: the code, the serial, `replayed` (a stored answer to the same message) and
 * the body the transaction answers (documented per transaction).
 */
export const hisTxCodes = [
  '9001',
  '9002',
  '1101',
  '2201',
  '2202',
  '2203',
  '2204',
  '2205',
  '2206',
  '2207',
  '2208',
  '2209',
  '1320',
  '1321',
  '2301',
  '2302',
  '2303',
  '1301',
  '9103',
  '9104',
  '9105',
] as const;

export const serial = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a serial of 1–40 letters, digits, _ or -');
const signInId = z.string().regex(/^sgn_[0-9a-f]{16}$/, 'a sign-in id such as sgn_…');
const visitId = z.string().regex(/^vis_[0-9a-f]{16}$/, 'a visit id such as vis_…');
const settlementId = z.string().regex(/^stl_[0-9a-f]{16}$/, 'a settlement id such as stl_…');
export const icd10 = z
  .string()
  .regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code such as S82.2');
const fen = z.number().int().min(0).max(100_000_000_00);

function message<B extends z.ZodType>(body: B, signed = true) {
  return z.strictObject({
    version: z.literal(SETTLEMENT_MESSAGE_VERSION),
    serial,
    ...(signed ? { signInId } : { signInId: signInId.optional() }),
    body,
  });
}

export const signInMessage = message(
  z.strictObject({ operator: z.string().trim().min(1).max(60) }),
  false,
);
export const signOutMessage = message(z.strictObject({}));
/**
 * 1101's patient: the 社会保障号码 or the electronic card code the worker shows (exactly one). The
 * code's form is loose here on purpose: a code of the right characters that is not ours is
 * refused as settlement.ecard_invalid, which the counter can act on, not as a schema error.
 */
const patientFields = {
  idNumber: z
    .string()
    .regex(/^[0-9]{17}[0-9X]$/, '社会保障号码: an 18-character ID number')
    .optional(),
  ecardCode: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[A-Za-z0-9_.-]+$/, 'an electronic card code: base64url text and dots')
    .optional(),
};
const exactlyOnePatient = {
  message: 'send exactly one of idNumber (社会保障号码) and ecardCode (电子社保卡二维码)',
};
export const identifyMessage = message(
  z
    .strictObject(patientFields)
    .refine((b) => (b.idNumber === undefined) !== (b.ecardCode === undefined), exactlyOnePatient),
);
export const openVisitMessage = message(
  z.strictObject({
    caseId: z.string().min(1).max(60),
    hisVisitNo: z.string().trim().min(1).max(60),
    kind: z.enum(visitKinds),
    openedOn: isoDate,
    diagnosisCode: icd10,
  }),
);
export const visitMessage = message(z.strictObject({ visitId }));
export const amendVisitMessage = message(
  z.strictObject({ visitId, closedOn: isoDate.optional(), diagnosisCode: icd10.optional() }),
);
export const uploadLinesMessage = message(
  z.strictObject({ visitId, lines: z.array(feeLineInput).min(1).max(500) }),
);
export const cancelLinesMessage = message(
  z.strictObject({ visitId, lineNos: z.array(z.number().int().min(1).max(9999)).min(1).max(500) }),
);
export const settleMessage = message(
  z.strictObject({ visitId, lineCount: z.number().int().min(1).max(9999), claimedFen: fen }),
);
export const cancelSettlementMessage = message(z.strictObject({ settlementId }));
export const reversalMessage = message(z.strictObject({ txCode: z.enum(hisTxCodes), serial }));
const reconciliationPeriod = z.union([
  z.strictObject({ day: isoDate }),
  z.strictObject({ month: period }),
]);
export const totalsMessage = message(
  z.strictObject({
    period: reconciliationPeriod,
    count: z.number().int().min(0),
    fundFen: z.number().int(),
  }),
);
export const detailMessage = message(
  z.strictObject({
    period: reconciliationPeriod,
    settlements: z.array(z.strictObject({ settlementId, fundFen: z.number().int() })).max(10_000),
  }),
);

const referralId = z.string().regex(/^ref_[0-9a-f]{16}$/, 'a referral id such as ref_…');
/** 2301 转诊转院上传: the certifying institution's referral out of the city or county. */
export const fileReferralMessage = message(
  z.strictObject({
    caseId: z.string().min(1).max(60),
    toRegionCode: regionCode,
    toInstitution: z.string().trim().min(1).max(120),
    kind: z.enum(['treatment', 'rehabilitation']),
    reason: z.string().trim().min(1).max(500),
    referredOn: isoDate,
    doctor: z.strictObject({
      name: z.string().trim().min(1).max(60),
      licence: z.string().trim().min(1).max(40),
    }),
  }),
);
/** 2302 转诊转院查询: the institution's referrals, of one case if named. */
export const queryReferralsMessage = message(
  z.strictObject({ caseId: z.string().min(1).max(60).optional() }),
);
/** 2303 转诊转院撤销: a referral still waiting for the agency. */
export const cancelReferralMessage = message(z.strictObject({ referralId }));

/**
 * 1301's cursor: the `nextCursor` of the page before, sent back as is. It is the last row's key
 * (validFrom, then the code or own code after a colon); its form is checked here so that a
 * malformed cursor is a schema error, never a failed query.
 */
const downloadCursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}:.{1,60}$/, 'a cursor as answered (nextCursor)')
  .refine((c) => isIsoDate(c.slice(0, 10)), 'a cursor as answered (nextCursor)');
/**
 * 1301 批量数据下载: one page of the catalogue (`catalogue`) or of the institution's own code maps
 * (`codeMaps`) as of a day; with `changedSince`, only the rows whose validity or price changed from
 * that day to `asOf` (docs/settlement-messages.md). Keyset paging: `cursor`, `limit`.
 */
export const downloadMessage = message(
  z
    .strictObject({
      dataset: z.enum(['catalogue', 'codeMaps']),
      asOf: isoDate,
      changedSince: isoDate.optional(),
      kind: z.enum(catalogueKinds).optional(),
      codePrefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,40}$/, 'a code prefix: letters, digits, . _ -')
        .optional(),
      cursor: downloadCursor.optional(),
      limit: z.number().int().min(1).max(500).optional(),
    })
    .refine((b) => b.changedSince === undefined || b.changedSince <= b.asOf, {
      message: 'changedSince must not be after asOf',
      path: ['changedSince'],
    })
    .refine((b) => b.dataset === 'catalogue' || b.kind === undefined, {
      message: 'kind filters the catalogue only',
      path: ['kind'],
    }),
);
/** 9103 费用明细查询 and 9104 处方明细查询: one visit of the institution's own. */
export const visitLinesMessage = message(z.strictObject({ visitId }));
/** 9105 近期就诊查询: the patient as 1101 names them (exactly one), and how many visits. */
export const recentVisitsMessage = message(
  z
    .strictObject({ ...patientFields, limit: z.number().int().min(1).max(50).optional() })
    .refine((b) => (b.idNumber === undefined) !== (b.ecardCode === undefined), exactlyOnePatient),
);

/** The answer of every transaction. */
export const hisAnswer = z.object({
  txCode: z.enum(hisTxCodes),
  serial: z.string(),
  replayed: z.boolean(),
  body: z.record(z.string(), z.unknown()),
});

export const messageQueryParams = z.strictObject({ txCode: z.enum(hisTxCodes), serial });
export const visitQueryParams = z.strictObject({ visitId });
export const settlementQueryParams = z.strictObject({ settlementId });
/** A query's answer: the record as JSON (fields in docs/settlement-messages.md). */
export const hisRecord = z.record(z.string(), z.unknown());

export const caseDiagnosesParams = z.strictObject({
  regionCode,
  caseId: z.string().min(1).max(60),
});
export const caseDiagnosesBody = z.strictObject({ codes: z.array(icd10).min(1).max(20) });
export const caseDiagnosesResponse = z.object({ caseId: z.string(), codes: z.array(z.string()) });

/** Options of `tongchou settlement diagnoses show` (GET …/cases/:caseId/injury-diagnoses). */
export const caseDiagnosesShowCliOptions = z.strictObject({
  region: regionCode,
  case: caseDiagnosesParams.shape.caseId,
  as: z.string().min(1),
});
/** Options of `… diagnoses record` (POST the same path): `--code` repeated or several after it. */
export const caseDiagnosesRecordCliOptions = caseDiagnosesShowCliOptions.extend({
  code: caseDiagnosesBody.shape.codes,
});
