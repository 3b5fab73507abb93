import Fastify, { type FastifyInstance, type FastifyError, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LenityError } from '../shared/errors.ts';
import { apiKeyFromHeaders, authenticate, type Principal } from './auth.ts';
import { authenticateSession } from '../identity/identity.service.ts';
import { secretsEqual } from '../identity/password.service.ts';
import { csrfTokenRequired } from '../identity/session-rules.ts';
import { SESSION_COOKIE } from '../identity/identity.routes.ts';
import { registerWebApplication } from './web-application.ts';
import { PERMISSIONS, type Permission, roleHasPermission } from './permissions.ts';
import { problemFromError, type Problem } from './problem.ts';
import type { ServerDependencies } from './dependencies.ts';
import { ROUTE_MODULES } from './routes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; routes without one refuse to register. */
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type LenityServer = FastifyInstance;

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the HTTP server: `/v1` routes of every context, OpenAPI 3.1 at `/docs`, problem details on
 * every error, and default-deny permissions.
 */
export async function buildServer(dependencies: ServerDependencies): Promise<LenityServer> {
  const app = Fastify({
    logger: dependencies.logger ?? false,
    bodyLimit: MAX_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  await app.register(cookie);

  const identity = { db: dependencies.handle.db, ids: dependencies.ids, clock: dependencies.clock };
  /**
   * An API key in a header wins (integrations, unchanged); otherwise the session cookie, and then
   * any request that may change something must echo the session's CSRF token.
   */
  async function authenticateRequest(request: FastifyRequest): Promise<Principal> {
    const key = apiKeyFromHeaders(request.headers);
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (key || !sessionToken) return authenticate(dependencies.handle.db, key);
    const session = await authenticateSession(identity, sessionToken);
    if (csrfTokenRequired(request.method, 'session')) {
      const given = request.headers['x-csrf-token'];
      if (typeof given !== 'string' || !secretsEqual(given, session.csrfToken)) {
        throw new LenityError('CSRF_TOKEN_INVALID', 'This request needs the X-CSRF-Token header that came with the session');
      }
    }
    return { keyId: session.userId, role: session.role, borrowerId: session.borrowerId, userId: session.userId, apiKeyId: null, sessionId: session.sessionId };
  }

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    // The documentation and the web application's static files (which @fastify/static marks with
    // `config.file`) are public: the application asks the API for everything else.
    if (route.url.startsWith('/docs') || (route.config && 'file' in route.config)) {
      route.config = { ...(route.config ?? {}), permission: 'public' };
      return;
    }
    if (!permission || !(PERMISSIONS as readonly string[]).includes(permission)) {
      throw new Error(`Route ${route.method} ${route.url} declares no permission; every route must (default deny)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config?.permission;
    // Unknown routes fall through to the not-found handler.
    if (permission === 'public' || request.is404) return;
    const principal = await authenticateRequest(request);
    if (!permission || !roleHasPermission(principal.role, permission)) {
      throw new LenityError('FORBIDDEN', `The ${principal.role} role lacks the permission "${permission ?? '(none)'}"`);
    }
    request.principal = principal;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemFromAnyError(error);
    if (problem.status >= 500) request.log.error(error);
    void reply.status(problem.status).type('application/problem+json').send(problem);
  });

  const webApplication = await registerWebApplication(app, dependencies.webRoot);

  app.setNotFoundHandler((request, reply) => {
    if (webApplication.serves(request)) return webApplication.sendIndex(reply);
    const problem = problemFromError(new LenityError('NOT_FOUND', `No route ${request.method} ${request.url}`));
    void reply.status(404).type('application/problem+json').send(problem);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Lenity API', version: '1', description: 'Consumer-credit servicing and fair, lawful collections.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/health', { config: { permission: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  await app.register(
    async (v1) => {
      for (const routes of ROUTE_MODULES) await v1.register(routes(dependencies));
    },
    { prefix: '/v1' },
  );
  return app;
}

function problemFromAnyError(error: FastifyError): Problem {
  if (error instanceof LenityError) return problemFromError(error);
  if (error.validation) {
    const first = error.validation[0];
    const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const field = [error.validationContext, path, extra].filter(Boolean).join('.') || undefined;
    const code = first?.keyword === 'additionalProperties' ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED';
    return problemFromError(new LenityError(code, `${field ?? 'request'}: ${extra ? 'is not a known field' : (first?.message ?? 'is not valid')}`, { field }));
  }
  if (error.statusCode && error.statusCode < 500) {
    const code = error.statusCode === 413 || error.statusCode === 400 || error.statusCode === 415 ? 'VALIDATION_FAILED' : 'VALIDATION_FAILED';
    return { ...problemFromError(new LenityError(code, error.message)), status: error.statusCode };
  }
  return problemFromError(error);
}
