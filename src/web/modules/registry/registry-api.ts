import type { z } from 'zod';
import type {
  employerListResponse,
  employerPageResponse,
} from '../../../contract/registry/employers-contract.ts';
import type {
  projectListResponse,
  projectRegisterBody,
  projectResponse,
} from '../../../contract/registry/projects-contract.ts';
import type {
  hireBody,
  leaveBody,
  rosterResponse,
} from '../../../contract/registry/workers-contract.ts';
import { request } from '../../api/client.ts';

export type EmployerList = z.infer<typeof employerListResponse>;
export type EmployerPageData = z.infer<typeof employerPageResponse>;
export type Employer = EmployerPageData['employer'];
export type RosterLine = EmployerPageData['roster'][number];
export type EmployerEvent = EmployerPageData['events'][number];
export type OwnRoster = z.infer<typeof rosterResponse>;
export type HireInput = z.input<typeof hireBody>;
type LeaveInput = z.input<typeof leaveBody>;
export type ProjectList = z.infer<typeof projectListResponse>;
export type Project = z.infer<typeof projectResponse>;
export type ProjectRegisterInput = z.input<typeof projectRegisterBody>;

function query(params: Record<string, string>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== '') search.set(key, value);
  const qs = search.toString();
  return qs === '' ? '' : `?${qs}`;
}

export const registryApi = {
  search: (region: string, namePrefix: string, creditCode: string) =>
    request<EmployerList>(
      `/api/v1/regions/${encodeURIComponent(region)}/employers${query({ namePrefix, creditCode, limit: '100' })}`,
    ),
  employer: (region: string, employerId: string, date: string) =>
    request<EmployerPageData>(
      `/api/v1/regions/${encodeURIComponent(region)}/employers/${encodeURIComponent(employerId)}${query({ date })}`,
    ),
  ownRoster: (date: string) => request<OwnRoster>(`/api/v1/employer/roster${query({ date })}`),
  hire: (region: string, employerId: string, body: HireInput) =>
    request<RosterLine>(
      `/api/v1/regions/${encodeURIComponent(region)}/employers/${encodeURIComponent(employerId)}/spells`,
      { method: 'POST', body, csrf: true },
    ),
  leave: (region: string, spellId: string, body: LeaveInput) =>
    request<RosterLine>(
      `/api/v1/regions/${encodeURIComponent(region)}/spells/${encodeURIComponent(spellId)}/leave`,
      { method: 'POST', body, csrf: true },
    ),
  projects: (region: string, employerId: string) =>
    request<ProjectList>(
      `/api/v1/regions/${encodeURIComponent(region)}/employers/${encodeURIComponent(employerId)}/projects`,
    ),
  registerProject: (region: string, employerId: string, body: ProjectRegisterInput) =>
    request<Project>(
      `/api/v1/regions/${encodeURIComponent(region)}/employers/${encodeURIComponent(employerId)}/projects`,
      { method: 'POST', body, csrf: true },
    ),
  ownHire: (body: HireInput) =>
    request<RosterLine>('/api/v1/employer/spells', { method: 'POST', body, csrf: true }),
  ownLeave: (spellId: string, body: LeaveInput) =>
    request<RosterLine>(`/api/v1/employer/spells/${encodeURIComponent(spellId)}/leave`, {
      method: 'POST',
      body,
      csrf: true,
    }),
};
