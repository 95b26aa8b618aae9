import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobDamagedError, blobKeyOf } from '../usecases/cases/blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';

const dirs: string[] = [];
function freshRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tc-blob-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

describe('the local blob store', () => {
  it('stores under <root>/<2 hex>/<sha256>, once for the same bytes', async () => {
    const root = freshRoot();
    const store = createLocalBlobStore(root);
    const first = await store.put(pdf);
    const second = await store.put(Uint8Array.from(pdf));
    expect(first).toEqual({ key: blobKeyOf(pdf), bytes: pdf.length, created: true });
    expect(second.created).toBe(false);
    expect(readdirSync(join(root, first.key.slice(0, 2)))).toEqual([first.key]);
    expect(await store.has(first.key)).toBe(true);
    expect(await store.size(first.key)).toBe(pdf.length);
    expect(await store.get(first.key)).toEqual(Buffer.from(pdf));
  });

  it('answers nothing for an unknown key and refuses what is not a key', async () => {
    const store = createLocalBlobStore(freshRoot());
    const unknown = 'a'.repeat(64);
    expect(await store.has(unknown)).toBe(false);
    expect(await store.size(unknown)).toBeNull();
    expect(await store.get(unknown)).toBeNull();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a blob key/);
  });

  it('never serves a blob changed on disk; uploading the right bytes again repairs it', async () => {
    const root = freshRoot();
    const store = createLocalBlobStore(root);
    const { key } = await store.put(pdf);
    const path = join(root, key.slice(0, 2), key);
    const tampered = Uint8Array.from(pdf);
    tampered[10] = 0x41;
    writeFileSync(path, tampered);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobDamagedError);
    expect((await store.put(pdf)).created).toBe(true);
    expect(await store.get(key)).toEqual(Buffer.from(pdf));
  });

  it('a write that dies before it is published leaves nothing under the key', async () => {
    const root = freshRoot();
    const crashing = createLocalBlobStore(root, {
      beforePublish: async () => {
        throw new Error('simulated crash after fsync, before rename');
      },
    });
    await expect(crashing.put(pdf)).rejects.toThrow(/simulated crash/);
    const key = blobKeyOf(pdf);
    const store = createLocalBlobStore(root);
    expect(await store.has(key)).toBe(false);
    expect(await store.get(key)).toBeNull();
    expect(readdirSync(join(root, key.slice(0, 2)))).toEqual([]);
  });

  it('a half-written temporary file left by a killed process is not a blob, and is no obstacle', async () => {
    const root = freshRoot();
    const key = blobKeyOf(pdf);
    const folder = join(root, key.slice(0, 2));
    const store = createLocalBlobStore(root);
    // What a SIGKILL mid-write leaves: the temporary file with part of the bytes, never the key.
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `.tmp-${key}-0123456789ab`), pdf.slice(0, 7));
    expect(await store.has(key)).toBe(false);
    expect((await store.put(pdf)).created).toBe(true);
    expect(await store.get(key)).toEqual(Buffer.from(pdf));
  });
});
