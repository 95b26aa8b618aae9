import type { Command } from 'commander';
import { checkLedger, describeDifference } from '../../../usecases/fund/ledger/ledger-read.ts';
import { withDatabase } from '../../io.ts';

/**
 * `tongchou ledger check`: proves the ledger consistent (balances = Σ postings, every transaction
 * balanced per segment, due-from / due-to mirrored). Exit 0 when consistent; exit 1 naming the
 * first difference (and `--json` prints the whole report).
 */
export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('The fund ledger (双分录账簿)');
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
