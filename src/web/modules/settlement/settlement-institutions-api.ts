import type { z } from 'zod';
import type {
  Agreement,
  agreementSignBody,
  agreementTerminateBody,
  codeMap,
  codeMapListResponse,
  codeMapSetBody,
  Institution,
  institutionCreateBody,
  institutionListResponse,
  institutionPageResponse,
  institutionStatusBody,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import { request } from '../../api/client.ts';

export type { Agreement, Institution };
export type InstitutionList = z.infer<typeof institutionListResponse>;
export type InstitutionPage = z.infer<typeof institutionPageResponse>;
export type InstitutionCreateInput = z.output<typeof institutionCreateBody>;
export type InstitutionStatusInput = z.output<typeof institutionStatusBody>;
export type AgreementSignInput = z.output<typeof agreementSignBody>;
export type AgreementTerminateInput = z.output<typeof agreementTerminateBody>;
export type CodeMap = z.infer<typeof codeMap>;
export type CodeMapList = z.infer<typeof codeMapListResponse>;
export type CodeMapSetInput = z.output<typeof codeMapSetBody>;

const enc = encodeURIComponent;
const regionBase = (region: string) => `/api/v1/settlement/regions/${enc(region)}`;
const institutionBase = (region: string, id: string) =>
  `${regionBase(region)}/institutions/${enc(id)}`;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, value);
  const qs = search.toString();
  return qs === '' ? '' : `?${qs}`;
}

export type InstitutionFilter = {
  status?: Institution['status'] | undefined;
  namePrefix?: string | undefined;
};

/** The institution routes (src/api/routes/settlement/settlement-institution-routes.ts, code maps). */
export const institutionsApi = {
  list: (region: string, filter: InstitutionFilter, after: string | undefined, limit: number) =>
    request<InstitutionList>(
      `${regionBase(region)}/institutions${query({ ...filter, after, limit: String(limit) })}`,
    ),
  create: (region: string, body: InstitutionCreateInput) =>
    request<Institution>(`${regionBase(region)}/institutions`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  page: (region: string, id: string) => request<InstitutionPage>(institutionBase(region, id)),
  setStatus: (region: string, id: string, body: InstitutionStatusInput) =>
    request<Institution>(`${institutionBase(region, id)}/status`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  sign: (region: string, id: string, body: AgreementSignInput) =>
    request<Agreement>(`${institutionBase(region, id)}/agreements`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  terminate: (region: string, agreementId: string, body: AgreementTerminateInput) =>
    request<Agreement>(`${regionBase(region)}/agreements/${enc(agreementId)}/terminate`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  codeMaps: (region: string, id: string) =>
    request<CodeMapList>(`${institutionBase(region, id)}/code-maps`),
  setCodeMap: (region: string, id: string, body: CodeMapSetInput) =>
    request<CodeMap>(`${institutionBase(region, id)}/code-maps`, {
      method: 'POST',
      body,
      csrf: true,
    }),
};
