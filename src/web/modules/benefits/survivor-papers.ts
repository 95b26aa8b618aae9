import type { Language } from '../../i18n/dictionary.ts';
import { benefitText, dependantText } from './benefit-messages.ts';
import type { DeathFacts } from './benefits-api.ts';

type Evidence = NonNullable<DeathFacts['survivorEvidence']>;
type PaperKind = Evidence['dependants'][number]['required'][number];

/** The article's order (《河南省工伤保险条例》第三十四条第二款), as the server lists them. */
const PAPER_KINDS: readonly PaperKind[] = [
  'household_identity',
  'no_income',
  'orphan_or_sole_elder',
  'adoption',
];

export type PaperState = { kind: PaperKind; state: 'on_file' | 'missing' };

/**
 * One dependant's papers for the dependants panel: each paper on file or still required, in the
 * article's order; null where the province asks none (the server's `survivorEvidence` is null) or
 * the dependant is not in it. Nothing is reckoned here: the server sends what the approval checks.
 */
export function paperStates(evidence: Evidence | null, dependantId: string): PaperState[] | null {
  const mine = evidence?.dependants.find((d) => d.dependantId === dependantId);
  if (mine === undefined) return null;
  return PAPER_KINDS.flatMap((kind): PaperState[] => {
    if (mine.onFile.includes(kind)) return [{ kind, state: 'on_file' }];
    if (mine.missing.includes(kind)) return [{ kind, state: 'missing' }];
    return [];
  });
}

export function paperText(language: Language, kind: PaperKind): string {
  return benefitText(language, `paper.dependant_${kind}`);
}

/**
 * The panel's one-line summary: what is missing, dependant by dependant (number and relation, no
 * name), or that all is on file; null where the province asks none.
 */
export function papersSummary(
  language: Language,
  facts: Pick<DeathFacts, 'dependants' | 'survivorEvidence'>,
): { complete: boolean; text: string } | null {
  const evidence = facts.survivorEvidence;
  if (evidence === null) return null;
  const lines = facts.dependants.flatMap((d) => {
    const missing = evidence.dependants.find((e) => e.dependantId === d.id)?.missing ?? [];
    if (missing.length === 0) return [];
    const who = dependantText(language, d);
    return [
      `${who}: ${missing.map((k) => paperText(language, k)).join(language === 'zh' ? '、' : ', ')}`,
    ];
  });
  const citation = evidence.citation;
  return lines.length === 0
    ? { complete: true, text: benefitText(language, 'papersComplete', { citation }) }
    : {
        complete: false,
        text: benefitText(language, 'papersMissing', { citation, items: lines.join('; ') }),
      };
}
