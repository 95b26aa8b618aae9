import { join } from 'node:path';
import { installLifecycle } from '../runtime/lifecycle.ts';
import { buildWeb, webBuildIsStale } from '../runtime/web-build.ts';
import { serve } from './commands/serve.ts';
import { loadCliConfig } from './io.ts';

/**
 * `npm start`: build the web UI when it is older than its sources, then serve in this same
 * process with a database that is migrated and, in demo mode (the default on the embedded
 * database) when empty, seeded with the demo province; production mode refuses an unsafe start
 * instead and never seeds. One process means a signal to `npm start` reaches the server itself:
 * nothing is left holding the port or the data directory.
 */
export async function runStart(root: string): Promise<void> {
  const config = loadCliConfig();
  if (!config) return;
  // First of all: a signal during the build, migrate or seed stops cleanly.
  const life = installLifecycle({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const buildStartedMs = performance.now();
  if (webBuildIsStale(root)) {
    console.log('Building the web UI (vite)…');
    const built = await buildWeb(root, life.abort);
    if (await life.halted()) return;
    if (!built) {
      process.exitCode = 1;
      return;
    }
  }
  const uiBuildMs = Math.round(performance.now() - buildStartedMs);
  await serve(config, life, { seedIfEmpty: true, uiBuildMs });
}

export const repoRoot = join(import.meta.dirname, '..', '..');
