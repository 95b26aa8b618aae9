import type {
  CardAccountBody,
  CardAccountResponse,
} from '../../../contract/benefits/card-account-contract.ts';
import { request } from '../../api/client.ts';

export type CardAccounts = CardAccountResponse;
export type CardAccountEntry = CardAccountResponse['accounts'][number];

/** Whose account: the case's worker, or a 供养亲属 of a death case (paid the survivor's pension). */
export type CardBeneficiary =
  | { kind: 'worker'; workerId: string }
  | { kind: 'dependant'; dependantId: string };

export function beneficiaryOf(kind: CardBeneficiary['kind'], id: string): CardBeneficiary {
  return kind === 'worker' ? { kind, workerId: id } : { kind, dependantId: id };
}

const enc = encodeURIComponent;
const url = (regionCode: string, who: CardBeneficiary) =>
  who.kind === 'worker'
    ? `/api/v1/regions/${enc(regionCode)}/workers/${enc(who.workerId)}/card-account`
    : `/api/v1/regions/${enc(regionCode)}/dependants/${enc(who.dependantId)}/card-account`;

/**
 * The card-account routes (src/api/routes/benefits/card-account-routes.ts), typed by the
 * contract. The read is audited by the server and masked unless the reader holds pii:reveal.
 */
export const cardAccountApi = {
  show: (regionCode: string, who: CardBeneficiary) => request<CardAccounts>(url(regionCode, who)),
  set: (regionCode: string, who: CardBeneficiary, body: CardAccountBody) =>
    request<CardAccounts>(url(regionCode, who), { method: 'PUT', body, csrf: true }),
};
