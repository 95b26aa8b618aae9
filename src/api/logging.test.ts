import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { UNMASKED_ID_NUMBER } from '../identity/masking.ts';
import { loadConfig } from '../runtime/config.ts';
import { setProblemHandlers } from './error-handler.ts';
import { LazyChildLogger, lazyChildLoggerFactory, loggerOptions } from './logging.ts';
import { expectNoLeakedIdNumbers, scanningLogStream, scanResponses } from './testing.ts';

const ID = '11010519491231002X';
const MASKED = '110105********002X';

function capture(): { lines: string[]; stream: { write: (line: string) => void } } {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => lines.push(line) } };
}

/** A database error as pg reports a unique-constraint race on person registration. */
function uniqueViolation(): Error {
  return Object.assign(
    new Error('duplicate key value violates unique constraint "persons_region_code_id_number_key"'),
    {
      code: '23505',
      detail: `Key (region_code, id_number)=(330100, ${ID}) already exists.`,
      constraint: 'persons_region_code_id_number_key',
    },
  );
}

describe('the log redactor', () => {
  it('masks an ID number in an unhandled database error, its detail and the request URL', async () => {
    const { lines, stream } = capture();
    const app = Fastify({ logger: loggerOptions(loadConfig({ LOG_LEVEL: 'info' }), stream) });
    setProblemHandlers(app);
    app.get('/boom/:id', async () => {
      throw uniqueViolation();
    });
    const res = await app.inject({ url: `/boom/${ID}` });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(UNMASKED_ID_NUMBER);
    const errorLine = lines.find((l) => l.includes('unhandled error')) ?? '';
    expect(errorLine).toContain(`Key (region_code, id_number)=(330100, ${MASKED})`);
    expect(lines.some((l) => l.includes(`/boom/${MASKED}`))).toBe(true);
    expect(lines.filter((l) => UNMASKED_ID_NUMBER.test(l))).toEqual([]);
  });

  it('censors fields that hold an ID number or a credential', () => {
    const { lines, stream } = capture();
    const log = pino(loggerOptions(loadConfig({ LOG_LEVEL: 'info' }), undefined), stream);
    log.info({ idNumber: ID, body: { password: 'secret' }, req: { headers: { cookie: 'c' } } });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      idNumber: '***',
      body: { password: '***' },
      req: { headers: { cookie: '***' } },
    });
  });

  it('censors an electronic card code at any depth a 1101 message puts it', () => {
    const { lines, stream } = capture();
    const log = pino(loggerOptions(loadConfig({ LOG_LEVEL: 'info' }), undefined), stream);
    log.info({
      ecardCode: 'a.b',
      body: { ecardCode: 'a.b' },
      req: { body: { ecardCode: 'a.b' } },
    });
    expect(lines[0]).not.toContain('a.b');
  });

  it('the test suites’ log destination catches a full ID number a logger without it lets through', () => {
    const plain = pino({ level: 'info' }, scanningLogStream());
    plain.error({ err: uniqueViolation() }, 'unhandled error');
    expect(() => expectNoLeakedIdNumbers()).toThrow(/full ID number was logged in 1 line/);
    expect(() => expectNoLeakedIdNumbers()).not.toThrow();
  });

  it('the test apps also fail on an answer carrying a full ID number, unless it is a reveal', async () => {
    const app = Fastify();
    app.decorateRequest('spec', null);
    scanResponses(app);
    app.get('/leak', async () => ({ idNumber: ID }));
    await app.inject({ url: '/leak' });
    await app.close();
    expect(() => expectNoLeakedIdNumbers()).toThrow(/answered without a reveal in 1 response/);
  });
});

describe('the lazy request logger', () => {
  function parent(level: string) {
    const { lines, stream } = capture();
    // As Fastify builds it: the options' masking stream is the destination.
    const options = loggerOptions(loadConfig({ LOG_LEVEL: level }), stream);
    return { lines, log: pino(options, options.stream) };
  }

  it('makes no child for lines its level does not write, and writes none', () => {
    const { lines, log } = parent('warn');
    const lazy = new LazyChildLogger(log, { reqId: 'r-1' });
    lazy.info({ req: { url: '/api/v1/health' } }, 'incoming request');
    lazy.debug('detail');
    expect(lazy.materialised).toBe(false);
    expect(lazy.level).toBe('warn');
    expect(lines).toEqual([]);
  });

  it('writes the same line as pino’s own child, bindings, redaction and masking included', () => {
    const eager = parent('info');
    const lazy = parent('info');
    const child = new LazyChildLogger(lazy.log, { reqId: 'r-2' });
    eager.log.child({ reqId: 'r-2' }).warn({ idNumber: ID, note: `id ${ID}` }, 'refused %s', 'x');
    child.warn({ idNumber: ID, note: `id ${ID}` }, 'refused %s', 'x');
    expect(child.materialised).toBe(true);
    const strip = (line: string) => ({ ...JSON.parse(line), time: 0, pid: 0 });
    expect(lazy.lines.map(strip)).toEqual(eager.lines.map(strip));
    expect(JSON.parse(lazy.lines[0] ?? '{}')).toMatchObject({
      reqId: 'r-2',
      idNumber: '***',
      note: `id ${MASKED}`,
      msg: 'refused x',
    });
  });

  it('a level change or a grandchild makes the child, which then writes at its own level', () => {
    const { lines, log } = parent('warn');
    const lazy = new LazyChildLogger(log, { reqId: 'r-3' });
    lazy.level = 'debug';
    expect(lazy.materialised).toBe(true);
    lazy.debug('now written');
    lazy.child({ step: 'b' }).info('grandchild');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { reqId: 'r-3', msg: 'now written' },
      { reqId: 'r-3', step: 'b', msg: 'grandchild' },
    ]);
    expect(log.level).toBe('warn');
  });

  it('a route with its own log level keeps it (pino’s child at once)', async () => {
    const { lines, stream } = capture();
    const app = Fastify({
      logger: loggerOptions(loadConfig({ LOG_LEVEL: 'warn' }), stream),
      childLoggerFactory: lazyChildLoggerFactory,
    });
    app.get('/y', { logLevel: 'debug' }, async (request) => {
      request.log.debug('route detail');
      return { ok: true };
    });
    await app.inject({ url: '/y' });
    await app.close();
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('route detail');
  });

  it('an app request logs its request id through it, at info and above', async () => {
    const { lines, stream } = capture();
    const app = Fastify({
      logger: loggerOptions(loadConfig({ LOG_LEVEL: 'info' }), stream),
      childLoggerFactory: lazyChildLoggerFactory,
      genReqId: () => 'req-6',
    });
    app.get('/x', async (request) => {
      request.log.warn('inside');
      return { ok: true };
    });
    await app.inject({ url: '/x' });
    await app.close();
    const messages = lines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'req-6');
    expect(messages.map((m) => m.msg)).toEqual(['incoming request', 'inside', 'request completed']);
  });
});
