import type { RuleBook } from '../rules/rule-book.ts';
import { loadRuleBook } from './rule-files.ts';

let book: RuleBook | undefined;

/**
 * The committed rule book for tests, read once per test process (worker): the shared helper every
 * test uses instead of loading YAML itself, as the adapters load it once at start.
 */
export function testRuleBook(): RuleBook {
  book ??= loadRuleBook();
  return book;
}
