import { parse } from 'yaml';

/**
 * Parses YAML (or JSON, a subset of it) text a user hands in, e.g. a `calc --reform` file. The CLI
 * goes through here so that YAML stays a runtime concern: the floors above import no parser.
 * Throws the parser's error, whose message names the line.
 */
export function parseYamlText(text: string): unknown {
  return parse(text);
}
