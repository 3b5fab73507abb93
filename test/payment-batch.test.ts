import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import type { BusinessDate } from '../src/shared/business-date.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, getLoan, postPayment } from '../src/lending/loan.service.ts';
import { postPaymentBatch } from '../src/lending/payment-batch.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { loanAccountBalances } from '../src/ledger/journal.store.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct, testDependencies } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;

/** What two loans must share after the same payments, whichever path posted them (ids aside). */
async function comparableLoan(handle: DatabaseHandle, loanId: string, date: BusinessDate) {
  const loan = await getLoan(handle.db, loanId, date);
  const row = await handle.db.selectFrom('loan').select(['days_past_due', 'delinquent_days', 'bucket', 'next_event_date', 'oldest_unpaid_due_date']).where('id', '=', loanId).executeTakeFirstOrThrow();
  const events = await handle.db.selectFrom('domain_event').select(['kind', 'business_date']).where('loan_id', '=', loanId).orderBy('sequence').execute();
  return {
    status: loan.status,
    outstanding: loan.outstanding,
    installments: loan.installments,
    classification: row,
    payments: loan.transactions.filter((transaction) => transaction.kind === 'payment').map((transaction) => [transaction.amount, transaction.date, transaction.allocation]),
    ledger: await loanAccountBalances(handle.db, loanId),
    events: events.map((event) => `${event.kind}@${String(event.business_date)}`),
  };
}

describe(`payment batches on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  const { ids } = testDependencies(5);
  let productId: string;
  let borrowerId: string;
  let keys = 0;

  beforeAll(async () => {
    handle = await openTestDatabase();
    productId = (await createProduct(handle.db, ids, personalLoanProduct(), day('2026-01-05'))).id;
    borrowerId = (await createBorrower(handle.db, ids, borrowerInput())).id;
  });
  afterAll(async () => handle.close());

  async function activeLoan(principal = '12000.00') {
    const dependencies = { db: handle.db, ids };
    const loan = await createLoan(dependencies, { borrowerId, productId, principal }, day('2026-01-05'));
    await approveLoan(dependencies, loan.id, day('2026-01-05'));
    await disburseLoan(dependencies, loan.id, { businessDate: day('2026-01-05'), idempotencyKey: `disburse-${loan.id}` });
    return loan.id;
  }

  async function expectVerified() {
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);
  }

  it('posts a batch exactly as one payment after another would, loan by loan', async () => {
    // Partial, one installment, several installments, a late payment that cures, a payoff that closes.
    const amounts = ['300.00', '1220.00', '3000.00', '1220.00', '20000.00'];
    const dates = ['2026-02-05', '2026-02-05', '2026-02-05', '2026-03-20', '2026-02-05'];
    const one: string[] = [];
    const batch: string[] = [];
    for (const _ of amounts) {
      one.push(await activeLoan());
      batch.push(await activeLoan());
    }
    const dependencies = { db: handle.db, ids };
    const businessDate = day('2026-03-20');
    for (const [index, loanId] of one.entries()) {
      await postPayment(dependencies, loanId, { amount: amounts[index]!, date: dates[index]!, idempotencyKey: `one-${loanId}`, businessDate });
    }
    const result = await postPaymentBatch(dependencies, {
      businessDate,
      payments: batch.map((loanId, index) => ({ loanId, amount: amounts[index]!, date: dates[index]!, idempotencyKey: `batch-${loanId}` })),
    });
    expect(result).toMatchObject({ created: amounts.length, replayed: 0, refused: 0 });
    for (const index of amounts.keys()) {
      expect(await comparableLoan(handle, batch[index]!, businessDate)).toEqual(await comparableLoan(handle, one[index]!, businessDate));
    }
    expect((await getLoan(handle.db, batch[4]!, businessDate)).status).toBe('closed');
    await expectVerified();
  });

  it('allocates any amounts like the one-by-one path (property)', async () => {
    const dependencies = { db: handle.db, ids };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 1_500_000 }), { minLength: 1, maxLength: 4 }), async (amountsMinor) => {
        const pairs: Array<[string, string]> = [];
        for (const _ of amountsMinor) pairs.push([await activeLoan('9000.00'), await activeLoan('9000.00')]);
        const businessDate = day('2026-02-09');
        const amount = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
        for (const [index, [single]] of pairs.entries()) await postPayment(dependencies, single, { amount: amount(amountsMinor[index]!), idempotencyKey: `p-${single}`, businessDate });
        const result = await postPaymentBatch(dependencies, { businessDate, payments: pairs.map(([, batched], index) => ({ loanId: batched, amount: amount(amountsMinor[index]!), idempotencyKey: `p-${batched}` })) });
        expect(result.created).toBe(amountsMinor.length);
        for (const [single, batched] of pairs) expect(await comparableLoan(handle, batched, businessDate)).toEqual(await comparableLoan(handle, single, businessDate));
      }),
      { numRuns: 4 },
    );
    await expectVerified();
  });

  it('moves money once when the same file arrives twice at the same time', async () => {
    const dependencies = { db: handle.db, ids };
    const loans = [await activeLoan(), await activeLoan(), await activeLoan()];
    const businessDate = day('2026-02-05');
    const payments = loans.map((loanId) => ({ loanId, amount: '1220.00', idempotencyKey: `twice-${loanId}` }));
    const [first, second] = await Promise.all([postPaymentBatch(dependencies, { businessDate, payments }), postPaymentBatch(dependencies, { businessDate, payments })]);
    expect(first.created + second.created).toBe(3);
    expect(first.replayed + second.replayed).toBe(3);
    for (const loanId of loans) {
      expect((await getLoan(handle.db, loanId, businessDate)).transactions.filter((transaction) => transaction.kind === 'payment')).toHaveLength(1);
    }
    await expectVerified();
  });

  it('answers every line: replays, refusals, a second payment to a loan and a back-dated one', async () => {
    const dependencies = { db: handle.db, ids };
    const [first, second, closed] = [await activeLoan(), await activeLoan(), await activeLoan('1000.00')];
    const businessDate = day('2026-03-05');
    await postPayment(dependencies, first, { amount: '1220.00', idempotencyKey: 'before-batch', businessDate });
    await postPayment(dependencies, closed, { amount: '5000.00', idempotencyKey: 'pay-off', businessDate });
    const key = () => `line-${++keys}`;
    const lines = [
      { loanId: second, amount: '1220.00', idempotencyKey: key() },
      { loanId: 'loan_missing', amount: '10.00', idempotencyKey: key() },
      { loanId: closed, amount: '10.00', idempotencyKey: key() },
      { loanId: first, amount: 'ten', idempotencyKey: key() },
      { loanId: second, amount: '100.00', idempotencyKey: key() },
      { loanId: first, amount: '1220.00', idempotencyKey: 'before-batch' },
      { loanId: first, amount: '500.00', date: '2026-02-05', idempotencyKey: key() },
      { loanId: second, amount: '999.00', idempotencyKey: 'reused', note: 'first' },
    ];
    const result = await postPaymentBatch(dependencies, { businessDate, payments: lines });
    expect(result.payments.map((line) => [line.line, line.outcome, 'code' in line ? line.code : null])).toEqual([
      [0, 'created', null],
      [1, 'refused', 'NOT_FOUND'],
      [2, 'refused', 'INVALID_STATE'],
      [3, 'refused', 'INVALID_AMOUNT'],
      [4, 'created', null],
      [5, 'replayed', null],
      [6, 'created', null],
      [7, 'created', null],
    ]);
    expect(result).toMatchObject({ created: 4, replayed: 1, refused: 3 });
    // The back-dated payment was applied before the later one, which was re-split.
    const loan = await getLoan(handle.db, first, businessDate);
    expect(loan.transactions.filter((transaction) => transaction.kind === 'payment').map((transaction) => transaction.date).sort()).toEqual(['2026-02-05', '2026-03-05']);
    // The same batch again: every line that went through is a replay, and nothing moves twice.
    const again = await postPaymentBatch(dependencies, { businessDate, payments: lines });
    expect(again).toMatchObject({ created: 0, replayed: 5, refused: 3 });
    expect(again.payments[0]).toEqual({ ...result.payments[0], outcome: 'replayed' });
    const reused = await postPaymentBatch(dependencies, { businessDate, payments: [{ loanId: second, amount: '999.00', idempotencyKey: 'reused', note: 'another' }] });
    expect(reused.payments[0]).toMatchObject({ outcome: 'refused', code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await getLoan(handle.db, second, businessDate)).transactions.filter((transaction) => transaction.kind === 'payment')).toHaveLength(3);
    await expectVerified();
  });
});

describe(`payment batch API on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
  });
  afterAll(async () => {
    await server.app.close();
    await handle.close();
  });

  it('takes a file of payments from an integration, and refuses agents and borrowers', async () => {
    const admin = await server.headersFor('admin');
    const product = await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: personalLoanProduct() });
    const borrower = await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput() });
    const borrowerId = borrower.json().id as string;
    const created = await server.app.inject({ method: 'POST', url: '/v1/loans', headers: admin, payload: { borrowerId, productId: product.json().id, principal: '6000.00', numberOfRepayments: 6 } });
    const loanId = created.json().id as string;
    await server.app.inject({ method: 'POST', url: `/v1/loans/${loanId}/approve`, headers: admin });
    await server.app.inject({ method: 'POST', url: `/v1/loans/${loanId}/disburse`, headers: { ...admin, 'idempotency-key': 'd-1' } });
    const payload = { payments: [{ loanId, amount: '100.00', idempotencyKey: 'bank-file-7-line-1' }, { loanId: 'loan_nope', amount: '1.00', idempotencyKey: 'bank-file-7-line-2' }] };

    for (const role of ['agent', 'supervisor'] as const) {
      const refused = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: await server.headersFor(role), payload });
      expect(refused.statusCode, role).toBe(403);
    }
    const ownKey = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: await server.headersFor('borrower', borrowerId), payload });
    expect(ownKey.statusCode).toBe(403);

    const integration = await server.headersFor('integration');
    const response = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: integration, payload });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ created: 1, refused: 1, payments: [{ outcome: 'created', status: 201 }, { outcome: 'refused', status: 404, code: 'NOT_FOUND' }] });
    const replay = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: integration, payload });
    expect(replay.json()).toMatchObject({ created: 0, replayed: 1 });

    const bad = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: integration, payload: { payments: [{ loanId, amount: '1.00', idempotencyKey: '  ' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', field: 'payments[0].idempotencyKey' });
    const badDate = await server.app.inject({ method: 'POST', url: '/v1/payment-batches', headers: integration, payload: { payments: [{ loanId, amount: '1.00', idempotencyKey: 'x', date: '2026-02-30' }] } });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().field).toBe('payments[0].date');
  });
});
