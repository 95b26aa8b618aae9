import type { Command } from 'commander';
import type { Database } from '../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import type { Owner } from '../identity/policy.ts';
import type { Permission } from '../identity/roles.ts';
import type { InputProblem } from '../kernel/validation.ts';
import type { Config } from '../runtime/config.ts';
import { userActorOf } from '../usecases/identity/user-actor.ts';
import { readInput } from './commands/calc.ts';
import { withDatabase } from './io.ts';
import { type CliReplies, EXIT_REFUSED } from './replies.ts';

/**
 * The skeleton every acting command repeats — options → parse → the route's body → the `--as`
 * user → the use case → the answer — written once. A command names its route's schemas (through
 * `parseInput`, so this floor needs no zod), the permission the route checks and the use case the
 * route calls; the rest (exit 2 with every input problem, exit 3 with a refusal or
 * `auth.forbidden`, exit 0 with the value as JSON) is the same for all of them.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem?: InputProblem | undefined };

export type Answer =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string; details?: unknown };

export type ActingContext = { db: Database; config: Config; actor: Actor };

export type ActingStep<O extends { as: string; input?: string | undefined }, B> = {
  /** Commander's options (strings) through the command's option schema. */
  options: (raw: unknown) => Parsed<O>;
  /** The route's body through the route's own schema: the `--input` JSON, `{}` without it. */
  body: (data: unknown, options: O) => Parsed<B>;
  /** The route's permission (or its alternatives), held over `owner` by the one policy. */
  permissions: readonly Permission[];
  owner: (options: O) => Owner;
  run: (ctx: ActingContext, options: O, body: B) => Promise<Answer>;
};

/** `--as <username>` (required) and, when the route has a body, `--input <file>`. */
export function actingOptions(command: Command, who: string, withBody = true): Command {
  command.requiredOption('--as <username>', `the user acting (${who})`);
  if (withBody)
    command.option(
      '--input <file>',
      'the route’s JSON body ("-": standard input; omitted: {}, which suits bodies of optional fields)',
    );
  return command;
}

/**
 * The body's JSON: `{}` without `--input` (so a command never waits on a terminal), else the file
 * or standard input (`-`), a problem when unreadable, empty or not JSON.
 */
async function bodyData(file: string | undefined): Promise<{ data: unknown } | InputProblem> {
  if (file === undefined) return { data: {} };
  return readInput(file);
}

/** Commander's action for one acting step; every path of it sets the exit code. */
export function actingAction<O extends { as: string; input?: string | undefined }, B>(
  replies: CliReplies,
  step: ActingStep<O, B>,
): (raw: unknown) => Promise<void> {
  return (raw) =>
    withDatabase(async ({ db, config }) => {
      const o = step.options(raw);
      if (!o.ok) return replies.inputRefused(o.problem);
      const data = await bodyData(o.value.input);
      if (!('data' in data)) return replies.inputRefused(data);
      const body = step.body(data.data, o.value);
      if (!body.ok) return replies.inputRefused(body.problem);
      const owner = step.owner(o.value);
      const actor = await userActorOf(db, {
        username: o.value.as,
        permissions: step.permissions,
        owner,
      });
      if (actor === null) {
        replies.answer({
          ok: false,
          code: 'auth.forbidden',
          message: `${o.value.as} is not an active user holding ${step.permissions.join(' or ')} over ${owner.regionCode ?? 'the scope'}`,
        });
        return EXIT_REFUSED;
      }
      return replies.answer(await step.run({ db, config, actor }, o.value, body.value));
    });
}
