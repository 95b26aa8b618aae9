import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { regionCode } from '../../../contract/common.ts';
import {
  floatingReviewApplyCliInput,
  floatingReviewCliInput,
  floatingReviewRunCliInput,
} from '../../../contract/contributions/floating-review-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { deriveExperience } from '../../../usecases/contributions/experience-derive.ts';
import { importExperience } from '../../../usecases/contributions/floating-experience.ts';
import { floatingReviewLetters } from '../../../usecases/contributions/floating-letters.ts';
import {
  getFloatingReview,
  runFloatingReview,
} from '../../../usecases/contributions/floating-review.ts';
import { contributionActorOf } from '../../../usecases/contributions/floating-review-actor.ts';
import { applyFloatingReview } from '../../../usecases/contributions/floating-review-apply.ts';
import { withDatabase } from '../../io.ts';

/**
 * `tongchou contributions experience import` and `tongchou contributions floating-review
 * run|show|apply|letters` (docs/contributions.md, "Floating-rate review"): the same use cases as
 * the API. A run and an apply name the user they act as (`--as`): the run asks for an approval
 * that a user of another role decides through the approvals routes, so the maker must be a real
 * user, never "system". Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(`floating-review: invalid input (${problem?.errors.length ?? 0})\n`);
  return EXIT_INPUT;
}

function refused(r: { code: string; message: string; details?: unknown }): number {
  print({
    code: r.code,
    detail: r.message,
    ...(r.details === undefined ? {} : { details: r.details }),
  });
  process.stderr.write(`floating-review: refused (${r.code})\n`);
  return EXIT_REFUSED;
}

function noUser(username: string): number {
  return refused({
    code: 'auth.forbidden',
    message: `${username} is not an active user whose role may write contributions (contribution:write)`,
  });
}

/** Adds `experience` and `floating-review` under the `contributions` command. */
export function registerFloatingCommands(contributions: Command): void {
  const experience = contributions
    .command('experience')
    .description('Employers’ yearly experience (the floating-rate review’s input)');
  registerExperienceImport(experience);
  registerExperienceDerive(experience);
  const review = contributions
    .command('floating-review')
    .description('浮动费率评审: run, show, apply (after approval) and letters');
  registerRun(review);
  registerShow(review);
  registerApply(review);
  registerLetters(review);
}

function registerExperienceImport(experience: Command): void {
  experience
    .command('import')
    .description(
      'Import a CSV: credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount (refused whole if any row is bad)',
    )
    .requiredOption('--region <code>', 'a city, or the province code')
    .requiredOption('--file <path>', 'the CSV file (UTF-8)')
    .requiredOption('--as <username>', 'the user who imports')
    .action((opts: { region: string; file: string; as: string }) =>
      withDatabase(async ({ db }) => {
        const region = parseInput(regionCode, opts.region);
        if (!region.ok) return inputRefused(region.problem);
        const actor = await contributionActorOf(db, opts.as);
        if (!actor) return noUser(opts.as);
        const out = await importExperience(db, actor, {
          regionCode: region.value,
          csv: readFileSync(opts.file, 'utf8'),
          today: todayInChina(),
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function registerExperienceDerive(experience: Command): void {
  experience
    .command('derive')
    .description(
      'Derive a city’s experience of a closed year from the system’s own records (source system); --preview writes nothing',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--year <yyyy>', 'a closed year')
    .requiredOption('--as <username>', 'the user who derives')
    .option('--preview', 'show the figures without writing them')
    .action((opts: { region: string; year: string; as: string; preview?: boolean }) =>
      withDatabase(async ({ db }) => {
        const region = parseInput(regionCode, opts.region);
        if (!region.ok) return inputRefused(region.problem);
        const actor = await contributionActorOf(db, opts.as);
        if (!actor) return noUser(opts.as);
        const out = await deriveExperience(db, actor, {
          regionCode: region.value,
          year: Number(opts.year),
          today: todayInChina(),
          write: opts.preview !== true,
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function registerRun(review: Command): void {
  review
    .command('run')
    .description('Propose every employer’s grade of a city for a year and ask for approval')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--year <yyyy>', 'the review year (the window is the years before it)')
    .requiredOption('--effective <date>', 'YYYY-MM-DD in the review year: the new grades’ start')
    .requiredOption('--as <username>', 'the maker (a city handler)')
    .action((opts: { region: string; year: string; effective: string; as: string }) =>
      withDatabase(async ({ db, config }) => {
        const input = parseInput(floatingReviewRunCliInput, {
          regionCode: opts.region,
          year: Number(opts.year),
          effectiveFrom: opts.effective,
        });
        if (!input.ok) return inputRefused(input.problem);
        const actor = await contributionActorOf(db, opts.as);
        if (!actor) return noUser(opts.as);
        const out = await runFloatingReview(db, actor, loadRuleBook().benefits, {
          ...input.value,
          policy: approvalPolicyOf(config),
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function registerShow(review: Command): void {
  review
    .command('show')
    .description('One review: every employer’s figures, grades and rule trail')
    .requiredOption('--region <code>', 'the city or the province code')
    .requiredOption('--review <id>', 'the review id (frv_…)')
    .action((opts: { region: string; review: string }) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(floatingReviewCliInput, {
          regionCode: opts.region,
          reviewId: opts.review,
        });
        if (!input.ok) return inputRefused(input.problem);
        const found = await getFloatingReview(db, input.value);
        if (!found) return refused({ code: 'record.not_found', message: 'no such review' });
        print(found);
        return EXIT_OK;
      }),
    );
}

function registerApply(review: Command): void {
  review
    .command('apply')
    .description('Apply an approved review (consumes the approval; again applies nothing)')
    .requiredOption('--region <code>', 'the city')
    .requiredOption('--review <id>', 'the review id (frv_…)')
    .requiredOption('--approval <id>', 'the approved approval the run asked for')
    .requiredOption('--as <username>', 'the user who applies')
    .action((opts: { region: string; review: string; approval: string; as: string }) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(floatingReviewApplyCliInput, {
          regionCode: opts.region,
          reviewId: opts.review,
          approvalId: opts.approval,
        });
        if (!input.ok) return inputRefused(input.problem);
        const actor = await contributionActorOf(db, opts.as);
        if (!actor) return noUser(opts.as);
        const out = await applyFloatingReview(db, actor, loadRuleBook().benefits, input.value);
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function registerLetters(review: Command): void {
  review
    .command('letters')
    .description(
      'Write the PDF letters of an applied review: one per changed employer and one for all',
    )
    .requiredOption('--region <code>', 'the city or the province code')
    .requiredOption('--review <id>', 'the review id (frv_…)')
    .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
    .action((opts: { region: string; review: string; out: string }) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(floatingReviewCliInput, {
          regionCode: opts.region,
          reviewId: opts.review,
        });
        if (!input.ok) return inputRefused(input.problem);
        const out = await floatingReviewLetters(db, input.value);
        if (!out.ok) return refused(out);
        mkdirSync(opts.out, { recursive: true });
        const files = [...out.value.letters, out.value.combined].map((f) => {
          writeAtomically(join(opts.out, f.fileName), f.pdf);
          return { file: f.fileName, bytes: f.pdf.length };
        });
        print({ files });
        return EXIT_OK;
      }),
    );
}
