import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type EcardClaims, encodeEcardCode, readEcardCode } from './ecard-code.ts';

const key = Buffer.alloc(32, 7);
const claims: EcardClaims = {
  v: 1,
  workerId: 'wkr_0000000000000001',
  issuedAt: 1_000_000,
  expiresAt: 1_300_000,
  nonce: '00112233445566778899aabbccddeeff',
};

function codeOf(r: ReturnType<typeof readEcardCode>): string {
  return r.ok ? 'ok' : r.code;
}

describe('the electronic card code', () => {
  it('reads back its claims under the same key, until the instant it expires', () => {
    const code = encodeEcardCode(key, claims);
    expect(readEcardCode(key, code, 1_299_999)).toEqual({ ok: true, value: claims });
    expect(codeOf(readEcardCode(key, code, 1_300_000))).toBe('settlement.ecard_expired');
  });

  it('is invalid under another key, with any signature character changed, or malformed', () => {
    const code = encodeEcardCode(key, claims);
    expect(codeOf(readEcardCode(Buffer.alloc(32, 8), code, 0))).toBe('settlement.ecard_invalid');
    // Every position of the signature, the last (two unused bits) included.
    const dot = code.indexOf('.');
    for (let i = dot + 1; i < code.length; i += 1) {
      const swapped = `${code.slice(0, i)}${code[i] === 'A' ? 'B' : 'A'}${code.slice(i + 1)}`;
      expect(codeOf(readEcardCode(key, swapped, 0)), `position ${i}`).toBe(
        'settlement.ecard_invalid',
      );
    }
    for (const bad of ['', '.', 'abc', `${code}.x`, `${code.slice(0, dot)}.${'A'.repeat(43)}`])
      expect(codeOf(readEcardCode(key, bad, 0)), bad).toBe('settlement.ecard_invalid');
  });

  it('has one spelling: the last character’s two unused bits changed is invalid too', () => {
    const code = encodeEcardCode(key, claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(code.slice(-1));
    // The characters whose top four bits are the last one's decode to the same 32 bytes.
    const siblings = [0, 1, 2, 3].map((low) => (last & ~3) + low).filter((i) => i !== last);
    expect(siblings).toHaveLength(3);
    for (const i of siblings) {
      const respelled = `${code.slice(0, -1)}${alphabet[i]}`;
      expect(Buffer.from(respelled.split('.')[1] ?? '', 'base64url')).toEqual(
        Buffer.from(code.split('.')[1] ?? '', 'base64url'),
      );
      expect(codeOf(readEcardCode(key, respelled, 0))).toBe('settlement.ecard_invalid');
    }
  });

  it('refuses a signed payload of the wrong shape rather than throwing', () => {
    const payload = Buffer.from(JSON.stringify({ ...claims, issuedAt: 'yesterday' })).toString(
      'base64url',
    );
    const signature = createHmac('sha256', key).update(payload).digest('base64url');
    const signedOdd = `${payload}.${signature}`;
    expect(codeOf(readEcardCode(key, signedOdd, 0))).toBe('settlement.ecard_invalid');
  });
});
