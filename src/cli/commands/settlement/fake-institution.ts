import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fakeInstitutionPlans } from '../../../contract/settlement/fake-institution-plans.ts';
import { monthOf, todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, inputProblem, parseInput } from '../../../kernel/validation.ts';
import {
  FakeInstitution,
  faultsOfSeed,
  faultyTransport,
  reconcileMonth,
  settleVisit,
  type Transport,
  type VisitPlan,
  WireTimeout,
} from './fake-institution-client.ts';

/**
 * `tongchou settlement fake-institution`: a test HIS against a running centre (a demo, a staging
 * server). It settles the visits of a plans file through the transaction set, over `fetch` with
 * a timeout per request (a timeout is a lost answer: the client queries, then resends or 冲正s),
 * optionally under the seeded faults of the acceptance test, and prints what it believes settled
 * and the centre's 1320 answer for this month.
 */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_MISMATCH = 3;
const EXIT_FAILED = 1;

export type PlansRead = { ok: true; plans: VisitPlan[] } | { ok: false; problem: InputProblem };

/** The plans file's text, parsed and checked: every problem at once, or the plans. */
export function readPlans(text: string): PlansRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      problem: inputProblem([
        { path: '(root)', code: 'invalid_json', message: `not JSON: ${why}` },
      ]),
    };
  }
  const parsed = parseInput(fakeInstitutionPlans, data);
  if (!parsed.ok) return { ok: false, problem: parsed.problem ?? inputProblem([]) };
  return { ok: true, plans: parsed.value.visits };
}

function readPlansFile(path: string): PlansRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const error = { path: '--plans', code: 'unreadable', message: `cannot read ${path}: ${why}` };
    return { ok: false, problem: inputProblem([error]) };
  }
  return readPlans(text);
}

/** The centre over HTTP: no answer within `timeoutMs`, or no connection, is a WireTimeout. */
export function fetchTransport(baseUrl: string, token: string, timeoutMs: number): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (w) => {
    let res: Response;
    try {
      res = await fetch(`${base}${w.path}`, {
        method: w.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(w.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(w.body === undefined ? {} : { body: JSON.stringify(w.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : JSON.parse(text) };
    } catch (err) {
      // Aborted, refused, reset, or a cut answer: the client cannot know what the centre did.
      if (err instanceof Error) throw new WireTimeout(`${w.path} (${err.message})`);
      throw err;
    }
  };
}

type Options = { url: string; token: string; plans: string; seed?: string; timeoutMs: string };

async function run(opts: Options): Promise<number> {
  const read = readPlansFile(opts.plans);
  const seed = opts.seed === undefined ? null : Number(opts.seed);
  const timeoutMs = Number(opts.timeoutMs);
  if (!read.ok || (seed !== null && !Number.isInteger(seed)) || !(timeoutMs > 0)) {
    const problem = read.ok
      ? inputProblem([
          {
            path: 'options',
            code: 'invalid',
            message: '--seed must be an integer, --timeout-ms positive',
          },
        ])
      : read.problem;
    process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`);
    process.stderr.write(`settlement fake-institution: ${problem.detail}\n`);
    return EXIT_INPUT;
  }
  const base = fetchTransport(opts.url, opts.token, timeoutMs);
  const faulty = seed === null ? null : faultyTransport(base, seed, faultsOfSeed(seed));
  const his = new FakeInstitution(
    faulty?.transport ?? base,
    `FK${Date.now().toString(36)}`,
    seed ?? 1,
  );
  await his.signIn('fake-institution');
  await Promise.all(read.plans.map((p) => settleVisit(his, p)));
  await Promise.all(faulty?.pending ?? []);
  const reconciliation = await reconcileMonth(his, monthOf(todayInChina()));
  const out = { confirmed: his.confirmed, reconciliation, log: his.log };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return reconciliation['match'] === true ? EXIT_OK : EXIT_MISMATCH;
}

export function registerFakeInstitution(settlement: Command): void {
  settlement
    .command('fake-institution')
    .description('A test HIS: settles the plans through the transaction set, then 1320 总额对账')
    .requiredOption('--url <base>', 'the centre, e.g. http://127.0.0.1:3000')
    .requiredOption(
      '--token <token>',
      'an API token of an institution user (bill:submit, bill:read)',
    )
    .requiredOption('--plans <file.json>', '{ "visits": [ … ] } (docs/settlement-messages.md)')
    .option('--seed <n>', 'inject the seeded faults of the acceptance test')
    .option('--timeout-ms <ms>', 'no answer within this is a lost answer', '10000')
    .action(async (opts: Options) => {
      try {
        process.exitCode = await run(opts);
      } catch (err) {
        // The centre unreachable past every retry, or an answer the protocol does not allow.
        process.stderr.write(
          `settlement fake-institution: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exitCode = EXIT_FAILED;
      }
    });
}
