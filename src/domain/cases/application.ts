import { addDays, type IsoDate } from '../../kernel/dates.ts';

/**
 * The application for determination (工伤认定申请) and its time limits, 《工伤保险条例》第十七条:
 * - 第一款 "所在单位应当自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内…提出工伤认定申请。遇有特殊情况，
 *   经报社会保险行政部门同意，申请时限可以适当延长。"
 * - 第二款 "用人单位未按前款规定提出工伤认定申请的，工伤职工或者其近亲属、工会组织在事故伤害发生之日或者被诊断、
 *   鉴定为职业病之日起1年内，可以直接…提出工伤认定申请。"
 * - 第四款 "用人单位未在本条第一款规定的时限内提交工伤认定申请，在此期间发生符合本条例规定的工伤待遇等有关费用由该
 *   用人单位负担。"
 */
export const applicantTypes = ['employer', 'worker', 'relative', 'union'] as const;
export type ApplicantType = (typeof applicantTypes)[number];

export const reporterKinds = ['employer', 'worker', 'relative', 'handler'] as const;
export type ReporterKind = (typeof reporterKinds)[number];

export type ApplicationPeriod = 'application.employer' | 'application.worker';

export type ApplicationDeadlines = {
  /** The employer's last day (第十七条第一款), or the approved extension's. */
  employerDueOn: IsoDate;
  /** The worker's, relatives' or union's last day (第十七条第二款). */
  workerDueOn: IsoDate;
};

export type ApplicationTiming = {
  /** The last day of the applicant's own period. */
  dueOn: IsoDate;
  /** Filed after the applicant's own period: recorded; the officer decides on acceptance. */
  late: boolean;
  /**
   * 第十七条第四款: the days from the end of the employer's period to the application during
   * which costs fall on the employer; null when the employer's period had not ended.
   */
  employerLiableFrom: IsoDate | null;
  employerLiableUntil: IsoDate | null;
};

/** Where the applicant's own period ends, and the employer's late window if there is one. */
export function applicationTiming(
  applicantType: ApplicantType,
  appliedOn: IsoDate,
  deadlines: ApplicationDeadlines,
): ApplicationTiming {
  const dueOn = applicantType === 'employer' ? deadlines.employerDueOn : deadlines.workerDueOn;
  const employerLate = appliedOn > deadlines.employerDueOn;
  return {
    dueOn,
    late: appliedOn > dueOn,
    employerLiableFrom: employerLate ? addDays(deadlines.employerDueOn, 1) : null,
    employerLiableUntil: employerLate ? appliedOn : null,
  };
}

/** The period code of an applicant type (the deadline calendar's casePeriod codes). */
export function applicationPeriodOf(applicantType: ApplicantType): ApplicationPeriod {
  return applicantType === 'employer' ? 'application.employer' : 'application.worker';
}
