import { describe, expect, it } from 'vitest';
import { codePointLabel, decodeGbk, encodeGbk } from './gbk.ts';

describe('encodeGbk', () => {
  it('writes a Chinese character in two bytes, ASCII in one (张三: D5C5 C8FD; UTF-8 would take 6)', () => {
    const r = encodeGbk('张三 A1');
    expect(r).toEqual({
      ok: true,
      bytes: Uint8Array.from([0xd5, 0xc5, 0xc8, 0xfd, 0x20, 0x41, 0x31]),
    });
    expect(Buffer.from('张三', 'utf8').length).toBe(6);
  });

  it('keeps the middle dot of a transliterated name (· = A1A4) and reads it back', () => {
    const r = encodeGbk('买买提·艾力');
    if (!r.ok) throw new Error('refused');
    expect(r.bytes.length).toBe(12);
    expect([...r.bytes.subarray(6, 8)]).toEqual([0xa1, 0xa4]);
    expect(decodeGbk(r.bytes)).toBe('买买提·艾力');
  });

  it('names, once each, a character GBK lacks instead of writing "?": 𠮷 (Extension B), a private-use code, a tab, €', () => {
    expect(encodeGbk('𠮷野𠮷家')).toEqual({ ok: false, unencodable: ['𠮷'] });
    expect(encodeGbk('王\uE000')).toEqual({ ok: false, unencodable: ['\uE000'] });
    expect(encodeGbk('王\t五')).toEqual({ ok: false, unencodable: ['\t'] });
    expect(encodeGbk('€')).toEqual({ ok: false, unencodable: ['€'] });
    expect(codePointLabel('𠮷')).toBe('U+20BB7');
    expect(codePointLabel('\t')).toBe('U+0009');
  });

  it('round-trips every common Chinese character (GB 2312 level 1, B0A1–D7F9)', () => {
    const bytes: number[] = [];
    for (let lead = 0xb0; lead <= 0xd7; lead += 1)
      for (let trail = 0xa1; trail <= 0xfe; trail += 1)
        if (!(lead === 0xd7 && trail > 0xf9)) bytes.push(lead, trail);
    const text = decodeGbk(Uint8Array.from(bytes));
    expect([...text].length).toBe(3755);
    const r = encodeGbk(text);
    expect(r.ok && Buffer.from(r.bytes).equals(Buffer.from(bytes))).toBe(true);
  });
});
