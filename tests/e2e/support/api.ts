import { type APIRequestContext, request } from 'playwright-core';
import { demoPassword } from './log-in.ts';

/**
 * A demo user's API session beside the browser (its own cookie jar): for the steps of a journey
 * that another person does (a checker's approval, the tax bureau's file), so the journey can look at
 * their result in the browser. Every write carries the session's CSRF token.
 */
export type ApiSession = {
  get: (path: string) => Promise<unknown>;
  post: (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;
  close: () => Promise<void>;
};

export async function apiSession(baseURL: string, username: string): Promise<ApiSession> {
  const context: APIRequestContext = await request.newContext({ baseURL });
  const login = await context.post('/api/v1/auth/login', {
    data: { username, password: demoPassword },
  });
  if (!login.ok()) throw new Error(`log-in of ${username}: HTTP ${login.status()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    get: async (path) => {
      const r = await context.get(path);
      if (!r.ok()) throw new Error(`GET ${path}: HTTP ${r.status()} ${await r.text()}`);
      return r.json();
    },
    post: async (path, body) => {
      const r = await context.post(path, { data: body, headers: { 'x-csrf-token': csrfToken } });
      return { status: r.status(), body: await r.json().catch(() => null) };
    },
    close: () => context.dispose(),
  };
}
