#!/usr/bin/env node
// `npm start`: build the web UI when its sources are newer than the build, then serve IN THIS
// PROCESS (tsx's loader runs the TypeScript here, no child server), so SIGINT/SIGTERM sent to
// `npm start` reach the server's own handlers. package.json runs this with `exec` so that npm's
// `sh -c` is replaced by node: npm forwards signals to its direct child only.
import { register } from 'tsx/esm/api';

register();
const { repoRoot, runStart } = await import('../src/cli/start.ts');
await runStart(repoRoot);
