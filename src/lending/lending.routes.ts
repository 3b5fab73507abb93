import type { FastifyPluginAsync } from 'fastify';
import type { RouteModule } from '../http/routes.ts';
import { assertCanSeeBorrower } from '../http/auth.ts';
import { roleHasPermission } from '../http/permissions.ts';
import { CHANGE_ERRORS, ID_PARAMS, IDEMPOTENCY_HEADER, idempotencyKeyOf, pageOf, principalOf, PROBLEM_SCHEMA, sendIdempotent } from '../http/request-helpers.ts';
import { parseBusinessDate } from '../shared/business-date.ts';
import { LenityError } from '../shared/errors.ts';
import { readObject, readOptionalString, readString } from '../shared/input.ts';
import { createBorrower, getBorrower, listPersonalDataAccess } from './borrower.service.ts';
import { findLoan } from './loan.store.ts';
import { formatLoanSummary } from './loan-view.ts';
import {
  addCharge, approveLoan, createLoan, disburseLoan, getLoan, getPayoffQuote, parseChargeBody, parsePaymentBody, postPayment, reversePayment,
  waiveCharge, writeOffLoan,
} from './loan.service.ts';
import { createProduct, getProduct, listProducts } from './product.service.ts';
import { formatProduct } from './product.ts';
import { MAX_BATCH_PAYMENTS, parsePaymentBatch, postPaymentBatch } from './payment-batch.service.ts';
import { STATUS_BY_CODE } from '../http/problem.ts';

const OBJECT = { type: 'object', additionalProperties: true } as const;

/**
 * Products, borrowers, loans, payments, charges: the servicing API. Borrower keys see only their
 * own records; money-moving requests need an Idempotency-Key.
 */
export const lendingRoutes: RouteModule = (dependencies) => {
  const { handle, ids, clock } = dependencies;
  const services = { db: handle.db, ids };
  const plugin: FastifyPluginAsync = async (app) => {
    app.post('/products', { config: { permission: 'products:write' }, schema: { summary: 'Create a loan product', tags: ['products'], body: OBJECT, response: { 201: OBJECT, ...CHANGE_ERRORS } } }, async (request, reply) => {
      return reply.status(201).send(await createProduct(handle.db, ids, request.body, dependencies.businessDate()));
    });
    app.get('/products', { config: { permission: 'products:read' }, schema: { summary: 'List products', tags: ['products'] } }, async () => ({ items: await listProducts(handle.db) }));
    app.get('/products/:id', { config: { permission: 'products:read' }, schema: { summary: 'Get a product', tags: ['products'], params: ID_PARAMS } }, async (request) => {
      const { id } = request.params as { id: string };
      const product = await getProduct(handle.db, id);
      return { id, ...formatProduct(product.product), active: product.active };
    });

    app.post('/borrowers', { config: { permission: 'borrowers:write' }, schema: { summary: 'Register a borrower', tags: ['borrowers'], body: OBJECT, response: { 201: OBJECT, ...CHANGE_ERRORS } } }, async (request, reply) => {
      return reply.status(201).send(await createBorrower(handle.db, ids, request.body));
    });
    app.get('/borrowers/:id', {
      config: { permission: 'borrowers:read' },
      schema: {
        summary: 'Get a borrower (personal data masked unless unmask=true with a reason, for roles that may)',
        tags: ['borrowers'],
        params: ID_PARAMS,
        querystring: { type: 'object', properties: { unmask: { type: 'string', enum: ['true', 'false'] }, reason: { type: 'string' } }, additionalProperties: false },
      },
    }, async (request) => {
      const { id } = request.params as { id: string };
      const query = request.query as { unmask?: string; reason?: string };
      const principal = principalOf(request);
      assertCanSeeBorrower(principal, id, 'borrower');
      return getBorrower(handle.db, clock, id, { keyId: principal.keyId, role: principal.role, mayUnmask: roleHasPermission(principal.role, 'borrowers:read-unmasked') }, { unmask: query.unmask === 'true', reason: query.reason ?? null });
    });
    app.get('/borrowers/:id/personal-data-access', { config: { permission: 'compliance:read' }, schema: { summary: 'Who saw this borrower unmasked, when and why', tags: ['borrowers'], params: ID_PARAMS } }, async (request) => {
      const { id } = request.params as { id: string };
      return { items: await listPersonalDataAccess(handle.db, id) };
    });

    app.get('/loans', {
      config: { permission: 'loans:read' },
      schema: {
        summary: 'List loans (a borrower key lists its own)',
        tags: ['loans'],
        querystring: { type: 'object', properties: { borrowerId: { type: 'string' }, status: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } }, additionalProperties: false },
      },
    }, async (request) => {
      const query = request.query as { borrowerId?: string; status?: string; cursor?: string; limit?: string };
      const principal = principalOf(request);
      const borrowerId = principal.role === 'borrower' ? principal.borrowerId! : query.borrowerId;
      const page = pageOf(query);
      let select = handle.db.selectFrom('loan').selectAll().where('id', '>', page.cursor).orderBy('id').limit(page.limit + 1);
      if (borrowerId) select = select.where('borrower_id', '=', borrowerId);
      if (query.status) select = select.where('status', '=', query.status);
      const rows = await select.execute();
      const businessDate = dependencies.businessDate();
      const items = rows.slice(0, page.limit).map((row) => formatLoanSummary(row, businessDate));
      return { items, nextCursor: rows.length > page.limit ? items.at(-1)!.id : null };
    });
    app.post('/loans', { config: { permission: 'loans:write' }, schema: { summary: 'Apply for a loan', tags: ['loans'], body: OBJECT, response: { 201: OBJECT, ...CHANGE_ERRORS } } }, async (request, reply) => {
      return reply.status(201).send(await createLoan(services, request.body, dependencies.businessDate()));
    });

    async function visibleLoan(id: string, principal: ReturnType<typeof principalOf>) {
      const loan = await findLoan(handle.db, id);
      if (!loan) throw new LenityError('NOT_FOUND', `Loan ${id} does not exist`);
      assertCanSeeBorrower(principal, loan.borrower_id, 'loan');
      return loan;
    }

    app.get('/loans/:id', { config: { permission: 'loans:read' }, schema: { summary: 'A loan with its schedule, balances and transactions', tags: ['loans'], params: ID_PARAMS } }, async (request) => {
      const { id } = request.params as { id: string };
      await visibleLoan(id, principalOf(request));
      return getLoan(handle.db, id, dependencies.businessDate());
    });
    app.get('/loans/:id/payoff-quote', {
      config: { permission: 'loans:read' },
      schema: { summary: 'What it takes to close the loan on a date', tags: ['loans'], params: ID_PARAMS, querystring: { type: 'object', properties: { date: { type: 'string' } }, additionalProperties: false } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      await visibleLoan(id, principalOf(request));
      const { date } = request.query as { date?: string };
      return getPayoffQuote(handle.db, id, date ? parseBusinessDate(date, 'date') : dependencies.businessDate());
    });
    app.post('/loans/:id/approve', { config: { permission: 'loans:write' }, schema: { summary: 'Approve a submitted loan', tags: ['loans'], params: ID_PARAMS } }, async (request) => {
      const { id } = request.params as { id: string };
      return approveLoan(services, id, dependencies.businessDate());
    });
    app.post('/loans/:id/disburse', {
      config: { permission: 'loans:write' },
      schema: { summary: 'Disburse an approved loan', tags: ['loans'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: { type: ['object', 'null'], properties: { date: { type: 'string' } }, additionalProperties: false } },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { date?: string };
      const result = await disburseLoan(services, id, { businessDate: dependencies.businessDate(), idempotencyKey: idempotencyKeyOf(request), date: body.date ? parseBusinessDate(body.date, 'date') : undefined });
      return sendIdempotent(reply, result);
    });
    app.post('/loans/:id/payments', {
      config: { permission: 'payments:write' },
      schema: {
        summary: 'Post a payment (allocated by the product waterfall)',
        tags: ['payments'],
        params: ID_PARAMS,
        headers: IDEMPOTENCY_HEADER,
        body: { type: 'object', properties: { amount: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' } }, required: ['amount'], additionalProperties: false },
        response: { 201: OBJECT, ...CHANGE_ERRORS },
      },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      await visibleLoan(id, principalOf(request));
      const body = parsePaymentBody(request.body);
      const result = await postPayment(services, id, { ...body, idempotencyKey: idempotencyKeyOf(request), businessDate: dependencies.businessDate() });
      return sendIdempotent(reply, result);
    });
    app.post('/payment-batches', {
      config: { permission: 'payments:import' },
      schema: {
        summary: 'Post a file of payments (each line with its own idempotency key); lines are answered one by one',
        tags: ['payments'],
        body: {
          type: 'object',
          required: ['payments'],
          additionalProperties: false,
          properties: {
            payments: {
              type: 'array',
              maxItems: MAX_BATCH_PAYMENTS,
              items: {
                type: 'object', required: ['loanId', 'amount', 'idempotencyKey'], additionalProperties: false,
                properties: { loanId: { type: 'string' }, amount: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' }, idempotencyKey: { type: 'string' } },
              },
            },
          },
        },
        response: { 200: OBJECT, ...CHANGE_ERRORS },
      },
    }, async (request) => {
      const payments = parsePaymentBatch(request.body, principalOf(request).keyId);
      const result = await postPaymentBatch(services, { businessDate: dependencies.businessDate(), payments });
      return {
        ...result,
        payments: result.payments.map((outcome) => (outcome.outcome === 'refused' ? { ...outcome, status: STATUS_BY_CODE[outcome.code] } : outcome)),
      };
    });
    app.post('/loans/:id/payments/:paymentId/reversal', {
      config: { permission: 'payments:reverse' },
      schema: { summary: 'Reverse a payment; later payments are re-applied', tags: ['payments'], headers: IDEMPOTENCY_HEADER, body: { type: ['object', 'null'], properties: { note: { type: 'string' } }, additionalProperties: false } },
    }, async (request, reply) => {
      const { id, paymentId } = request.params as { id: string; paymentId: string };
      const note = ((request.body ?? {}) as { note?: string }).note ?? null;
      return sendIdempotent(reply, await reversePayment(services, id, paymentId, { idempotencyKey: idempotencyKeyOf(request), businessDate: dependencies.businessDate(), note }));
    });
    app.post('/loans/:id/charges', {
      config: { permission: 'charges:write' },
      schema: { summary: 'Charge a fee or penalty', tags: ['charges'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: OBJECT },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = parseChargeBody(request.body);
      return sendIdempotent(reply, await addCharge(services, id, { ...body, idempotencyKey: idempotencyKeyOf(request), businessDate: dependencies.businessDate() }));
    });
    app.post('/loans/:id/charges/:chargeId/waiver', {
      config: { permission: 'charges:waive' },
      schema: { summary: 'Waive what is owed of a charge', tags: ['charges'], headers: IDEMPOTENCY_HEADER, body: OBJECT },
    }, async (request, reply) => {
      const { id, chargeId } = request.params as { id: string; chargeId: string };
      const body = readObject(request.body ?? {}, '', ['amount', 'reason']);
      return sendIdempotent(reply, await waiveCharge(services, id, chargeId, { amount: readOptionalString(body, 'amount', ''), reason: readString(body, 'reason', ''), idempotencyKey: idempotencyKeyOf(request), businessDate: dependencies.businessDate() }));
    });
    app.post('/loans/:id/write-off', {
      config: { permission: 'loans:write-off' },
      schema: { summary: 'Write the loan off', tags: ['loans'], params: ID_PARAMS, headers: IDEMPOTENCY_HEADER, body: OBJECT },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = readObject(request.body ?? {}, '', ['reason']);
      return sendIdempotent(reply, await writeOffLoan(services, id, { reason: readString(body, 'reason', ''), idempotencyKey: idempotencyKeyOf(request), businessDate: dependencies.businessDate() }));
    });
  };
  return plugin;
};
