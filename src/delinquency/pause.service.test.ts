import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { createBorrower } from '../lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../lending/loan.service.ts';
import { createProduct } from '../lending/product.service.ts';
import { DATABASE_KIND, openTestDatabase } from '../../test/support/database.ts';
import { borrowerInput, testDependencies } from '../../test/support/fixtures.ts';
import { classifyLoan, loadPauses, pauseAgeing, resumeAgeing } from './pause.service.ts';

const day = (text: string) => text as BusinessDate;

describe(`ageing pauses on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  const { ids } = testDependencies(7);
  let loanId: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    const dependencies = { db: handle.db, ids };
    const product = await createProduct(handle.db, ids, {
      name: 'Down payment 15 days',
      terms: { currency: 'EUR', annualRate: '0', interestMethod: 'flat', repaymentEvery: 15, repaymentUnit: 'days', numberOfRepayments: 3 },
      principalRange: { min: '100.00', max: '5000.00' },
      agingGraceDays: 3,
      delinquencyRanges: [{ code: 'R1', minDays: 1, maxDays: 3 }, { code: 'R3', minDays: 4, maxDays: 30 }, { code: 'R30', minDays: 31 }],
    }, day('2023-10-01'));
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId: product.id, principal: '1000.00', downPaymentPercent: '25' }, day('2023-10-01'));
    await approveLoan(dependencies, loan.id, day('2023-10-01'));
    await disburseLoan(dependencies, loan.id, { businessDate: day('2023-10-01'), idempotencyKey: `disburse-${loan.id}` });
    loanId = loan.id;
  }, 300_000);
  afterAll(async () => handle.close());

  it('classifies from the stored terms, then pauses, refuses an overlap, and resumes', async () => {
    expect(await classifyLoan(handle.db, loanId, day('2023-10-25'))).toMatchObject({ pastDueDays: 24, delinquentDays: 21, range: 'R3' });
    await pauseAgeing(handle.db, ids, loanId, { from: day('2023-10-16'), until: day('2023-10-30'), reason: 'Dispute under review' });
    await expect(pauseAgeing(handle.db, ids, loanId, { from: day('2023-10-20'), reason: 'Second pause' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await resumeAgeing(handle.db, loanId, { on: day('2023-10-20') });
    expect(await loadPauses(handle.db, loanId)).toEqual([{ from: '2023-10-16', until: '2023-10-20' }]);
    expect(await classifyLoan(handle.db, loanId, day('2023-10-25'))).toMatchObject({ pastDueDays: 24, delinquentDays: 17 });
    await expect(resumeAgeing(handle.db, loanId, { on: day('2023-10-25') })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
