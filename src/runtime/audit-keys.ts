import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  type Checkpoint,
  type SigningKey,
  signingKeyOf,
  type VerifyingKey,
  verifyingKeyOf,
} from '../domain/audit/checkpoint.ts';
import { type Config, ConfigError } from './config.ts';

/**
 * The audit checkpoint key and the copy of the checkpoints kept outside the database: the files
 * the settings name (docs/security.md, "Audit").
 */

/** The signing key from AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY; null when neither is set. */
export function loadSigningKey(config: Config): SigningKey | null {
  const file = config.AUDIT_SIGNING_KEY_FILE;
  const text = config.AUDIT_SIGNING_KEY;
  if (file && text)
    throw new ConfigError('set AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY, not both');
  const source = file ? readKeyFile(file, 'AUDIT_SIGNING_KEY_FILE') : text;
  if (!source) return null;
  try {
    return signingKeyOf(source);
  } catch (err) {
    throw new ConfigError(
      `${file ? 'AUDIT_SIGNING_KEY_FILE' : 'AUDIT_SIGNING_KEY'}: not an Ed25519 private key in PKCS#8 PEM or base64 DER (${String(err)}); \`tongchou audit keygen\` makes one`,
    );
  }
}

function readKeyFile(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${setting}: cannot read ${path} (${String(err)})`);
  }
}

/** The keys a verifier trusts: the public key files given, else the configured signing key's. */
export function loadVerifyingKeys(paths: readonly string[], config: Config): VerifyingKey[] {
  if (paths.length > 0)
    return paths.map((p) => {
      try {
        return verifyingKeyOf(readKeyFile(p, '--public-key'));
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(`--public-key ${p}: not an Ed25519 key (${String(err)})`);
      }
    });
  const own = loadSigningKey(config);
  if (!own)
    throw new ConfigError(
      'no key to verify the checkpoints with: pass --public-key FILE (or configure AUDIT_SIGNING_KEY_FILE)',
    );
  return [{ publicKey: own.publicKey, keyId: own.keyId }];
}

const checkpointLine = z.strictObject({
  seq: z.number().int().min(1),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

/** One JSON line per checkpoint, appended (the file only grows, like the table). */
export function appendCheckpointFile(path: string, checkpoint: Checkpoint): void {
  appendFileSync(path, `${JSON.stringify(checkpoint)}\n`, { encoding: 'utf8', mode: 0o600 });
}

export function readCheckpointFile(path: string): Checkpoint[] {
  if (!existsSync(path)) throw new ConfigError(`checkpoint file ${path} does not exist`);
  const lines = readFileSync(path, 'utf8').split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = checkpointLine.safeParse(safeJson(line));
    if (!parsed.success)
      throw new ConfigError(`${path} line ${i + 1}: not a checkpoint (${parsed.error.message})`);
    return [parsed.data];
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
