import { z } from 'zod';
import { permissions, roles } from '../../identity/roles.ts';

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});

const scopeKind = z.enum(['province', 'city', 'institution', 'employer', 'self']);

export const sessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  scope: z.object({ kind: scopeKind, code: z.string().nullable(), name: z.string().nullable() }),
  permissions: z.array(z.enum(permissions)),
});

export const loginResponse = z.object({ user: sessionUser, csrfToken: z.string() });

export const meResponse = z.object({ user: sessionUser, csrfToken: z.string().nullable() });
