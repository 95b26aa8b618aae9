import type {
  CardAccountBody,
  CardAccountResponse,
} from '../../../contract/benefits/card-account-contract.ts';
import { request } from '../../api/client.ts';

export type CardAccounts = CardAccountResponse;
export type CardAccountEntry = CardAccountResponse['accounts'][number];

const enc = encodeURIComponent;
const workerUrl = (regionCode: string, workerId: string) =>
  `/api/v1/regions/${enc(regionCode)}/workers/${enc(workerId)}/card-account`;

/**
 * The worker's card-account routes (src/api/routes/benefits/card-account-routes.ts), typed by the
 * contract. The read is audited by the server and masked unless the reader holds pii:reveal.
 */
export const cardAccountApi = {
  show: (regionCode: string, workerId: string) =>
    request<CardAccounts>(workerUrl(regionCode, workerId)),
  set: (regionCode: string, workerId: string, body: CardAccountBody) =>
    request<CardAccounts>(workerUrl(regionCode, workerId), { method: 'PUT', body, csrf: true }),
};
