import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { type Actor, systemActor } from '../identity/actor.ts';
import { type Config, ConfigError, loadConfig } from '../runtime/config.ts';
import { openConfiguredDatabase } from '../runtime/database.ts';

/** Loads the configuration; a wrong setting prints its message and sets exit code 2 (null returned). */
export function loadCliConfig(): Config | null {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return null;
    }
    throw err;
  }
}

/** Runs a CLI action with a configured, migrated database; closes it; maps config errors to exit 2. */
export async function withDatabase(
  fn: (ctx: { db: Database; config: Config; actor: Actor }) => Promise<number | undefined>,
): Promise<void> {
  const config = loadCliConfig();
  if (!config) return;
  const db = await openConfiguredDatabase(config);
  try {
    const code = await fn({ db, config, actor: systemActor(`cli-${randomUUID()}`) });
    if (code !== undefined) process.exitCode = code;
  } finally {
    await db.close();
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
