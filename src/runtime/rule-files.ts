import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRegionCode } from '../rules/parameters/build.ts';
import {
  buildRuleBook,
  buildRuleFamily,
  type RuleBook,
  type RuleFamilyName,
} from '../rules/rule-book.ts';
import type { RuleDocument, RuleFileSource } from '../rules/rule-document.ts';
import { parseYamlText as parseYaml } from './yaml-text.ts';

/**
 * The one place rule files are read: every YAML family under src/rules/values/ goes through here,
 * and the pure builders in src/rules/ validate what it hands them. Adapters call `loadRuleBook()`
 * once at start and pass the book down.
 */
export const RULE_VALUES_DIR = fileURLToPath(new URL('../rules/values/', import.meta.url));

/** Every family of the committed values (or of `dir`); throws listing every problem by file and key. */
export function loadRuleBook(dir: string = RULE_VALUES_DIR): RuleBook {
  return buildRuleBook((source) => readRuleDocuments(dir, source));
}

/** One family only (tools and tests that check a single family's folder). */
export function loadRuleFamily<K extends RuleFamilyName>(
  name: K,
  dir: string = RULE_VALUES_DIR,
): RuleBook[K] {
  return buildRuleFamily(name, (source) => readRuleDocuments(dir, source));
}

/** The `*.yaml` files of one family, parsed; a file that is not YAML carries the parser's message. */
export function readRuleDocuments(dir: string, source: RuleFileSource): RuleDocument[] {
  const base = join(dir, source.dir);
  if (source.layout === 'region-files') return readFolder(base, '');
  // Only 6-digit region folders hold this layout's files; other folders (e.g. pooling/) belong to
  // other families and are left alone.
  return entries(base)
    .filter((e) => e.isDirectory() && isRegionCode(e.name))
    .flatMap((e) => readFolder(join(base, e.name), e.name));
}

function entries(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

function readFolder(dir: string, folder: string): RuleDocument[] {
  return entries(dir)
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => {
      const path = join(dir, e.name);
      return {
        file: relative(process.cwd(), path),
        name: e.name,
        folder,
        content: parseText(readFileSync(path, 'utf8')),
      };
    });
}

function parseText(text: string): RuleDocument['content'] {
  try {
    return { ok: true, data: parseYaml(text) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
