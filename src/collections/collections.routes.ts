import type { FastifyRequest } from 'fastify';
import { lenderTimeZone } from '../http/dependencies.ts';
import { runIdempotent } from '../db/idempotency.ts';
import type { Executor } from '../db/transaction.ts';
import type { RouteModule } from '../http/routes.ts';
import { roleHasPermission } from '../http/permissions.ts';
import { CHANGE_ERRORS, ID_PARAMS, IDEMPOTENCY_HEADER, idempotencyKeyOf, principalOf, PROBLEM_SCHEMA, sendIdempotent } from '../http/request-helpers.ts';
import { effectivenessReport } from './effectiveness.service.ts';
import { registerSetupRoutes } from './setup.routes.ts';
import { registerSupervisionRoutes } from './supervision.routes.ts';
import { parseBusinessDate } from '../shared/business-date.ts';
import {
  addNote, approveVisit, assignCase, attemptContact, listMyVisits, revealCaseContact, revealVisitAddress, type CaseViewer, type CaseWorkDependencies, checkInVisit, completeVisit, getCase, listQueue, logOutcome, makePromise,
  rejectVisit, requestVisit,
} from './case-work.service.ts';

const OBJECT = { type: 'object', additionalProperties: true } as const;

/** The caller as a case viewer: agents see their own cases, holders of `collections:supervise` all; personal data masked without `borrowers:read-unmasked`. */
function viewerOf(request: FastifyRequest): CaseViewer {
  const principal = principalOf(request);
  return {
    agentId: principal.keyId, supervisor: roleHasPermission(principal.role, 'collections:supervise'),
    unmasked: roleHasPermission(principal.role, 'borrowers:read-unmasked'),
  };
}

/**
 * The collectors' and supervisors' API under `/v1/collections`: the queue, cases, contacts through
 * the gate, outcomes, promises, field visits and assignment. Every change carries an Idempotency-Key.
 */
export const collectionsRoutes: RouteModule = (dependencies) => {
  const { handle, ids, clock } = dependencies;
  const work = (db: Executor): CaseWorkDependencies => ({ db, ids, clock, lenderName: dependencies.lenderName, lenderPhone: dependencies.lenderPhone });
  const change = (scope: string, route: string, summary: string, permission: 'collections:work' | 'collections:supervise' | 'collections:visit',
    run: (db: Executor, request: FastifyRequest, id: string) => Promise<{ status: number; body: unknown }>) => ({ scope, route, summary, permission, run });
  const changes = [
    change('contact', '/collections/cases/:id/contact', 'Ask the gate now and record the contact attempt when allowed; an SMS or e-mail is queued for sending', 'collections:work',
      (db, request, id) => attemptContact(work(db), viewerOf(request), id, dependencies.businessDate(), request.body)),
    change('outcome', '/collections/cases/:id/outcome', 'Log the outcome of a contact attempt', 'collections:work',
      (db, request, id) => logOutcome(work(db), viewerOf(request), id, dependencies.businessDate(), request.body)),
    change('promise', '/collections/cases/:id/promises', 'Record a promise to pay', 'collections:work',
      (db, request, id) => makePromise(work(db), viewerOf(request), id, dependencies.businessDate(), request.body)),
    change('visit-request', '/collections/cases/:id/visits', 'Request a field visit (a supervisor approves it)', 'collections:work',
      (db, request, id) => requestVisit(work(db), viewerOf(request), id, dependencies.businessDate(), request.body)),
    change('note', '/collections/cases/:id/notes', 'Add a note to a case', 'collections:work',
      (db, request, id) => addNote(work(db), viewerOf(request), id, request.body)),
    change('assign', '/collections/cases/:id/assign', 'Assign a case and its open call tasks to an agent', 'collections:supervise',
      (db, request, id) => assignCase(work(db), id, dependencies.businessDate(), request.body)),
    change('visit-approve', '/collections/visits/:id/approve', 'Approve a requested field visit: collectors and slot', 'collections:supervise',
      (db, request, id) => approveVisit(work(db), viewerOf(request), id, request.body)),
    change('visit-reject', '/collections/visits/:id/reject', 'Turn down a requested field visit, with the reason', 'collections:supervise',
      (db, request, id) => rejectVisit(work(db), viewerOf(request), id, request.body)),
    change('visit-check-in', '/collections/visits/:id/check-in', 'Check in at an approved visit (the gate decides at that moment)', 'collections:visit',
      (db, request, id) => checkInVisit(work(db), viewerOf(request), id, request.body)),
    change('visit-complete', '/collections/visits/:id/complete', 'Complete a visit: outcome, report and an optional payment', 'collections:visit',
      (db, request, id) => completeVisit(work(db), viewerOf(request), id, dependencies.businessDate(), request.body)),
  ];
  return async (app) => {
    registerSetupRoutes(app, dependencies);
    registerSupervisionRoutes(app, dependencies);
    app.get('/collections/queue', { config: { permission: 'collections:work' }, schema: { summary: "The caller's open call tasks, best first", tags: ['collections'] } },
      async (request) => ({ items: await listQueue(work(handle.db), viewerOf(request), dependencies.businessDate()) }));
    app.get('/collections/cases/:id', { config: { permission: 'collections:work' }, schema: { summary: 'A case with its promises, visits and attempts', tags: ['collections'], params: ID_PARAMS } },
      async (request) => getCase(handle.db, viewerOf(request), (request.params as { id: string }).id, dependencies.businessDate()));
    app.get('/collections/my-visits', { config: { permission: 'collections:visit' }, schema: { summary: "The caller's approved field visits still to be made or finished, soonest slot first (address masked)", tags: ['collections'] } },
      async (request) => ({ items: await listMyVisits(handle.db, viewerOf(request)) }));
    // Unmasking is a read with an audit row, not a change: no idempotency record, which would keep the
    // personal data in the replay store; each reveal is recorded with its reason.
    const REVEAL_BODY = { type: 'object', properties: { reason: { type: 'string', description: 'Why the personal data is needed (5 to 500 characters); stored' } }, required: ['reason'] } as const;
    app.post('/collections/cases/:id/reveal', {
      config: { permission: 'collections:work' },
      schema: { summary: "Show the case's borrower contact details unmasked, recording who, when and why", tags: ['collections'], params: ID_PARAMS, body: REVEAL_BODY, response: { 200: OBJECT, ...CHANGE_ERRORS } },
    }, async (request) => revealCaseContact(work(handle.db), viewerOf(request), principalOf(request).role, (request.params as { id: string }).id, request.body));
    app.post('/collections/visits/:id/reveal', {
      config: { permission: 'collections:visit' },
      schema: { summary: "Show an approved visit's address unmasked to a collector named on it, recording who, when and why", tags: ['collections'], params: ID_PARAMS, body: REVEAL_BODY, response: { 200: OBJECT, ...CHANGE_ERRORS } },
    }, async (request) => revealVisitAddress(work(handle.db), viewerOf(request), principalOf(request).role, (request.params as { id: string }).id, request.body));
    app.get('/collections/effectiveness', {
      config: { permission: 'collections:supervise' },
      schema: {
        summary: 'Effectiveness per channel, rung, arm and agent (last-touch attribution, 7 and 30 days)', tags: ['collections'],
        querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'], additionalProperties: false },
      },
    }, async (request) => {
      const query = request.query as { from: string; to: string };
      return effectivenessReport(handle.db, parseBusinessDate(query.from, 'from'), parseBusinessDate(query.to, 'to'), lenderTimeZone(dependencies));
    });
    for (const definition of changes) {
      app.post(definition.route, {
        config: { permission: definition.permission },
        schema: { summary: definition.summary, tags: ['collections'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: { ...OBJECT, nullable: true }, response: { 200: OBJECT, 201: OBJECT, ...CHANGE_ERRORS } },
      }, async (request, reply) => {
        const { id } = request.params as { id: string };
        const result = await runIdempotent(handle.db, { scope: `collections:${definition.scope}:${id}`, key: idempotencyKeyOf(request), body: request.body ?? {} },
          (transaction) => definition.run(transaction, request, id));
        return sendIdempotent(reply, result);
      });
    }
  };
};
