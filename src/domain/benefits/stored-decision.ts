import { z } from 'zod';
import {
  type CalculationInput,
  calculationInputSchema,
  type calculationItemSchema,
  calculationResultSchema,
} from '../../rules/calculator/index.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * Reading back what a decision stored as JSON (calculation input and result, wage months): parsed
 * with the same schemas that wrote them, so a row that no longer parses is a broken invariant
 * (the parse throws), never a silently mistyped value.
 */
const wageMonthSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  wageFen: z.number().int().nonnegative(),
  source: z.enum(['declaration', 'entered']),
  declarationId: z.string().nullable(),
});

export function storedWageMonths(json: unknown): WageMonth[] {
  return z.array(wageMonthSchema).parse(json);
}

export function storedInput(json: unknown): CalculationInput {
  return calculationInputSchema.parse(json);
}

/** An item as stored (the calculator's item with its optional fields possibly undefined). */
export type DecisionItem = z.output<typeof calculationItemSchema>;
export type StoredResult = z.output<typeof calculationResultSchema>;

export function storedResult(json: unknown): StoredResult {
  return calculationResultSchema.parse(json);
}
