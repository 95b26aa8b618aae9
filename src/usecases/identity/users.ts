import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.ts';
import { regions, users } from '../../db/schema.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { roleScopes, roles, type ScopeKind } from '../../identity/roles.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { hashPassword, passwordSchema, weakPasswordReason } from './passwords.ts';

export const newUserSchema = z.strictObject({
  username: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{2,63}$/,
      '3–64 characters: lower-case letters, digits, ".", "_", "-"',
    ),
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(roles),
  scopeKind: z.enum(['province', 'city', 'institution', 'employer', 'self']),
  scopeCode: z.string().min(1).max(64).nullable(),
  /** The region the user belongs to (province code for province scope). */
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit region code'),
  password: passwordSchema,
});
export type NewUser = z.output<typeof newUserSchema>;

export type UserRefusal =
  | 'user.username_taken'
  | 'user.scope_not_allowed'
  | 'user.region_unknown'
  | 'user.password_weak';

export async function insertUser(
  tx: Executor,
  input: NewUser,
): Promise<Result<{ id: string }, UserRefusal>> {
  const allowed: readonly ScopeKind[] = roleScopes[input.role];
  if (!allowed.includes(input.scopeKind))
    return refuse(
      'user.scope_not_allowed',
      `role ${input.role} takes scope ${allowed.join(' or ')}, not ${input.scopeKind}`,
    );
  if (
    (input.scopeKind === 'province' || input.scopeKind === 'city') &&
    input.scopeCode !== input.regionCode
  )
    return refuse(
      'user.scope_not_allowed',
      `a ${input.scopeKind} scope code must equal the region code ${input.regionCode}`,
    );
  const [region] = await tx.orm
    .select({ level: regions.level })
    .from(regions)
    .where(eq(regions.code, input.regionCode));
  const level = region?.level;
  if (!level)
    return refuse(
      'user.region_unknown',
      `region ${input.regionCode} is not known; run tongchou seed first`,
    );
  if (input.scopeKind === 'province' && level !== 'province')
    return refuse('user.scope_not_allowed', `${input.regionCode} is not a province`);
  if (input.scopeKind === 'city' && level !== 'city')
    return refuse('user.scope_not_allowed', `${input.regionCode} is not a city`);
  const taken = await tx.orm
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, input.username));
  if (taken.length > 0)
    return refuse('user.username_taken', `user name ${input.username} is already taken`);
  const id = `usr_${randomBytes(10).toString('hex')}`;
  await tx.orm.insert(users).values({
    id,
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    scopeKind: input.scopeKind,
    scopeCode: input.scopeCode,
    regionCode: input.regionCode,
    passwordHash: await hashPassword(input.password),
  });
  return ok({ id });
}

/** `users add` and the (future) user admin API: validated, audited, refuses duplicates. */
export async function addUser(
  db: Database,
  actor: Actor,
  input: NewUser,
): Promise<Result<{ id: string }, UserRefusal>> {
  const weak = weakPasswordReason(input.password, input.username);
  if (weak !== null) return refuse('user.password_weak', `password: ${weak}`);
  return db.transaction(async (tx) => {
    const out = await insertUser(tx, input);
    if (!out.ok) return out;
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'user.add',
      object: `user/${out.value.id}`,
      result: 'ok',
      requestId: actor.requestId,
      details: {
        username: input.username,
        role: input.role,
        scope: `${input.scopeKind}:${input.scopeCode ?? ''}`,
      },
    });
    return out;
  });
}
