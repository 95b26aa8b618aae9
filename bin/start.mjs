#!/usr/bin/env node
// `npm start`: build the web UI when its sources are newer than the build, then serve with an
// embedded database that is migrated and, when empty, seeded with the demo province.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launchedAt = Date.now();
const built = join(root, 'dist/web/index.html');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(built) || newest(join(root, 'src/web')) > statSync(built).mtimeMs) {
  console.log('Building the web UI (vite)…');
  const r = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(
  process.execPath,
  [join(root, 'bin/tongchou.mjs'), 'serve', '--seed-if-empty'],
  {
    cwd: root,
    stdio: 'inherit',
    // serve reports the time from this launch to ready, the UI build included.
    env: { ...process.env, TONGCHOU_LAUNCHED_AT: String(launchedAt) },
  },
);
process.exit(r.status ?? 0);
