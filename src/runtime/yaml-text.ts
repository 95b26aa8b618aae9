import { parse } from 'yaml';

/**
 * The one YAML parser: the rule files (rule-files.ts) and the text a user hands in (e.g. a `calc
 * --reform` file) are both parsed here, so YAML stays a runtime concern and no other floor imports
 * a parser.
 * Throws the parser's error, whose message names the line.
 */
export function parseYamlText(text: string): unknown {
  return parse(text);
}
