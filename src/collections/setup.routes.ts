import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runIdempotent } from '../db/idempotency.ts';
import type { Executor } from '../db/transaction.ts';
import type { ServerDependencies } from '../http/dependencies.ts';
import type { Permission } from '../http/permissions.ts';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, principalOf, PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { validationError } from '../shared/errors.ts';
import { approveTemplateVersion, listTemplates, proposeTemplate } from './template.service.ts';
import { addTraining, getCollectorProfile, listCollectorProfiles, listTraining, putCollectorProfile } from './roster.service.ts';
import { activateStrategy, addStrategyVersion, createStrategy, getStrategy, listStrategies, validateStrategyDefinition } from './strategy.service.ts';

const OBJECT = { type: 'object', additionalProperties: true } as const;
// Problems keep their extensions (e.g. a refused template's `reasons`).
const PROBLEM = { ...PROBLEM_SCHEMA, additionalProperties: true } as const;
const ERRORS = { 400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM } as const;

type Params = Record<string, string>;

function versionParameter(text: string | undefined): number {
  const version = Number(text);
  if (!Number.isSafeInteger(version) || version < 1) throw validationError('version', 'must be a whole number from 1');
  return version;
}

/**
 * How collections is set up, under `/v1/collections`: strategies (versions, validation, activation),
 * the collector roster and training records, and message templates (propose, approve). Strategy and template reads need `collections:work`; the roster and
 * every change need `collections:supervise`; changes (but the idempotent PUT) need an Idempotency-Key.
 */
export function registerSetupRoutes(app: FastifyInstance, dependencies: ServerDependencies): void {
  const { handle, clock, ids } = dependencies;
  const read = (route: string, summary: string, permission: Permission, run: (request: FastifyRequest) => Promise<unknown>) => {
    app.get(route, { config: { permission }, schema: { summary, tags: ['collections'], response: { 200: OBJECT, ...ERRORS } } }, async (request) => run(request));
  };
  const change = (scope: string, route: string, summary: string, permission: Permission, run: (db: Executor, request: FastifyRequest, params: Params) => Promise<{ status: number; body: unknown }>) => {
    app.post(route, {
      config: { permission },
      schema: { summary, tags: ['collections'], headers: IDEMPOTENCY_HEADER, body: OBJECT, response: { 200: OBJECT, 201: OBJECT, ...ERRORS } },
    }, async (request, reply) => {
      const params = request.params as Params;
      const result = await runIdempotent(handle.db, { scope: `collections:${scope}:${Object.values(params).join(':')}`, key: idempotencyKeyOf(request), body: request.body ?? {} },
        (transaction) => run(transaction, request, params));
      void reply.header('Idempotent-Replayed', result.outcome === 'replayed' ? 'true' : 'false');
      return reply.status(result.status as 200).send(result.body);
    });
  };

  read('/collections/strategies', 'Stored strategies with their versions (the shipped defaults when none was stored)', 'collections:work',
    async () => ({ items: await listStrategies(handle.db, clock) }));
  read('/collections/strategies/:id', 'A strategy with every version and its definition', 'collections:work',
    async (request) => getStrategy(handle.db, clock, (request.params as Params).id!));
  app.post('/collections/strategies/validate', {
    config: { permission: 'collections:supervise' },
    schema: { summary: 'Validate a strategy definition without saving it: the problems name the field', tags: ['collections'], body: OBJECT, response: { 200: OBJECT, ...ERRORS } },
  }, async (request) => validateStrategyDefinition(request.body));
  change('strategy-create', '/collections/strategies', 'Create a strategy as draft version 1 (validated; errors name the field)', 'collections:supervise',
    (db, request) => createStrategy(db, clock, principalOf(request).keyId, request.body));
  change('strategy-version', '/collections/strategies/:id/versions', 'Add a version to a strategy: versions never change, editing adds one', 'collections:supervise',
    (db, request, params) => addStrategyVersion(db, clock, principalOf(request).keyId, params.id!, request.body));
  change('strategy-activate', '/collections/strategies/:id/versions/:version/activate', "Activate a version for new cases; the jurisdiction's previous active version is retired", 'collections:supervise',
    (db, _request, params) => activateStrategy(db, clock, params.id!, versionParameter(params.version)));

  read('/collections/collectors', 'The collector roster: languages, jurisdictions, region, capacity and open cases', 'collections:supervise',
    async () => ({ items: await listCollectorProfiles(handle.db) }));
  read('/collections/collectors/:agentId', "A collector's profile", 'collections:supervise',
    async (request) => getCollectorProfile(handle.db, (request.params as Params).agentId!));
  app.put('/collections/collectors/:agentId', {
    config: { permission: 'collections:supervise' },
    schema: { summary: "Create or replace a collector's profile (who receives cases automatically)", tags: ['collections'], body: OBJECT, response: { 200: OBJECT, ...ERRORS } },
  }, async (request) => putCollectorProfile(handle.db, clock, (request.params as Params).agentId!, request.body));
  read('/collections/collectors/:agentId/training', "A collector's training records (what certifies them), newest first", 'collections:supervise',
    async (request) => ({ items: await listTraining(handle.db, (request.params as Params).agentId!) }));
  change('training-add', '/collections/collectors/:agentId/training', 'Record a passed training module: jurisdiction, channels, passed on, expires on', 'collections:supervise',
    (db, _request, params) => addTraining(db, ids, params.agentId!, _request.body));

  read('/collections/templates', 'Message templates per language with their versions; messages use the latest approved one', 'collections:work',
    async () => ({ items: await listTemplates(handle.db, clock) }));
  change('template-propose', '/collections/templates', 'Propose a new draft version of a template (checked, not used until approved)', 'collections:supervise',
    (db, request) => proposeTemplate(db, clock, principalOf(request).keyId, request.body));
  change('template-approve', '/collections/templates/:id/versions/:version/approve', "Approve a template version: refused with the findings unless the gate's template check passes under every pack", 'collections:supervise',
    (db, _request, params) => approveTemplateVersion(db, clock, params.id!, versionParameter(params.version)));
}
