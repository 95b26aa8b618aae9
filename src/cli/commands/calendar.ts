import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { problemBody } from '../../api/errors.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, systemActor } from '../../identity/actor.ts';
import { type InputProblem, inputProblem } from '../../kernel/validation.ts';
import { importCalendarFile, showCalendarYear } from '../../usecases/calendar/calendar-import.ts';
import { computeDeadline } from '../../usecases/calendar/deadline.ts';
import { withDatabase } from '../io.ts';
import { readInput } from './calc.ts';

/**
 * The working-day calendar and the deadline calculator (docs/cases.md, "Deadlines"):
 * `tongchou deadline --input FILE`, `tongchou calendar import FILE`, `tongchou calendar show YEAR`.
 * One JSON document on stdout; exit 0 done, 2 bad input or a year the calendar does not cover,
 * 3 (show) a year it holds nothing for. The functions below run in-process in tests.
 */
export const CALENDAR_EXIT_OK = 0;
export const CALENDAR_EXIT_INPUT = 2;
export const CALENDAR_EXIT_NOT_FOUND = 3;

export type CliAnswer = { exitCode: number; body: object; summary: string | null };

/** A refusal as the API answers it (src/api/errors.ts: the same title and status). */
function refusalProblem(r: { code: string; message: string; details?: Record<string, unknown> }) {
  return problemBody(r.code, r.message, `cli-${randomUUID()}`, { details: r.details });
}

function inputAnswer(problem: InputProblem | undefined, summary: string): CliAnswer {
  const body = problem ?? inputProblem([]);
  return { exitCode: CALENDAR_EXIT_INPUT, body, summary: `${summary}: ${body.detail}` };
}

/** `tongchou deadline --input FILE` without the process: `{ due }` or a problem. */
export async function deadlineAnswer(db: Database, file: string): Promise<CliAnswer> {
  const input = await readInput(file);
  if (!('data' in input)) return inputAnswer(input, 'invalid input');
  const r = await db.withConnection((ex) => computeDeadline(ex, input.data));
  if (r.ok) return { exitCode: CALENDAR_EXIT_OK, body: r.value, summary: null };
  if (r.code === 'input.invalid') return inputAnswer(r.problem, 'invalid input');
  return {
    exitCode: CALENDAR_EXIT_INPUT,
    body: refusalProblem(r),
    summary: `refused (${r.code}): ${r.message}`,
  };
}

/** `tongchou calendar import FILE` without the process. */
export async function calendarImportAnswer(
  db: Database,
  actor: Actor,
  file: string,
): Promise<CliAnswer> {
  const input = await readInput(file);
  if (!('data' in input)) return inputAnswer(input, 'invalid calendar file');
  const r = await importCalendarFile(db, actor, input.data);
  if (r.ok) return { exitCode: CALENDAR_EXIT_OK, body: r.value, summary: null };
  return inputAnswer(r.problem, 'invalid calendar file (nothing imported)');
}

/** `tongchou calendar show YEAR` without the process. */
export async function calendarShowAnswer(db: Database, yearText: string): Promise<CliAnswer> {
  if (!/^\d{4}$/.test(yearText))
    return inputAnswer(
      inputProblem([{ path: 'year', code: 'invalid_format', message: 'a year such as 2025' }]),
      'invalid year',
    );
  const r = await db.withConnection((ex) => showCalendarYear(ex, Number(yearText)));
  if (r.ok) return { exitCode: CALENDAR_EXIT_OK, body: r.value, summary: null };
  return {
    exitCode: CALENDAR_EXIT_NOT_FOUND,
    body: refusalProblem(r),
    summary: `not found (${r.code}): ${r.message}`,
  };
}

function print(command: string, answer: CliAnswer): number {
  process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
  if (answer.summary !== null)
    process.stderr.write(`${command}: ${answer.summary}\n`.slice(0, 2000));
  return answer.exitCode;
}

export function registerCalendarCommands(program: Command): void {
  program
    .command('deadline')
    .description(
      '期间计算: the last day of a period on the working-day calendar (《民法典》第二百零一条至第二百零三条)',
    )
    .requiredOption(
      '--input <file>',
      'JSON {"start":"YYYY-MM-DD","amount":N,"unit":"day"|"workday"|"month"|"year"}',
    )
    .addHelpText(
      'after',
      '\nPrints {"due":"YYYY-MM-DD"}. Exit codes: 0 due date, 2 invalid input or a year the calendar does not cover.',
    )
    .action((opts: { input: string }) =>
      withDatabase(async ({ db }) => print('deadline', await deadlineAnswer(db, opts.input))),
    );
  const calendar = program
    .command('calendar')
    .description('The working-day calendar: State Council holiday notices (放假, 调休上班日)');
  calendar
    .command('import <file>')
    .description(
      'Add or replace years from a JSON file shaped as src/rules/values/calendar/holidays-cn.json (refused whole if any entry is bad)',
    )
    .action((file: string) =>
      withDatabase(async ({ db }) =>
        print(
          'calendar import',
          await calendarImportAnswer(db, systemActor(`cli-calendar-${randomUUID()}`), file),
        ),
      ),
    );
  calendar
    .command('show <year>')
    .description('One year of the calendar: status, notice, days off and make-up working days')
    .action((year: string) =>
      withDatabase(async ({ db }) => print('calendar show', await calendarShowAnswer(db, year))),
    );
}
