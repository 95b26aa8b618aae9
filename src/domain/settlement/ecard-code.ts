import { createHmac, timingSafeEqual } from 'node:crypto';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * The electronic card code (电子社保卡二维码) a worker shows at an institution's counter, read by
 * 1101 读卡 in place of the ID number (docs/settlement.md, "Electronic card code"). The national
 * e-card platform is not reachable, so the code is our own: `<payload>.<signature>`, both
 * base64url without padding, where the payload is the JSON of the claims below and the signature
 * is HMAC-SHA256 of the payload's base64url text under the system's key. The payload is signed as
 * sent, so no canonical JSON is needed to check it.
 */
export type EcardClaims = {
  v: 1;
  workerId: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  /** Milliseconds since the epoch: from this instant on the code is expired. */
  expiresAt: number;
  /** 16 random bytes as hex: two codes issued in the same millisecond still differ. */
  nonce: string;
};

export type EcardRefusal = 'settlement.ecard_invalid' | 'settlement.ecard_expired';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** HMAC-SHA256 is 32 bytes: 43 base64url characters without padding. */
const SIGNATURE_CHARS = 43;
/** A payload is about 150 characters; anything far longer is not ours. */
const PAYLOAD_CHARS_MAX = 400;

function signatureOf(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(payload, 'utf8').digest();
}

export function encodeEcardCode(key: Uint8Array, claims: EcardClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${signatureOf(key, payload).toString('base64url')}`;
}

const invalid = (why: string) =>
  refuse('settlement.ecard_invalid', `the electronic card code is not valid: ${why}`);

/**
 * The claims of a code signed with `key` and not expired at `nowMs`. The signature is checked
 * before the payload is parsed (nothing unsigned is ever read) and compared in constant time.
 */
export function readEcardCode(
  key: Uint8Array,
  code: string,
  nowMs: number,
): Result<EcardClaims, EcardRefusal> {
  const parts = code.split('.');
  const [payload, signature] = parts;
  if (parts.length !== 2 || payload === undefined || signature === undefined)
    return invalid('not of the form <payload>.<signature>');
  if (payload.length > PAYLOAD_CHARS_MAX || !BASE64URL.test(payload))
    return invalid('malformed payload');
  if (signature.length !== SIGNATURE_CHARS || !BASE64URL.test(signature))
    return invalid('malformed signature');
  // Compared as text, not as decoded bytes: the last base64url character carries two unused
  // bits, so two different texts decode to the same signature, and a code must have one spelling.
  const given = Buffer.from(signature, 'ascii');
  const expected = Buffer.from(signatureOf(key, payload).toString('base64url'), 'ascii');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return invalid('bad signature');
  const claims = claimsOf(Buffer.from(payload, 'base64url').toString('utf8'));
  if (claims === null) return invalid('malformed payload');
  if (nowMs >= claims.expiresAt)
    return refuse(
      'settlement.ecard_expired',
      'the electronic card code has expired: show a new one',
      {
        expiresAt: new Date(claims.expiresAt).toISOString(),
      },
    );
  return ok(claims);
}

/** A signed payload is ours, so a bad shape means a bug or an old version: refused, never thrown. */
function claimsOf(json: string): EcardClaims | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  if (!('v' in value && 'workerId' in value && 'issuedAt' in value)) return null;
  if (!('expiresAt' in value && 'nonce' in value)) return null;
  const { v, workerId, issuedAt, expiresAt, nonce } = value;
  if (v !== 1 || typeof workerId !== 'string' || typeof nonce !== 'string') return null;
  if (typeof issuedAt !== 'number' || typeof expiresAt !== 'number') return null;
  if (!Number.isSafeInteger(issuedAt) || !Number.isSafeInteger(expiresAt)) return null;
  return { v, workerId, issuedAt, expiresAt, nonce };
}
