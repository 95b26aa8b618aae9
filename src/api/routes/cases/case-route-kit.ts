import type { z } from 'zod';
import type { actionBody } from '../../../contract/cases/determination-contract.ts';
import type { OfficerCommand } from '../../../usecases/cases/determination-actions.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ActionCommand = DistributiveOmit<z.output<typeof actionBody>, 'expectedVersion'>;

/**
 * The state machine's command from a parsed action body. Only the review outcome needs building:
 * its optional fields are absent rather than undefined in the domain's type.
 */
export function commandOf(body: ActionCommand): OfficerCommand {
  if (body.kind !== 'record_review_outcome') return body;
  const { outcome, grounds, ...rest } = body;
  return {
    ...rest,
    ...(outcome === undefined ? {} : { outcome }),
    ...(grounds === undefined ? {} : { grounds }),
  };
}
