import { z } from 'zod';
import { isoDate } from '../common.ts';

/**
 * The pieces of direct settlement (issue 13, docs/settlement.md) that the native transaction set
 * and the FHIR R4 `Claim` share: a fee line as the institution sends it, and its adjudication as
 * the fund answers it. Field names are English; the Chinese names are in docs/settlement.md.
 * Message format version 1.
 */
export const SETTLEMENT_MESSAGE_VERSION = 1;

/** The kind of a visit (医疗类别), which the agreement's scope must cover. */
export const visitKinds = ['outpatient', 'inpatient', 'rehabilitation', 'device'] as const;
export type VisitKind = (typeof visitKinds)[number];

/** One fee line (费用明细) as the institution's system uploads it. */
export const feeLineInput = z.strictObject({
  /** 明细流水号: the line's number within the visit, unique in it. */
  lineNo: z.number().int().min(1).max(9999),
  /** 机构项目编码: the institution's own code, mapped to the catalogue (settlement_code_maps). */
  ownCode: z.string().trim().min(1).max(60),
  /** 项目名称 as printed on the institution's bill (for the statement; not used to adjudicate). */
  name: z.string().trim().min(1).max(200),
  /** 费用发生日期. */
  servedOn: isoDate,
  /** 数量, in thousandths of the catalogue unit (1.5 boxes = 1500): no floats on the wire. */
  quantityMilli: z.number().int().min(1).max(1_000_000_000),
  /** 单价, fen. */
  unitPriceFen: z.number().int().min(0).max(100_000_000_00),
  /** 金额, fen: must equal round-half-up(quantity × unit price). */
  amountFen: z.number().int().min(0).max(100_000_000_00),
});
export type FeeLineInput = z.infer<typeof feeLineInput>;

/**
 * Why a line, or part of one, is not paid by the fund (the institution sees the code). The
 * adjudication rules of docs/settlement.md, one code each.
 */
export const lineReasonCodes = [
  // The visit: the case is not accepted, or the visit is outside its scope or dates.
  'case_not_recognised',
  'visit_outside_case_dates',
  'visit_outside_agreement',
  'diagnosis_unrelated',
  // The line.
  'not_in_catalogue',
  'unmapped_code',
  'over_price_cap',
  'over_quantity_limit',
  'duplicate_line',
  'amount_mismatch',
  'served_outside_visit',
  // After review (人工审核): deducted from the institution's month.
  'deducted_after_review',
] as const;
export type LineReasonCode = (typeof lineReasonCodes)[number];

/** The fund's answer for one line: what it pays, what it refuses and why. */
export const lineAdjudication = z.object({
  lineNo: z.number().int(),
  /** payable: paid whole; partial: paid up to a cap or limit; rejected: nothing paid. */
  outcome: z.enum(['payable', 'partial', 'rejected']),
  claimedFen: z.number().int(),
  payableFen: z.number().int(),
  reasons: z.array(z.enum(lineReasonCodes)),
  /** The catalogue code the line was matched to, if any. */
  catalogueCode: z.string().nullable(),
});
export type LineAdjudication = z.infer<typeof lineAdjudication>;
