import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The repository's build of `web/` (vite.config.ts writes it; `npm ci` and `npm start` build it). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths the application never answers: the API, its documentation and the health check. */
const SERVER_PATHS = /^\/(v1|docs|health)(\/|$|\?)/;

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Lenity</title>
<body style="font-family: system-ui; max-width: 40rem; margin: 3rem auto">
<h1>Lenity</h1><p>The web application has not been built. Run <code>npm run build:web</code> (or <code>npm ci</code>), then reload.</p>
<p>The API runs at <a href="/v1">/v1</a>; its documentation is at <a href="/docs">/docs</a>.</p></body></html>`;

export interface WebApplication {
  /** Whether an unknown path belongs to the application (its router decides what it shows). */
  serves(request: FastifyRequest): boolean;
  sendIndex(reply: FastifyReply): FastifyReply;
}

/**
 * Serves the built React application at `/`: its files as they are, and `index.html` for any other
 * GET outside `/v1`, `/docs` and `/health` (single-page application fallback).
 *
 * @example const web = await registerWebApplication(app, DEFAULT_WEB_ROOT);
 */
export async function registerWebApplication(app: FastifyInstance, webRoot = DEFAULT_WEB_ROOT): Promise<WebApplication> {
  const built = existsSync(join(webRoot, 'index.html'));
  if (built) {
    // wildcard: false registers one route per file, each marked with `config.file` (public).
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'], cacheControl: false });
  }
  return {
    serves: (request) => (request.method === 'GET' || request.method === 'HEAD') && !SERVER_PATHS.test(request.url),
    sendIndex: (reply) => {
      void reply.header('cache-control', 'no-cache');
      if (!built) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    },
  };
}
