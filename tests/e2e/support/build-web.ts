import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const webSource = join(repoRoot, 'src/web');
const builtIndex = join(repoRoot, 'dist/web/index.html');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/**
 * Builds the web UI into dist/web unless the build is newer than every file under src/web (and
 * the shared role table it imports). Called from each spec's beforeAll; the build takes seconds.
 */
export function ensureWebBuild(): void {
  const sourceMtime = Math.max(
    newestMtimeMs(webSource),
    statSync(join(repoRoot, 'src/identity/roles.ts')).mtimeMs,
    statSync(join(repoRoot, 'src/kernel/money.ts')).mtimeMs,
  );
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourceMtime) return;
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'src/web/vite.config.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
