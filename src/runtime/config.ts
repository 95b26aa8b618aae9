import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Configuration from the environment (and optionally a JSON file named by TONGCHOU_CONFIG). A wrong
 * value stops start-up with a message naming the setting and what is allowed.
 */
const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    TONGCHOU_DATA_DIR: z.string().min(1).default('./data/pglite'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce
      .number({ error: 'an integer port number 0–65535' })
      .int('an integer port number 0–65535')
      .min(0, 'an integer port number 0–65535')
      .max(65535, 'an integer port number 0–65535')
      .default(3000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
    SEED: z.coerce.number().int().min(0).default(2019164),
    // How long a SIGTERM/SIGINT waits for in-flight requests before the server closes anyway.
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ error: 'an integer number of milliseconds 0–600000' })
      .int('an integer number of milliseconds 0–600000')
      .min(0, 'an integer number of milliseconds 0–600000')
      .max(600_000, 'an integer number of milliseconds 0–600000')
      .default(10_000),
    // ── audit, database roles and ID numbers (issue 9, docs/security.md) ──
    // Migrations run through this URL (the owner) when set; DATABASE_URL may then name the
    // least-privilege application role, which cannot run them.
    DATABASE_OWNER_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    // Unauthenticated failures (401 on a write, CSRF 403, 429) are summed per address and written
    // as one audit event per window of this many seconds.
    AUDIT_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Distinct source addresses counted one by one per window; beyond, only their total.
    AUDIT_FAILURE_ADDRESSES_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    // Ed25519 private key (PKCS#8 PEM file, or PEM / base64 DER text) signing audit checkpoints.
    AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    AUDIT_SIGNING_KEY: z.string().min(1).optional(),
    AUDIT_CHECKPOINT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    // A copy of every checkpoint, one JSON line each, kept outside the database.
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    // Person registrations one user may make per hour (each answers the same for a known number).
    PERSON_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(100),
  })
  .strip();

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses config; throws ConfigError listing every bad setting with what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  let source: Record<string, unknown> = { ...env };
  const file = env['TONGCHOU_CONFIG'];
  if (file) {
    try {
      source = { ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), ...env };
    } catch (err) {
      throw new ConfigError(`TONGCHOU_CONFIG: cannot read ${file} as JSON (${String(err)})`);
    }
  }
  for (const key of Object.keys(source)) if (source[key] === '') delete source[key];
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
