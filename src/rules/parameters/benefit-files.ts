import { issuesToFieldErrors } from '../../kernel/validation.ts';
import type { RuleDocument } from '../rule-document.ts';
import { buildDefinition, isRegionCode, type LoadIssue, makeRuleSet } from './build.ts';
import type { ParameterDefinition, RuleSet } from './model.ts';
import { parameterFileSchema } from './schema.ts';

/** Thrown at start-up when the committed parameters are broken: an operator error, not a refusal. */
export class RuleSetLoadError extends Error {
  override name = 'RuleSetLoadError';
  constructor(readonly issues: readonly LoadIssue[]) {
    super(
      `parameters failed to load:\n${issues.map((i) => `  ${i.file}: ${i.key}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Validates one parsed file into definitions; every problem names the file and the dotted key. */
export function parseParameterDocument(
  doc: RuleDocument,
  region: string,
  issues: LoadIssue[],
): ParameterDefinition[] {
  const { file } = doc;
  if (!doc.content.ok) {
    issues.push({ file, key: '(yaml)', message: doc.content.message });
    return [];
  }
  const parsed = parameterFileSchema.safeParse(doc.content.data);
  if (!parsed.success) {
    for (const e of issuesToFieldErrors(parsed.error.issues))
      issues.push({ file, key: e.path, message: e.message });
    return [];
  }
  return Object.entries(parsed.data.parameters).map(([path, input]) =>
    buildDefinition(region, path, file, input, issues),
  );
}

/**
 * Builds the benefit rule set from the files of the `<region-code>/*.yaml` folders (the folder names
 * the region); throws RuleSetLoadError listing every problem. Pure: the runtime reads the files.
 */
export function buildRuleSet(docs: readonly RuleDocument[]): RuleSet {
  const issues: LoadIssue[] = [];
  const regions = new Map<string, Map<string, ParameterDefinition>>();
  const ordered = docs
    .filter((d) => isRegionCode(d.folder))
    .sort((a, b) => compareText(a.folder, b.folder) || compareText(a.name, b.name));
  for (const doc of ordered) {
    const params = regions.get(doc.folder) ?? new Map<string, ParameterDefinition>();
    regions.set(doc.folder, params);
    for (const def of parseParameterDocument(doc, doc.folder, issues)) {
      const existing = params.get(def.path);
      if (existing !== undefined) {
        issues.push({
          file: doc.file,
          key: `parameters.${def.path}`,
          message: `already defined in ${existing.file}`,
        });
      } else params.set(def.path, def);
    }
  }
  if (issues.length > 0) throw new RuleSetLoadError(issues);
  return makeRuleSet(regions);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
