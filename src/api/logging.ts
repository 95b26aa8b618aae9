import { type DestinationStream, destination, type LoggerOptions } from 'pino';
import { maskIdNumbersIn } from '../identity/masking.ts';
import type { Config } from '../runtime/config.ts';

/**
 * The server's logger. Two layers keep secrets and ID numbers out of the log: pino's redaction
 * censors the fields known to hold them (credentials, an ID number in a logged body), and every
 * serialised line then passes through `maskIdNumbersIn` before it is written — so an ID number
 * inside free text (an error message, a database error's detail such as a unique-constraint
 * violation `Key (region_code, id_number)=(…)`, a stack, a URL) is masked too.
 *
 * The masking wraps the destination rather than using pino's `hooks.streamWrite`: with that hook
 * set, every request's child logger cost about a fifth of the liveness probe's throughput, even at
 * a level that writes nothing (measured with the platform benchmark's server, pinned).
 */
export function loggerOptions(
  config: Config,
  stream: DestinationStream | undefined,
): LoggerOptions & { stream: DestinationStream } {
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
    stream: maskingStream(stream ?? destination(1)),
  };
}

/** A destination that masks every ID number in each serialised line before passing it on. */
export function maskingStream(sink: DestinationStream): DestinationStream {
  return { write: (line: string) => sink.write(maskIdNumbersIn(line)) };
}
