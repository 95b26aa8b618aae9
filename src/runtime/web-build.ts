import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folders the web bundle is built from: the web itself and the floors it may import. */
const webSources = ['src/web', 'src/kernel', 'src/identity', 'src/domain', 'src/contract'];

function newestMtimeMs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/web is missing or older than a file it is built from. */
export function webBuildIsStale(root: string): boolean {
  const index = join(root, 'dist/web/index.html');
  if (!existsSync(index)) return true;
  const sourceMs = Math.max(...webSources.map((dir) => newestMtimeMs(join(root, dir))));
  return sourceMs > statSync(index).mtimeMs;
}

/**
 * Builds the web UI with Vite in a child process (the server process stays free of the bundler's
 * memory). The abort signal kills the build, so a SIGTERM during the build leaves no child behind.
 * Resolves true when the build succeeded, false when it failed or was aborted.
 */
export function buildWeb(root: string, abort: AbortSignal): Promise<boolean> {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      // A production build, as served; a NODE_ENV=test from a caller would give React's dev build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
      signal: abort,
      killSignal: 'SIGTERM',
    });
    // An abort also emits 'error', but the promise waits for the child's exit: no child outlives us.
    child.once('error', () => {
      if (child.pid === undefined) resolve(false);
    });
    child.once('exit', (code) => resolve(code === 0));
  });
}
