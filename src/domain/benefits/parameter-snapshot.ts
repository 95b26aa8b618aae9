import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  buildDefinition,
  canonicalContent,
  type LoadIssue,
  makeRuleSet,
} from '../../rules/parameters/build.ts';
import type { ParameterDefinition, RuleSet } from '../../rules/parameters/model.ts';
import { parameterSchema } from '../../rules/parameters/schema.ts';

/**
 * The parameter snapshot pinned to a benefit decision: the whole benefit parameter set in its
 * canonical form (the content the calculator's `snapshotId` hashes). Stored once per snapshot id,
 * it rebuilds the exact rule set the decision was computed with, so the decision can be recomputed
 * years later — after the YAML values changed — and give the same figures. The rebuilt set must
 * hash to the stored id: a tampered or truncated snapshot is refused, never silently used.
 */
export type SnapshotContent = Record<string, Record<string, unknown>>;

export function snapshotContentOf(ruleSet: RuleSet): SnapshotContent {
  // JSON round trip: drops the undefined fields exactly as canonical JSON does.
  const content: SnapshotContent = JSON.parse(JSON.stringify(canonicalContent(ruleSet.regions)));
  return content;
}

export type SnapshotRefusalCode = 'benefit.snapshot_invalid';

export function ruleSetFromSnapshot(
  snapshotId: string,
  content: unknown,
): Result<RuleSet, SnapshotRefusalCode> {
  if (content === null || typeof content !== 'object' || Array.isArray(content))
    return refuse('benefit.snapshot_invalid', `snapshot ${snapshotId} is not an object`);
  const issues: LoadIssue[] = [];
  const regions = new Map<string, Map<string, ParameterDefinition>>();
  for (const [region, params] of Object.entries(content)) {
    const defs = new Map<string, ParameterDefinition>();
    if (params === null || typeof params !== 'object')
      return refuse(
        'benefit.snapshot_invalid',
        `snapshot ${snapshotId}: region ${region} is not an object`,
      );
    for (const [path, raw] of Object.entries(params)) {
      const parsed = parameterSchema.safeParse(raw);
      if (!parsed.success)
        return refuse(
          'benefit.snapshot_invalid',
          `snapshot ${snapshotId}: ${region} ${path} is malformed`,
        );
      defs.set(path, buildDefinition(region, path, `snapshot:${snapshotId}`, parsed.data, issues));
    }
    regions.set(region, defs);
  }
  if (issues.length > 0)
    return refuse(
      'benefit.snapshot_invalid',
      `snapshot ${snapshotId}: ${issues[0]?.message ?? ''}`,
    );
  const rebuilt = makeRuleSet(regions);
  if (rebuilt.snapshotId !== snapshotId)
    return refuse(
      'benefit.snapshot_invalid',
      `snapshot ${snapshotId} rebuilds to ${rebuilt.snapshotId}: its content was changed`,
    );
  return ok(rebuilt);
}
