import type { InputProblem } from '../../../kernel/validation.ts';
import { parsePoolingInput } from './pooling-schema.ts';
import {
  type AdjustmentFundYearEnd,
  adjustmentFundSettleInputSchema,
  settlePooling,
} from './pooling-settle.ts';
import {
  settleUnifiedGapSharing,
  type UnifiedYearEnd,
  unifiedSettleInputSchema,
} from './pooling-unified.ts';

export type PoolingYearEnd = AdjustmentFundYearEnd | UnifiedYearEnd;

export type PoolingCalculation =
  | { ok: true; value: PoolingYearEnd }
  | { ok: false; problem: InputProblem };

/**
 * The `pooling settle` calculation on untrusted JSON: `mode` chooses the schema ("unified" →
 * 统收统支 gap sharing; anything else is checked as "adjustment_fund", so a wrong mode is reported
 * together with every other bad field). Pure; never throws on bad input.
 */
export function calculatePoolingYearEnd(data: unknown): PoolingCalculation {
  const mode =
    typeof data === 'object' && data !== null && 'mode' in data
      ? (data as { mode: unknown }).mode
      : undefined;
  if (mode === 'unified') {
    const parsed = parsePoolingInput(unifiedSettleInputSchema, data);
    if (!parsed.ok) return parsed;
    return { ok: true, value: settleUnifiedGapSharing(parsed.value) };
  }
  const parsed = parsePoolingInput(adjustmentFundSettleInputSchema, data);
  if (!parsed.ok) return parsed;
  return { ok: true, value: settlePooling(parsed.value) };
}
