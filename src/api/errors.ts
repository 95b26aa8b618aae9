import type { Refusal } from '../kernel/result.ts';

/**
 * The one table mapping domain refusal codes to HTTP statuses (docs/errors.md lists them all).
 * Codes not listed fall back by their suffix, so a new area's codes get a sensible status until
 * they are listed: `*not_found` → 404, `*conflict*` → 409, anything else → 422.
 */
export const statusByCode: Readonly<Record<string, number>> = {
  'input.invalid': 400,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.csrf': 403,
  'auth.forbidden': 403,
  'auth.rate_limited': 429,
  'auth.second_factor_required': 401,
  'auth.second_factor_enrolment_required': 403,
  'second_factor.already_enrolled': 409,
  'second_factor.not_started': 409,
  'second_factor.code_wrong': 422,
  'token.not_found': 404,
  'token.scope_not_allowed': 422,
  'token.lifetime_too_long': 422,
  'user.not_found': 404,
  'user.current_password_wrong': 422,
  'user.password_weak': 422,
  'record.not_found': 404,
  'route.not_found': 404,
  'user.username_taken': 409,
  'user.scope_not_allowed': 422,
  'user.region_unknown': 422,
  'approval.not_found': 404,
  'approval.self_approval': 403,
  'approval.same_role': 403,
  'approval.already_decided': 409,
  'approval.not_pending': 409,
  'approval.not_approved': 409,
  'approval.expired': 409,
  'approval.already_used': 409,
  'approval.payload_mismatch': 409,
  'approval.action_mismatch': 409,
  'person.registration_rate_limited': 429,
  'person.invalid_id_number': 422,
  'employer.invalid_credit_code': 422,
  'employer.credit_code_taken': 409,
  'employer.not_in_city': 422,
  'employer.status_unchanged': 409,
  'employer.cancelled': 409,
  'employer.has_open_spells': 409,
  'employer.event_out_of_order': 422,
  'worker.invalid_id_number': 422,
  'worker.sex_mismatch': 422,
  'worker.birth_date_mismatch': 422,
  'worker.hire_rate_limited': 429,
  'spell.overlaps': 409,
  'spell.already_ended': 409,
  'spell.end_before_start': 422,
  'project.invalid_dates': 422,
  'project.key_conflict': 409,
  'project.workers_invalid': 422,
  'experience.import_invalid': 422,
  'floating_review.not_in_city': 422,
  'floating_review.effective_outside_year': 422,
  'floating_review.already_applied': 409,
  'floating_review.superseded': 409,
  'floating_review.not_applied': 409,
  'benefit.case_not_found': 404,
  'benefit.case_not_recognised': 409,
  'benefit.appraisal_not_concluded': 409,
  'benefit.not_graded': 422,
  'benefit.wage_month_outside': 422,
  'benefit.wage_month_declared': 422,
  'benefit.wage_evidence_required': 422,
  'benefit.wages_missing': 422,
  'benefit.decision_not_found': 404,
  'benefit.decision_already_approved': 409,
  'benefit.decision_superseded': 409,
  'benefit.appraisal_changed': 409,
  'benefit.entitlement_active': 409,
  'benefit.snapshot_invalid': 422,
  'benefit.payment_not_found': 404,
  'benefit.payment_not_issued': 409,
  'benefit.payment_already_failed': 409,
  'benefit.payment_not_failed': 409,
  'benefit.payment_already_reissued': 409,
  'benefit.payroll_invalid_month': 422,
  'benefit.payroll_not_city': 422,
  'benefit.payroll_parameter_missing': 422,
  'benefit.payroll_run_not_found': 404,
  'benefit.payroll_not_computed': 409,
  'benefit.payroll_not_approved': 409,
  'benefit.payroll_file_not_issued': 409,
  'benefit.payroll_file_changed': 409,
  'benefit.payroll_return_invalid': 422,
  'benefit.payroll_return_unknown_line': 422,
  'benefit.payroll_return_conflict': 409,
  'benefit.worker_not_found': 404,
  'benefit.death_in_future': 422,
  'benefit.death_before_birth': 422,
  'benefit.death_already_recorded': 409,
  'benefit.death_conflict': 409,
  'rules.parameter_missing': 422,
  'contribution.division_unknown': 422,
  'contribution.division_unclassified': 422,
  'contribution.grade_not_allowed': 422,
  'declaration.refused': 422,
  'declaration.content_type': 415,
  'material.content_type': 415,
  'material.file_empty': 422,
  'material.too_large': 413,
  'material.type_not_allowed': 415,
  'material.item_unknown': 422,
  'material.not_found': 404,
  'material.already_withdrawn': 409,
  'ledger.idempotency_conflict': 409,
  'ledger.period_closed': 409,
  'fund.prevention_cap_exceeded': 422,
  'fund.segment_not_found': 404,
  'fund.segment_not_in_region': 422,
  'fund.transaction_not_found': 404,
  'fund.year_end_not_found': 404,
  'fund.province_only': 422,
  'budget.not_found': 404,
  'budget.not_draft': 409,
  'budget.not_submitted': 409,
  'budget.already_approved': 409,
  'budget.version_conflict': 409,
  'budget.nothing_to_consolidate': 409,
  'budget.nothing_consolidated': 409,
  'budget.line_unknown': 422,
  'budget.line_duplicate': 422,
  'budget.segment_unknown': 422,
  'budget.province_only': 422,
  'fund.report_altered': 409,
  'pooling.invalid_request': 422,
  'pooling.mode_not_unified': 422,
  'pooling.sweep_conflict': 409,
  'pooling.budget_not_approved': 422,
  'server.error': 500,
  'contributions.invalid_request': 422,
  'contributions.not_found': 404,
  'contributions.assessment_changed': 409,
  'contributions.collections_changed': 409,
  'contributions.not_unmatched': 409,
  'contributions.no_assessment': 422,
  'collection.file_invalid': 422,
  'deadline.calendar_year_unknown': 422,
  'calendar.year_not_found': 404,
  'appraisal.case_not_recognised': 422,
  'appraisal.applied_before_determination': 422,
  'appraisal.treatment_not_stable': 422,
  'appraisal.applicant_not_allowed': 422,
  'appraisal.already_open': 409,
  'appraisal.initial_exists': 409,
  'appraisal.nothing_to_revisit': 409,
  'appraisal.not_latest': 409,
  'appraisal.conclusion_final': 409,
  'appraisal.not_served': 409,
  'appraisal.reappraisal_late': 422,
  'appraisal.review_too_early': 422,
  'appraisal.province_committee_only': 422,
  'appraisal.not_received': 409,
  'appraisal.not_drawn': 409,
  'appraisal.already_concluded': 409,
  'appraisal.not_concluded': 409,
  'appraisal.already_served': 409,
  'appraisal.already_extended': 409,
  'appraisal.extension_after_due': 422,
  'appraisal.date_out_of_order': 422,
  'appraisal.conclusion_overdue': 422,
  'appraisal.grade_mismatch': 422,
  'appraisal.nursing_without_grade': 422,
  'appraisal.clause_required': 422,
  'appraisal.extension_too_long': 422,
  'appraisal.extension_not_positive': 422,
  'appraisal.pool_too_small': 422,
  'appraisal.recusal_not_in_pool': 422,
  'appraisal.draw_names_recused': 409,
  'appraisal.draw_mismatch': 409,
  'appraisal.expert_inactive': 409,
  'appraisal.committee_unknown': 422,
  'case.not_found': 404,
  'case.worker_not_found': 422,
  'case.employer_not_found': 422,
  'case.version_conflict': 409,
  'case.transition_not_allowed': 409,
  'case.date_before_last_event': 422,
  'case.grounds_missing': 422,
  'case.ground_mismatch': 422,
  'case.review_outcome_missing': 422,
  'case.report_before_accident': 422,
  'case.application_before_accident': 422,
  'case.extension_before_deadline': 422,
  // settlement: FHIR (helper fhir-rules)
  'settlement.fhir_invalid': 422,
  // settlement: cross-province care (helper cross; docs/settlement-cross-province.md)
  'settlement.cross_province_case_not_found': 404,
  'settlement.cross_province_case_not_accepted': 409,
  'settlement.cross_province_own_province': 422,
  'settlement.cross_province_filing_overlap': 409,
  'settlement.cross_province_filing_not_found': 404,
  'settlement.cross_province_filing_revoked': 409,
  'settlement.cross_province_revocation_date': 422,
  'settlement.cross_province_not_province': 422,
  'settlement.cross_province_advance_conflict': 409,
  'settlement.cross_province_clearing_invalid': 422,
  'settlement.cross_province_clearing_changed': 409,
};

export function statusForCode(code: string): number {
  const listed = statusByCode[code];
  if (listed !== undefined) return listed;
  if (/[._]not_found$/.test(code)) return 404;
  if (code.includes('conflict')) return 409;
  return 422;
}

/**
 * Thrown by handlers to answer with a problem document; the error handler maps it by the table.
 * It carries no stack: it is an answer, never logged as a fault (the error handler turns it into
 * its problem document), and capturing the stack through Fastify's hook chain was the largest
 * single cost of refusing an unauthenticated POST — a flood of them is what the audit-flood
 * benchmark measures (issue 9).
 */
export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly errors: ReadonlyArray<{ path: string; code: string; message: string }> | undefined;
  constructor(
    code: string,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    errors?: ReadonlyArray<{ path: string; code: string; message: string }>,
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.details = details;
    this.errors = errors;
  }
}

export function refusalError(r: Refusal): ProblemError {
  return new ProblemError(r.code, r.message, r.details);
}

export function problemBody(
  code: string,
  detail: string,
  requestId: string,
  extra: {
    details?: Readonly<Record<string, unknown>> | undefined;
    errors?: ReadonlyArray<unknown> | undefined;
  } = {},
) {
  const status = statusForCode(code);
  return {
    type: `https://tongchou.example/problems/${code}`,
    title: titles[code] ?? code,
    status,
    code,
    detail,
    requestId,
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

const titles: Record<string, string> = {
  'input.invalid': '输入有误 / Invalid input',
  'auth.unauthenticated': '请先登录 / Log-in required',
  'auth.invalid_credentials': '用户名或密码错误 / Wrong user name or password',
  'auth.csrf': '请求校验失败 / CSRF token missing or wrong',
  'auth.forbidden': '无权操作 / Not permitted',
  'auth.second_factor_required': '请输入动态验证码 / Second factor required',
  'auth.second_factor_enrolment_required': '请先绑定动态验证码 / Enrol a second factor first',
  'auth.rate_limited': '请求过于频繁 / Too many requests',
  'record.not_found': '记录不存在 / Not found',
  'route.not_found': '接口不存在 / No such endpoint',
  'server.error': '系统错误 / Server error',
  'deadline.calendar_year_unknown':
    '该年度工作日历未知 / The working-day calendar does not cover the year',
  'calendar.year_not_found': '日历中无该年度 / The calendar holds nothing for that year',
};
