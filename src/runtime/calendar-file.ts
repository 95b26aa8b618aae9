import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The working-day calendar shipped with the release (State Council notices, see its "about"). */
export const BUNDLED_CALENDAR_FILE = fileURLToPath(
  new URL('../rules/values/calendar/holidays-cn.json', import.meta.url),
);

/** The bundled calendar file, parsed as JSON; the use case validates it. */
export function readBundledCalendar(): unknown {
  return JSON.parse(readFileSync(BUNDLED_CALENDAR_FILE, 'utf8'));
}
