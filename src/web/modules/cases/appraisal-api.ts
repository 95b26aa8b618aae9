import type { z } from 'zod';
import type {
  applicationBody,
  appraisalListResponse,
  appraisalResponse,
  caseAppraisalsResponse,
  conclusionBody,
  drawBody,
  drawVerifyResponse,
  expertBody,
  expertListResponse,
  expertResponse,
  extensionBody,
  serviceBody,
} from '../../../contract/cases/appraisal-contract.ts';
import { request } from '../../api/client.ts';

/** The appraisal routes as the web calls them; types from the contract the routes validate with. */
export type Appraisal = z.infer<typeof appraisalResponse>;
export type AppraisalList = z.infer<typeof appraisalListResponse>;
export type CaseAppraisals = z.infer<typeof caseAppraisalsResponse>;
export type DrawVerify = z.infer<typeof drawVerifyResponse>;
export type DrawInput = z.input<typeof drawBody>;
export type ConclusionInput = z.input<typeof conclusionBody>;
export type ApplicationInput = z.input<typeof applicationBody>;
export type ExtensionInput = z.input<typeof extensionBody>;
export type ServiceInput = z.input<typeof serviceBody>;
export type Expert = z.infer<typeof expertResponse>;
export type ExpertList = z.infer<typeof expertListResponse>;
export type ExpertInput = z.input<typeof expertBody>;
export type WorkListFilter = {
  state: 'open' | 'concluded' | 'all';
  kind?: Appraisal['kind'];
  dueBy?: string;
};

const regionBase = (region: string) => `/api/v1/regions/${encodeURIComponent(region)}`;

export const appraisalApi = {
  workList(region: string, f: WorkListFilter): Promise<AppraisalList> {
    const q = new URLSearchParams({ state: f.state });
    if (f.kind) q.set('kind', f.kind);
    if (f.dueBy) q.set('dueBy', f.dueBy);
    return request(`${regionBase(region)}/appraisals?${q.toString()}`);
  },
  /** One appraisal with its panel draw (the work list's rows carry none). */
  show(region: string, id: string): Promise<Appraisal> {
    return request(`${regionBase(region)}/appraisals/${encodeURIComponent(id)}`);
  },
  ofCase(region: string, caseId: string): Promise<CaseAppraisals> {
    return request(`${regionBase(region)}/cases/${encodeURIComponent(caseId)}/appraisals`);
  },
  receive(region: string, caseId: string, body: ApplicationInput): Promise<Appraisal> {
    return request(`${regionBase(region)}/cases/${encodeURIComponent(caseId)}/appraisals`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  draw(region: string, id: string, body: DrawInput): Promise<Appraisal> {
    return request(`${regionBase(region)}/appraisals/${id}/draw`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  conclude(region: string, id: string, body: ConclusionInput): Promise<Appraisal> {
    return request(`${regionBase(region)}/appraisals/${id}/conclusion`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  extend(region: string, id: string, body: ExtensionInput): Promise<Appraisal> {
    return request(`${regionBase(region)}/appraisals/${id}/extension`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  serve(region: string, id: string, body: ServiceInput): Promise<Appraisal> {
    return request(`${regionBase(region)}/appraisals/${id}/service`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  /** The committee's pool: a city's code for its committee, the province's for the provincial one. */
  experts(committeeCode: string, specialty?: ExpertInput['specialty']): Promise<ExpertList> {
    const q = new URLSearchParams({ active: 'true' });
    if (specialty) q.set('specialty', specialty);
    return request(`${regionBase(committeeCode)}/appraisal-experts?${q.toString()}`);
  },
  addExpert(committeeCode: string, body: ExpertInput): Promise<Expert> {
    return request(`${regionBase(committeeCode)}/appraisal-experts`, {
      method: 'POST',
      body,
      csrf: true,
    });
  },
  deactivateExpert(committeeCode: string, expertId: string): Promise<Expert> {
    return request(
      `${regionBase(committeeCode)}/appraisal-experts/${encodeURIComponent(expertId)}/deactivate`,
      { method: 'POST', csrf: true },
    );
  },
  verify(region: string, id: string): Promise<DrawVerify> {
    return request(`${regionBase(region)}/appraisals/${id}/draw/verify`);
  },
};
