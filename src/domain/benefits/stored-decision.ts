import { invariant } from '../../kernel/assert.ts';
import {
  type CalculationInput,
  calculationInputSchema,
  calculationResultSchema,
} from '../../rules/calculator/index.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * Reading back what a decision stored as JSON (calculation input and result, wage months): parsed
 * with the calculator's own schemas that wrote them, so a row that no longer parses is a broken
 * invariant (the parse throws), never a silently mistyped value.
 */
export type StoredResult = ReturnType<typeof calculationResultSchema.parse>;
/** An item as stored (the calculator's item, its optional fields possibly undefined). */
export type DecisionItem = StoredResult['items'][number];

export function storedResult(json: unknown): StoredResult {
  return calculationResultSchema.parse(json);
}

export function storedInput(json: unknown): CalculationInput {
  return calculationInputSchema.parse(json);
}

function wageMonthOf(value: unknown): WageMonth {
  invariant(value !== null && typeof value === 'object', 'a stored wage month is not an object');
  const month = 'month' in value ? value.month : undefined;
  const wageFen = 'wageFen' in value ? value.wageFen : undefined;
  const source = 'source' in value ? value.source : undefined;
  const declarationId = 'declarationId' in value ? value.declarationId : null;
  invariant(typeof month === 'string' && /^\d{4}-\d{2}$/.test(month), 'stored month malformed');
  invariant(typeof wageFen === 'number' && Number.isSafeInteger(wageFen), 'stored wage malformed');
  invariant(source === 'declaration' || source === 'entered', 'stored wage source malformed');
  invariant(declarationId === null || typeof declarationId === 'string', 'stored declaration id');
  return { month, wageFen, source, declarationId };
}

export function storedWageMonths(json: unknown): WageMonth[] {
  invariant(Array.isArray(json), 'stored wage months are not an array');
  return json.map(wageMonthOf);
}
