#!/usr/bin/env node
// `npm test`: the whole default suite (unit + property, the DB suite on PGlite AND on the
// PostgreSQL server, browser journeys), then one plain summary line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=.tmp/vitest.json',
  ...process.argv.slice(2),
];
const r = spawnSync('npx', args, { stdio: 'inherit' });
if (existsSync('.tmp/vitest.json')) {
  const report = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  // A suite whose hook failed (beforeAll timeout, import error) counts no failed test, so the
  // line must name failed suites too, or "0 failed" would stand beside a failing exit status.
  const failedFiles = report.numFailedTestSuites ?? 0;
  console.log(
    `\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}${failedFiles ? ` (${failedFiles} suite(s) failed)` : ''}`,
  );
  if (report.numTotalTests === 0) process.exit(1);
}
process.exit(r.status ?? 1);
