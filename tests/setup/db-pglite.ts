import { templateSetup } from './db-templates.ts';

/** vitest globalSetup of the db-pglite project (tests/setup/db-templates.ts); its return is the teardown. */
export const setup = templateSetup('pglite');
