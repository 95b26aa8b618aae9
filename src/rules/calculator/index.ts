/**
 * The benefit calculator contract (docs/calculator.md): the API route `POST /api/v1/calculations`
 * and `tongchou calc` both call `calculateFromUnknown`.
 */
export type { CalculationItem, ItemCode, Payer } from '../benefits/item.ts';
export type { RuleSet } from '../parameters/model.ts';
export {
  applyOverlay,
  overlaySchema,
  type ParameterOverlay,
  parseOverlay,
} from '../reform/overlay.ts';
export type { Trace, TraceItem, TraceParameter } from '../trace.ts';
export {
  type CalculateOptions,
  type CalculationRefusalCode,
  type CalculationResponse,
  type CalculationResult,
  calculate,
  calculateFromUnknown,
  type RefusalProblem,
} from './calculate.ts';
export {
  type CalculationInput,
  type CalculationInputBody,
  calculationInputSchema,
  calculationItemSchema,
  calculationResultSchema,
} from './schema.ts';
