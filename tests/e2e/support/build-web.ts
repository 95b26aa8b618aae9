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
 * Builds the web UI into dist/web unless the build is newer than every file under src/web and the
 * lower layers it imports (kernel, identity, domain). Called from each spec's beforeAll. The build
 * is a production build, as `npm start` serves: vitest sets NODE_ENV=test, which would otherwise
 * give React's development build (double effects, double requests) to the browser journeys.
 */
export function ensureWebBuild(): void {
  const sourceMtime = Math.max(
    newestMtimeMs(webSource),
    newestMtimeMs(join(repoRoot, 'src/kernel')),
    newestMtimeMs(join(repoRoot, 'src/identity')),
    newestMtimeMs(join(repoRoot, 'src/domain')),
  );
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourceMtime) return;
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'src/web/vite.config.ts'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
