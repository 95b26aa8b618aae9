import type { DestinationStream, LoggerOptions } from 'pino';
import { maskIdNumbersIn } from '../identity/masking.ts';
import type { Config } from '../runtime/config.ts';

/**
 * The server's logger. Two layers keep secrets and ID numbers out of the log: pino's redaction
 * censors the fields known to hold them (credentials, an ID number in a logged body), and every
 * serialised line then passes through `maskIdNumbersIn` before it is written — so an ID number
 * inside free text (an error message, a database error's detail such as a unique-constraint
 * violation `Key (region_code, id_number)=(…)`, a stack, a URL) is masked too.
 */
export function loggerOptions(
  config: Config,
  stream: DestinationStream | undefined,
): LoggerOptions & { stream?: DestinationStream } {
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'idNumber',
        '*.idNumber',
        'body.password',
        '*.body.password',
      ],
      censor: '***',
    },
    hooks: { streamWrite: maskIdNumbersIn },
    ...(stream ? { stream } : {}),
  };
}
