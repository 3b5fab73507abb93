import { runIdempotent } from '../db/idempotency.ts';
import { assertCanSeeBorrower } from '../http/auth.ts';
import { actorOf, CHANGE_ERRORS, ID_PARAMS, IDEMPOTENCY_HEADER, idempotencyKeyOf, principalOf, PROBLEM_SCHEMA, sendIdempotent, visibleLoan } from '../http/request-helpers.ts';
import type { RouteModule } from '../http/routes.ts';
import { assignComplaint, closeComplaint, COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, fileComplaint, getComplaint, listComplaints } from './complaint.service.ts';

const NULLABLE_STRING = { type: ['string', 'null'] } as const;

const COMPLAINT = {
  type: 'object',
  properties: {
    id: { type: 'string' }, borrowerId: { type: 'string' }, category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] }, text: { type: 'string' },
    caseId: NULLABLE_STRING, attemptId: NULLABLE_STRING, jurisdiction: { type: 'string' }, status: { type: 'string', enum: [...COMPLAINT_STATUSES] },
    filedBy: { type: 'string' }, filedOn: { type: 'string', format: 'date' }, dueOn: { type: 'string', format: 'date', description: 'The last date a final response is due' },
    deadlineRule: { type: 'string', description: 'The rule the deadline follows' }, overdue: { type: 'boolean', description: 'Not closed and past its due date' },
    assignedTo: NULLABLE_STRING, resolution: NULLABLE_STRING, closedBy: NULLABLE_STRING, closedOn: NULLABLE_STRING,
  },
} as const;
const LIST = { type: 'object', properties: { items: { type: 'array', items: COMPLAINT } } } as const;
const FILE_BODY = {
  type: 'object',
  properties: {
    category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] }, text: { type: 'string', minLength: 1, maxLength: 4000 },
    caseId: { type: 'string', description: 'Optional: the borrower\'s collections case it is about' },
    attemptId: { type: 'string', description: 'Optional: the contact attempt it is about' },
  },
  required: ['category', 'text'],
  additionalProperties: false,
} as const;

/**
 * Complaints: filed by a borrower for themself (or by staff for them), worked by compliance
 * officers (`compliance:read` to list, `compliance:write` to assign and close).
 */
export const complaintRoutes: RouteModule = (dependencies) => {
  const { handle, ids } = dependencies;
  return async (app) => {
    app.post('/borrowers/:id/complaints', {
      config: { permission: 'complaints:file' },
      schema: { summary: 'File a complaint (harassment, wrong amount, privacy, other); its deadline follows the borrower\'s jurisdiction', tags: ['complaints'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: FILE_BODY, response: { 201: COMPLAINT, ...CHANGE_ERRORS } },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      assertCanSeeBorrower(principalOf(request), id, 'borrower');
      const result = await runIdempotent(handle.db, { scope: `complaint:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => fileComplaint({ db: transaction, ids }, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
    app.get('/borrowers/:id/complaints', {
      config: { permission: 'borrowers:read' },
      schema: { summary: "A borrower's complaints and where each stands", tags: ['complaints'], params: ID_PARAMS, response: { 200: LIST, ...CHANGE_ERRORS } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      assertCanSeeBorrower(principalOf(request), id, 'borrower');
      return { items: await listComplaints(handle.db, { borrowerId: id }, dependencies.businessDate()) };
    });
    app.get('/complaints', {
      config: { permission: 'compliance:read' },
      schema: {
        summary: 'Complaints, the soonest due first (at most 200); overdue=true for those past their deadline', tags: ['complaints'],
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { status: { type: 'string', enum: [...COMPLAINT_STATUSES] }, borrowerId: { type: 'string' }, assignedTo: { type: 'string' }, overdue: { type: 'string', enum: ['true', 'false'] } },
        },
        response: { 200: LIST, ...CHANGE_ERRORS },
      },
    }, async (request) => {
      const query = request.query as { status?: string; borrowerId?: string; assignedTo?: string; overdue?: string };
      return { items: await listComplaints(handle.db, { ...query, overdue: query.overdue === 'true' }, dependencies.businessDate()) };
    });
    app.get('/complaints/:id', {
      config: { permission: 'compliance:read' },
      schema: { summary: 'One complaint', tags: ['complaints'], params: ID_PARAMS, response: { 200: COMPLAINT, ...CHANGE_ERRORS } },
    }, async (request) => getComplaint(handle.db, (request.params as { id: string }).id, dependencies.businessDate()));
    app.post('/complaints/:id/assign', {
      config: { permission: 'compliance:write' },
      schema: {
        summary: 'Assign a complaint to a handler', tags: ['complaints'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER,
        body: { type: 'object', properties: { assignee: { type: 'string', minLength: 1, description: 'The handler\'s key id' } }, required: ['assignee'], additionalProperties: false },
        response: { 200: COMPLAINT, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const result = await runIdempotent(handle.db, { scope: `complaint-assign:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => assignComplaint(transaction, id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
    app.post('/complaints/:id/close', {
      config: { permission: 'compliance:write' },
      schema: {
        summary: 'Close a complaint with its resolution', tags: ['complaints'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER,
        body: { type: 'object', properties: { resolution: { type: 'string', minLength: 1, maxLength: 4000 } }, required: ['resolution'], additionalProperties: false },
        response: { 200: COMPLAINT, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const result = await runIdempotent(handle.db, { scope: `complaint-close:${id}`, key: idempotencyKeyOf(request), body: request.body },
        (transaction) => closeComplaint(transaction, actorOf(request), id, dependencies.businessDate(), request.body));
      return sendIdempotent(reply, result);
    });
  };
};
