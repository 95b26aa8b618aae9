import { describe, expect, it } from 'vitest';
import { reissueBlockReason } from '../../../domain/benefits/payroll-reissue-reasons.ts';
import { rolePermissions } from '../../../identity/roles.ts';
import type { FailedLine } from './payroll-reissue-api.ts';
import {
  batchActionsFor,
  blockLabels,
  canPropose,
  isReleasable,
  isSelectable,
  REISSUE_SELECTION_MAX,
  selectionOf,
} from './payroll-reissue-view.ts';

const line = (id: string, amountFen: number, blocks: FailedLine['blocks'] = []): FailedLine => ({
  id,
  runId: 'prl_330100_202509',
  batchId: null,
  month: '2025-09',
  workerId: 'wkr_0000000000000001',
  kind: 'disability_allowance',
  amountFen,
  payeeName: '职工1',
  failureReason: '账户已销户',
  account: blocks.some((b) => b.block === 'no_account')
    ? null
    : {
        bankName: '中国工商银行杭州分行',
        accountName: '职工1',
        accountNumberMasked: '************0002',
        validFrom: '2024-01-01',
      },
  blocks,
  reissuable: blocks.length === 0,
});

const open1 = line('pln_a', 123_456);
const open2 = line('pln_b', 200_000);
const dead = line('pln_c', 300_000, [reissueBlockReason('after_death')]);
const noAccount = line('pln_d', 50_000, [reissueBlockReason('no_account')]);
const handler = rolePermissions.city_handler;
const supervisor = rolePermissions.supervisor;

describe('the failed lines’ selection', () => {
  it('lets only an unblocked line be ticked', () => {
    expect([open1, open2, dead, noAccount].map(isSelectable)).toEqual([true, true, false, false]);
  });

  it('keeps the ticked selectable lines with their count and total in fen', () => {
    const ticked = new Set(['pln_a', 'pln_b', 'pln_c', 'pln_gone']);
    // 123 456 + 200 000 = 323 456 fen; the blocked 300 000 and a line no longer listed are dropped.
    expect(selectionOf([open1, open2, dead, noAccount], ticked)).toEqual({
      lineIds: ['pln_a', 'pln_b'],
      lines: 2,
      amountFen: 323_456,
    });
    expect(selectionOf([open1], new Set())).toEqual({ lineIds: [], lines: 0, amountFen: 0 });
  });

  it('proposes one to 500 lines, for a handler only', () => {
    const one = selectionOf([open1], new Set(['pln_a']));
    expect(canPropose(one, handler)).toBe(true);
    expect(canPropose(one, supervisor)).toBe(false);
    expect(canPropose({ lineIds: [], lines: 0, amountFen: 0 }, handler)).toBe(false);
    const many = { lineIds: [], lines: REISSUE_SELECTION_MAX + 1, amountFen: 1 };
    expect(canPropose(many, handler)).toBe(false);
  });
});

describe('block labels', () => {
  it('gives each block’s reason in the page’s language', () => {
    expect(blockLabels(dead.blocks, 'zh')).toEqual([
      '职工本人待遇，所属月份在登记的死亡之后，不补发',
    ]);
    expect(blockLabels(noAccount.blocks, 'en')).toEqual([
      'no social-security card account in force now',
    ]);
    const stop = reissueBlockReason('after_stop');
    expect(stop.code).toBe('benefit.reissue_after_stop');
    expect(blockLabels([stop, reissueBlockReason('reissued')], 'zh')).toEqual([
      '待遇已停止（《工伤保险条例》第四十二条），所属月份在停止之后，不补发',
      '已补发（由月度发放或手工补发），不再补发',
    ]);
  });
});

describe('batchActionsFor', () => {
  it('offers the approval of a proposed batch to a holder of fund:approve', () => {
    expect(batchActionsFor('proposed', supervisor)).toEqual({
      approve: true,
      download: false,
      bankReturn: false,
    });
    expect(batchActionsFor('proposed', handler).approve).toBe(false);
    expect(batchActionsFor('applied', supervisor).approve).toBe(false);
  });

  it('offers the file once approved and the bank return once issued, to the handler', () => {
    expect(batchActionsFor('applied', handler)).toEqual({
      approve: false,
      download: true,
      bankReturn: false,
    });
    expect(batchActionsFor('file_issued', handler).bankReturn).toBe(true);
    expect(batchActionsFor('reconciled', handler)).toEqual({
      approve: false,
      download: true,
      bankReturn: false,
    });
  });
});

describe('the release of lines owed to no one (冲回)', () => {
  const stopped = line('pln_e', 70_000, [reissueBlockReason('after_stop')]);
  const reissued = line('pln_f', 80_000, [
    reissueBlockReason('after_death'),
    reissueBlockReason('reissued'),
  ]);
  const released = line('pln_g', 90_000, [
    reissueBlockReason('after_death'),
    reissueBlockReason('released'),
  ]);
  const deadNoAccount = line('pln_h', 10_000, [
    reissueBlockReason('after_death'),
    reissueBlockReason('no_account'),
  ]);

  it('takes a line a death or a stop blocked, never an owed, reissued or released one', () => {
    expect([dead, stopped, deadNoAccount].map(isReleasable)).toEqual([true, true, true]);
    expect([open1, noAccount, reissued, released].map(isReleasable)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('the two selections of one ticking: 补发 the owed ones, 冲回 the others (300 000 + 70 000)', () => {
    const lines = [open1, dead, stopped, noAccount, released];
    const ticked = new Set(['pln_a', 'pln_c', 'pln_e', 'pln_d', 'pln_g']);
    expect(selectionOf(lines, ticked)).toEqual({
      lineIds: ['pln_a'],
      lines: 1,
      amountFen: 123_456,
    });
    expect(selectionOf(lines, ticked, true)).toEqual({
      lineIds: ['pln_c', 'pln_e'],
      lines: 2,
      amountFen: 370_000,
    });
  });
});
