/**
 * The platform API's answers as the web reads them, derived from the server's contract schemas
 * (src/contract/…). Types only: zod stays out of the browser bundle.
 */
import type { z } from 'zod';
import type {
  approvalDecisionResponse,
  approvalListResponse,
  approvalRequestBody,
  approvalRequestResponse,
  approvalShowResponse,
} from '../../contract/approvals/approvals-contract.ts';
import type { auditEventResponse, auditPageResponse } from '../../contract/audit/audit-contract.ts';
import type { problemFieldError, problemResponse } from '../../contract/common.ts';
import type {
  loginResponse,
  meResponse,
  passwordChangeResponse,
  sessionUser,
  totpConfirmationResponse,
  totpEnrolmentResponse,
} from '../../contract/identity/auth-contract.ts';
import type { cityResponse, regionsResponse } from '../../contract/registry/regions-contract.ts';

export type SessionUser = z.infer<typeof sessionUser>;

/** The signed-in user and the CSRF token (log-in always has one; `me` may not, on a bearer token). */
export type Session = z.infer<typeof meResponse>;

/** What log-in answers: the user and, always, the CSRF token. */
export type LoginAnswer = z.infer<typeof loginResponse>;

/** Other sessions a password change ended. */
export type PasswordChangeAnswer = z.infer<typeof passwordChangeResponse>;

/** A new TOTP secret (base32 and otpauth:// URI), shown once. */
export type TotpEnrolment = z.infer<typeof totpEnrolmentResponse>;

export type TotpConfirmation = z.infer<typeof totpConfirmationResponse>;

export type ProblemFieldError = z.infer<typeof problemFieldError>;

/** RFC 9457 problem details as the server sends them (application/problem+json). */
export type Problem = z.infer<typeof problemResponse>;

export type City = z.infer<typeof cityResponse>;

export type Regions = z.infer<typeof regionsResponse>;

export type AuditEvent = z.infer<typeof auditEventResponse>;
export type AuditResult = AuditEvent['result'];

export type AuditPage = z.infer<typeof auditPageResponse>;

/** The answer to an approval decision (the fund pages only wait for it). */
export type ApprovalDecision = z.infer<typeof approvalDecisionResponse>;

/** The approvals of a region (the checker's work list). */
export type ApprovalList = z.infer<typeof approvalListResponse>;
export type ApprovalSummary = ApprovalList['approvals'][number];
export type ApprovalStatus = ApprovalSummary['status'];

/** One approval: its canonical payload, decisions and the current state it would change. */
export type ApprovalDetail = z.infer<typeof approvalShowResponse>;

/** A maker's request for approval of a money movement, and what the server answers. */
export type ApprovalRequest = z.input<typeof approvalRequestBody>;
export type ApprovalRequested = z.infer<typeof approvalRequestResponse>;
