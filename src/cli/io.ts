import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/**
 * A secret for a command (a password): the first line of `file` when given, else standard input —
 * piped (the whole input, one trailing newline dropped) or typed at a terminal without echo. Never
 * an argument: arguments show in `ps` and the shell history.
 */
export async function readSecret(file: string | undefined, prompt: string): Promise<string> {
  if (file !== undefined) return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  if (!process.stdin.isTTY) return (await readStdin()).replace(/\r?\n$/, '');
  return readHiddenLine(prompt);
}

/** One line typed at the terminal, not echoed; Ctrl-C or Ctrl-D ends with what was typed so far. */
function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((done) => {
    let line = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      done(line);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0003' || ch === '\u0004') return finish();
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
