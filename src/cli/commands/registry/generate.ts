import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { generateOptions } from '../../../contract/registry/generate-contract.ts';
import type { Database } from '../../../db/client.ts';
import { type Actor, systemActor } from '../../../identity/actor.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { loadDemoProvince, readProvinceDefinition } from '../../../runtime/province-files.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import {
  type GenerateInput,
  generateSyntheticProvince,
} from '../../../usecases/registry/generate-province.ts';
import { withDatabase } from '../../io.ts';
import { REGISTRY_EXIT_INPUT, REGISTRY_EXIT_OK, REGISTRY_EXIT_REFUSED } from './registry.ts';

type Options = {
  seed: string;
  employers: string;
  workers: string;
  months: string;
  from: string;
  out?: string;
  perEmployerFiles?: boolean;
  intoDb?: boolean;
  province?: string;
};

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function citiesOf(file: string | undefined): { code: string; name: string }[] | null {
  if (file === undefined)
    return loadDemoProvince().cities.map(({ code, name }) => ({ code, name }));
  const read = readProvinceDefinition(file);
  if (!read.ok) {
    print(read.problem);
    return null;
  }
  return read.value.cities.map(({ code, name }) => ({ code, name }));
}

async function run(opts: Options): Promise<number> {
  const parsed = parseInput(generateOptions, {
    seed: opts.seed,
    employers: opts.employers,
    workers: opts.workers,
    months: opts.months,
    from: opts.from,
  });
  if (!parsed.ok) {
    print(parsed.problem);
    return REGISTRY_EXIT_INPUT;
  }
  if (opts.out === undefined && !opts.intoDb) {
    process.stderr.write('generate: give --out DIR, --into-db, or both\n');
    return REGISTRY_EXIT_INPUT;
  }
  const cities = citiesOf(opts.province);
  if (cities === null) return REGISTRY_EXIT_INPUT;
  const input: GenerateInput = {
    config: { ...parsed.value, cities },
    out:
      opts.out === undefined
        ? undefined
        : { dir: opts.out, perEmployerFiles: opts.perEmployerFiles === true },
    intoDb: opts.intoDb === true,
    onProgress: (what, rows) => {
      if (rows % 1_000_000 === 0) process.stderr.write(`generate: ${what} ${rows}\n`);
    },
  };
  const rules = loadRuleBook().benefits;
  let code = REGISTRY_EXIT_OK;
  const act = async (db: Database | null, actor: Actor): Promise<number> => {
    const out = await generateSyntheticProvince(db, actor, rules, input);
    if (out.ok) print(out.value);
    else {
      const details = out.details ? { details: out.details } : {};
      print({ code: out.code, detail: out.message, ...details });
      code = REGISTRY_EXIT_REFUSED;
    }
    return code;
  };
  if (input.intoDb)
    await withDatabase(({ db, config, actor }) => {
      if (config.TONGCHOU_MODE !== 'production') return act(db, actor);
      // Fictitious people in a real register would be taken for insured workers.
      process.stderr.write(
        'generate --into-db writes a fictitious register: production never takes one. Use --out, or set TONGCHOU_MODE=demo for a demo or benchmark database.\n',
      );
      code = REGISTRY_EXIT_INPUT;
      return Promise.resolve(code);
    });
  else await act(null, systemActor(`cli-${randomUUID()}`));
  return code;
}

/**
 * `tongchou generate`: a deterministic synthetic province (seeded) as files under --out and/or
 * straight into the register (--into-db), for load tests, benchmarks and training.
 */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate a deterministic synthetic province (register, declarations, collections)',
    )
    .requiredOption('--seed <n>', 'seed number: the same seed writes the same bytes')
    .requiredOption('--employers <n>', 'number of employers')
    .requiredOption('--workers <n>', 'number of workers')
    .option('--months <k>', 'months of declarations (employers declare 12–K of them)', '24')
    .option('--from <YYYY-MM>', 'first month of the window', '2024-01')
    .option(
      '--out <dir>',
      'write employers.csv, workers.csv, spells.csv, declarations.csv, collections/',
    )
    .option('--per-employer-files', 'also write declarations/<credit code>/<YYYY-MM>.csv')
    .option('--into-db', 'load employers, events, workers and spells into the configured database')
    .option(
      '--province <file>',
      'province definition whose cities to use (default: the demo province)',
    )
    .action(async (opts: Options) => {
      process.exitCode = await run(opts);
    });
}
