import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BlobDamagedError,
  type BlobStore,
  blobKeyOf,
  isBlobKey,
} from '../usecases/cases/blob-store.ts';

/** Test seams: called after the bytes are synced and before the rename that publishes them. */
export type LocalBlobStoreHooks = { beforePublish?: (tempPath: string) => Promise<void> };

/**
 * The blob store on the local file system: `<root>/<first 2 hex of the key>/<key>` (256 folders, so
 * no folder grows past what a directory listing handles well). A write goes to a temporary file in
 * the same folder (same file system, so the rename is atomic), is fsynced, then renamed onto its key
 * and the folder fsynced: a crash leaves either the whole blob or none under the key, at worst a
 * `.tmp-…` file that no key names. Blobs are never deleted or rewritten in place.
 */
export function createLocalBlobStore(root: string, hooks: LocalBlobStoreHooks = {}): BlobStore {
  const pathOf = (key: string) => {
    if (!isBlobKey(key)) throw new Error(`not a blob key: ${JSON.stringify(key)}`);
    return join(root, key.slice(0, 2), key);
  };
  const size = async (key: string): Promise<number | null> => {
    try {
      return (await stat(pathOf(key))).size;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };
  const get = async (key: string): Promise<Uint8Array | null> => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(pathOf(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    if (blobKeyOf(bytes) !== key) throw new BlobDamagedError(key);
    return bytes;
  };
  return {
    size,
    get,
    has: async (key) => (await size(key)) !== null,
    put: async (bytes) => {
      const key = blobKeyOf(bytes);
      if (await storedIntact(get, key)) return { key, bytes: bytes.length, created: false };
      await writeAtomically(join(root, key.slice(0, 2)), key, bytes, hooks);
      return { key, bytes: bytes.length, created: true };
    },
  };
}

/**
 * Whether the key already holds its bytes. A damaged copy counts as absent, so uploading the right
 * file again repairs it (the rename replaces the damaged file whole).
 */
async function storedIntact(
  get: (key: string) => Promise<Uint8Array | null>,
  key: string,
): Promise<boolean> {
  try {
    return (await get(key)) !== null;
  } catch (err) {
    if (err instanceof BlobDamagedError) return false;
    throw err;
  }
}

async function writeAtomically(
  dir: string,
  key: string,
  bytes: Uint8Array,
  hooks: LocalBlobStoreHooks,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.tmp-${key}-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforePublish?.(temp);
    await rename(temp, join(dir, key));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

/** The rename is durable only once the folder's entry is on disk (POSIX; Windows cannot open it). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}
