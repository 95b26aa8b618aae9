import type { z } from 'zod';
import type {
  appraisalListResponse,
  appraisalResponse,
  caseAppraisalsResponse,
  conclusionBody,
  drawBody,
  drawVerifyResponse,
} from '../../../contract/cases/appraisal-contract.ts';
import { request } from '../../api/client.ts';

/** The appraisal routes as the web calls them; types from the contract the routes validate with. */
export type Appraisal = z.infer<typeof appraisalResponse>;
export type AppraisalList = z.infer<typeof appraisalListResponse>;
export type CaseAppraisals = z.infer<typeof caseAppraisalsResponse>;
export type DrawVerify = z.infer<typeof drawVerifyResponse>;
export type DrawInput = z.input<typeof drawBody>;
export type ConclusionInput = z.input<typeof conclusionBody>;
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
  ofCase(region: string, caseId: string): Promise<CaseAppraisals> {
    return request(`${regionBase(region)}/cases/${encodeURIComponent(caseId)}/appraisals`);
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
  verify(region: string, id: string): Promise<DrawVerify> {
    return request(`${regionBase(region)}/appraisals/${id}/draw/verify`);
  },
};
