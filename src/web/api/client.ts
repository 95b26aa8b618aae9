import type {
  ApprovalDecision,
  ApprovalDetail,
  ApprovalList,
  ApprovalRequest,
  ApprovalRequested,
  ApprovalStatus,
  AuditPage,
  LoginAnswer,
  PasswordChangeAnswer,
  Problem,
  Regions,
  Session,
  TotpConfirmation,
  TotpEnrolment,
} from './types.ts';

/** A non-2xx answer. `problem` is the parsed problem+json body when the server sent one. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  get code(): string | null {
    return this.problem?.code ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseProblem(body: unknown, status: number): Problem | null {
  if (!isRecord(body)) return null;
  const errors = Array.isArray(body['errors'])
    ? body['errors'].filter(isRecord).map((e) => ({
        path: pathToString(e['path']),
        code: typeof e['code'] === 'string' ? e['code'] : '',
        message: typeof e['message'] === 'string' ? e['message'] : '',
      }))
    : undefined;
  const problem: Problem = {
    type: typeof body['type'] === 'string' ? body['type'] : 'about:blank',
    title: typeof body['title'] === 'string' ? body['title'] : `HTTP ${status}`,
    status: typeof body['status'] === 'number' ? body['status'] : status,
    code: typeof body['code'] === 'string' ? body['code'] : '',
  };
  if (typeof body['detail'] === 'string') problem.detail = body['detail'];
  if (errors !== undefined) problem.errors = errors;
  if (isRecord(body['details'])) problem.details = body['details'];
  return problem;
}

/** Paths may come as "a.b.0", "/a/b/0" or ["a","b",0]; normalise to "a.b.0". */
function pathToString(path: unknown): string {
  if (Array.isArray(path)) return path.map(String).join('.');
  if (typeof path !== 'string') return '';
  return path
    .replace(/^[#/]+/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\./, '');
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type RequestOptions = { method?: string; body?: unknown; csrf?: boolean };

/** One JSON call: the CSRF header on writes (`csrf: true`), problem+json → ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrf === true && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await fetch(path, init);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, parseProblem(body, response.status));
  return body as T;
}

/**
 * A file sent as the raw request body, with upload progress (fetch reports none): `onProgress`
 * gets the bytes sent and the total. The answer and its errors are read as `request` reads them.
 */
export function upload<T>(
  path: string,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken !== null) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText === '' ? null : JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, parseProblem(body, xhr.status)));
    };
    xhr.send(file);
  });
}

export const api = {
  me: () => request<Session>('/api/v1/auth/me'),
  login: (username: string, password: string, totpCode?: string) =>
    request<LoginAnswer>('/api/v1/auth/login', {
      method: 'POST',
      body: totpCode === undefined ? { username, password } : { username, password, totpCode },
    }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<PasswordChangeAnswer>('/api/v1/auth/password', {
      method: 'POST',
      body: { currentPassword, newPassword },
      csrf: true,
    }),
  startSecondFactor: (password: string) =>
    request<TotpEnrolment>('/api/v1/auth/second-factor/enrolment', {
      method: 'POST',
      body: { password },
      csrf: true,
    }),
  confirmSecondFactor: (code: string) =>
    request<TotpConfirmation>('/api/v1/auth/second-factor/confirmation', {
      method: 'POST',
      body: { code },
      csrf: true,
    }),
  logout: () => request<void>('/api/v1/auth/logout', { method: 'POST', csrf: true }),
  regions: () => request<Regions>('/api/v1/regions'),
  auditEvents: (limit: number, beforeSeq: number | null) =>
    request<AuditPage>(
      `/api/v1/audit/events?limit=${limit}${beforeSeq === null ? '' : `&beforeSeq=${beforeSeq}`}`,
    ),
  approvals: (region: string, status: ApprovalStatus | null) =>
    request<ApprovalList>(
      `/api/v1/regions/${encodeURIComponent(region)}/approvals?limit=200${status === null ? '' : `&status=${status}`}`,
    ),
  approval: (region: string, id: string) =>
    request<ApprovalDetail>(
      `/api/v1/regions/${encodeURIComponent(region)}/approvals/${encodeURIComponent(id)}`,
    ),
  requestApproval: (region: string, body: ApprovalRequest) =>
    request<ApprovalRequested>(`/api/v1/regions/${encodeURIComponent(region)}/approvals`, {
      method: 'POST',
      csrf: true,
      body,
    }),
  decideApproval: (region: string, id: string, decision: 'approved' | 'rejected') =>
    request<ApprovalDecision>(
      `/api/v1/regions/${encodeURIComponent(region)}/approvals/${encodeURIComponent(id)}/decision`,
      { method: 'POST', csrf: true, body: { decision } },
    ),
  calculate: (input: unknown) =>
    request<unknown>('/api/v1/calculations', { method: 'POST', body: input }),
};

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const p = error.problem;
    if (p !== null) return p.detail ?? p.title;
    return `HTTP ${error.status}`;
  }
  return error instanceof Error ? error.message : String(error);
}
