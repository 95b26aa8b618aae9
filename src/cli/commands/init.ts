import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { systemActor } from '../../identity/actor.ts';
import { todayInChina } from '../../kernel/dates.ts';
import { parseInput } from '../../kernel/validation.ts';
import { readProvinceDefinition } from '../../runtime/province-files.ts';
import { loadRuleBook } from '../../runtime/rule-files.ts';
import { newUserSchema } from '../../usecases/identity/users.ts';
import { initProvince } from '../../usecases/registry/init-province.ts';
import { readSecret, withDatabase } from '../io.ts';

interface InitOptions {
  province: string;
  passwordFile?: string;
}

/** `tongchou init`: exit 0 created (or already there), 2 a bad file or password, 3 refused. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      "Create this deployment's province from a definition file: its cities, its first administrator (the password from standard input or --password-file, never an argument) and its ledger. Idempotent; production's way in (it never seeds)",
    )
    .requiredOption(
      '--province <file>',
      'province definition, YAML or JSON (example: provinces/example-anhui.yaml)',
    )
    .option(
      '--password-file <file>',
      "read the administrator's password from the first line of this file instead of standard input",
    )
    .action((opts: InitOptions) => initFromCli(opts));
}

async function initFromCli(opts: InitOptions): Promise<void> {
  const definition = readProvinceDefinition(opts.province);
  if (!definition.ok) {
    for (const e of definition.problem?.errors ?? []) console.error(`${e.path}: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  const def = definition.value;
  const typed = await readSecret(
    opts.passwordFile,
    `Password for ${def.administrator.username} (not shown): `,
  );
  const password = parseInput(newUserSchema.shape.password, typed);
  if (!password.ok) {
    for (const e of password.problem?.errors ?? []) console.error(`password: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  const pooling = loadRuleBook().pooling;
  await withDatabase(async ({ db }) => {
    const actor = systemActor(`cli-init-${randomUUID()}`, def.code);
    const out = await initProvince(db, actor, {
      definition: def,
      password: password.value,
      pooling,
      date: todayInChina(),
    });
    if (!out.ok) {
      console.error(`${out.code}: ${out.message}`);
      return 3;
    }
    const r = out.value;
    const source = `src/rules/values/pooling/${r.poolingModeSource.region}.yaml, from ${r.poolingModeSource.from}`;
    console.log(
      r.created
        ? `Province ${r.province} ${def.name} created: ${r.cities} cities; administrator ${r.administrator} (${def.administrator.role}).`
        : `Province ${r.province} ${def.name} was already initialised from this definition; nothing created.`,
    );
    console.log(`Pooling mode ${r.poolingMode} (${source}).`);
    if (r.poolingModeSource.status === 'demo')
      console.log(
        `Warning: that pooling mode is a demo value of the rule files, not the province's law: add pooling.mode to src/rules/values/pooling/${r.province}.yaml.`,
      );
    console.log(`Ledger: ${r.ledgerSegmentsCreated} segment(s) provisioned.`);
    return 0;
  });
}
