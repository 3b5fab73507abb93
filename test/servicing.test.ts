import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.ts';
import type { BusinessDate } from '../src/shared/business-date.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import {
  addCharge, approveLoan, createLoan, disburseLoan, getLoan, getPayoffQuote, postPayment, reversePayment, waiveCharge, writeOffLoan,
} from '../src/lending/loan.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { loanAccountBalances } from '../src/ledger/journal.store.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct, testDependencies } from './support/fixtures.ts';

const day = (text: string) => text as BusinessDate;

describe(`servicing on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  const { ids } = testDependencies();
  let productId: string;
  let borrowerId: string;

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
    const checks = await verifyServicing(handle.db);
    for (const check of checks) expect(check.failures, check.name).toEqual([]);
  }

  it('creates, approves and disburses a loan with its schedule, fee and ledger', async () => {
    const loanId = await activeLoan();
    const loan = await getLoan(handle.db, loanId, day('2026-01-05'));
    expect(loan.status).toBe('active');
    expect(loan.installments).toHaveLength(12);
    expect(loan.installments[0]!.dueDate).toBe('2026-02-05');
    expect(loan.installments[0]!.fees).toBe('120.00');
    expect(loan.outstanding.principal).toBe('12000.00');
    const balances = await loanAccountBalances(handle.db, loanId);
    expect(balances['principal-receivable']).toBe(1200000n);
    expect(balances['settlement-cash']).toBe(-1200000n);
    await expectVerified();
  });

  it('names the product terms a loan was sold under by one shared snapshot, which the database keeps', async () => {
    const first = await activeLoan();
    const second = await activeLoan('3000.00');
    const rows = await handle.db.selectFrom('loan').select(['id', 'product_terms_key', sql<string>`(terms->'product')::text`.as('product')])
      .where('id', 'in', [first, second]).orderBy('id').execute();
    expect(rows[0]!.product_terms_key).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[1]!.product_terms_key).toBe(rows[0]!.product_terms_key);
    const snapshot = await handle.db.selectFrom('product_terms_snapshot').select(sql<string>`product::text`.as('product'))
      .where('key', '=', rows[0]!.product_terms_key!).executeTakeFirstOrThrow();
    expect(snapshot.product).toBe(rows[0]!.product);
    // New terms get a snapshot of their own; the name cannot be set by hand.
    await sql`UPDATE loan SET terms = jsonb_set(terms, '{product,chargeOffDays}', '150') WHERE id = ${second}`.execute(handle.db);
    await sql`UPDATE loan SET product_terms_key = 'forged' WHERE id = ${first}`.execute(handle.db);
    const after = await handle.db.selectFrom('loan').select(['id', 'product_terms_key']).where('id', 'in', [first, second]).orderBy('id').execute();
    expect(after[0]!.product_terms_key).toBe(rows[0]!.product_terms_key);
    expect(after[1]!.product_terms_key).not.toBe(rows[0]!.product_terms_key);
    const changed = await handle.db.selectFrom('product_terms_snapshot').select(sql<number>`(product->>'chargeOffDays')::int`.as('days'))
      .where('key', '=', after[1]!.product_terms_key!).executeTakeFirstOrThrow();
    expect(changed.days).toBe(150);
    await expect(sql`UPDATE product_terms_snapshot SET product = '{}'::jsonb`.execute(handle.db)).rejects.toThrow(/cannot be changed or deleted/);
    await expect(sql`DELETE FROM product_terms_snapshot`.execute(handle.db)).rejects.toThrow(/cannot be changed or deleted/);
    const kept = await handle.db.selectFrom('product_terms_snapshot').select(sql<string>`product::text`.as('product')).where('key', '=', rows[0]!.product_terms_key!).executeTakeFirstOrThrow();
    expect(kept.product).toBe(rows[0]!.product);
  });

  it('refuses a charge on a loan that does not exist, and keeps a loan that carries charges', async () => {
    const loanId = await activeLoan();
    const dependencies = { db: handle.db, ids };
    await addCharge(dependencies, loanId, { kind: 'fee', name: 'Statement copy', amount: '15.00', idempotencyKey: `fee-${loanId}`, businessDate: day('2026-01-20') });
    const charges = await handle.db.selectFrom('loan_charge').select('id').where('loan_id', '=', loanId).orderBy('id').execute();
    await expect(sql`
      INSERT INTO loan_charge (id, loan_id, borrower_id, kind, name, amount_minor, due_date, installment_number, charged_on)
      VALUES ('chg_a', ${loanId}, ${borrowerId}, 'fee', 'Copy', 100, '2026-01-20', 1, '2026-01-20'),
             ('chg_b', 'loan_missing', ${borrowerId}, 'fee', 'Copy', 100, '2026-01-20', 1, '2026-01-20')`.execute(handle.db)).rejects.toThrow(/loan_missing, which does not exist/);
    await expect(sql`UPDATE loan_charge SET loan_id = 'loan_missing' WHERE loan_id = ${loanId}`.execute(handle.db)).rejects.toThrow(/loan_missing, which does not exist/);
    await expect(sql`DELETE FROM loan WHERE id = ${loanId}`.execute(handle.db)).rejects.toThrow();
    // Even with its schedule and payments gone (rolled back with the refusal), the charges keep the loan.
    await expect(handle.db.transaction().execute(async (transaction) => {
      await sql`DELETE FROM installment WHERE loan_id = ${loanId}`.execute(transaction);
      await sql`DELETE FROM loan_transaction WHERE loan_id = ${loanId}`.execute(transaction);
      await sql`DELETE FROM loan WHERE id = ${loanId}`.execute(transaction);
    })).rejects.toThrow(/carries charges/);
    expect(await handle.db.selectFrom('installment').select('number').where('loan_id', '=', loanId).execute()).toHaveLength(12);
    expect(await handle.db.selectFrom('loan_charge').select('id').where('loan_id', '=', loanId).orderBy('id').execute()).toEqual(charges);
  });

  it('posts a payment once per idempotency key and refuses the key with another body', async () => {
    const loanId = await activeLoan();
    const dependencies = { db: handle.db, ids };
    const first = await postPayment(dependencies, loanId, { amount: '500.00', idempotencyKey: 'k1', businessDate: day('2026-02-05') });
    const again = await postPayment(dependencies, loanId, { amount: '500.00', idempotencyKey: 'k1', businessDate: day('2026-02-05') });
    expect(first.outcome).toBe('created');
    expect(again.outcome).toBe('replayed');
    expect(again.body).toEqual(first.body);
    expect(first.body.allocation).toMatchObject({ fees: '120.00', interest: '180.00', principal: '200.00' });
    await expect(postPayment(dependencies, loanId, { amount: '501.00', idempotencyKey: 'k1', businessDate: day('2026-02-05') })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const loan = await getLoan(handle.db, loanId, day('2026-02-05'));
    expect(loan.transactions.filter((transaction) => transaction.kind === 'payment')).toHaveLength(1);
    await expectVerified();
  });

  it('re-applies later payments after a back-dated payment and after a reversal', async () => {
    const loanId = await activeLoan();
    const dependencies = { db: handle.db, ids };
    const late = await postPayment(dependencies, loanId, { amount: '1220.00', idempotencyKey: 'late', businessDate: day('2026-03-10') });
    const backDated = await postPayment(dependencies, loanId, { amount: '1220.00', date: '2026-02-05', idempotencyKey: 'back', businessDate: day('2026-03-10') });
    expect(backDated.body.allocation.fees).toBe('120.00');
    const reloaded = await getLoan(handle.db, loanId, day('2026-03-10'));
    const latePayment = reloaded.transactions.find((transaction) => transaction.id === late.body.id)!;
    // The back-dated payment took the fee, so the later one now pays no fee.
    expect(latePayment.allocation.fees).toBe('0.00');
    await expectVerified();
    await reversePayment(dependencies, loanId, backDated.body.id, { idempotencyKey: 'undo', businessDate: day('2026-03-11') });
    const afterReversal = await getLoan(handle.db, loanId, day('2026-03-11'));
    expect(afterReversal.transactions.find((transaction) => transaction.id === late.body.id)!.allocation.fees).toBe('120.00');
    await expect(reversePayment(dependencies, loanId, backDated.body.id, { idempotencyKey: 'undo-2', businessDate: day('2026-03-11') })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expectVerified();
  });

  it('charges and waives fees, quotes a payoff and closes the loan when it is paid', async () => {
    const loanId = await activeLoan();
    const dependencies = { db: handle.db, ids };
    const charge = await addCharge(dependencies, loanId, { kind: 'fee', name: 'Statement copy', amount: '15.00', idempotencyKey: 'fee', businessDate: day('2026-01-20') });
    await waiveCharge(dependencies, loanId, charge.body.id, { idempotencyKey: 'waive', businessDate: day('2026-01-21'), reason: 'goodwill' });
    await expect(waiveCharge(dependencies, loanId, charge.body.id, { idempotencyKey: 'waive-again', businessDate: day('2026-01-21'), reason: 'goodwill' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const quote = await getPayoffQuote(handle.db, loanId, day('2026-01-21'));
    expect(quote.principal).toBe('12000.00');
    expect(quote.fees).toBe('120.00');
    await postPayment(dependencies, loanId, { amount: quote.total, idempotencyKey: 'payoff', businessDate: day('2026-01-21') });
    const loan = await getLoan(handle.db, loanId, day('2026-01-21'));
    expect(loan.status).toBe('closed');
    expect(loan.outstanding.total).toBe('0.00');
    expect(loan.overpayment).toBe('0.00');
    await expect(postPayment(dependencies, loanId, { amount: '1.00', idempotencyKey: 'after', businessDate: day('2026-01-22') })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expectVerified();
  });

  it('writes a loan off into expense', async () => {
    const loanId = await activeLoan();
    const dependencies = { db: handle.db, ids };
    await writeOffLoan(dependencies, loanId, { idempotencyKey: 'wo', businessDate: day('2026-09-01'), reason: 'uncollectable' });
    const balances = await loanAccountBalances(handle.db, loanId);
    expect(balances['principal-receivable']).toBe(0n);
    expect(balances['write-off-expense']).toBeGreaterThan(1200000n);
    expect((await getLoan(handle.db, loanId, day('2026-09-01'))).status).toBe('written-off');
    await expectVerified();
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const dependencies = { db: handle.db, ids };
    const before = await handle.db.selectFrom('loan').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    await expect(createLoan(dependencies, { borrowerId, productId, principal: '12000.001' }, day('2026-01-05'))).rejects.toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'principal' } });
    await expect(createLoan(dependencies, { borrowerId, productId, principal: '-5.00' }, day('2026-01-05'))).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    await expect(createLoan(dependencies, { borrowerId, productId, principal: '100.00' }, day('2026-01-05'))).rejects.toMatchObject({ code: 'OUT_OF_RANGE', details: { field: 'principal' } });
    await expect(createLoan(dependencies, { borrowerId, productId, principal: '5000.00', disbursementDate: '2026-02-30' }, day('2026-01-05'))).rejects.toMatchObject({ code: 'INVALID_DATE' });
    await expect(createLoan(dependencies, { borrowerId, productId, principal: '5000.00', colour: 'red' }, day('2026-01-05'))).rejects.toMatchObject({ code: 'UNKNOWN_FIELD', details: { field: 'colour' } });
    const after = await handle.db.selectFrom('loan').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    expect(after.count).toEqual(before.count);
  });

  it('refuses a product whose APR could exceed its legal cap, naming the cap', async () => {
    await expect(createProduct(handle.db, ids, personalLoanProduct({ terms: { currency: 'CNY', annualRate: '30', numberOfRepayments: 12 } }), day('2026-01-05'))).rejects.toMatchObject({
      code: 'RATE_CAP_EXCEEDED',
      details: { capPercent: '24' },
    });
    // A 23% rate is under the cap, but the 1% origination fee on a 6-month loan pushes the APR over it.
    await expect(createProduct(handle.db, ids, personalLoanProduct({ terms: { currency: 'CNY', annualRate: '23', numberOfRepayments: 12 } }), day('2026-01-05'))).rejects.toMatchObject({ code: 'RATE_CAP_EXCEEDED' });
  });
});

describe(`the ledger's own guard on ${DATABASE_KIND}`, () => {
  it('refuses an unbalanced journal entry, a line without its entry and any change to what is written', async () => {
    const handle = await openTestDatabase();
    try {
      await handle.db.insertInto('journal_entry').values({ id: 'je_1', borrower_id: null, loan_id: null, currency: 'CNY', business_date: '2026-01-01', kind: 'test', description: 'broken', transaction_id: null }).execute();
      await expect(
        handle.db.insertInto('journal_line').values([
          { entry_id: 'je_1', line_number: 1, account: 'settlement-cash', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: 100n },
          { entry_id: 'je_1', line_number: 2, account: 'fee-income', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: -99n },
        ]).execute(),
      ).rejects.toThrow(/does not balance/);
      await handle.db.insertInto('journal_line').values([
        { entry_id: 'je_1', line_number: 1, account: 'settlement-cash', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: 100n },
        { entry_id: 'je_1', line_number: 2, account: 'fee-income', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: -100n },
      ]).execute();
      await handle.db.updateTable('journal_line').set({ amount_minor: 1n }).where('entry_id', '=', 'je_1').execute();
      await handle.db.deleteFrom('journal_line').where('entry_id', '=', 'je_1').execute();
      const lines = await handle.db.selectFrom('journal_line').select('amount_minor').where('entry_id', '=', 'je_1').orderBy('line_number').execute();
      expect(lines.map((line) => line.amount_minor)).toEqual([100n, -100n]);
      // A line needs its entry, and an entry stays as it was written.
      await expect(
        handle.db.insertInto('journal_line').values([
          { entry_id: 'je_missing', line_number: 1, account: 'settlement-cash', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: 100n },
          { entry_id: 'je_missing', line_number: 2, account: 'fee-income', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: -100n },
        ]).execute(),
      ).rejects.toThrow(/je_missing, which does not exist/);
      await handle.db.insertInto('journal_entry').values({ id: 'je_2', borrower_id: null, loan_id: null, currency: 'USD', business_date: '2026-01-01', kind: 'test', description: 'dollars', transaction_id: null }).execute();
      await expect(
        handle.db.insertInto('journal_line').values([
          { entry_id: 'je_2', line_number: 1, account: 'settlement-cash', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: 100n },
          { entry_id: 'je_2', line_number: 2, account: 'fee-income', loan_id: null, borrower_id: null, currency: 'CNY', amount_minor: -100n },
        ]).execute(),
      ).rejects.toThrow(/je_2 mixes currencies/);
      await handle.db.updateTable('journal_entry').set({ id: 'je_9', currency: 'USD' }).where('id', '=', 'je_1').execute();
      await handle.db.deleteFrom('journal_entry').where('id', '=', 'je_1').execute();
      expect(await handle.db.selectFrom('journal_entry').select(['id', 'currency']).where('id', '=', 'je_1').execute()).toEqual([{ id: 'je_1', currency: 'CNY' }]);
    } finally {
      await handle.close();
    }
  });
});
