import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { divideRounded } from '../src/shared/rounding.ts';
import { parseDecimal, ONE } from '../src/shared/decimal.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, postPayment } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { portfolioPositionMismatches } from '../src/collections/reports.store.ts';
import { runEndOfDay, runEndOfDayUntil } from '../src/eod/eod.service.ts';
import { readEvents } from '../src/eod/event.store.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct, testDependencies } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');

describe(`a loan's life through 200 days of end of day on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  const { ids } = testDependencies(21);
  let loanId: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    const product = await createProduct(handle.db, ids, personalLoanProduct({
      name: 'Late fees and penalty',
      terms: { currency: 'CNY', annualRate: '18', numberOfRepayments: 6, roundingMode: 'half-even', daysInYear: 365 },
      repaymentsRange: { min: 6, max: 6 },
      originationFee: null,
      lateFee: { percent: '10', capPerInstallment: '30.00', capPerLoan: '50.00' },
      penaltyAnnualRate: '36.5',
      agingGraceDays: 3,
      nonAccrualDays: 90,
      chargeOffDays: 150,
    }), START);
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    const dependencies = { db: handle.db, ids };
    const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId: product.id, principal: '1000.00' }, START);
    await approveLoan(dependencies, loan.id, START);
    await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    loanId = loan.id;
  }, 300_000);
  afterAll(async () => handle?.close());

  it('assesses capped late fees, exact penalty interest, buckets, non-accrual and charge-off, each once', async () => {
    const schedule = await loadInstallments(handle.db, loanId);
    const eod = endOfDayDependencies(handle, ids);
    const end = addDays(START, 200);
    const outcomes = await runEndOfDayUntil(eod, end);
    expect(outcomes.length).toBeGreaterThan(150);
    // Cost in proportion to events: the loan is touched on its event dates only, not every day.
    const touchedDates = outcomes.filter((outcome) => outcome.loansTouched > 0).length;
    expect(touchedDates).toBeLessThan(40);

    const loan = await handle.db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
    const charges = await handle.db.selectFrom('loan_charge').selectAll().where('loan_id', '=', loanId).execute();
    const lateFees = charges.filter((charge) => charge.name === 'Late fee');
    const penalties = charges.filter((charge) => charge.kind === 'penalty');

    // Late fees: 10% of the overdue installment, at most 30.00 each and 50.00 for the loan.
    expect(lateFees.every((fee) => fee.amount_minor <= 3000n)).toBe(true);
    expect(lateFees.reduce((total, fee) => total + fee.amount_minor, 0n)).toBe(5000n);
    const firstFee = lateFees.find((fee) => fee.installment_number === 1)!;
    expect(firstFee.charged_on).toBe(addDays(schedule[0]!.dueDate, 4));
    expect(firstFee.amount_minor).toBe(divideRounded((schedule[0]!.principalMinor + schedule[0]!.interestMinor) * 10n, 100n, 'half-even'));

    // Penalty interest: each day's overdue principal × 36.5% ÷ 365, rounded per day, until non-accrual.
    const rate = parseDecimal('36.5');
    const nonAccrualStart = addDays(schedule[0]!.dueDate, 3 + 90);
    let expectedPenalty = 0n;
    for (let date = addDays(schedule[0]!.dueDate, 1); date < nonAccrualStart; date = addDays(date, 1)) {
      const overdue = schedule.filter((installment) => installment.dueDate < date).reduce((total, installment) => total + installment.principalMinor, 0n);
      expectedPenalty += divideRounded(overdue * rate, ONE * 100n * 365n, 'half-even');
    }
    expect(penalties.reduce((total, charge) => total + charge.amount_minor, 0n)).toBe(expectedPenalty);
    expect(loan.non_accrual_on).toBe(nonAccrualStart);

    expect(loan.status).toBe('charged-off');
    expect(loan.charged_off_on).toBe(addDays(schedule[0]!.dueDate, 3 + 150));
    expect(loan.next_event_date).toBeNull();
    expect(loan.days_past_due).toBe(150 + 3);

    const { events } = await readEvents(handle.db, { loanId, limit: 1000 });
    const kinds = events.map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'loan.due').length).toBe(6);
    expect(kinds.filter((kind) => kind === 'fee.assessed').length).toBe(lateFees.length);
    expect(kinds.filter((kind) => kind === 'loan.delinquent').length).toBe(1);
    expect(events.filter((event) => event.kind === 'loan.bucket_changed').map((event) => (event.payload as { to: string }).to)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);
    expect(kinds.filter((kind) => kind === 'loan.charged_off').length).toBe(1);
    expect((await verifyServicing(handle.db)).every((check) => check.ok)).toBe(true);
    expect(await portfolioPositionMismatches(handle.db)).toEqual([]);

    // A date never runs twice; running every date again finds nothing to do.
    await expect(runEndOfDay(eod, addDays(START, 150))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(await runEndOfDayUntil(eod, end)).toEqual([]);
    expect((await handle.db.selectFrom('loan_charge').selectAll().where('loan_id', '=', loanId).execute()).length).toBe(charges.length);
  });

  it('takes recoveries on a charged-off loan and keeps the ledger exact', async () => {
    const businessDate = addDays(START, 201);
    await postPayment({ db: handle.db, ids }, loanId, { amount: '100.00', idempotencyKey: 'recovery-1', businessDate });
    const loan = await handle.db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(loan.status).toBe('charged-off');
    const checks = await verifyServicing(handle.db);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    const recovery = await handle.db.selectFrom('journal_line').select((eb) => eb.fn.sum<bigint>('amount_minor').as('total')).where('loan_id', '=', loanId).where('account', '=', 'recovery-income').executeTakeFirstOrThrow();
    expect(BigInt(recovery.total)).toBe(-10000n);
  });
});
