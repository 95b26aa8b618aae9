import { z } from 'zod';
import { permissions, roles } from '../../identity/roles.ts';

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
  /** The code of the authenticator app, for a user who enrolled a second factor. */
  totpCode: z
    .string()
    .regex(/^\d{6}$/, 'the 6-digit code from the authenticator app')
    .optional(),
});

const scopeKind = z.enum(['province', 'city', 'institution', 'employer', 'self']);

export const sessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  scope: z.object({ kind: scopeKind, code: z.string().nullable(), name: z.string().nullable() }),
  permissions: z.array(z.enum(permissions)),
  /** enrolled: TOTP confirmed; pending: this session may only enrol a second factor. */
  secondFactor: z.object({ enrolled: z.boolean(), pending: z.boolean() }),
});

export const loginResponse = z.object({ user: sessionUser, csrfToken: z.string() });

export const meResponse = z.object({ user: sessionUser, csrfToken: z.string().nullable() });

/** ASVS 6.2.1 / 6.2.9: the same length rule as `users add` (usecases/identity/passwords.ts). */
export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(8, 'at least 8 characters').max(128, 'at most 128 characters'),
});

export const passwordChangeResponse = z.object({
  /** Other sessions of the user that the change ended (the one in use stays). */
  sessionsEnded: z.number().int().min(0),
});

/** Changing a factor asks for the password again (ASVS 7.5.1). */
export const totpEnrolmentBody = z.strictObject({ password: z.string().min(1).max(128) });

export const totpEnrolmentResponse = z.object({
  /** The shared secret in base32, to type into an authenticator app; shown once. */
  secret: z.string(),
  /** The same as an otpauth:// URI (what a QR code would carry). */
  uri: z.string(),
});

export const totpConfirmationBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the authenticator app'),
});

export const totpConfirmationResponse = z.object({
  enrolled: z.literal(true),
  /** The user's other sessions, opened without the factor, that the enrolment ended. */
  sessionsEnded: z.number().int().min(0),
});
