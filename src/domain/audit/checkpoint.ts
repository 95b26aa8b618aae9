import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { AuditEvent } from './chain.ts';
import { canonicalJson } from './chain.ts';

/**
 * Signed checkpoints of the audit chain head. The hash chain alone shows that events were changed
 * only to someone who cannot recompute it; a database owner can (switch the triggers off, rewrite an
 * event, recompute every hash after it). A checkpoint is the head (seq, hash) signed with an Ed25519
 * key the database never holds, so such a rewrite no longer matches the signed hash at the
 * checkpoint's seq — and forging the checkpoint needs the private key. Verifying needs only the
 * public key: an auditor can check a copy of the database offline.
 */
export type Checkpoint = {
  seq: number;
  headHash: string;
  at: string;
  keyId: string;
  /** base64 Ed25519 signature of `checkpointMessage`. */
  signature: string;
};

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string };
export type VerifyingKey = { publicKey: KeyObject; keyId: string };

const MESSAGE_PREFIX = 'tongchou-audit-checkpoint/v1\n';

/** The signed bytes: a fixed prefix (a signature made for anything else never verifies here). */
export function checkpointMessage(c: Omit<Checkpoint, 'signature'>): Buffer {
  const body = canonicalJson({ seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId });
  return Buffer.from(MESSAGE_PREFIX + body, 'utf8');
}

/** First 16 hex digits of SHA-256 over the public key's DER: names the key in every checkpoint. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function requireEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${what} must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'none'}`);
}

/** A private key as PEM (PKCS#8) or as base64 of its DER: what a key file or a setting holds. */
export function signingKeyOf(text: string): SigningKey {
  const trimmed = text.trim();
  const privateKey = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  requireEd25519(privateKey, 'the audit signing key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A public key (SPKI PEM) — or a private key, whose public half is then used. */
export function verifyingKeyOf(text: string): VerifyingKey {
  const trimmed = text.trim();
  if (trimmed.includes('PRIVATE KEY')) {
    const { publicKey, keyId } = signingKeyOf(trimmed);
    return { publicKey, keyId };
  }
  const publicKey = createPublicKey(trimmed);
  requireEd25519(publicKey, 'the audit verifying key');
  return { publicKey, keyId: keyIdOf(publicKey) };
}

export function generateSigningKey(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

export function signCheckpoint(
  key: SigningKey,
  head: { seq: number; hash: string },
  at: string,
): Checkpoint {
  const unsigned = { seq: head.seq, headHash: head.hash, at, keyId: key.keyId };
  const signature = sign(null, checkpointMessage(unsigned), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

export type SignatureCheck = 'valid' | 'unknown_key' | 'bad_signature';

export function checkSignature(c: Checkpoint, keys: readonly VerifyingKey[]): SignatureCheck {
  const key = keys.find((k) => k.keyId === c.keyId);
  if (!key) return 'unknown_key';
  const good = verify(
    null,
    checkpointMessage(c),
    key.publicKey,
    Buffer.from(c.signature, 'base64'),
  );
  return good ? 'valid' : 'bad_signature';
}

export type CheckpointProblem = { seq: number; reason: string };

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The checkpoints to hold the chain against: the database's, and a copy kept outside it (a file),
 * which must agree with the database and may not hold any the database lost.
 */
export function mergeCheckpoints(
  stored: readonly Checkpoint[],
  copy: readonly Checkpoint[],
): { checkpoints: Checkpoint[]; problem: CheckpointProblem | null } {
  const bySeq = new Map(stored.map((c) => [c.seq, c]));
  for (const c of copy) {
    const mine = bySeq.get(c.seq);
    if (!mine)
      return {
        checkpoints: [],
        problem: { seq: c.seq, reason: 'the copy holds a checkpoint the database lost' },
      };
    if (!sameCheckpoint(mine, c))
      return {
        checkpoints: [],
        problem: { seq: c.seq, reason: 'the database checkpoint differs from the copy' },
      };
  }
  return { checkpoints: [...stored].sort((a, b) => a.seq - b.seq), problem: null };
}

/**
 * Checks each checkpoint's signature first, then, as the chain is walked, the event at its seq:
 * its hash must be the signed one. Whatever the chain verifier says, a signed hash that differs
 * names the rewrite.
 */
export function createCheckpointChecker(
  checkpoints: readonly Checkpoint[],
  keys: readonly VerifyingKey[],
): {
  signatures: () => CheckpointProblem | null;
  atEvent: (e: Pick<AuditEvent, 'seq' | 'hash'>) => CheckpointProblem | null;
  finish: (lastSeq: number) => CheckpointProblem | null;
  verified: () => number;
} {
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  let matched = 0;
  return {
    signatures() {
      for (const c of checkpoints) {
        const check = checkSignature(c, keys);
        if (check === 'unknown_key')
          return { seq: c.seq, reason: `signed by key ${c.keyId}, not one of the keys given` };
        if (check === 'bad_signature')
          return {
            seq: c.seq,
            reason: 'the checkpoint signature is not valid (forged or altered)',
          };
      }
      return null;
    },
    atEvent(e) {
      const c = bySeq.get(e.seq);
      if (!c) return null;
      if (c.headHash !== e.hash)
        return {
          seq: e.seq,
          reason: `event ${e.seq} hashes to ${e.hash.slice(0, 12)}…, the checkpoint signed ${c.headHash.slice(0, 12)}… (the chain was rewritten up to here)`,
        };
      matched += 1;
      return null;
    },
    finish(lastSeq) {
      const beyond = checkpoints.find((c) => c.seq > lastSeq);
      if (beyond)
        return {
          seq: beyond.seq,
          reason: `a checkpoint signed seq ${beyond.seq} but the chain ends at ${lastSeq} (events were removed)`,
        };
      return null;
    },
    verified: () => matched,
  };
}
