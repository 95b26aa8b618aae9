import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, newTotpSecret, otpauthUri } from './totp.ts';

/** RFC 6238 Appendix B (SHA-1 rows) and RFC 4226 Appendix D test values. */
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 4226 HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314'];
    expect(expected.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(expected);
  });

  it('matches the RFC 6238 SHA-1 values (8 digits)', () => {
    const rows: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of rows)
      expect(hotp(RFC_SECRET, Math.floor(seconds / 30), 8)).toBe(code);
  });

  it('accepts one step of drift either side, nothing further, and only 6 digits', () => {
    const secret = base32Encode(RFC_SECRET);
    const at = 1_111_111_111_000;
    const step = Math.floor(at / 30_000);
    expect(matchTotp(secret, hotp(RFC_SECRET, step), at)).toBe(step);
    expect(matchTotp(secret, hotp(RFC_SECRET, step - 1), at)).toBe(step - 1);
    expect(matchTotp(secret, hotp(RFC_SECRET, step + 1), at)).toBe(step + 1);
    expect(matchTotp(secret, hotp(RFC_SECRET, step + 2), at)).toBeNull();
    expect(matchTotp(secret, '12345', at)).toBeNull();
    expect(matchTotp(secret, '1234567', at)).toBeNull();
  });

  it('round-trips base32 and makes 160-bit secrets an app can read', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'hz.handler', 'tongchou')).toBe(
      'otpauth://totp/tongchou%3Ahz.handler?secret=JBSWY3DPEHPK3PXP&issuer=tongchou&algorithm=SHA1&digits=6&period=30',
    );
  });
});
