import type { FastifyPluginAsync } from 'fastify';
import type { RouteModule } from '../http/routes.ts';
import { PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { LenityError } from '../shared/errors.ts';
import { MAX_EVENTS_PER_READ, readEvents } from './event.store.ts';

/**
 * `GET /v1/events?after=&limit=`: the domain-event outbox in order, for consumers such as
 * collections. `after` is the last sequence the consumer handled.
 *
 * @example curl -H 'Authorization: Bearer …' 'localhost:3000/v1/events?after=0&limit=100'
 */
export const endOfDayRoutes: RouteModule = (dependencies) => {
  const plugin: FastifyPluginAsync = async (app) => {
    app.get('/events', {
      config: { permission: 'events:read' },
      schema: {
        summary: 'Read domain events in order',
        tags: ['events'],
        querystring: { type: 'object', properties: { after: { type: 'string', pattern: '^\\d{1,18}$' }, limit: { type: 'string', pattern: '^\\d{1,4}$', description: `1 to ${MAX_EVENTS_PER_READ}, default 100` } }, additionalProperties: false },
        response: { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA },
      },
    }, async (request) => {
      const query = request.query as { after?: string; limit?: string };
      if (query.after !== undefined && !/^\d{1,18}$/.test(query.after)) throw new LenityError('VALIDATION_FAILED', 'after: must be a sequence number', { field: 'after' });
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_READ) throw new LenityError('VALIDATION_FAILED', `limit: must be from 1 to ${MAX_EVENTS_PER_READ}`, { field: 'limit' });
      const { events, lastSequence } = await readEvents(dependencies.handle.db, { afterSequence: BigInt(query.after ?? '0'), limit });
      return { items: events, next: lastSequence ?? query.after ?? '0' };
    });
  };
  return plugin;
};
