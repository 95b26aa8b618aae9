import { maskIdNumbersIn } from '../../identity/masking.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * What a case material may be, decided by its first bytes (magic numbers) only: the file name and
 * the type the browser declared are the uploader's words and are never believed. PDF for documents,
 * JPEG and PNG for photographed or scanned papers (issue 11: "PDF, JPG, PNG; type checked by
 * content").
 */
export const MATERIAL_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type MaterialMediaType = (typeof MATERIAL_MEDIA_TYPES)[number];

/** The default size limit (MATERIAL_FILE_BYTES_MAX): a scanned multi-page form fits, a video does not. */
export const MATERIAL_FILE_BYTES_MAX_DEFAULT = 20 * 1024 * 1024;

const SIGNATURES: readonly { type: MaterialMediaType; magic: readonly number[] }[] = [
  // "%PDF-" (ISO 32000-1 §7.5.2: the header line starts the file).
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // SOI marker FF D8 followed by the first marker's FF.
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  // The PNG signature: 89 "PNG" CR LF SUB LF.
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The media type the bytes show, or null when they start like none of the allowed files. */
export function mediaTypeOf(head: Uint8Array): MaterialMediaType | null {
  for (const s of SIGNATURES)
    if (head.length >= s.magic.length && s.magic.every((b, i) => head[i] === b)) return s.type;
  return null;
}

export type MaterialFileRefusal =
  | 'material.file_empty'
  | 'material.too_large'
  | 'material.type_not_allowed';

/** The extension a download is offered under, from the type the content showed. */
export const EXTENSION_OF: Readonly<Record<MaterialMediaType, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/**
 * Checks an upload before anything is stored: not empty, not over the limit (the message names the
 * limit), and a PDF, JPEG or PNG by content. `bytes` is what was read, `byteCount` how many bytes
 * the sender sent (the reader stops past the limit, so it may exceed bytes.length).
 */
export function checkMaterialFile(
  bytes: Uint8Array,
  byteCount: number,
  bytesMax: number,
): Result<MaterialMediaType, MaterialFileRefusal> {
  if (byteCount === 0) return refuse('material.file_empty', 'the file is empty (0 bytes)');
  if (byteCount > bytesMax)
    return refuse(
      'material.too_large',
      `the file is larger than the limit of ${bytesMax} bytes (${formatMegabytes(bytesMax)}); scan at a lower resolution or split it`,
      { bytesMax },
    );
  const type = mediaTypeOf(bytes);
  if (type === null)
    return refuse(
      'material.type_not_allowed',
      'the file is not a PDF, JPEG or PNG by its content (whatever its name says)',
      { allowed: [...MATERIAL_MEDIA_TYPES] },
    );
  return ok(type);
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
}

/**
 * A file name as it will be stored and offered again: the last path segment, control characters
 * and quotes removed, any 公民身份号码 in it masked (scans are often named by the worker's number,
 * and the name is shown to staff without pii:reveal), at most 255 characters, never empty.
 */
export function cleanFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  const clean = maskIdNumbersIn(last.replace(/[\u0000-\u001f\u007f"]/g, '')).trim();
  return clean === '' ? 'file' : [...clean].slice(0, 255).join('');
}
