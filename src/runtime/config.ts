import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  type ApprovalPolicy,
  DEFAULT_TWO_CHECKERS_ABOVE_FEN,
} from '../usecases/approvals/approval-policy.ts';

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
 * APPROVAL_TIERS: a JSON object of action → fen above which two checkers are needed (0: always
 * two), merged over the defaults (src/usecases/approvals/approval-policy.ts), e.g.
 * {"pooling.allocate": 500000000, "pooling.year_end_run": 0}.
 */
const approvalTiersSetting = z
  .string()
  .trim()
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      return value;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a JSON object of action → fen' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().regex(/^[a-z_]+\.[a-z_.]+$/, 'an action name such as pooling.allocate'),
      z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      { error: 'a JSON object of action → fen above which two checkers are needed' },
    ),
  );

/** Maker-checker (docs/security.md, "Maker-checker"). */
const approvalSettings = {
  // Hours an approval may be decided and used after it was asked for.
  APPROVAL_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(72),
  APPROVAL_TIERS: approvalTiersSetting.optional(),
};

/**
 * Configuration from the environment (and optionally a JSON file named by TONGCHOU_CONFIG). A wrong
 * value stops start-up with a message naming the setting and what is allowed.
 */
const configSchema = z
  .object({
    /**
     * demo | production. Unset: demo on the embedded database, production on a PostgreSQL server
     * (DATABASE_URL): a server is what a deployment runs on, so a deployment that forgets the setting
     * gets production's refusals instead of a demo province with published passwords, while
     * `npm start` with no settings stays the zero-set-up demo (and production refuses PGlite anyway).
     */
    TONGCHOU_MODE: z.enum(['demo', 'production'], { error: 'demo or production' }).optional(),
    /** PEM files: the server speaks HTTPS itself (both or neither). */
    TLS_CERT_FILE: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
    TRUST_PROXY: trustProxySetting.optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    TONGCHOU_DATA_DIR: z.string().min(1).default('./data/pglite'),
    // Uploaded case materials, stored by content hash (src/runtime/local-blob-store.ts). Beside the
    // embedded database's folder, not inside it: PGlite's folder is a PostgreSQL cluster directory.
    TONGCHOU_BLOB_DIR: z.string().min(1).default('./data/blobs'),
    // The largest case material accepted, in bytes (a refused upload names the limit).
    MATERIAL_FILE_BYTES_MAX: z.coerce
      .number()
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(20 * 1024 * 1024),
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
    ...approvalSettings,
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
  .strip()
  .superRefine((c, ctx) => {
    if ((c.TLS_CERT_FILE === undefined) !== (c.TLS_KEY_FILE === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [c.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'],
        message: 'TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (PEM files), or neither',
      });
  })
  .transform((c) => ({
    ...c,
    TONGCHOU_MODE: c.TONGCHOU_MODE ?? (c.DATABASE_URL === undefined ? 'demo' : 'production'),
  }));

export type Config = z.output<typeof configSchema>;
export type Mode = Config['TONGCHOU_MODE'];

/** The maker-checker policy of the settings: expiry and the amount tiers over the defaults. */
export function approvalPolicyOf(
  config: Pick<Config, 'APPROVAL_TTL_HOURS' | 'APPROVAL_TIERS'>,
): ApprovalPolicy {
  return {
    ttlMs: config.APPROVAL_TTL_HOURS * 3_600_000,
    twoCheckersAboveFen: { ...DEFAULT_TWO_CHECKERS_ABOVE_FEN, ...config.APPROVAL_TIERS },
  };
}

/** The proxies Fastify may believe (none: forwarded headers are ignored). */
export function trustedProxies(config: Pick<Config, 'TRUST_PROXY'>): string[] {
  return (config.TRUST_PROXY ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/**
 * Cookies marked Secure and HSTS sent on every response: in production (where TLS, ours or the
 * proxy's, is required) and whenever this process speaks TLS itself.
 */
export function secureTransport(config: Pick<Config, 'TONGCHOU_MODE' | 'TLS_CERT_FILE'>): boolean {
  return config.TONGCHOU_MODE === 'production' || config.TLS_CERT_FILE !== undefined;
}

/**
 * The settings that hold secrets, with their values, for production's check against published
 * defaults. A new secret setting is added here.
 */
export function secretSettings(config: Config): { setting: string; value: string }[] {
  const secrets: { setting: string; value: string }[] = [];
  if (config.DATABASE_URL !== undefined && URL.canParse(config.DATABASE_URL)) {
    const raw = new URL(config.DATABASE_URL).password;
    let password = raw;
    try {
      password = decodeURIComponent(raw);
    } catch {
      // A stray % is not an escape: the driver will refuse the URL; compare it as written.
    }
    if (password !== '') secrets.push({ setting: 'DATABASE_URL (its password)', value: password });
  }
  return secrets;
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
