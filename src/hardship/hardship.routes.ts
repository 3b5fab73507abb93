import { runIdempotent } from '../db/idempotency.ts';
import { assertCanSeeBorrower } from '../http/auth.ts';
import { actorOf, CHANGE_ERRORS, ID_PARAMS, IDEMPOTENCY_HEADER, idempotencyKeyOf, principalOf, PROBLEM_SCHEMA, sendIdempotent, visibleLoan } from '../http/request-helpers.ts';
import type { RouteModule } from '../http/routes.ts';
import { LenityError } from '../shared/errors.ts';
import { HARDSHIP_DECISION_BODY, HARDSHIP_REQUEST, HARDSHIP_REQUEST_BODY, PREVIEW } from './hardship.schema.ts';
import { decideHardship, getHardshipRequest, listHardshipRequests, previewHardshipPlan, requestHardship } from './hardship.service.ts';

const LIST = { type: 'object', properties: { items: { type: 'array', items: HARDSHIP_REQUEST } } } as const;

/**
 * Hardship plans: a borrower (or staff on their behalf) previews and asks for a plan on their loan
 * and follows its status; supervisors list the requests under review and decide them.
 */
export const hardshipRoutes: RouteModule = (dependencies) => {
  const { handle, ids, clock } = dependencies;
  return async (app) => {
    app.post('/loans/:id/hardship-plans/preview', {
      config: { permission: 'hardship:request' },
      schema: {
        summary: 'Preview a hardship plan: the schedule it would give the loan today and whether it is affordable (changes nothing)', tags: ['hardship'],
        params: ID_PARAMS, body: HARDSHIP_REQUEST_BODY, response: { 200: PREVIEW, ...CHANGE_ERRORS },
      },
    }, async (request) => {
      const { id } = request.params as { id: string };
      await visibleLoan(handle.db, request, id);
      return previewHardshipPlan(handle.db, id, dependencies.businessDate(), request.body);
    });
    app.post('/loans/:id/hardship-requests', {
      config: { permission: 'hardship:request' },
      schema: {
        summary: 'Ask for a hardship plan: the case goes to hardship review and ageing pauses until a supervisor decides', tags: ['hardship'],
        params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: HARDSHIP_REQUEST_BODY, response: { 201: HARDSHIP_REQUEST, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      await visibleLoan(handle.db, request, id);
      const result = await runIdempotent(handle.db, { scope: `hardship-request:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => requestHardship({ db: transaction, ids, clock }, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
    app.get('/loans/:id/hardship-requests', {
      config: { permission: 'loans:read' },
      schema: { summary: "A loan's hardship requests and their status, newest first", tags: ['hardship'], params: ID_PARAMS, response: { 200: LIST, ...CHANGE_ERRORS } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      await visibleLoan(handle.db, request, id);
      return { items: await listHardshipRequests(handle.db, { loanId: id }) };
    });
    app.get('/hardship-requests', {
      config: { permission: 'hardship:decide' },
      schema: {
        summary: 'Hardship requests to decide, newest first (at most 200)', tags: ['hardship'],
        querystring: { type: 'object', properties: { status: { type: 'string', enum: ['requested', 'approved', 'declined'] }, borrowerId: { type: 'string' } }, additionalProperties: false },
        response: { 200: LIST, ...CHANGE_ERRORS },
      },
    }, async (request) => ({ items: await listHardshipRequests(handle.db, request.query as { status?: string; borrowerId?: string }) }));
    app.get('/hardship-requests/:id', {
      config: { permission: 'loans:read' },
      schema: { summary: 'One hardship request with its proposal and decision', tags: ['hardship'], params: ID_PARAMS, response: { 200: HARDSHIP_REQUEST, ...CHANGE_ERRORS } },
    }, async (request) => {
      const found = await getHardshipRequest(handle.db, (request.params as { id: string }).id);
      assertCanSeeBorrower(principalOf(request), found.borrowerId, 'hardship request');
      return found;
    });
    app.post('/hardship-requests/:id/decision', {
      config: { permission: 'hardship:decide' },
      schema: {
        summary: 'Approve (the loan is rescheduled, the case returns to open) or decline a hardship request, with a reason; ageing resumes', tags: ['hardship'],
        params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: HARDSHIP_DECISION_BODY, response: { 200: HARDSHIP_REQUEST, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const result = await runIdempotent(handle.db, { scope: `hardship-decision:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => decideHardship({ db: transaction, ids, clock }, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
  };
};
