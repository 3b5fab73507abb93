import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotentOutcome } from '../db/idempotency.ts';
import type { Executor } from '../db/transaction.ts';
import { LenityError } from '../shared/errors.ts';
import { assertCanSeeBorrower, type Principal } from './auth.ts';

/** The authenticated caller (every non-public route has one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new LenityError('UNAUTHENTICATED', 'An API key is required');
  return request.principal;
}

/** Who is asking, as services record it: the key (or user) and its role. */
export function actorOf(request: FastifyRequest): { keyId: string; role: string } {
  const principal = principalOf(request);
  return { keyId: principal.keyId, role: principal.role };
}

/**
 * The loan a request names, when the caller may see it: a borrower reaches only their own loans
 * (another's answers 404, as if it did not exist).
 */
export async function visibleLoan(db: Executor, request: FastifyRequest, loanId: string): Promise<{ id: string; borrower_id: string }> {
  const loan = await db.selectFrom('loan').select(['id', 'borrower_id']).where('id', '=', loanId).executeTakeFirst();
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  assertCanSeeBorrower(principalOf(request), loan.borrower_id, 'loan');
  return loan;
}

/** The Idempotency-Key header, required on every request that moves money or changes a case. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.trim().length === 0) {
    throw new LenityError('IDEMPOTENCY_KEY_REQUIRED', 'This request moves money or changes a case: send an Idempotency-Key header', { field: 'Idempotency-Key' });
  }
  return `${principalOf(request).keyId}:${key.trim()}`;
}

export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details with a stable code',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, field: { type: 'string' },
  },
  // Extensions (a lockout's `retryAfter`, why a session ended) reach the caller too.
  additionalProperties: true,
} as const;

/** Cursor pagination parameters: an opaque cursor (the last id seen) and a bounded page size. */
export function pageOf(query: { cursor?: string; limit?: string }): { cursor: string; limit: number } {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new LenityError('VALIDATION_FAILED', 'limit: must be an integer from 1 to 200', { field: 'limit' });
  return { cursor: query.cursor ?? '', limit };
}

/** Route parameters of a route addressed by one id (`/…/:id`). */
export const ID_PARAMS = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

/** The `Idempotency-Key` header of a route that moves money or changes a case. */
export const IDEMPOTENCY_HEADER = { type: 'object', properties: { 'idempotency-key': { type: 'string', description: 'Required: a retry with the same key returns the first result' } } } as const;

/** The problems a route that changes something may answer with. */
export const CHANGE_ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA, 404: PROBLEM_SCHEMA, 409: PROBLEM_SCHEMA, 422: PROBLEM_SCHEMA } as const;

/**
 * Sends the outcome of an idempotent request, saying in `Idempotent-Replayed` whether it is the
 * first answer or a replay of it.
 *
 * @example return sendIdempotent(reply, await runIdempotent(db, scope, work));
 */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentOutcome<T>) {
  void reply.header('Idempotent-Replayed', result.outcome === 'replayed' ? 'true' : 'false');
  return reply.status(result.status).send(result.body);
}
