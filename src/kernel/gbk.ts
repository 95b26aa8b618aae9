/**
 * GBK (CP936) encoding of text for the banks' fixed-width files, without a package: the encoding
 * table is the inverse of the runtime's own GBK decoder (WHATWG `gbk`, ICU in Node), built once on
 * first use from the 126 × 190 two-byte codes (about 10 ms). Node's TextEncoder writes UTF-8 only,
 * and a generic encoder silently writes '?' for a character GBK lacks; here such a character is
 * named instead, so a caller can refuse rather than print a wrong name.
 *
 * Written: printable ASCII (0x20–0x7E) as one byte, every other character as its two-byte GBK
 * code. Refused: a character outside GBK (e.g. 𠮷 U+20BB7, from CJK Extension B), a control
 * character (a record must not hold a line break or a tab), and the Private Use Area
 * (U+E000–U+F8FF): GBK's user-defined codes map there, and each bank's font prints them as it
 * pleases, so a name using one would not read back the same. The single byte 0x80 (€ in
 * Windows' code page) is never written: it is not GBK.
 *
 * Example: `encodeGbk('张三')` → `{ ok: true, bytes: [0xd5, 0xc5, 0xc8, 0xfd] }`;
 * `encodeGbk('𠮷野家')` → `{ ok: false, unencodable: ['𠮷'] }`.
 */
export type GbkEncoding = { ok: true; bytes: Uint8Array } | { ok: false; unencodable: string[] };

let table: Map<number, number> | null = null;

/** Code unit → two-byte GBK code (lead << 8 | trail), decoded row by row (one lead byte each). */
function gbkTable(): Map<number, number> {
  if (table !== null) return table;
  const decoder = new TextDecoder('gbk', { fatal: true });
  const built = new Map<number, number>();
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    const codes: number[] = [];
    for (let trail = 0x40; trail <= 0xfe; trail += 1) if (trail !== 0x7f) codes.push(trail);
    const row = decoder.decode(Uint8Array.from(codes.flatMap((trail) => [lead, trail])));
    // Every GBK code decodes to one BMP character (checked on Node 20.20: 23 940 codes, no
    // duplicate); a row that does not is skipped whole rather than mis-aligned.
    if (row.length !== codes.length) continue;
    codes.forEach((trail, i) => {
      const unit = row.charCodeAt(i);
      if (!built.has(unit)) built.set(unit, (lead << 8) | trail);
    });
  }
  table = built;
  return built;
}

const isPrivateUse = (codePoint: number) => codePoint >= 0xe000 && codePoint <= 0xf8ff;

/** The GBK bytes of `text`, or every distinct character it cannot carry (in order of appearance). */
export function encodeGbk(text: string): GbkEncoding {
  const codes = gbkTable();
  const bytes: number[] = [];
  const unencodable: string[] = [];
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) ?? 0;
    const code = codePoint > 0xffff || isPrivateUse(codePoint) ? undefined : codes.get(codePoint);
    if (codePoint >= 0x20 && codePoint <= 0x7e) bytes.push(codePoint);
    else if (code !== undefined) bytes.push(code >> 8, code & 0xff);
    else if (!unencodable.includes(ch)) unencodable.push(ch);
  }
  return unencodable.length > 0
    ? { ok: false, unencodable }
    : { ok: true, bytes: Uint8Array.from(bytes) };
}

/** GBK bytes back to text (fatal: a byte sequence that is not GBK throws). */
export function decodeGbk(bytes: Uint8Array): string {
  return new TextDecoder('gbk', { fatal: true }).decode(bytes);
}

/** U+XXXX of a character (for messages naming a character a reader may not be able to see). */
export function codePointLabel(ch: string): string {
  const codePoint = ch.codePointAt(0) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
