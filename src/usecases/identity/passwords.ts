import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1). */
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** ASVS 6.2.1 / 6.2.9: at least 8 characters, up to 128, no composition rules, no forced rotation. */
export const passwordSchema = z
  .string()
  .min(8, 'at least 8 characters')
  .max(128, 'at most 128 characters');

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the user does not exist, so an unknown name costs the same argon2
 * work as a real one. Its password is random and never known, and the caller still treats the
 * answer as a failure.
 */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

/** Why a new password is refused beyond its length: context words (ASVS 6.2.11) and repeats. */
export function weakPasswordReason(password: string, username: string): string | null {
  const lower = password.toLowerCase();
  if (lower.includes(username.toLowerCase())) return 'must not contain the user name';
  if (/^(.)\1*$/.test(password)) return 'must not repeat one character';
  return null;
}
