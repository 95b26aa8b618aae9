import type { Command } from 'commander';
import { checkLedger, describeDifference } from '../../../usecases/fund/ledger/ledger-read.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import { withDatabase } from '../../io.ts';

/**
 * `tongchou ledger check`: proves the ledger consistent (balances = Σ postings, every transaction
 * balanced per segment, due-from / due-to mirrored). Exit 0 when consistent; exit 1 naming the
 * first difference (and `--json` prints the whole report).
 */
export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('The fund ledger (双分录账簿)');
  registerOpenCommand(ledger);
  ledger
    .command('check')
    .description('Check that balances equal the sums of postings and every transaction balances')
    .option('--json', 'print the full report as JSON')
    .action((opts: { json?: boolean }) =>
      withDatabase(async ({ db }) => {
        const report = await checkLedger(db);
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        const first = report.differences[0];
        if (!first) {
          if (!opts.json)
            console.log(
              `ledger consistent: ${report.transactions} transactions, ${report.postings} postings, ${report.accounts} accounts`,
            );
          return 0;
        }
        process.stderr.write(
          `ledger INCONSISTENT (${report.differences.length} difference(s)); first: ${describeDifference(first)}\n`,
        );
        return 1;
      }),
    );
}

/**
 * `tongchou ledger open --period YYYY-MM [--segment CODE]`: the month-start routine — opens a
 * period for one segment or all (the default), idempotently. Exit 0 with what was opened, already
 * open or closed; exit 3 on a refusal (an unknown segment, a closed period of the named segment).
 */
function registerOpenCommand(ledger: Command): void {
  ledger
    .command('open')
    .description('Open a ledger period (YYYY-MM) for one segment or every segment')
    .requiredOption('--period <YYYY-MM>', 'the month to open')
    .option('--segment <code>', 'a segment code (default: every segment)', 'all')
    .action((opts: { period: string; segment: string }) =>
      withDatabase(async ({ db, actor }) => {
        const r = await openPeriod(db, actor, { segment: opts.segment, period: opts.period });
        if (!r.ok) {
          process.stderr.write(`${r.code}: ${r.message}\n`);
          return r.code === 'ledger.invalid_period' ? 2 : 3;
        }
        const { opened, alreadyOpen, closed } = r.value;
        console.log(
          `period ${r.value.period}: opened ${opened.length}, already open ${alreadyOpen.length}, closed ${closed.length}${closed.length ? ` (${closed.join(', ')})` : ''}`,
        );
        return 0;
      }),
    );
}
