/**
 * The contribution rate calculator's request and answer are the rules' own schemas: the API, the
 * CLI and the web read the same definition (src/rules/contributions/rate-schema.ts), as the
 * benefit calculator's contract does.
 */
export {
  rateInputSchema as contributionRateBody,
  rateResultSchema as contributionRateResponse,
} from '../../rules/contributions/rate-schema.ts';
