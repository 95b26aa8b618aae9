import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { issuesToFieldErrors } from '../../kernel/validation.ts';
import { buildDefinition, isRegionCode, type LoadIssue, makeRuleSet } from './build.ts';
import type { ParameterDefinition, RuleSet } from './model.ts';
import { parameterFileSchema } from './schema.ts';

/** The committed parameters: src/rules/values/<region-code>/*.yaml. */
export const DEFAULT_PARAMS_DIR = fileURLToPath(new URL('../values/', import.meta.url));

/** Thrown at start-up when the committed parameters are broken: an operator error, not a refusal. */
export class RuleSetLoadError extends Error {
  override name = 'RuleSetLoadError';
  constructor(readonly issues: readonly LoadIssue[]) {
    super(
      `parameters failed to load:\n${issues.map((i) => `  ${i.file}: ${i.key}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Parses one YAML text into definitions; every problem names `file` and the dotted key. */
export function parseParameterFile(
  file: string,
  region: string,
  text: string,
  issues: LoadIssue[],
): ParameterDefinition[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    issues.push({ file, key: '(yaml)', message: err instanceof Error ? err.message : String(err) });
    return [];
  }
  const parsed = parameterFileSchema.safeParse(data);
  if (!parsed.success) {
    for (const e of issuesToFieldErrors(parsed.error.issues))
      issues.push({ file, key: e.path, message: e.message });
    return [];
  }
  return Object.entries(parsed.data.parameters).map(([path, input]) =>
    buildDefinition(region, path, file, input, issues),
  );
}

/** Loads every region directory under `dir`; throws RuleSetLoadError listing all problems. */
export function loadRuleSet(dir: string = DEFAULT_PARAMS_DIR): RuleSet {
  const issues: LoadIssue[] = [];
  const regions = new Map<string, Map<string, ParameterDefinition>>();
  // Only 6-digit region folders hold benefit parameters; other folders (e.g. pooling/) belong to
  // other loaders and are left alone.
  const regionNames = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isRegionCode(e.name))
    .map((e) => e.name)
    .sort();
  for (const region of regionNames) {
    const regionDir = join(dir, region);
    const params = new Map<string, ParameterDefinition>();
    for (const name of readdirSync(regionDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const file = relative(process.cwd(), join(regionDir, name));
      for (const def of parseParameterFile(
        file,
        region,
        readFileSync(join(regionDir, name), 'utf8'),
        issues,
      )) {
        const existing = params.get(def.path);
        if (existing !== undefined) {
          issues.push({
            file,
            key: `parameters.${def.path}`,
            message: `already defined in ${existing.file}`,
          });
        } else params.set(def.path, def);
      }
    }
    regions.set(region, params);
  }
  if (issues.length > 0) throw new RuleSetLoadError(issues);
  return makeRuleSet(regions);
}

let defaultRuleSet: RuleSet | undefined;

/** The committed parameter set, loaded once per process (callers must not reload YAML per call). */
export function loadDefaultRuleSet(): RuleSet {
  defaultRuleSet ??= loadRuleSet(DEFAULT_PARAMS_DIR);
  return defaultRuleSet;
}
