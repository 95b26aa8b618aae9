import { createHash } from 'node:crypto';

/**
 * Where the bytes of uploaded files live: content-addressed, so a file's key is the lower-case hex
 * sha256 of its bytes, the same bytes are stored once however often they are uploaded, and a
 * database row (case_materials.sha256) names a file without holding it. The use cases see only
 * this interface; the composition root picks the implementation (src/runtime/local-blob-store.ts
 * today, under the data directory) and passes it in the app's dependencies like the database.
 *
 * The contract every implementation keeps (docs/adr/0015-blob-store.md):
 * - `put` returns only once the bytes are durable under their key; a write that dies half-way
 *   leaves nothing under the key (a reader never sees a half file). Putting bytes already stored is
 *   a no-op that answers `created: false`.
 * - `get` never serves bytes that do not hash to the key: it throws BlobDamagedError instead, so
 *   a file damaged or tampered with at rest is refused, not handed to a decision maker.
 * - `has` and `size` answer for the key alone (no read of the content).
 *
 * An S3-compatible store (MinIO, OSS, COS, OBS) would implement it as: key → object name
 * `blobs/<first 2 hex>/<sha256>`; `put` = HeadObject (exists → created false) else PutObject with
 * `x-amz-checksum-sha256` (base64 of the same digest) so the server refuses a body that does not
 * match, and `If-None-Match: *` so two writers of one key do not race — an object appears whole
 * or not at all, which is the atomic rename of the local store; `get` = GetObject, then the same
 * hash check here before the bytes are returned; `has` / `size` = HeadObject (404 → false / null,
 * ContentLength). Bucket versioning or object lock keeps a deleted or overwritten object
 * recoverable, which the local store gets from never deleting.
 */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<{ key: string; bytes: number; created: boolean }>;
  /** The bytes under `key`, checked against it; null when nothing is stored under it. */
  get(key: string): Promise<Uint8Array | null>;
  has(key: string): Promise<boolean>;
  /** The stored length in bytes, or null when nothing is stored under the key. */
  size(key: string): Promise<number | null>;
}

/** A stored blob whose bytes no longer hash to its key: damaged or tampered with at rest. */
export class BlobDamagedError extends Error {
  override name = 'BlobDamagedError';
  constructor(readonly key: string) {
    super(`blob ${key} does not match its content hash: damaged or changed on disk, not served`);
  }
}

const KEY = /^[0-9a-f]{64}$/;

/** Whether a text is a blob key (64 lower-case hex characters); a store refuses any other. */
export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

/** The key of some bytes: their sha256 in lower-case hex. */
export function blobKeyOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
