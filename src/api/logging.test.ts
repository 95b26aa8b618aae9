import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { UNMASKED_ID_NUMBER } from '../identity/masking.ts';
import { loadConfig } from '../runtime/config.ts';
import { setProblemHandlers } from './error-handler.ts';
import { loggerOptions } from './logging.ts';
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
