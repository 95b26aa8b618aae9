import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../db/schema.ts';
import { eventHash, GENESIS_HASH } from '../../domain/audit/chain.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../testing.ts';

/**
 * `tongchou audit keygen | checkpoint | verify --checkpoints` as an operator and an auditor run
 * them, on a database of its own. Runs once (`cliTestsHere`).
 */
const cdb = cliDatabaseForFile('tc-audit-cli-');
const key = () => join(cdb.dir, 'audit-key.pem');
const copy = () => join(cdb.dir, 'checkpoints.jsonl');
const env = () => ({ ...cdb.env, AUDIT_SIGNING_KEY_FILE: key(), AUDIT_CHECKPOINT_FILE: copy() });

/** The real entry point, once: bin/tongchou.mjs in its own process. */
function spawned(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    env: { ...process.env, ...env() },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every other command in this process (src/cli/testing.ts): the same program, seconds cheaper. */
const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCliInProcess(args, { ...env(), ...extraEnv });

/** What the owner of the database could do: change event 3 and recompute every hash after it. */
async function rewriteEvent3(): Promise<void> {
  const db = await cdb.open();
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await tx.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 3`);
    let prev = GENESIS_HASH;
    for (const e of await tx.orm.select().from(auditEvents).orderBy(auditEvents.seq)) {
      const hash = eventHash(prev, { ...e, at: e.at.toISOString() });
      await tx.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3', [
        prev,
        hash,
        e.seq,
      ]);
      prev = hash;
    }
    await tx.query('UPDATE audit_chain_head SET hash = $1 WHERE id = 1', [prev]);
  });
  await db.close();
}

describe.runIf(cliTestsHere)('tongchou audit commands', () => {
  it('keygen, checkpoint, verify --checkpoints; a rewrite the chain hides is named', async () => {
    const gen = spawned(['audit', 'keygen', '--out', key()]);
    expect(gen.code, gen.err).toBe(0);
    expect(statSync(key()).mode & 0o777).toBe(0o600);
    expect((await cli(['audit', 'keygen', '--out', key()])).code).toBe(2);
    await seedDemoCopy(cdb.env);
    const cp = await cli(['audit', 'checkpoint']);
    expect(cp.code, cp.err).toBe(0);
    expect(cp.out).toMatch(/checkpoint at seq \d+ signed by key [0-9a-f]{16}/);
    expect(readFileSync(copy(), 'utf8').trim().split('\n')).toHaveLength(1);
    // The auditor holds only the public key: no signing key configured.
    const auditor = { AUDIT_SIGNING_KEY_FILE: '' };
    const ok = await cli(
      ['audit', 'verify', '--checkpoints', '--public-key', `${key()}.pub`],
      auditor,
    );
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/1 signed checkpoint\(s\) hold/);
    expect((await cli(['audit', 'verify', '--checkpoints'], auditor)).code).toBe(2);

    await rewriteEvent3();
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    const caught = await cli(['audit', 'verify', '--checkpoints', '--public-key', `${key()}.pub`]);
    expect(caught.code).toBe(1);
    expect(caught.err).toMatch(/BROKEN at event seq \d+: .*rewritten/);
    expect(existsSync(copy())).toBe(true);
  }, 480_000);
});
