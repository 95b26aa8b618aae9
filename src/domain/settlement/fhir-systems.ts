/**
 * The identifier and code systems of the FHIR R4 face of direct settlement (issue 13), published
 * in docs/fhir.md with their Chinese names. Ours are URNs (`urn:tongchou:…`): they name concepts of
 * this fund, not web pages, and need no host. HL7's own systems are used where one fits.
 */
export const FHIR_SYSTEMS = {
  /** 交易流水号: the institution's serial of the message (Claim.identifier). */
  messageSerial: 'urn:tongchou:fhir:identifier:message-serial',
  /** 就诊流水号: the visit number of the institution's HIS (Claim.identifier). */
  hisVisitNo: 'urn:tongchou:fhir:identifier:his-visit-no',
  /** 社会保障号码 (= 公民身份号码) of the injured worker (contained Patient.identifier). */
  socialSecurityNumber: 'urn:tongchou:fhir:identifier:social-security-number',
  /** 工伤认定案件号: the accepted case the visit is settled against (Claim.related.reference). */
  caseId: 'urn:tongchou:fhir:identifier:case-id',
  /** 结算编号: the fund's settlement id (ClaimResponse.identifier). */
  settlementId: 'urn:tongchou:fhir:identifier:settlement-id',
  /** 机构项目编码: the institution's own item code, mapped to the catalogue (Claim.item). */
  institutionItem: 'urn:tongchou:fhir:CodeSystem:institution-item',
  /** 医疗类别: the visit kind (Claim.subType). */
  visitKind: 'urn:tongchou:fhir:CodeSystem:visit-kind',
  /** 拒付原因: why a line, or part of it, is not paid (ClaimResponse.item.adjudication.reason). */
  lineReason: 'urn:tongchou:fhir:CodeSystem:line-reason',
  /** Our adjudication category `reason` (拒付原因) for each further reason of a line. */
  adjudicationCategory: 'urn:tongchou:fhir:CodeSystem:adjudication-category',
  /** 结算拒绝: a refusal of the whole claim (ClaimResponse.error). */
  settlementRefusal: 'urn:tongchou:fhir:CodeSystem:settlement-refusal',
  /** 基金: the insurer (ClaimResponse.insurer.identifier), valued by the region code. */
  fund: 'urn:tongchou:fhir:identifier:fund',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  hl7Adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  hl7ClaimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  hl7PaymentType: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype',
} as const;

/**
 * 医疗类别 (code → Chinese name) and the HL7 claim-type each answers with. The kind is read from
 * Claim.subType; Claim.type is not read (any HL7 claim-type passes) and ClaimResponse.type says
 * the one below.
 */
export const FHIR_VISIT_KINDS = {
  outpatient: { zh: '门诊', claimType: 'professional' },
  inpatient: { zh: '住院', claimType: 'institutional' },
  rehabilitation: { zh: '工伤康复', claimType: 'institutional' },
  device: { zh: '辅助器具配置', claimType: 'professional' },
} as const;
export type FhirVisitKind = keyof typeof FHIR_VISIT_KINDS;

/**
 * 拒付原因 (code → Chinese name): the same codes as the native message's lineReasonCodes
 * (src/contract/settlement/settlement-lines.ts; the domain floor cannot import the contract, so
 * fhir-systems.contract.test.ts holds the two lists equal).
 */
export const FHIR_LINE_REASONS = {
  case_not_recognised: '工伤未认定或案件不存在',
  visit_outside_case_dates: '就诊日期不在工伤认定范围内',
  visit_outside_agreement: '超出协议服务范围',
  diagnosis_unrelated: '诊断与工伤无关',
  not_in_catalogue: '不在工伤保险目录内',
  unmapped_code: '机构项目编码未对照',
  over_price_cap: '超过最高限价',
  over_quantity_limit: '超过数量限制',
  duplicate_line: '重复收费',
  amount_mismatch: '金额与数量单价不符',
  served_outside_visit: '费用日期不在就诊期间',
  deducted_after_review: '审核扣减',
} as const;
export type FhirLineReason = keyof typeof FHIR_LINE_REASONS;

/** Is `code` a visit kind of ours? */
export function isFhirVisitKind(code: string): code is FhirVisitKind {
  return Object.hasOwn(FHIR_VISIT_KINDS, code);
}
