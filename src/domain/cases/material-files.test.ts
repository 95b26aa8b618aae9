import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMaterialFile, cleanFileName, mediaTypeOf } from './material-files.ts';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)),
  );
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR....');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF');
const PDF = bytes('%PDF-1.7\n%âãÏÓ\n');
const LIMIT = 1024;

describe('the type of a material comes from its first bytes', () => {
  it('reads PDF, JPEG and PNG by their magic numbers', () => {
    expect(mediaTypeOf(PDF)).toBe('application/pdf');
    expect(mediaTypeOf(JPEG)).toBe('image/jpeg');
    expect(mediaTypeOf(PNG)).toBe('image/png');
  });

  it('refuses an executable, a ZIP, plain text, HTML and a truncated signature', () => {
    const refused = [
      bytes('MZ', [0x90, 0, 3, 0]), // a Windows executable renamed .pdf
      bytes([0x7f], 'ELF', [2, 1, 1]),
      bytes('PK', [3, 4, 20, 0]), // a ZIP (also .docx / .xlsx)
      bytes('just some text, saved as scan.pdf'),
      bytes('<html><script>alert(1)</script>'),
      bytes('%PDF'), // one byte short of %PDF-
      bytes([0x89, 0x50, 0x4e, 0x47]),
      bytes(' %PDF-1.4'), // a signature not at the start
    ];
    for (const b of refused) {
      expect(mediaTypeOf(b)).toBeNull();
      const out = checkMaterialFile(b, b.length, LIMIT);
      expect(out.ok ? 'ok' : out.code).toBe('material.type_not_allowed');
    }
  });

  it('refuses an empty file, and a file over the limit naming the limit', () => {
    const empty = checkMaterialFile(new Uint8Array(0), 0, LIMIT);
    expect(empty.ok ? 'ok' : empty.code).toBe('material.file_empty');
    const big = checkMaterialFile(PDF, 20 * 1024 * 1024 + 1, 20 * 1024 * 1024);
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.code).toBe('material.too_large');
      expect(big.message).toContain('20971520 bytes (20 MB)');
      expect(big.details).toEqual({ bytesMax: 20 * 1024 * 1024 });
    }
    // At the limit exactly the file is accepted.
    expect(checkMaterialFile(PDF, LIMIT, LIMIT).ok).toBe(true);
  });

  it('any bytes after a signature keep its type; bytes starting otherwise are refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PDF.slice(0, 5), JPEG.slice(0, 3), PNG.slice(0, 8)),
        fc.uint8Array({ maxLength: 64 }),
        (magic, rest) => {
          const type = mediaTypeOf(Uint8Array.from([...magic, ...rest]));
          expect(type).toBe(mediaTypeOf(magic));
          expect(type).not.toBeNull();
        },
      ),
      { seed: 11_018 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (b) => {
        fc.pre(![0x25, 0xff, 0x89].includes(b[0]!));
        expect(mediaTypeOf(b)).toBeNull();
      }),
      { seed: 11_018 },
    );
  });
});

describe('the stored file name', () => {
  it('keeps the last path segment without control characters or quotes, never empty', () => {
    expect(cleanFileName('C:\\scans\\工伤认定申请表.pdf')).toBe('工伤认定申请表.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a"b\u0000c.png')).toBe('abc.png');
    expect(cleanFileName('  ')).toBe('file');
    const named = cleanFileName('110105194912310021身份证.jpg');
    expect(named).not.toContain('110105194912310021');
    expect(named).toMatch(/^110105\*+0021身份证\.jpg$/);
    expect([...cleanFileName('名'.repeat(300))].length).toBe(255);
  });
});
