import {
  buildIndicatorParams,
  type IndicatorParamSet,
} from './fund/indicators/indicator-params.ts';
import { buildPoolingParams, type PoolingParamSet } from './fund/pooling/pooling-params.ts';
import { buildRuleSet } from './parameters/benefit-files.ts';
import type { RuleSet } from './parameters/model.ts';
import type { RuleDocument, RuleFileSource } from './rule-document.ts';

/**
 * Every dated, cited rule family, loaded once at start by the adapters (src/runtime/rule-files.ts)
 * and passed down as a value: the calculator and every use case that applies law take it (or one
 * family of it) as an argument, so nothing below the adapters reads files or keeps a cache.
 */
export type RuleBook = {
  /** Benefit, contribution and national-data parameters: `values/<region>/*.yaml`. */
  readonly benefits: RuleSet;
  /** Pooling mode, adjustment-fund ratios, reserve and prevention ratios: `values/pooling/<region>.yaml`. */
  readonly pooling: PoolingParamSet;
  /** Fund-indicator thresholds: `values/pooling/indicators/<region>.yaml`. */
  readonly indicators: IndicatorParamSet;
};

/** A family: where its files are and the pure function that validates and builds them. */
export type RuleFamily<T> = RuleFileSource & {
  readonly build: (docs: readonly RuleDocument[]) => T;
};

/** The one table of families; a new family is one entry here (the RuleBook type asks for it). */
export const RULE_FAMILIES: { readonly [K in keyof RuleBook]: RuleFamily<RuleBook[K]> } = {
  benefits: { dir: '.', layout: 'region-folders', build: buildRuleSet },
  pooling: { dir: 'pooling', layout: 'region-files', build: buildPoolingParams },
  indicators: { dir: 'pooling/indicators', layout: 'region-files', build: buildIndicatorParams },
};

export type RuleFamilyName = keyof RuleBook;

/** Reads one family's documents; the runtime supplies it (files), tests may supply literals. */
export type ReadRuleDocuments = (source: RuleFileSource) => readonly RuleDocument[];

/** Builds one family from the documents `read` returns for it. */
export function buildRuleFamily<K extends RuleFamilyName>(
  name: K,
  read: ReadRuleDocuments,
): RuleBook[K] {
  const family: RuleFamily<RuleBook[K]> = RULE_FAMILIES[name];
  return family.build(read(family));
}

/** Builds every family; each throws its own error listing every problem by file and key. */
export function buildRuleBook(read: ReadRuleDocuments): RuleBook {
  return {
    benefits: buildRuleFamily('benefits', read),
    pooling: buildRuleFamily('pooling', read),
    indicators: buildRuleFamily('indicators', read),
  };
}
