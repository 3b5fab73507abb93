import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../http/routes.ts';
import { ID_PARAMS, pageOf, principalOf, PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { LenityError } from '../shared/errors.ts';
import {
  changeUserRole, createUser, disableUser, getUser, listUsers, login, permissionsOfRole, resetPassword, revokeSession, setPreferredLanguage,
} from './identity.service.ts';
import { DEFAULT_SESSION_POLICY } from './session-rules.ts';

/** The session cookie's name: HttpOnly, SameSite=Lax, path `/`. */
export const SESSION_COOKIE = 'lenity_session';

const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA, 404: PROBLEM_SCHEMA, 409: PROBLEM_SCHEMA, 429: PROBLEM_SCHEMA } as const;

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    // Secure whenever the request came over TLS (directly or through a proxy Fastify trusts).
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}

/**
 * Logging in and out with a username and password (the web application), the signed-in user's
 * session, and the administrators' user management.
 */
export const identityRoutes: RouteModule = (dependencies) => {
  const services = { db: dependencies.handle.db, ids: dependencies.ids, clock: dependencies.clock };
  const plugin: FastifyPluginAsync = async (app) => {
    app.post('/auth/login', {
      config: { permission: 'public' },
      schema: {
        summary: 'Log in: sets the HttpOnly session cookie and returns the user, their permissions and the CSRF token',
        tags: ['auth'],
        security: [],
        body: { type: 'object', properties: { username: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: 1024 } }, required: ['username', 'password'], additionalProperties: false },
        response: { 200: OBJECT, ...ERRORS },
      },
    }, async (request, reply) => {
      const result = await login(services, request.body);
      setSessionCookie(request, reply, result.sessionToken, Math.floor(DEFAULT_SESSION_POLICY.absoluteLifetimeMs / 1000));
      return { user: result.user, permissions: result.permissions, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    });

    app.get('/auth/session', {
      config: { permission: 'signed-in' },
      schema: { summary: 'The signed-in user, their permissions and the CSRF token for this session', tags: ['auth'], response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => {
      const principal = principalOf(request);
      if (!principal.userId) throw new LenityError('NOT_FOUND', 'This API key does not act for a user');
      const user = await getUser(services.db, principal.userId);
      const csrfToken = principal.sessionId
        ? (await services.db.selectFrom('user_session').select('csrf_token').where('id', '=', principal.sessionId).executeTakeFirstOrThrow()).csrf_token
        : null;
      return { user, permissions: permissionsOfRole(principal.role), csrfToken };
    });

    app.post('/auth/logout', {
      config: { permission: 'signed-in' },
      schema: { summary: 'Log out: ends this session and clears the cookie', tags: ['auth'], response: { 204: { type: 'null' }, ...ERRORS } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      if (principal.sessionId) await revokeSession(services, principal.sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });

    app.put('/auth/preferences', {
      config: { permission: 'signed-in' },
      schema: {
        summary: "The signed-in user's preferred language",
        tags: ['auth'],
        body: { type: 'object', properties: { preferredLanguage: { type: 'string', enum: ['zh-CN', 'en'] } }, required: ['preferredLanguage'], additionalProperties: false },
        response: { 200: OBJECT, ...ERRORS },
      },
    }, async (request) => {
      const principal = principalOf(request);
      if (!principal.userId) throw new LenityError('NOT_FOUND', 'This API key does not act for a user');
      return setPreferredLanguage(services.db, principal.userId, request.body);
    });

    app.get('/users', {
      config: { permission: 'admin:users' },
      schema: {
        summary: 'List users',
        tags: ['users'],
        querystring: { type: 'object', properties: { cursor: { type: 'string' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } }, additionalProperties: false },
      },
    }, async (request) => listUsers(services.db, pageOf(request.query as { cursor?: string; limit?: string })));

    app.post('/users', {
      config: { permission: 'admin:users' },
      schema: { summary: 'Create a user (a borrower user names their borrower id)', tags: ['users'], body: OBJECT, response: { 201: OBJECT, ...ERRORS } },
    }, async (request, reply) => reply.status(201).send(await createUser(services, request.body)));

    app.get('/users/:id', { config: { permission: 'admin:users' }, schema: { summary: 'Get a user', tags: ['users'], params: ID_PARAMS } }, async (request) => {
      return getUser(services.db, (request.params as { id: string }).id);
    });

    app.post('/users/:id/role', {
      config: { permission: 'admin:users' },
      schema: { summary: "Change a user's role (their sessions end)", tags: ['users'], params: ID_PARAMS, body: OBJECT, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => changeUserRole(services, (request.params as { id: string }).id, request.body));

    app.post('/users/:id/disable', {
      config: { permission: 'admin:users' },
      schema: { summary: 'Disable a user: sessions end, linked API keys stop working', tags: ['users'], params: ID_PARAMS, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => disableUser(services, (request.params as { id: string }).id));

    app.post('/users/:id/password', {
      config: { permission: 'admin:users' },
      schema: { summary: "Reset a user's password (their sessions end)", tags: ['users'], params: ID_PARAMS, body: OBJECT, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => resetPassword(services, (request.params as { id: string }).id, request.body));
  };
  return plugin;
};
