/**
 * The calculator's request and answer are the rules engine's own schemas: the API, the CLI and the
 * web read the same definition (src/rules/calculator/schema.ts).
 */
export {
  calculationInputSchema as calculationBody,
  calculationItemSchema as calculationItemResponse,
  calculationResultSchema as calculationResponse,
} from '../../rules/calculator/schema.ts';
