import { basename } from 'node:path';
import type { Command } from 'commander';
import { regionCode as regionCodeSchema } from '../../../contract/common.ts';
import {
  agreementSignCommand,
  institutionCreateBody,
  institutionListQuery,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { signAgreement } from '../../../usecases/settlement/settlement-agreements.ts';
import { importCatalogue } from '../../../usecases/settlement/settlement-catalogue-import.ts';
import {
  createInstitution,
  listInstitutions,
} from '../../../usecases/settlement/settlement-institutions.ts';
import { withDatabase } from '../../io.ts';
import { registerFakeInstitution } from './fake-institution.ts';
import { registerGuaranteeCommands } from './guarantee-cli.ts';
import { registerStatementCommands } from './statement-cli.ts';

/** Exit codes as `registry`: 0 done, 2 invalid input, 3 refused (the problem on stdout). */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(`settlement: invalid input (${problem?.errors.length ?? 0} problem(s))\n`);
  return EXIT_INPUT;
}

function refused(r: { code: string; message: string; details?: unknown }): number {
  print({
    code: r.code,
    detail: r.message,
    ...(r.details === undefined ? {} : { details: r.details }),
  });
  process.stderr.write(`settlement: refused (${r.code})\n`);
  return EXIT_REFUSED;
}

/**
 * `tongchou settlement institution add|list`, `agreement sign`, `catalogue import`: direct
 * settlement's reference data from the command line, through the same use cases as the API
 * (acting as "system").
 */
export function registerSettlementCommand(program: Command): void {
  const settlement = program
    .command('settlement')
    .description('协议机构联网直接结算: institutions, agreements, catalogues');
  const institution = settlement.command('institution').description('协议机构');
  registerInstitutionAdd(institution);
  registerInstitutionList(institution);
  registerAgreementSign(settlement.command('agreement').description('服务协议'));
  registerCatalogueImport(settlement.command('catalogue').description('目录'));
  registerFakeInstitution(settlement);
  registerStatementCommands(settlement);
  registerGuaranteeCommands(settlement);
}

type AddOptions = {
  region: string;
  id?: string;
  name: string;
  kind: string;
  level: string;
  creditCode?: string;
  createdOn: string;
};

function registerInstitutionAdd(institution: Command): void {
  institution
    .command('add')
    .description('Create an institution of a city (统一社会信用代码 checked by GB 32100)')
    .requiredOption('--region <code>', 'the managing city (6 digits)')
    .option('--id <id>', 'INST-<city>-<4 digits> (default: the city’s next number)')
    .requiredOption('--name <name>', '机构名称')
    .requiredOption('--kind <kind>', 'hospital, rehabilitation or device')
    .option('--level <level>', 'tertiary, secondary, primary or none', 'none')
    .option('--credit-code <code>', '统一社会信用代码')
    .option('--created-on <date>', 'YYYY-MM-DD (default today)', todayInChina())
    .action((opts: AddOptions) =>
      withDatabase(async ({ db, actor }) => {
        const { region, ...rest } = opts;
        const input = parseInput(institutionCreateBody.extend({ regionCode: regionCodeSchema }), {
          ...rest,
          regionCode: region,
        });
        if (!input.ok) return inputRefused(input.problem);
        const out = await createInstitution(db, actor, input.value);
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function registerInstitutionList(institution: Command): void {
  institution
    .command('list')
    .description('The institutions of a city, or of the province with its code')
    .requiredOption('--region <code>', 'a city or the province (6 digits)')
    .option('--after <id>', 'the last id of the previous page')
    .option('--limit <n>', 'page size (at most 200)', '50')
    .action((opts: { region: string; after?: string; limit: string }) =>
      withDatabase(async ({ db }) => {
        const { region, ...rest } = opts;
        const input = parseInput(institutionListQuery.extend({ regionCode: regionCodeSchema }), {
          ...rest,
          regionCode: region,
        });
        if (!input.ok) return inputRefused(input.problem);
        print(await listInstitutions(db, input.value));
        return EXIT_OK;
      }),
    );
}

type SignOptions = {
  region: string;
  institution: string;
  scopes: string;
  from: string;
  to: string;
  crossProvince?: boolean;
};

function registerAgreementSign(agreement: Command): void {
  agreement
    .command('sign')
    .description('Sign a service agreement (服务协议); an overlap with another is refused')
    .requiredOption('--region <code>', 'the institution’s managing city')
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption(
      '--scopes <list>',
      'comma-separated: outpatient, inpatient, rehabilitation, device',
    )
    .requiredOption('--from <date>', 'valid from, YYYY-MM-DD')
    .requiredOption('--to <date>', 'valid to, YYYY-MM-DD')
    .option('--cross-province', 'joined cross-province direct settlement')
    .action((opts: SignOptions) =>
      withDatabase(async ({ db, actor }) => {
        const input = parseInput(agreementSignCommand, {
          regionCode: opts.region,
          institutionId: opts.institution,
          body: {
            scopes: opts.scopes.split(',').map((s) => s.trim()),
            validFrom: opts.from,
            validTo: opts.to,
            crossProvince: opts.crossProvince === true,
          },
        });
        if (!input.ok) return inputRefused(input.problem);
        const { body, ...where } = input.value;
        const out = await signAgreement(db, actor, { ...where, ...body });
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}

function registerCatalogueImport(catalogue: Command): void {
  catalogue
    .command('import')
    .description(
      'Import a catalogue file (xlsx, or CSV in UTF-8 or GBK): all rows or none, with a row report',
    )
    .argument('<file>', 'the file')
    .action((file: string) =>
      withDatabase(async ({ db, actor }) => {
        const out = await importCatalogue(db, actor, {
          source: { kind: 'file', path: file },
          fileName: basename(file),
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return EXIT_OK;
      }),
    );
}
