import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  offsetBody,
  refundBody,
  refundCliOptions,
  refundFailCliOptions,
  refundFailureBody,
  refundFileCliOptions,
  refundFilesCliOptions,
  refundReturnCliOptions,
  refundShowCliOptions,
} from '../../../contract/contributions/refund-contract.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { offsetOverpayment } from '../../../usecases/contributions/overpayment-offset.ts';
import {
  listRefunds,
  refundOverpayment,
} from '../../../usecases/contributions/overpayment-refund.ts';
import { recordRefundFailure } from '../../../usecases/contributions/refund-failure.ts';
import { issueRefundFile, readRefundFile } from '../../../usecases/contributions/refund-file.ts';
import { listRefundFiles } from '../../../usecases/contributions/refund-file-status.ts';
import { importRefundReturn } from '../../../usecases/contributions/refund-return.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('contributions');

/**
 * `tongchou contributions refund request|offset|show` (docs/contributions.md, "Refunds of
 * overpayments"): the route's use case through the acting skeleton (src/cli/acting.ts). A city
 * handler runs `request` with the route's body (`--input FILE`) twice: without `approvalId` the
 * approval is asked, a checker of another role approves it (the approvals routes), then with
 * `approvalId` in the same body the refund posts, once. Exit codes: 0 done, 2 invalid input, 3
 * refused.
 */
export function registerRefundCommands(contributions: Command): void {
  const refund = contributions
    .command('refund')
    .description('退还多缴: refund an employer’s overpayment held in 2103 暂收款');
  actingOptions(
    refund
      .command('request')
      .description('ask for approval of the refund, then post it with {approvalId} in the body')
      .requiredOption('--region <code>', 'the city (6 digits)'),
    'the maker: a city handler, contribution:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(refundCliOptions, raw),
      body: (data) => parseInput(refundBody, data),
      permissions: ['contribution:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        refundOverpayment(db, actor, {
          ...body,
          city: o.region,
          policy: approvalPolicyOf(config),
        }),
    }),
  );
  actingOptions(
    refund
      .command('offset')
      .description(
        'offset the excess against a later assessed month: ask, then post with {approvalId}',
      )
      .requiredOption('--region <code>', 'the city (6 digits)'),
    'the maker: a city handler, contribution:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(refundCliOptions, raw),
      body: (data) => parseInput(offsetBody, data),
      permissions: ['contribution:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        offsetOverpayment(db, actor, { ...body, city: o.region, policy: approvalPolicyOf(config) }),
    }),
  );
  registerBankCommands(refund);
  refund
    .command('show')
    .description('an employer’s overpayment held in 2103 and its refunds')
    .requiredOption('--region <code>', 'the city or the province code')
    .requiredOption('--employer <id>', 'the employer id emp_<city>_…')
    .action((raw: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(refundShowCliOptions, raw);
        if (!o.ok) return replies.inputRefused(o.problem);
        return replies.answer({
          ok: true,
          value: await listRefunds(db, {
            regionCode: o.value.region,
            employerId: o.value.employer,
          }),
        });
      }),
    );
}

/**
 * `refund fail` (the bank reported a sent refund not paid; body `{clientKey, reason, failedOn}`)
 * and `refund file` (issue the day's file with `--day`, or write an issued one again with `--file`;
 * the CSV goes to `--out`, the answer is the file's id, sha256, count and total).
 */
function registerBankCommands(refund: Command): void {
  registerReturnCommands(refund);
  actingOptions(
    refund
      .command('fail')
      .description('the bank reported the refund not paid: reverse it (Dr 1001 / Cr 2103) once')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--refund <id>', 'the refund id crf_<city>_…'),
    'a city handler, contribution:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(refundFailCliOptions, raw),
      body: (data) => parseInput(refundFailureBody, data),
      permissions: ['contribution:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        recordRefundFailure(db, actor, { ...body, city: o.region, refundId: o.refund }),
    }),
  );
  actingOptions(
    refund
      .command('file')
      .description(
        'the bank file of a day’s refunds not yet sent (--day), or an issued one (--file)',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .option('--day <YYYY-MM-DD>', 'issue the file of this day’s refunds not yet sent')
      .option('--file <id>', 'an issued file crfile_<city>_… again (the same bytes)')
      .requiredOption('--out <path>', 'where to write the CSV'),
    'a city handler, contribution:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(refundFileCliOptions, raw),
      body: () => ({ ok: true, value: {} }),
      permissions: ['contribution:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const out =
          o.file !== undefined
            ? await readRefundFile(db, actor, { city: o.region, fileId: o.file })
            : await issueRefundFile(db, actor, { city: o.region, day: o.day ?? '' });
        if (!out.ok) return out;
        writeFileSync(o.out, out.value.text);
        const { text: _bytes, ...file } = out.value;
        return { ok: true, value: file };
      },
    }),
  );
}

/**
 * `refund return` (the bank's return file of an issued refund file, `--csv`; the same file twice
 * writes nothing new) and `refund files` (the city's refund files with their status).
 */
function registerReturnCommands(refund: Command): void {
  actingOptions(
    refund
      .command('return')
      .description(
        'import the bank’s return file of a refund file: paid confirmed, failed reversed',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--file-id <id>', 'the refund file crfile_<city>_…')
      .requiredOption(
        '--csv <path>',
        'the return file (refund_id,status,bank_reference,paid_on,reason)',
      ),
    'a city handler, contribution:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(refundReturnCliOptions, raw),
      body: () => ({ ok: true, value: {} }),
      permissions: ['contribution:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        importRefundReturn(db, actor, {
          city: o.region,
          fileId: o.fileId,
          text: readFileSync(o.csv, 'utf8'),
        }),
    }),
  );
  refund
    .command('files')
    .description('the city’s refund files: paid, failed, outstanding and status')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .action((raw: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(refundFilesCliOptions, raw);
        if (!o.ok) return replies.inputRefused(o.problem);
        return replies.answer(await listRefundFiles(db, { city: o.value.region }));
      }),
    );
}
