import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../identity/roles.ts';

/**
 * Every route declares who may call it. The route table (collected at registration) drives the
 * authorization hook, the OpenAPI tags and the generated permission-matrix and fuzz tests.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | {
      kind: 'permission';
      permission: Permission;
      /** A second permission that also opens the route (e.g. letters: case:read or appraisal:read). */
      orPermission?: Permission;
    };

/** The permissions any one of which opens a route (none for public and authenticated routes). */
export function accessPermissions(access: Access): readonly Permission[] {
  if (access.kind !== 'permission') return [];
  return access.orPermission === undefined
    ? [access.permission]
    : [access.permission, access.orPermission];
}

/** A sample request for generated tests: `regionCode` is the city the test user should own or not. */
export type ExampleRequest = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
};

/**
 * A route's request and response schemas (src/contract/…): the single source of the handler's
 * types, the runtime validation, the response serialisation and the OpenAPI document.
 */
export type RouteSchema = {
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  response?: { readonly [status: number]: z.ZodType };
};

export type RouteSpec<S extends RouteSchema = RouteSchema> = {
  method: HTTPMethods;
  url: string;
  access: Access;
  /** Audit action name, e.g. "persons.reveal". */
  action: string;
  summary: string;
  tags: string[];
  /** Path parameter naming the owning region; the policy checks it before the handler runs. */
  regionParam?: string;
  schema?: S;
  rateLimitPerMinute?: number;
  /** The handler validates the body itself (shared with the CLI); the schema only documents it. */
  skipValidation?: boolean;
  /** Serialise with JSON.stringify; the response schema then only documents (hot liveness probe). */
  plainSerializer?: boolean;
  example?: (ctx: { regionCode: string }) => ExampleRequest;
  /** Open to a session limited to enrolling a second factor (LOGIN_SECOND_FACTOR=required). */
  duringEnrolment?: true;
};

/** What a validated part of the request holds: the schema's output, or nothing declared. */
type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** The body a route with `skipValidation` receives is whatever the client sent. */
type BodyOf<Spec extends RouteSpec> = Spec extends { skipValidation: true }
  ? unknown
  : Parsed<NonNullable<Spec['schema']>['body']>;

export type RouteRequest<Spec extends RouteSpec> = FastifyRequest<{
  Params: Parsed<NonNullable<Spec['schema']>['params']>;
  Querystring: Parsed<NonNullable<Spec['schema']>['querystring']>;
  Body: BodyOf<Spec>;
}>;

type SuccessStatus = 200 | 201;
type ResponsesOf<Spec extends RouteSpec> = NonNullable<NonNullable<Spec['schema']>['response']>;

/** The JSON a handler returns: the output of the spec's 200 / 201 response schema. */
export type SuccessBody<Spec extends RouteSpec> = {
  [K in keyof ResponsesOf<Spec> & SuccessStatus]: z.output<ResponsesOf<Spec>[K]>;
}[keyof ResponsesOf<Spec> & SuccessStatus];

/**
 * A handler returns its success body (typed by the response schema), or the reply it has sent
 * itself: a binary download, an empty 204, or a documented non-success answer.
 */
export type Handler<Spec extends RouteSpec> = (
  request: RouteRequest<Spec>,
  reply: FastifyReply,
) => Promise<SuccessBody<Spec> | FastifyReply>;

export function isMutating(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
