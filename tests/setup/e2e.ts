import { ensureWebBuild } from '../e2e/support/build-web.ts';
import { templateSetup } from './db-templates.ts';

const templates = templateSetup('pglite');

/**
 * vitest globalSetup of the e2e project: the web UI is built once, before any spec starts, so the
 * specs may run side by side (each has its own server on an ephemeral port and its own Chromium;
 * a build while another spec's server reads dist/web would swap files under it); and the journeys'
 * server starts from the demo template (tests/setup/db-templates.ts). Returns the teardown.
 */
export async function setup(): Promise<() => Promise<void>> {
  ensureWebBuild();
  return templates();
}
