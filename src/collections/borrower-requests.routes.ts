import { runIdempotent } from '../db/idempotency.ts';
import { assertCanSeeBorrower } from '../http/auth.ts';
import { actorOf, CHANGE_ERRORS, ID_PARAMS, IDEMPOTENCY_HEADER, idempotencyKeyOf, principalOf, PROBLEM_SCHEMA, sendIdempotent, visibleLoan } from '../http/request-helpers.ts';
import type { RouteModule } from '../http/routes.ts';
import { LenityError } from '../shared/errors.ts';
import { CONTACT_PREFERENCES, CONTACT_PREFERENCES_BODY, DISPUTE, DISPUTE_BODY, DISPUTE_RESOLUTION_BODY } from './borrower-requests.schema.ts';
import { getContactPreferences, setContactPreferences } from './contact-preferences.service.ts';
import { getDispute, listDisputes, raiseDispute, resolveDispute } from './dispute.service.ts';

/**
 * What a borrower asks of collections for themself (staff may ask on their behalf): contact
 * preferences and disputes; and the staff's resolution of disputes. A borrower key reaches only
 * its own borrower and loans (others answer 404).
 */
export const borrowerRequestRoutes: RouteModule = (dependencies) => {
  const { handle, ids, clock } = dependencies;
  return async (app) => {
    app.get('/borrowers/:id/contact-preferences', {
      config: { permission: 'borrowers:read' },
      schema: { summary: "A borrower's contact preferences and their latest changes", tags: ['borrower requests'], params: ID_PARAMS, response: { 200: CONTACT_PREFERENCES, ...CHANGE_ERRORS } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      assertCanSeeBorrower(principalOf(request), id, 'borrower');
      return getContactPreferences(handle.db, id);
    });
    app.put('/borrowers/:id/contact-preferences', {
      config: { permission: 'contact-preferences:write' },
      schema: {
        summary: "Replace a borrower's contact preferences: opt-outs, inconvenient times, language, cease contact", tags: ['borrower requests'],
        params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: CONTACT_PREFERENCES_BODY, response: { 200: CONTACT_PREFERENCES, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      assertCanSeeBorrower(principalOf(request), id, 'borrower');
      const result = await runIdempotent(handle.db, { scope: `contact-preferences:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => setContactPreferences({ db: transaction, ids, clock }, actorOf(request), id, request.body));
      return sendIdempotent(reply, result);
    });

    app.post('/loans/:id/disputes', {
      config: { permission: 'disputes:raise' },
      schema: {
        summary: "Dispute a loan: its case is held (no collection contact) and ageing pauses until staff resolve it", tags: ['borrower requests'],
        params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: DISPUTE_BODY, response: { 201: DISPUTE, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      await visibleLoan(handle.db, request, id);
      const result = await runIdempotent(handle.db, { scope: `dispute:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => raiseDispute({ db: transaction, ids, clock }, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
    app.get('/loans/:id/disputes', {
      config: { permission: 'loans:read' },
      schema: { summary: "A loan's disputes, newest first", tags: ['borrower requests'], params: ID_PARAMS, response: { 200: { type: 'object', properties: { items: { type: 'array', items: DISPUTE } } }, ...CHANGE_ERRORS } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      await visibleLoan(handle.db, request, id);
      return { items: await listDisputes(handle.db, { loanId: id }) };
    });
    app.get('/disputes', {
      config: { permission: 'disputes:resolve' },
      schema: {
        summary: 'Disputes to work, newest first (at most 200)', tags: ['borrower requests'],
        querystring: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'upheld', 'rejected'] }, borrowerId: { type: 'string' } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: DISPUTE } } }, ...CHANGE_ERRORS },
      },
    }, async (request) => {
      const query = request.query as { status?: string; borrowerId?: string };
      return { items: await listDisputes(handle.db, query) };
    });
    app.get('/disputes/:id', {
      config: { permission: 'loans:read' },
      schema: { summary: 'One dispute', tags: ['borrower requests'], params: ID_PARAMS, response: { 200: DISPUTE, ...CHANGE_ERRORS } },
    }, async (request) => {
      const dispute = await getDispute(handle.db, (request.params as { id: string }).id);
      assertCanSeeBorrower(principalOf(request), dispute.borrowerId, 'dispute');
      return dispute;
    });
    app.post('/disputes/:id/resolve', {
      config: { permission: 'disputes:resolve' },
      schema: {
        summary: 'Resolve a dispute (upheld, optionally waiving charges, or rejected): the case returns to its status and ageing resumes', tags: ['borrower requests'],
        params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: DISPUTE_RESOLUTION_BODY, response: { 200: DISPUTE, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const result = await runIdempotent(handle.db, { scope: `dispute-resolution:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => resolveDispute({ db: transaction, ids, clock }, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
  };
};
