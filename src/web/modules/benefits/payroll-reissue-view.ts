import type { Permission } from '../../../identity/roles.ts';
import type { Language } from '../../i18n/dictionary.ts';
import type { FailedLine, FailedLineBlock, ReissueBatch } from './payroll-reissue-api.ts';

/** A batch takes at most this many lines (the contract's `lineIds` maximum). */
export const REISSUE_SELECTION_MAX = 500;

/**
 * Whether the handler may tick a failed line for a reissue by hand: only a line the server found
 * no block for (`reissuable`, the rules of `reissueChecks`). The server decides again at the
 * proposal and at the approval; the page only keeps a blocked line from being chosen.
 */
export function isSelectable(line: Pick<FailedLine, 'reissuable' | 'blocks'>): boolean {
  return line.reissuable && line.blocks.length === 0;
}

/** Why a line cannot be chosen, in the page's language (the server's words per block). */
export function blockLabels(blocks: readonly FailedLineBlock[], language: Language): string[] {
  return blocks.map((b) => (language === 'zh' ? b.zh : b.en));
}

/** The blocks that make a failed line owed to no one (its liability can be released). */
const OWED_TO_NO_ONE: ReadonlySet<FailedLineBlock['block']> = new Set([
  'after_death',
  'after_stop',
  'after_survivor_end',
  'after_retirement',
  'after_missing',
]);

/**
 * Whether the handler may tick a failed line for a release (冲回): a line a death, a stop, a
 * survivor's end or a retirement made owed to no one, neither reissued nor released already. The
 * server decides again (payroll-release.ts), with the same rules.
 */
export function isReleasable(line: Pick<FailedLine, 'blocks'>): boolean {
  const blocks = line.blocks.map((b) => b.block);
  return (
    blocks.some((b) => OWED_TO_NO_ONE.has(b)) &&
    !blocks.includes('reissued') &&
    !blocks.includes('released')
  );
}

export type Selection = { lineIds: string[]; lines: number; amountFen: number };

/**
 * The lines a proposal would name: the ticked ones that are still listed and selectable (a reload
 * may have blocked one meanwhile), in the list's order, with their count and total in fen; for a
 * release (`release`), the ticked ones owed to no one.
 */
export function selectionOf(
  lines: readonly FailedLine[],
  ticked: ReadonlySet<string>,
  release = false,
): Selection {
  const fits = release ? isReleasable : isSelectable;
  const chosen = lines.filter((l) => ticked.has(l.id) && fits(l));
  return {
    lineIds: chosen.map((l) => l.id),
    lines: chosen.length,
    amountFen: chosen.reduce((s, l) => s + l.amountFen, 0),
  };
}

/** Whether a selection can be proposed: at least one line, at most a batch's maximum. */
export function canPropose(selection: Selection, permissions: readonly Permission[]): boolean {
  return (
    permissions.includes('fund:write') &&
    selection.lines > 0 &&
    selection.lines <= REISSUE_SELECTION_MAX
  );
}

export type BatchActions = { approve: boolean; download: boolean; bankReturn: boolean };

/**
 * The buttons a reissue batch shows for a user. The checker's approve is offered to any holder of
 * fund:approve while the batch is proposed — the server refuses the maker, and the page shows its
 * text; the file (fund:write) once approved; the bank return once the file is issued.
 */
export function batchActionsFor(
  status: ReissueBatch['status'],
  permissions: readonly Permission[],
): BatchActions {
  const writes = permissions.includes('fund:write');
  return {
    approve: status === 'proposed' && permissions.includes('fund:approve'),
    download: writes && status !== 'proposed',
    bankReturn: writes && status === 'file_issued',
  };
}

export const batchStatusColors: Readonly<Record<ReissueBatch['status'], string>> = {
  proposed: 'gold',
  applied: 'blue',
  file_issued: 'purple',
  reconciled: 'green',
};
