import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  destination,
  type LoggerOptions,
} from 'pino';
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
        // 1101's electronic card code identifies the worker for its few minutes, like a credential.
        'ecardCode',
        '*.ecardCode',
        '*.*.ecardCode',
        // A bank account number (card accounts, docs/benefits.md): never in a log line in full.
        'accountNumber',
        '*.accountNumber',
        '*.*.accountNumber',
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

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger, bound to its request id, whose pino child is made on the first line the
 * request writes. Making a child serialises its bindings through the redactor: on the liveness
 * probe that was our largest per-request cost after the socket write, at a level (warn, as
 * served) that writes nothing for such a request. A line at a level the parent does not write is
 * dropped without a child, as the child (which inherits that level) would drop it; anything else
 * (a line, a level change, a grandchild) makes the child and goes to it, so what is written is
 * the same line with the same bindings.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;

  constructor(parent: FastifyBaseLogger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  /** Whether the child has been made (tests). */
  get materialised(): boolean {
    return this.#child !== undefined;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #write(level: LevelName, args: unknown[]): void {
    // pino points every level it does not write at the same no-op as `silent`; another logger
    // that does not simply gets its child made.
    if (this.#child === undefined && this.#parent[level] === this.#parent.silent) return;
    const child = this.#real();
    Reflect.apply(child[level], child, args);
  }
}

/**
 * Fastify's `childLoggerFactory`: a lazy child for the usual request (no per-route level or
 * serialisers), pino's own child otherwise.
 */
export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => {
  if (
    options.level !== undefined ||
    options.serializers !== undefined ||
    options.msgPrefix !== undefined ||
    options.redact !== undefined
  )
    return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings);
};
