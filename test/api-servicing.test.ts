import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe(`servicing API on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let admin: Record<string, string>;
  let productId: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
    admin = await server.headersFor('admin');
    const product = await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: personalLoanProduct() });
    expect(product.statusCode).toBe(201);
    productId = product.json().id;
  });
  afterAll(async () => {
    await server.app.close();
    await handle.close();
  });

  async function newBorrower(name = '李雷') {
    const response = await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput({ fullName: name }) });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  }

  async function activeLoan(borrowerId: string, principal = '6000.00') {
    const created = await server.app.inject({ method: 'POST', url: '/v1/loans', headers: admin, payload: { borrowerId, productId, principal, numberOfRepayments: 6 } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await server.app.inject({ method: 'POST', url: `/v1/loans/${id}/approve`, headers: admin })).statusCode).toBe(200);
    const disbursed = await server.app.inject({ method: 'POST', url: `/v1/loans/${id}/disburse`, headers: { ...admin, 'idempotency-key': `d-${id}` } });
    expect(disbursed.statusCode, disbursed.body).toBe(201);
    return id;
  }

  it('answers problems: 401 without a key, 403 without the permission, 404 for unknown routes', async () => {
    const anonymous = await server.app.inject({ method: 'GET', url: '/v1/products' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const agent = await server.headersFor('agent');
    const forbidden = await server.app.inject({ method: 'POST', url: '/v1/products', headers: agent, payload: personalLoanProduct() });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
    const missing = await server.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: agent });
    expect(missing.statusCode).toBe(404);
  });

  it('names the bad field in a 400 problem and writes nothing', async () => {
    const before = await handle.db.selectFrom('product').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [personalLoanProduct({ terms: { currency: 'XXX', annualRate: '18', numberOfRepayments: 12 } }), 'UNKNOWN_CURRENCY', 'terms.currency'],
      [personalLoanProduct({ principalRange: { min: '-1.00', max: '10.00' } }), 'INVALID_AMOUNT', 'principalRange.min'],
      [personalLoanProduct({ principalRange: { min: '1.001', max: '10.00' } }), 'INVALID_AMOUNT', 'principalRange.min'],
      [personalLoanProduct({ flavour: 'vanilla' }), 'UNKNOWN_FIELD', 'flavour'],
      [personalLoanProduct({ terms: { currency: 'CNY', annualRate: '40', numberOfRepayments: 12 } }), 'RATE_CAP_EXCEEDED', 'rateCap'],
    ];
    for (const [payload, code, field] of cases) {
      const response = await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload });
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code, field });
      expect(response.statusCode).toBe(code === 'RATE_CAP_EXCEEDED' ? 422 : 400);
    }
    const after = await handle.db.selectFrom('product').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    expect(after.count).toEqual(before.count);
  });

  it('lets a borrower see and pay only their own loans, idempotently', async () => {
    const mine = await newBorrower('韩梅梅');
    const other = await newBorrower('张三');
    const myLoan = await activeLoan(mine);
    const otherLoan = await activeLoan(other);
    const borrower = await server.headersFor('borrower', mine);
    expect((await server.app.inject({ method: 'GET', url: `/v1/loans/${myLoan}`, headers: borrower })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: `/v1/loans/${otherLoan}`, headers: borrower })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: `/v1/borrowers/${other}`, headers: borrower })).statusCode).toBe(404);
    const list = await server.app.inject({ method: 'GET', url: `/v1/loans?borrowerId=${other}`, headers: borrower });
    expect(list.json().items.map((loan: { id: string }) => loan.id)).toEqual([myLoan]);
    const payOther = await server.app.inject({ method: 'POST', url: `/v1/loans/${otherLoan}/payments`, headers: { ...borrower, 'idempotency-key': 'x' }, payload: { amount: '10.00' } });
    expect(payOther.statusCode).toBe(404);

    const noKey = await server.app.inject({ method: 'POST', url: `/v1/loans/${myLoan}/payments`, headers: borrower, payload: { amount: '100.00' } });
    expect(noKey.json()).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
    const pay = () => server.app.inject({ method: 'POST', url: `/v1/loans/${myLoan}/payments`, headers: { ...borrower, 'idempotency-key': 'pay-1' }, payload: { amount: '100.00' } });
    const first = await pay();
    const retry = await pay();
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const changed = await server.app.inject({ method: 'POST', url: `/v1/loans/${myLoan}/payments`, headers: { ...borrower, 'idempotency-key': 'pay-1' }, payload: { amount: '200.00' } });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const tooPrecise = await server.app.inject({ method: 'POST', url: `/v1/loans/${myLoan}/payments`, headers: { ...borrower, 'idempotency-key': 'pay-2' }, payload: { amount: '1.005' } });
    expect(tooPrecise.json()).toMatchObject({ status: 400, code: 'INVALID_AMOUNT', field: 'amount' });
    const reversal = await server.app.inject({ method: 'POST', url: `/v1/loans/${myLoan}/payments/${first.json().id}/reversal`, headers: { ...borrower, 'idempotency-key': 'r' } });
    expect(reversal.statusCode).toBe(403);
  });

  it('masks personal data, and audits every unmasked view with its reason', async () => {
    const borrowerId = await newBorrower('欧阳娜娜');
    const agent = await server.headersFor('agent');
    const masked = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}`, headers: agent });
    expect(masked.json()).toMatchObject({ masked: true, fullName: '欧***' });
    expect(masked.json().nationalId).toBe('**************1234');
    const refused = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true&reason=need%20it`, headers: agent });
    expect(refused.statusCode).toBe(403);
    const compliance = await server.headersFor('compliance');
    const noReason = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true`, headers: compliance });
    expect(noReason.json()).toMatchObject({ status: 400, field: 'reason' });
    const unmasked = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true&reason=complaint%20C-1042`, headers: compliance });
    expect(unmasked.json()).toMatchObject({ masked: false, fullName: '欧阳娜娜' });
    const audit = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}/personal-data-access`, headers: compliance });
    expect(audit.json().items).toHaveLength(1);
    expect(audit.json().items[0]).toMatchObject({ role: 'compliance', reason: 'complaint C-1042' });
  });

  it('keeps balances and ledger consistent under 50 concurrent payments on one loan', async () => {
    const borrowerId = await newBorrower('并发');
    const loanId = await activeLoan(borrowerId, '50000.00');
    const integration = await server.headersFor('integration');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        server.app.inject({ method: 'POST', url: `/v1/loans/${loanId}/payments`, headers: { ...integration, 'idempotency-key': `c-${index}` }, payload: { amount: '37.11' } }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(50).fill(201));
    const loan = (await server.app.inject({ method: 'GET', url: `/v1/loans/${loanId}`, headers: integration })).json();
    expect(loan.transactions.filter((transaction: { kind: string }) => transaction.kind === 'payment')).toHaveLength(50);
    const paid = loan.installments.reduce((total: bigint, installment: { paid: string }) => total + BigInt(installment.paid.replace('.', '')), 0n);
    expect(paid).toBe(50n * 3711n);
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);
  });

  it('serves the OpenAPI 3.1 document at /docs', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/loans/{id}/payments', '/v1/schedules/preview']));
  });
});

describe(`loan listing on ${DATABASE_KIND}`, () => {
  it('pages through loans with a cursor and refuses a bad limit', async () => {
    const handle = await openTestDatabase();
    const server = await startTestServer(handle);
    try {
      const admin = await server.headersFor('admin');
      const product = (await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: personalLoanProduct() })).json();
      const borrower = (await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput() })).json();
      for (let index = 0; index < 5; index++) {
        await server.app.inject({ method: 'POST', url: '/v1/loans', headers: admin, payload: { borrowerId: borrower.id, productId: product.id, principal: '2000.00', numberOfRepayments: 6 } });
      }
      const first = (await server.app.inject({ method: 'GET', url: '/v1/loans?limit=2', headers: admin })).json();
      expect(first.items).toHaveLength(2);
      const second = (await server.app.inject({ method: 'GET', url: `/v1/loans?limit=2&cursor=${first.nextCursor}`, headers: admin })).json();
      const third = (await server.app.inject({ method: 'GET', url: `/v1/loans?limit=2&cursor=${second.nextCursor}`, headers: admin })).json();
      expect([...first.items, ...second.items, ...third.items].map((loan: { id: string }) => loan.id)).toHaveLength(5);
      expect(third.nextCursor).toBeNull();
      const bad = await server.app.inject({ method: 'GET', url: '/v1/loans?limit=0', headers: admin });
      expect(bad.json()).toMatchObject({ status: 400, field: 'limit' });
    } finally {
      await server.app.close();
      await handle.close();
    }
  });
});
