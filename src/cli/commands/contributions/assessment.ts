import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { regionCode } from '../../../contract/common.ts';
import {
  arrearsCliOptions,
  assessCliOptions,
  forwardCliOptions,
  postCliOptions,
  reconcileCliOptions,
} from '../../../contract/contributions/assessment-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { listArrears } from '../../../usecases/contributions/arrears.ts';
import { assessCityMonth, previewCityMonth } from '../../../usecases/contributions/assessment.ts';
import { forwardCollectionRecord } from '../../../usecases/contributions/collection-forward.ts';
import {
  postCollections,
  previewCollections,
} from '../../../usecases/contributions/collection-posting.ts';
import {
  importCollections,
  listCollectionRecords,
} from '../../../usecases/contributions/collections.ts';
import { reconcile } from '../../../usecases/contributions/reconciliation.ts';
import { withDatabase } from '../../io.ts';

/** Exit codes as `calc`: 0 done, 2 invalid input, 3 refused (the problem on stdout). */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(
    `contributions: invalid input (${problem?.errors.length ?? 0} problem(s))\n`,
  );
  return EXIT_INPUT;
}

function answer(
  r: { ok: true; value: unknown } | { ok: false; code: string; message: string; details?: unknown },
) {
  if (r.ok) {
    print(r.value);
    return EXIT_OK;
  }
  print({
    code: r.code,
    detail: r.message,
    ...(r.details === undefined ? {} : { details: r.details }),
  });
  process.stderr.write(`contributions: refused (${r.code}): ${r.message}\n`.slice(0, 2000));
  return EXIT_REFUSED;
}

const APPROVAL_HINT =
  'contributions: preview only — the system is no maker: a city handler asks for the approval (POST the same request to the API without approvalId), another role approves, then run this again with --approval <id>\n';

/**
 * `tongchou contributions assess|collections|arrears|reconcile` (ADR 0010): the same use cases as
 * the API. Money moves only with `--approval` (maker-checker); without it a command previews what
 * would be approved.
 */
export function registerContributionLedgerCommands(program: Command): void {
  const contributions =
    program.commands.find((c) => c.name() === 'contributions') ?? program.command('contributions');
  registerAssess(contributions);
  const collections = contributions
    .command('collections')
    .description('征收 the tax bureau’s collection records');
  registerImport(collections);
  registerPost(collections);
  registerQueue(collections);
  registerForward(collections);
  registerArrears(contributions);
  registerReconcile(contributions);
}

function registerAssess(contributions: Command): void {
  contributions
    .command('assess')
    .description(
      '核定 a city-month: preview, or with --approval write and post the difference (Dr 1131 / Cr 4101)',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--month <YYYY-MM>', 'the month assessed')
    .option(
      '--approval <id>',
      'the approved approval of action contributions.assessment for this run',
    )
    .action((opts: unknown) =>
      withDatabase(async ({ db, config, actor }) => {
        const o = parseInput(assessCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const rules = loadRuleBook().benefits;
        const input = { city: o.value.region, month: o.value.month };
        if (o.value.approval === undefined) {
          process.stderr.write(APPROVAL_HINT);
          return answer(await previewCityMonth(db, rules, input));
        }
        const policy = approvalPolicyOf(config);
        return answer(
          await assessCityMonth(db, actor, rules, {
            ...input,
            approvalId: o.value.approval,
            policy,
          }),
        );
      }),
    );
}

function registerImport(collections: Command): void {
  collections
    .command('import')
    .description(
      'Import a collection file (CSV, docs/contributions.md): refused whole on any bad row',
    )
    .requiredOption('--region <code>', 'the importing city (6 digits)')
    .requiredOption('--file <path>', 'the CSV file (UTF-8 or GBK)')
    .action((opts: { region: string; file: string }) =>
      withDatabase(async ({ db, actor }) => {
        const r = parseInput(regionCode, opts.region);
        if (!r.ok) return inputRefused(r.problem);
        const bytes = readFileSync(opts.file);
        return answer(
          await importCollections(db, actor, {
            city: r.value,
            fileName: basename(opts.file),
            bytes,
          }),
        );
      }),
    );
}

function registerPost(collections: Command): void {
  collections
    .command('post')
    .description(
      'Post an import’s matched records: preview, or with --approval post (Dr 1001 / Cr 1131 / Cr 2103)',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--import <id>', 'the import id (cim_…)')
    .option(
      '--approval <id>',
      'the approved approval of action contributions.collections for this batch',
    )
    .action((opts: unknown) =>
      withDatabase(async ({ db, config, actor }) => {
        const o = parseInput(postCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const input = { city: o.value.region, importId: o.value.import };
        if (o.value.approval === undefined) {
          process.stderr.write(APPROVAL_HINT);
          return answer(await previewCollections(db, input));
        }
        const policy = approvalPolicyOf(config);
        return answer(
          await postCollections(db, actor, { ...input, approvalId: o.value.approval, policy }),
        );
      }),
    );
}

function registerQueue(collections: Command): void {
  collections
    .command('queue')
    .description('The unmatched records of a city, waiting for a handler')
    .requiredOption('--region <code>', 'the city (6 digits) or the province')
    .action((opts: { region: string }) =>
      withDatabase(async ({ db }) => {
        const r = parseInput(regionCode, opts.region);
        if (!r.ok) return inputRefused(r.problem);
        print(await listCollectionRecords(db, { regionCode: r.value, queue: true, limit: 1000 }));
        return EXIT_OK;
      }),
    );
}

function registerForward(collections: Command): void {
  collections
    .command('forward')
    .description(
      '转交 an unmatched record of another city’s employer to that city (matched there if assessed)',
    )
    .requiredOption('--region <code>', 'the city holding the record (6 digits)')
    .requiredOption('--voucher <税票号>', 'the record')
    .option('--employer <id>', 'the employer (default: the one with the record’s credit code)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, actor }) => {
        const o = parseInput(forwardCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(
          await forwardCollectionRecord(db, actor, {
            city: o.value.region,
            voucher: o.value.voucher,
            employerId: o.value.employer,
          }),
        );
      }),
    );
}

function registerArrears(contributions: Command): void {
  contributions
    .command('arrears')
    .description(
      '欠费 per employer and month, with the late fee of 《社会保险法》第八十六条 for reference',
    )
    .requiredOption('--region <code>', 'a city, or the province (6 digits)')
    .option('--on <date>', 'YYYY-MM-DD (default today)', todayInChina())
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(arrearsCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(
          await listArrears(db, loadRuleBook().benefits, {
            regionCode: o.value.region,
            on: o.value.on,
          }),
        );
      }),
    );
}

function registerReconcile(contributions: Command): void {
  contributions
    .command('reconcile')
    .description(
      '对账 a city-month: assessed, collected, outstanding, unmatched, checked against the ledger',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reconcileCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const r = await reconcile(db, { city: o.value.region, month: o.value.month });
        const code = answer(r);
        // A reconciliation that does not balance is a finding: exit 3 so scripts notice.
        return r.ok && !r.value.balanced ? EXIT_REFUSED : code;
      }),
    );
}
