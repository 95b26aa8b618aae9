import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** proxy-addr's names for address ranges, accepted by Fastify's trustProxy. */
const proxyRanges = ['loopback', 'linklocal', 'uniquelocal'] as const;
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(proxyRanges)]);

/**
 * TRUST_PROXY names the reverse proxies whose X-Forwarded-For / -Proto / -Host are believed: a
 * comma-separated list of addresses, CIDR ranges or proxy-addr's range names. `true` or `*` would
 * believe any client's forged header (ASVS v5.0.0-4.1.3), so they are refused.
 */
const trustProxySetting = z
  .string()
  .trim()
  .refine(
    (v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .every((a) => proxyAddress.safeParse(a).success),
    `a comma-separated list of the reverse proxies' addresses or CIDR ranges (or ${proxyRanges.join(', ')}); never true or *, which would trust any client`,
  );

/** Log-in throttling, the second factor and API tokens (docs/security.md, "Authentication"). */
const authenticationSettings = {
  // First wait once LOGIN_THROTTLE_FAILURES is reached; it doubles with each further failure.
  LOGIN_THROTTLE_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // The longest wait between two tries of one user name from one address.
  LOGIN_THROTTLE_MAX_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // Wrong passwords in a row that were weighed (not throttled), from any address, that lock the
  // account for LOGIN_LOCK_MINUTES (NIST SP 800-63B §5.2.2: at most 100).
  LOGIN_ACCOUNT_CEILING: z.coerce.number().int().min(1).max(100).default(100),
  // `required`: users whose role moves money or reveals ID numbers must enrol TOTP (production).
  LOGIN_SECOND_FACTOR: z.enum(['optional', 'required']).default('optional'),
  // The longest lifetime an API token may be given.
  API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
};

/**
 * Configuration from the environment (and optionally a JSON file named by TONGCHOU_CONFIG). A wrong
 * value stops start-up with a message naming the setting and what is allowed.
 */
const configSchema = z
  .object({
    TRUST_PROXY: trustProxySetting.optional(),
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
    // Wrong passwords for one user name from one address before each further try must wait.
    LOGIN_THROTTLE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    // How long a locked account (LOGIN_ACCOUNT_CEILING reached) stays locked; `users unlock` ends it sooner.
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    // Log-in requests per minute from one client address (any user name): the per-address limit.
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    ...authenticationSettings,
    COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
    SEED: z.coerce.number().int().min(0).default(2019164),
    // How long a SIGTERM/SIGINT waits for in-flight requests before the server closes anyway.
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ error: 'an integer number of milliseconds 0–600000' })
      .int('an integer number of milliseconds 0–600000')
      .min(0, 'an integer number of milliseconds 0–600000')
      .max(600_000, 'an integer number of milliseconds 0–600000')
      .default(10_000),
  })
  .strip();

export type Config = z.output<typeof configSchema>;

/** The proxies Fastify may believe (none: forwarded headers are ignored). */
export function trustedProxies(config: Pick<Config, 'TRUST_PROXY'>): string[] {
  return (config.TRUST_PROXY ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

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
