import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { generateSigningKey } from '../../domain/audit/checkpoint.ts';
import { loadConfig } from '../../runtime/config.ts';
import { recordAudit } from '../../usecases/audit/audit-log.ts';
import { listCheckpoints } from '../../usecases/audit/checkpoints.ts';
import { startAuditCheckpoints } from './checkpoint-job.ts';

function quietLog(lines: string[]) {
  const put = (_d: Record<string, unknown>, message: string) => void lines.push(message);
  return { info: put, warn: put, error: put };
}

describe(`the server's checkpoint schedule on ${testBackend}`, () => {
  let t: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'tc-checkpoints-'));
  beforeAll(async () => {
    t = await openTestDatabase();
    await recordAudit(t.db, {
      actor: 'a',
      role: null,
      scope: null,
      action: 'x',
      object: null,
      result: 'ok',
      requestId: 'r',
    });
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the head at start and keeps a copy in the file; stop waits for it', async () => {
    const file = join(dir, 'checkpoints.jsonl');
    const config = loadConfig({
      AUDIT_SIGNING_KEY: generateSigningKey().privatePem,
      AUDIT_CHECKPOINT_FILE: file,
    });
    const lines: string[] = [];
    const schedule = startAuditCheckpoints(t.db, config, quietLog(lines));
    await schedule.stop();
    expect(lines).toEqual(['audit checkpoint signed']);
    const stored = await t.db.withConnection(listCheckpoints);
    expect(stored.map((c) => c.seq)).toEqual([1]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stored[0]);
  });

  it('without a key, says so once and writes nothing', async () => {
    const lines: string[] = [];
    await startAuditCheckpoints(t.db, loadConfig({}), quietLog(lines)).stop();
    expect(lines).toEqual([expect.stringContaining('audit checkpoints off')]);
  });
});
